/* cc_search_index: keeping the search index current. Internal to the
 * catalog: its writers (cc_film.c, cc_person.c, cc_extra.c, cc_file.c) call
 * these inside the same transaction as the change they index, and the
 * schema migration calls cc_search_index_rebuild for catalogs written before
 * search existed. Queries on the index: cc_search_query.h. */
#ifndef CC_SEARCH_INDEX_H
#define CC_SEARCH_INDEX_H

#include <stdint.h>

#include "catalog/cc_db.h"

/* Re-reads film_id (title, original title, plot, credits, extras' titles)
 * into the index; removes it from the index when the film is gone. */
int cc_search_index_film(cc_db *db, int64_t film_id, cu_err *err);
/* Removes a film and its extras from the index. Call before deleting the
 * film row (the extras go with it by cascade). */
int cc_search_index_forget_film(cc_db *db, int64_t film_id, cu_err *err);

/* Indexes a person under name unless already indexed (names never change
 * for an id: people are matched by exact name). */
int cc_search_index_person(cc_db *db, int64_t person_id, const char *name, cu_err *err);
int cc_search_index_forget_person(cc_db *db, int64_t person_id, cu_err *err);

/* Re-reads one extra's title into the index; removes it when gone. Its
 * film's entry (which lists its extras' titles) is the caller's to refresh. */
int cc_search_index_extra(cc_db *db, int64_t extra_id, cu_err *err);
int cc_search_index_forget_extra(cc_db *db, int64_t extra_id, cu_err *err);

/* Empties and rebuilds the whole index from the catalog's tables. */
int cc_search_index_rebuild(cc_db *db, cu_err *err);

#endif
