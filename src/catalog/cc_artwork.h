/* cc_artwork: a film's poster and backdrop. */
#ifndef CC_ARTWORK_H
#define CC_ARTWORK_H

#include <stdint.h>

#include "catalog/cc_db.h"
#include "util/cu_arena.h"

/* Artwork: kind is "poster" or "backdrop"; generated marks a poster cut
 * from the film itself (kept in the cache, not the user's folder). */
int cc_artwork_set(cc_db *db, int64_t film_id, const char *kind, const char *path, int generated,
                   cu_err *err);
int cc_artwork_clear(cc_db *db, int64_t film_id, const char *kind, cu_err *err);

/* The film's artwork of kind (path from arena, NULL when none). */
int cc_artwork_get(cc_db *db, cu_arena *arena, int64_t film_id, const char *kind, char **path, int *generated,
                   cu_err *err);

#endif
