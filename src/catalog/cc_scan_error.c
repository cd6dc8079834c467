/* cc_scan_error: what a scan could not read, one row per path, replaced
 * on every scan of that path. */
#include "catalog/cc_scan_error.h"
#include "catalog/cc_internal.h"
#include "util/cu_time.h"

int cc_scan_error_put(cc_db *db, const char *path, const char *root, const char *kind,
                      const char *message, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT OR REPLACE INTO scan_errors (path, root, kind, message, at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, root, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, message, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, cu_time_now());
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "saving scan error");
}

int cc_scan_error_clear(cc_db *db, const char *path, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM scan_errors WHERE path = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "clearing scan error");
}

int cc_scan_error_prune(cc_db *db, const char *root, int64_t before, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM scan_errors WHERE root = ?1 AND at < ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, before);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "pruning scan errors");
}

int cc_scan_error_each(cc_db *db,
                       int (*fn)(const char *path, const char *kind, const char *message,
                                 void *user),
                       void *user, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT path, kind, message FROM scan_errors ORDER BY at DESC, path", &st,
                   err) < 0)
        return CU_EDB;
    int step, rc = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                (const char *)sqlite3_column_text(st, 2), user);
        if (rc)
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = cc_fail(db, err, "listing scan errors");
    sqlite3_finalize(st);
    return rc;
}
