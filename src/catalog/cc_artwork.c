/* cc_artwork: a film's poster and backdrop (paths of images found beside
 * it, or of a poster cut from the film into the cache). */
#include "catalog/cc_artwork.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

int cc_artwork_set(cc_db *db, int64_t film_id, const char *kind, const char *path, int generated,
                   cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO artwork (film_id, kind, path, generated) VALUES (?1, ?2, ?3, ?4)"
                   " ON CONFLICT(film_id, kind) DO UPDATE SET path = excluded.path,"
                   " generated = excluded.generated",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, generated);
    return cc_step_done(db, st, err, "saving artwork");
}

int cc_artwork_clear(cc_db *db, int64_t film_id, const char *kind, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM artwork WHERE film_id = ?1 AND kind = ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    return cc_step_done(db, st, err, "clearing artwork");
}

int cc_artwork_get(cc_db *db, cu_arena *arena, int64_t film_id, const char *kind, char **path, int *generated,
                   cu_err *err)
{
    sqlite3_stmt *st;
    *path = NULL;
    if (generated)
        *generated = 0;
    if (cc_prepare(db, "SELECT path, generated FROM artwork WHERE film_id = ?1 AND kind = ?2", &st,
                   err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *path = cc_column_adup(arena, st, 0);
        if (generated)
            *generated = sqlite3_column_int(st, 1);
        step = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading artwork");
}
