/* cc_artwork: a film's poster and backdrop. */
#ifndef CC_ARTWORK_H
#define CC_ARTWORK_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "util/cu_arena.h"

/* Artwork: kind is "poster" or "backdrop"; generated marks a poster cut
 * from the film itself (kept in the cache, not the user's folder). */
int cc_artwork_set(cc_db *db, int64_t film_id, const char *kind, const char *path, int generated,
                   cu_err *err);
int cc_artwork_clear(cc_db *db, int64_t film_id, const char *kind, cu_err *err);

/* The film's artwork of kind (path from arena, NULL when none). */
int cc_artwork_get(cc_db *db, cu_arena *arena, int64_t film_id, const char *kind, char **path,
                   int *generated, cu_err *err);

/* A film without a poster and the file one can be cut from (part 1 of
 * its first version, probed fine): the background pass's queue. */
typedef struct cc_poster_source {
    int64_t film_id;
    int64_t file_id;
    char *path;  /* malloc'd */
    char *title; /* malloc'd; what the generated poster says */
    int year;    /* 0 when unknown */
} cc_poster_source;

/* Films after after_id (by id) that have no poster but a playable main
 * file, at most max. Free with cc_artwork_sources_free. */
int cc_artwork_missing_posters(cc_db *db, int64_t after_id, size_t max, cc_poster_source **out,
                               size_t *count, cu_err *err);
void cc_artwork_sources_free(cc_poster_source *sources, size_t count);

#endif
