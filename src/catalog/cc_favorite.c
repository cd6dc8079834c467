/* cc_favorite: favourite films per user (cc_favorite.h). */
#include "catalog/cc_favorite.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>

int cc_favorite_set(cc_db *db, int64_t user_id, int64_t film_id, bool favorite, int64_t now,
                    cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT 1 FROM films WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_DONE)
        return cu_err_set(err, CU_ENOTFOUND, "no film %lld", (long long)film_id);
    if (step != SQLITE_ROW)
        return cc_fail(db, err, "looking up a film");
    if (cc_prepare(db,
                   favorite ? "INSERT OR IGNORE INTO favorites (user_id, film_id, added_at)"
                              " VALUES (?1, ?2, ?3)"
                            : "DELETE FROM favorites WHERE user_id = ?1 AND film_id = ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, film_id);
    if (favorite)
        sqlite3_bind_int64(st, 3, now);
    step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "marking a favourite");
}

int cc_favorite_get(cc_db *db, int64_t user_id, int64_t film_id, bool *favorite, cu_err *err)
{
    *favorite = false;
    sqlite3_stmt *st;
    if (cc_prepare_kept(db, "SELECT 1 FROM favorites WHERE user_id = ?1 AND film_id = ?2", &st,
                        err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, film_id);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        *favorite = true;
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading a favourite");
}

int cc_favorite_list(cc_db *db, int64_t user_id, int64_t **ids, size_t *count, cu_err *err)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT film_id FROM favorites WHERE user_id = ?1 ORDER BY film_id", &st,
                   err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            *ids = cu_xrealloc(*ids, cap * sizeof **ids);
        }
        (*ids)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *count = 0;
        return cc_fail(db, err, "listing favourites");
    }
    return 0;
}
