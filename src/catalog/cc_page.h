/* cc_page: what a page of films needs beside its rows (cc_browse_films),
 * asked once for the whole page: artwork paths, each film's watch state,
 * favourite marks, offline films. A page of 100 films costs three statements, not three
 * hundred (preparing a statement is most of a small query's cost).
 *
 * Every function takes the page's film ids (any order, at most
 * CC_PAGE_MAX, duplicates allowed) and fills out[i] for ids[i]; a film
 * with nothing recorded gets the empty answer (NULL path, zero state,
 * false). CU_EINVAL when count exceeds CC_PAGE_MAX. */
#ifndef CC_PAGE_H
#define CC_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_watch.h"
#include "util/cu_arena.h"

#define CC_PAGE_MAX 1000

/* Posters and backdrops (paths from arena, NULL when none). */
int cc_page_artwork(cc_db *db, cu_arena *arena, const int64_t *ids, size_t count, char **posters,
                    char **backdrops, cu_err *err);

/* Each film's state for user_id, exactly as cc_watch_film_get says it. */
int cc_page_watch(cc_db *db, int64_t user_id, const int64_t *ids, size_t count, cc_watch *out,
                  cu_err *err);

/* Whether user_id marked each film a favourite. */
int cc_page_favorites(cc_db *db, int64_t user_id, const int64_t *ids, size_t count, bool *out,
                      cu_err *err);

/* Whether each film is offline: it has main files and every one is under
 * a root that is offline (as cc_root_film_offline says it). */
int cc_page_offline(cc_db *db, const int64_t *ids, size_t count, bool *out, cu_err *err);

#endif
