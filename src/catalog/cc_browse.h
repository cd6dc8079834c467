/* cc_browse: the questions a person asks of a library: films by filter
 * and sort, a person's films and collaborators, festivals and genres. */
#ifndef CC_BROWSE_H
#define CC_BROWSE_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef enum { CC_SORT_TITLE, CC_SORT_YEAR, CC_SORT_ADDED, CC_SORT_RUNTIME } cc_sort;

typedef struct cc_film_filter {
    const char *genre;      /* exact genre, case-insensitive; NULL: any */
    int64_t person_id;      /* 0: any */
    int year;               /* 0: any */
    int decade;             /* 1990 for the 1990s; 0: any */
    const char *festival;   /* event name, case-insensitive substring ("Cannes"); NULL: any */
    int watched;            /* 1: watched by watch_user, -1: not, 0: any */
    int64_t watch_user;
    const int64_t *ids;     /* restrict to these films (search results); NULL: all */
    size_t id_count;
    cc_sort sort;
    int descending;
    int64_t offset, limit;  /* limit <= 0: 50; at most 500 */
} cc_film_filter;

typedef struct cc_film_item {
    int64_t id;
    char *title, *original_title;
    int year;               /* 0 when unknown */
    int runtime;            /* minutes: metadata, else the main file's duration */
    char *genres;           /* comma-separated, NULL when none */
    int has_poster;
    char *director;         /* first director, NULL when none */
} cc_film_item;

typedef struct cc_film_page {
    int64_t total;
    cc_film_item *items;
    size_t count;
} cc_film_page;

int cc_film_query(cc_db *db, const cc_film_filter *filter, cc_film_page *out, cu_err *err);
void cc_film_page_clear(cc_film_page *page);

typedef struct cc_person_role {
    int64_t film_id;
    char *title;
    int year;
    char *job;
    char *character;
} cc_person_role;

typedef struct cc_collaborator {
    int64_t person_id;
    char *name;
    int films;              /* films in common */
} cc_collaborator;

typedef struct cc_person {
    int64_t id;
    char *name;
    char *thumb;
    cc_person_role *roles;  /* by year, then title */
    size_t role_count;
    cc_collaborator *collaborators; /* most films in common first, at most 20 */
    size_t collaborator_count;
} cc_person;

/* CU_ENOTFOUND when absent. */
int cc_person_get(cc_db *db, int64_t id, cc_person **out, cu_err *err);
void cc_person_free(cc_person *person);

/* Counted names: festivals (from releases of type festival) and genres. */
typedef struct cc_count_item {
    char *name;
    int64_t count;
} cc_count_item;

typedef struct cc_count_list {
    cc_count_item *items;
    size_t count;
} cc_count_list;

int cc_festival_list(cc_db *db, cc_count_list *out, cu_err *err);
int cc_genre_list(cc_db *db, cc_count_list *out, cu_err *err);
void cc_count_list_clear(cc_count_list *list);

#endif
