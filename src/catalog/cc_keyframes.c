/* cc_keyframes: stored keyframe indexes (see cc_keyframes.h). */
#include "catalog/cc_keyframes.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_retry.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdlib.h>
#include <string.h>

int cc_keyframes_put(cc_db *db, int64_t file_id, const void *blob, size_t len, cu_err *err)
{
    if (!blob || len == 0 || len > CC_KEYFRAMES_MAX_BYTES)
        return cu_err_set(err, CU_EINVAL, "keyframe index of %zu bytes for file %lld refused", len,
                          (long long)file_id);
    sqlite3_stmt *st;
    /* INSERT ... SELECT: a file removed meanwhile inserts nothing. */
    if (cc_prepare(db,
                   "INSERT INTO keyframes (file_id, data, built_at)"
                   " SELECT id, ?2, ?3 FROM files WHERE id = ?1"
                   " ON CONFLICT(file_id) DO UPDATE SET data = excluded.data,"
                   " built_at = excluded.built_at",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_blob64(st, 2, blob, len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, cu_time_now());
    int rc = cc_step_done(db, st, err, "saving keyframe index");
    if (rc == 0 && sqlite3_changes(db->sql) == 0)
        rc = cu_err_set(err, CU_ENOTFOUND, "no file with id %lld", (long long)file_id);
    return rc;
}

int cc_keyframes_get(cc_db *db, int64_t file_id, void **blob, size_t *len, cu_err *err)
{
    sqlite3_stmt *st;
    *blob = NULL;
    *len = 0;
    if (cc_prepare(db, "SELECT data FROM keyframes WHERE file_id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW) {
        const void *data = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        if (!data || n <= 0) {
            rc = cu_err_set(err, CU_ENOTFOUND, "no keyframe index for file %lld",
                            (long long)file_id);
        } else {
            *blob = cu_xmalloc((size_t)n);
            memcpy(*blob, data, (size_t)n);
            *len = (size_t)n;
        }
    } else if (step == SQLITE_DONE) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no keyframe index for file %lld", (long long)file_id);
    } else {
        rc = cc_fail(db, err, "reading keyframe index");
    }
    sqlite3_finalize(st);
    return rc;
}

int cc_keyframes_drop(cc_db *db, int64_t file_id, cu_err *err)
{
    return cc_exec_id(db, "DELETE FROM keyframes WHERE file_id = ?1", file_id, err,
                      "dropping keyframe index");
}

int cc_keyframes_missing(cc_db *db, int64_t after_id, size_t max, int64_t **ids, size_t *count,
                         cu_err *err)
{
    sqlite3_stmt *st;
    *ids = NULL;
    *count = 0;
    if (cc_prepare(db,
                   "SELECT f.id FROM files f WHERE f.id > ?1 AND f.probe_error IS NULL"
                   " AND NOT EXISTS (SELECT 1 FROM keyframes k WHERE k.file_id = f.id)"
                   " AND" CC_RETRY_DUE("f", CC_RETRY_KEYFRAMES) " ORDER BY f.id LIMIT ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, max > INT32_MAX ? INT32_MAX : (int64_t)max);
    return cc_step_ids(db, st, ids, count, err, "listing files without keyframes");
}
