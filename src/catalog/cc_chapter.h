/* cc_chapter: a file's chapters as the scanner's probe recorded them
 * (cc_stream_replace writes them), for players' seek bars; and the files
 * a trickplay pass may cut frames from. */
#ifndef CC_CHAPTER_H
#define CC_CHAPTER_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "media/cm_media.h"
#include "util/cu_arena.h"

/* The file's chapters by start, allocated from arena (NULL when none; at
 * most CM_MEDIA_MAX_CHAPTERS). */
int cc_chapter_list(cc_db *db, cu_arena *arena, int64_t file_id, cm_media_chapter **chapters,
                    size_t *count, cu_err *err);

/* Ids above after_id (at most max, ascending; *ids malloc'd) of files that
 * probed fine and have a video stream that is not cover art. */
int cc_chapter_video_files(cc_db *db, int64_t after_id, size_t max, int64_t **ids, size_t *count,
                           cu_err *err);

#endif
