/* cc_facet: the groupings a TV's remote walks (films by first letter, by
 * year, by director), ids of films in one group, a structured search over
 * films' fields (built by the DLNA SearchCriteria translator, run with
 * bound parameters only), and a stamp that changes when the catalog does.
 * Films themselves are read with cc_browse_films / cc_film_get. */
#ifndef CC_FACET_H
#define CC_FACET_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"

/* Title letters "A".."Z" (accents folded) and "#" for anything else, with
 * film counts, in that order. */
int cc_facet_letters(cc_db *db, cc_count_list *out, cu_err *err);
/* Years with film counts, newest first (films without a year left out). */
int cc_facet_years(cc_db *db, cc_count_list *out, cu_err *err);

typedef struct cc_facet_person {
    int64_t id;
    char *name;
    int64_t count;
} cc_facet_person;
typedef struct cc_facet_person_list {
    cc_facet_person *items;
    size_t count;
} cc_facet_person_list;
/* People credited with job ("director") on at least one film, by name. */
int cc_facet_people(cc_db *db, const char *job, cc_facet_person_list *out, cu_err *err);
void cc_facet_person_list_clear(cc_facet_person_list *list);

/* Film ids by title letter (as cc_facet_letters names it), or by a person
 * with a job; at most max. *ids malloc'd. */
int cc_facet_letter_ids(cc_db *db, const char *letter, size_t max, int64_t **ids, size_t *count,
                        cu_err *err);
int cc_facet_person_ids(cc_db *db, int64_t person_id, const char *job, size_t max, int64_t **ids,
                        size_t *count, cu_err *err);

/* A search over films as a tree of conditions. Text is compared folded
 * (case and accents never matter). */
typedef enum {
    CC_CRIT_TRUE,
    CC_CRIT_FALSE,
    CC_CRIT_AND,
    CC_CRIT_OR,
    CC_CRIT_NOT,
    CC_CRIT_MATCH,
} cc_crit_kind;

typedef enum {
    CC_FIELD_TITLE, /* title or original title */
    CC_FIELD_GENRE,
    CC_FIELD_DIRECTOR,
    CC_FIELD_ACTOR,
    CC_FIELD_PERSON,      /* anyone credited */
    CC_FIELD_DATE,        /* premiered, else YEAR-01-01 */
    CC_FIELD_DESCRIPTION, /* plot */
} cc_crit_field;

typedef enum {
    CC_OP_EQ,
    CC_OP_LT,
    CC_OP_LE,
    CC_OP_GT,
    CC_OP_GE,
    CC_OP_CONTAINS,
    CC_OP_EXISTS, /* the field has a value */
} cc_crit_op;

typedef struct cc_crit {
    cc_crit_kind kind;
    cc_crit_field field;
    cc_crit_op op;
    const char *value;           /* MATCH (not EXISTS): what to compare with */
    const struct cc_crit *a, *b; /* AND, OR: both; NOT: a */
} cc_crit;

#define CC_CRIT_MAX_DEPTH 64
#define CC_CRIT_MAX_MATCHES 64

/* Main files (not extras, probed fine) of the films matching crit, by
 * title, year, version, part: file and film ids of rows offset..offset+
 * limit-1 (limit at most 500) and the total. */
typedef struct cc_facet_hit {
    int64_t file_id, film_id;
} cc_facet_hit;
typedef struct cc_facet_hits {
    cc_facet_hit *items;
    size_t count;
    int64_t total;
} cc_facet_hits;
/* CU_EINVAL when the tree is deeper or larger than the limits above. */
int cc_facet_search(cc_db *db, const cc_crit *crit, int64_t offset, int64_t limit,
                    cc_facet_hits *out, cu_err *err);
void cc_facet_hits_clear(cc_facet_hits *hits);

/* The same search narrowed and ordered: only films in ids[0..id_count)
 * when ids is not NULL (none when id_count is 0), ordered by title
 * (CC_SORT_TITLE, the default) or release (CC_SORT_YEAR: year, then
 * title), descending when asked. */
typedef struct cc_facet_where {
    const int64_t *ids;
    size_t id_count;
    cc_sort sort;
    bool descending;
} cc_facet_where;
int cc_facet_search_where(cc_db *db, const cc_crit *crit, const cc_facet_where *where,
                          int64_t offset, int64_t limit, cc_facet_hits *out, cu_err *err);

/* A number that changes whenever films or files are added, changed or
 * removed (UPnP's SystemUpdateID). */
int cc_facet_update_stamp(cc_db *db, uint32_t *out, cu_err *err);

#endif
