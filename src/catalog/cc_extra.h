/* cc_extra: special features (trailers, interviews, ...): a file that
 * belongs to a film as an extra, with its own title and plot. */
#ifndef CC_EXTRA_H
#define CC_EXTRA_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_file.h"

typedef struct cc_extra {
    int64_t id;
    char *type;
    char *title;
    char *plot;
    cc_file file;
} cc_extra;

/* The film an extra belongs to; CU_ENOTFOUND when there is no such extra. */
int cc_extra_film_id(cc_db *db, int64_t extra_id, int64_t *film_id, cu_err *err);

/* An extra's own title and plot (from its .nfo). NULL title keeps it. */
int cc_extra_set_info(cc_db *db, int64_t file_id, const char *title, const char *plot, cu_err *err);

/* A film's extras by type then title, with their files and streams, all
 * allocated from arena. */
int cc_extra_list_for_film(cc_db *db, cu_arena *arena, int64_t film_id, cc_extra **extras,
                           size_t *count, cu_err *err);

/* Makes file_id an extra (place->is_extra) or not, keeping the search
 * index in step; cc_file's writes call it. */
int cc_extra_place(cc_db *db, int64_t file_id, const cc_file_place *place, cu_err *err);

#endif
