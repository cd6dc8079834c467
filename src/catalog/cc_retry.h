/* cc_retry: background work (a poster, a keyframe index) that failed for
 * a file, remembered with the file as it was (size and modification time),
 * so the background pass does not read the same hopeless file again on
 * every pass. The work is tried again when the file changes, or after
 * CC_RETRY_AFTER_S (a newer libav* may read what an older one could not). */
#ifndef CC_RETRY_H
#define CC_RETRY_H

#include <stdint.h>

#include "catalog/cc_db.h"

#define CC_RETRY_AFTER_S (7 * 24 * 3600)
#define CC_RETRY_POSTER "poster"
#define CC_RETRY_KEYFRAMES "keyframes"

/* Records that work failed for file_id as the catalog knows the file now
 * (inside the caller's transaction). An unknown file_id is no error. */
int cc_retry_record(cc_db *db, int64_t file_id, const char *work, int64_t now, cu_err *err);
/* Forgets a failure (the work succeeded since). */
int cc_retry_clear(cc_db *db, int64_t file_id, const char *work, cu_err *err);

/* For the catalog's own queries of work to do: true (SQL) unless work
 * failed for the file aliased `file` as it is now, less than
 * CC_RETRY_AFTER_S ago. `work` is one of the names above, as a literal. */
#define CC_RETRY_DUE(file, work)                                                                   \
    " NOT EXISTS (SELECT 1 FROM retries r WHERE r.file_id = " file ".id AND r.work = '" work "'"   \
    " AND r.size = " file ".size AND r.mtime_ns = " file ".mtime_ns"                               \
    " AND r.failed_at > CAST(strftime('%s', 'now') AS INTEGER) - 604800)"

#endif
