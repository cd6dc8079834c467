/* cc_setting: the server's settings (cc_setting.h). */
#include "catalog/cc_setting.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <string.h>

int cc_setting_get(cc_db *db, const char *name, char *out, size_t size, cu_err *err)
{
    if (size)
        out[0] = '\0';
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT value FROM settings WHERE name = ?1", &st, err) < 0)
        /* A catalog from before settings, opened read-only: nothing set. */
        return strstr(err ? err->msg : "", "no such table")
                   ? cu_err_set(err, CU_ENOTFOUND, "no setting %s", name)
                   : CU_EDB;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    int rc = 0;
    if (step == SQLITE_ROW)
        cu_strlcpy(out, (const char *)sqlite3_column_text(st, 0), size);
    else if (step == SQLITE_DONE)
        rc = cu_err_set(err, CU_ENOTFOUND, "no setting %s", name);
    else
        rc = cc_fail(db, err, "reading a setting");
    sqlite3_finalize(st);
    return rc;
}

int cc_setting_set(cc_db *db, const char *name, const char *value, cu_err *err)
{
    if (strlen(value) > CC_SETTING_VALUE_MAX)
        return cu_err_set(err, CU_ELIMIT, "a setting is at most %d bytes", CC_SETTING_VALUE_MAX);
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO settings (name, value) VALUES (?1, ?2)"
                   " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "saving a setting");
}
