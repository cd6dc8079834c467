/* cc_root: the roots table: devices and offline marks. */
#include "catalog/cc_root.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

int cc_root_get(cc_db *db, const char *path, cc_root_state *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT coalesce(device, 0), offline, coalesce(reason, ''), coalesce(since, 0)"
                   " FROM roots WHERE path = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->known = true;
        out->device = sqlite3_column_int64(st, 0);
        out->offline = sqlite3_column_int(st, 1) != 0;
        cu_strlcpy(out->reason, (const char *)sqlite3_column_text(st, 2), sizeof out->reason);
        out->since = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading a root");
}

int cc_root_set_online(cc_db *db, const char *path, int64_t device, int64_t now, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO roots (path, device, offline, reason, since, checked_at)"
                   " VALUES (?1, ?2, 0, NULL, NULL, ?3) ON CONFLICT (path) DO UPDATE SET"
                   " device = excluded.device, offline = 0, reason = NULL, since = NULL,"
                   " checked_at = excluded.checked_at",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, device);
    sqlite3_bind_int64(st, 3, now);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "recording a root");
}

int cc_root_set_offline(cc_db *db, const char *path, const char *reason, int64_t now, cu_err *err)
{
    sqlite3_stmt *st;
    /* The device stays the one it was last seen online on. */
    if (cc_prepare(db,
                   "INSERT INTO roots (path, offline, reason, since, checked_at)"
                   " VALUES (?1, 1, ?2, ?3, ?3) ON CONFLICT (path) DO UPDATE SET offline = 1,"
                   " reason = excluded.reason, since = coalesce(roots.since, excluded.since),"
                   " checked_at = excluded.checked_at",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "marking a root offline");
}

int cc_root_file_count(cc_db *db, const char *path, int64_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *count = 0;
    if (cc_prepare(db, "SELECT count(*) FROM files WHERE root = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "counting a root's files");
}

int cc_root_list(cc_db *db, cc_root_info **roots, size_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *roots = NULL;
    *count = 0;
    if (cc_prepare(db, "SELECT path, offline, reason, coalesce(since, 0) FROM roots ORDER BY path",
                   &st, err) < 0)
        return CU_EDB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && *count < 10000) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            *roots = cu_xreallocarray(*roots, cap, sizeof **roots);
        }
        cc_root_info *r = &(*roots)[(*count)++];
        r->path = cc_column_strdup(st, 0);
        r->offline = sqlite3_column_int(st, 1) != 0;
        r->reason = cc_column_strdup(st, 2);
        r->since = sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        cc_root_list_free(*roots, *count);
        *roots = NULL;
        *count = 0;
        return cc_fail(db, err, "listing roots");
    }
    return 0;
}

void cc_root_list_free(cc_root_info *roots, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(roots[i].path);
        free(roots[i].reason);
    }
    free(roots);
}

int cc_root_film_offline(cc_db *db, int64_t film_id, bool *offline, cu_err *err)
{
    sqlite3_stmt *st;
    *offline = false;
    if (cc_prepare(db,
                   "SELECT count(*), coalesce(sum(r.offline), 0) FROM files f"
                   " LEFT JOIN roots r ON r.path = f.root"
                   " WHERE f.film_id = ?1 AND f.role = 'main'",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        int64_t files = sqlite3_column_int64(st, 0);
        *offline = files > 0 && sqlite3_column_int64(st, 1) >= files;
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "reading a film's root");
}

int cc_root_offline_film_ids(cc_db *db, int64_t **ids, size_t *count, cu_err *err)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    /* Asked on every DLNA request: only films with a main file under an
     * offline root can be offline, so the grouping runs over those alone
     * (the roots first, then files_root: CROSS JOIN keeps that order)
     * instead of over every file in the catalog. With every root online
     * it reads nothing but the roots. */
    if (cc_prepare(
            db,
            "SELECT f.film_id FROM files f LEFT JOIN roots r ON r.path = f.root"
            " WHERE f.role = 'main' AND f.film_id IN (SELECT g.film_id FROM roots q"
            "   CROSS JOIN files g ON g.root = q.path WHERE q.offline != 0 AND g.role = 'main')"
            " GROUP BY f.film_id"
            " HAVING coalesce(sum(r.offline), 0) >= count(*) ORDER BY f.film_id",
            &st, err) < 0)
        return CU_EDB;
    return cc_ids_read(db, st, ids, count, "reading offline films", err);
}
