/* cc_artwork: a film's poster and backdrop (paths of images found beside
 * it, or of a poster cut from the film into the cache). */
#include "catalog/cc_artwork.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_retry.h"
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

int cc_artwork_get(cc_db *db, cu_arena *arena, int64_t film_id, const char *kind, char **path,
                   int *generated, cu_err *err)
{
    sqlite3_stmt *st;
    *path = NULL;
    if (generated)
        *generated = 0;
    if (cc_prepare_kept(db, "SELECT path, generated FROM artwork WHERE film_id = ?1 AND kind = ?2",
                        &st, err) < 0)
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
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading artwork");
}

int cc_artwork_missing_posters(cc_db *db, int64_t after_id, size_t max, cc_poster_source **out,
                               size_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *out = NULL;
    *count = 0;
    if (max == 0)
        return 0;
    /* The source is the file a person would start with: part 1, the
     * unnamed version first, then by name. A disc is never one: a frame
     * would mean reading its streams. */
    if (cc_prepare(db,
                   "SELECT f.id, x.id, x.path, f.title, f.year FROM films f JOIN files x ON x.id ="
                   " (SELECT y.id FROM files y WHERE y.film_id = f.id AND y.role = 'main'"
                   "  AND y.probe_error IS NULL AND y.disc_title IS NULL"
                   "  AND NOT EXISTS (SELECT 1 FROM versions v"
                   "   WHERE v.id = y.version_id AND v.kind != 'file')"
                   "  ORDER BY y.part, y.version IS NOT NULL, y.version, y.path LIMIT 1)"
                   " WHERE f.id > ?1 AND NOT EXISTS (SELECT 1 FROM artwork a"
                   "  WHERE a.film_id = f.id AND a.kind = 'poster')"
                   " AND" CC_RETRY_DUE("x", CC_RETRY_POSTER) " ORDER BY f.id LIMIT ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, max > INT32_MAX ? INT32_MAX : (int64_t)max);
    *out = cu_xcalloc(max < 64 ? max : 64, sizeof **out);
    size_t cap = max < 64 ? max : 64;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap *= 2;
            *out = cu_xreallocarray(*out, cap, sizeof **out);
        }
        cc_poster_source *p = &(*out)[(*count)++];
        p->film_id = sqlite3_column_int64(st, 0);
        p->file_id = sqlite3_column_int64(st, 1);
        p->path = cc_column_strdup(st, 2);
        p->title = cc_column_strdup(st, 3);
        p->year = sqlite3_column_int(st, 4);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        cc_artwork_sources_free(*out, *count);
        *out = NULL;
        *count = 0;
        return cc_fail(db, err, "listing films without posters");
    }
    if (*count == 0) {
        free(*out); /* nothing found: nothing for the caller to free */
        *out = NULL;
    }
    return 0;
}

void cc_artwork_sources_free(cc_poster_source *sources, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(sources[i].path);
        free(sources[i].title);
    }
    free(sources);
}
