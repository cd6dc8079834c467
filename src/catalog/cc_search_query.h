/* cc_search_query: full-text search over the catalog (SQLite FTS5 over text folded
 * by cu_fold, so case and accents never matter).
 * Matched: film titles, original titles, people's names, characters, plots
 * and the special features' titles. The last word of a query is a prefix
 * ("pain gl") unless the query ends in a space; plots match whole words,
 * and only after titles and names. A word of five letters or more may carry
 * one typo (insertion, deletion, substitution or swap of two neighbours)
 * when the words as typed find nothing at all (typos are not looked for in
 * plots).
 * Ranking: exact title (or name) hits, then titles that start with the
 * query, then by the fields the words were found in (titles weigh most,
 * plots least; a short field more than a long one).
 * The index is kept current by the catalog's own writes (cc_search_index.h);
 * nobody else maintains it. */
#ifndef CC_SEARCH_QUERY_H
#define CC_SEARCH_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_search_film {
    int64_t id;
    char *title;
    int year; /* 0 when unknown */
    bool has_poster;
} cc_search_film;

typedef struct cc_search_person {
    int64_t id;
    char *name;
} cc_search_person;

typedef struct cc_search_extra {
    int64_t id; /* the extra's id, as cc_extra.id in cc_film_get */
    char *title;
    char *type; /* trailer, interview, ... */
    int64_t film_id;
    bool film_has_poster;
} cc_search_extra;

typedef struct cc_search_result {
    cc_search_film *films; /* found directly, or through their people, */
    size_t film_count;     /* characters and extras; best first */
    cc_search_person *people;
    size_t person_count;
    cc_search_extra *extras;
    size_t extra_count;
} cc_search_result;

/* Searches every group, at most limit hits each (<= 0: 20; at most 200).
 * Any bytes are a valid query: an empty or blank one (or one made only of
 * punctuation) gives empty groups, not an error. Fills *out (clear it with
 * cc_search_query_clear, also after a failure). */
int cc_search_query(cc_db *db, const char *query, int limit, cc_search_result *out, cu_err *err);
void cc_search_query_clear(cc_search_result *r);

/* Ids of all films matching query (found directly, or through their people,
 * characters and extras), best first, at most max. *ids is malloc'd (NULL
 * when *count is 0); the caller frees it. For GET /api/v1/films?q=. */
int cc_search_query_film_ids(cc_db *db, const char *query, size_t max, int64_t **ids, size_t *count,
                             cu_err *err);

/* A restricted user's scope: the films they may see (ascending, as
 * cc_scope_film_ids gives them). Extras of those films and people credited
 * in one of them are visible too. */
typedef struct cc_search_scope {
    const int64_t *film_ids;
    size_t film_count;
} cc_search_scope;

/* The same, finding only what scope lets its user see. The scope is
 * applied while each group is filled, before its limit, so a restricted
 * user gets as many hits as exist for them (up to the limit), not what
 * is left of everyone's first hits. scope NULL: everything. */
int cc_search_query_scoped(cc_db *db, const char *query, int limit, const cc_search_scope *scope,
                           cc_search_result *out, cu_err *err);
int cc_search_query_film_ids_scoped(cc_db *db, const char *query, size_t max,
                                    const cc_search_scope *scope, int64_t **ids, size_t *count,
                                    cu_err *err);

/* Registers the ranking function searches use (cc_rank) on db's
 * connection; cc_db_open calls it for every connection. */
int cc_search_query_register(cc_db *db, cu_err *err);

#endif
