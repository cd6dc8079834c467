/* jf_items_internal: what the browsing files of the Jellyfin door share:
 * sets of film ids (what the user may see, narrowed by folder, search and
 * filters), the library folders as views, /Items' parameters read into a
 * catalog filter (jf_query.c), and list rows (jf_list.c). */
#ifndef JF_ITEMS_INTERNAL_H
#define JF_ITEMS_INTERNAL_H

#include "catalog/cc_browse.h"
#include "jellyfin/jf_internal.h"

#define PAGE_MAX 500 /* cc_browse_films' largest page */

/* ---- sets of film ids (jf_query.c) ---- */

typedef struct jf_idset {
    bool all;     /* no restriction yet */
    int64_t *ids; /* ascending */
    size_t count;
} jf_idset;

/* Keeps the ids of s that are also in ids (count of them; need not be sorted). */
void jf_set_narrow(jf_idset *s, const int64_t *ids, size_t count);
/* Starts a set with what the user may see. */
void jf_set_visible(jf_req *r, jf_idset *s);
/* The library folders the user may see: paths (malloc'd) and count. */
int jf_visible_roots(jf_req *r, char ***out, size_t *count, cu_err *err);
void jf_paths_free(char **paths, size_t count);
/* The folder a view id names, among those the user sees (malloc'd), or NULL. */
char *jf_view_root(jf_req *r, const char *id);
int jf_root_films(jf_req *r, const char *root, int64_t **ids, size_t *count, cu_err *err);
/* Whether IncludeItemTypes (when given) asks for films, and whether
 * Fields asks for what only the whole record has. */
bool jf_wants_movies(jf_req *r);
bool jf_wants_whole(jf_req *r);
/* The genres the user may see, with counts. */
int jf_genre_list(jf_req *r, cc_count_list *list, cu_err *err);
/* The films a menu counts over: the user's, in ParentId's folder when
 * given (*s; *none when nothing can be under it). 0, or CU_EDB. */
int jf_menu_films(jf_req *r, jf_idset *s, bool *none, cu_err *err);

/* ---- /Items' parameters (jf_query.c) ---- */

typedef struct jf_query {
    jf_idset set;
    cc_film_filter filter;
    char genre[256];
    bool empty;
} jf_query;

/* Reads /Items' parameters into q. 0, or a 400 queued into *ret; q->set.ids
 * is the caller's to free either way. */
int jf_query_read(jf_req *r, jf_query *q, int *ret);

/* ---- views and rows (jf_list.c) ---- */

json_t *jf_view_dto(jf_req *r, const char *root, int64_t count);
/* Films by id in the given order (at most PAGE_MAX), as list items
 * (hidden ones skipped): one catalog page for all of them. */
int jf_items_in_order(jf_req *r, const int64_t *ids, size_t count, bool whole, json_t *out,
                      cu_err *err);

#endif
