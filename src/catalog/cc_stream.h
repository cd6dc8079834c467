/* cc_stream: a file's streams (video, audio, subtitle, ...) and chapters,
 * as the scanner's probe described them. */
#ifndef CC_STREAM_H
#define CC_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "media/cm_media.h"
#include "util/cu_arena.h"

/* Replaces the file's streams and chapters with info's (NULL: none). */
int cc_stream_replace(cc_db *db, int64_t file_id, const cm_media_info *info, cu_err *err);
/* The file's streams by index, allocated from arena (NULL when none). */
int cc_stream_list(cc_db *db, cu_arena *arena, int64_t file_id, cm_media_stream **streams,
                   size_t *count, cu_err *err);

#endif
