/* cc_retry: failed background work and when to try it again (cc_retry.h). */
#include "catalog/cc_retry.h"
#include "catalog/cc_internal.h"

_Static_assert(CC_RETRY_AFTER_S == 604800, "CC_RETRY_DUE spells the same number");

int cc_retry_record(cc_db *db, int64_t file_id, const char *work, int64_t now, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO retries (file_id, work, size, mtime_ns, failed_at, attempts)"
                   " SELECT id, ?2, size, mtime_ns, ?3, 1 FROM files WHERE id = ?1"
                   " ON CONFLICT (file_id, work) DO UPDATE SET size = excluded.size,"
                   " mtime_ns = excluded.mtime_ns, failed_at = excluded.failed_at,"
                   " attempts = attempts + 1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_text(st, 2, work, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return cc_step_done(db, st, err, "recording failed work");
}

int cc_retry_clear(cc_db *db, int64_t file_id, const char *work, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM retries WHERE file_id = ?1 AND work = ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_text(st, 2, work, -1, SQLITE_STATIC);
    return cc_step_done(db, st, err, "forgetting failed work");
}
