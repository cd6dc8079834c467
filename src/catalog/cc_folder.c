/* cc_folder: library folders added at run time. */
#include "catalog/cc_folder.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>

int cc_folder_add(cc_db *db, const char *path, int64_t now, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "INSERT OR IGNORE INTO library_folders (path, added_at) VALUES (?1, ?2)",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "adding root");
}

int cc_folder_remove(cc_db *db, const char *path, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM library_folders WHERE path = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "removing root");
    if (sqlite3_changes(db->sql) == 0)
        return cu_err_set(err, CU_ENOTFOUND, "no such library folder");
    return 0;
}

static int string_list(cc_db *db, const char *sql, char ***paths, size_t *count, cu_err *err)
{
    *paths = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && *count < 10000) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            *paths = cu_xreallocarray(*paths, cap, sizeof **paths);
        }
        (*paths)[(*count)++] = cc_column_strdup(st, 0);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
        cc_folder_list_free(*paths, *count);
        *paths = NULL;
        *count = 0;
        return cc_fail(db, err, "listing roots");
    }
    return 0;
}

int cc_folder_list(cc_db *db, char ***paths, size_t *count, cu_err *err)
{
    return string_list(db, "SELECT path FROM library_folders ORDER BY path", paths, count, err);
}

int cc_folder_known(cc_db *db, char ***paths, size_t *count, cu_err *err)
{
    return string_list(db, "SELECT DISTINCT root FROM files ORDER BY root", paths, count, err);
}

void cc_folder_list_free(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}
