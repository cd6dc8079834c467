/* cc_keyframes: a file's keyframe index, stored as the opaque blob media/
 * serializes (cm_keyframes_serialize), so the first playback of a film never
 * reads the whole file. The library's background pass builds and puts them;
 * playback gets them. A row is dropped when its file's content changes
 * (cc_file_put) and goes with the file. */
#ifndef CC_KEYFRAMES_H
#define CC_KEYFRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

/* At most this many bytes per index (a three-hour film at a keyframe a
 * frame is far below it); larger blobs are refused with CU_EINVAL. */
#define CC_KEYFRAMES_MAX_BYTES (64u * 1024 * 1024)

/* Stores (replaces) file_id's index. CU_ENOTFOUND when no such file. */
int cc_keyframes_put(cc_db *db, int64_t file_id, const void *blob, size_t len, cu_err *err);
/* The stored index: *blob malloc'd (the caller frees it), *len its size.
 * CU_ENOTFOUND when none is stored (yet). */
int cc_keyframes_get(cc_db *db, int64_t file_id, void **blob, size_t *len, cu_err *err);
/* Forgets file_id's index (its content changed). */
int cc_keyframes_drop(cc_db *db, int64_t file_id, cu_err *err);

/* Main files and extras without an index, lowest id first, at most max ids
 * (malloc'd, NULL when none), starting after after_id: the background
 * pass's queue, resumable from the last id it did. Failed probes are
 * skipped. */
int cc_keyframes_missing(cc_db *db, int64_t after_id, size_t max, int64_t **ids, size_t *count,
                         cu_err *err);

#endif
