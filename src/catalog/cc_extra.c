/* cc_extra: special features: which file is an extra of which film, its
 * own title and plot, and keeping the search index in step with them. */
#include "catalog/cc_extra.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_search_index.h"
#include "catalog/cc_stream.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

/* The extra a file is, if any: id, film and title (for the search index). */
typedef struct extra_row {
    int64_t id, film_id;
    char *title;
} extra_row;

/* Steps st (which returns id, film_id, title at most once) into row. */
static int read_extra_row(cc_db *db, sqlite3_stmt *st, extra_row *row, cu_err *err)
{
    memset(row, 0, sizeof *row);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        row->id = sqlite3_column_int64(st, 0);
        row->film_id = sqlite3_column_int64(st, 1);
        row->title = cc_column_strdup(st, 2);
        step = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "saving extra");
}

static int file_extra(cc_db *db, int64_t file_id, extra_row *row, cu_err *err)
{
    sqlite3_stmt *st;
    memset(row, 0, sizeof *row);
    if (cc_prepare(db, "SELECT id, film_id, title FROM extras WHERE file_id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    return read_extra_row(db, st, row, err);
}

/* After an extra was removed (old) or put (now): refreshes the index where
 * its title or film changed. */
static int reindex_extra(cc_db *db, const extra_row *old, const extra_row *now, cu_err *err)
{
    if (now->id && old->id == now->id && old->film_id == now->film_id && old->title && now->title &&
        !strcmp(old->title, now->title))
        return 0;
    if (old->id && old->id != now->id && cc_search_index_forget_extra(db, old->id, err) < 0)
        return CU_EDB;
    if (now->id && cc_search_index_extra(db, now->id, err) < 0)
        return CU_EDB;
    if (old->id && old->film_id != now->film_id && cc_search_index_film(db, old->film_id, err) < 0)
        return CU_EDB;
    if (now->id && cc_search_index_film(db, now->film_id, err) < 0)
        return CU_EDB;
    return 0;
}

int cc_extra_place(cc_db *db, int64_t file_id, const cc_file_place *place, cu_err *err)
{
    sqlite3_stmt *st;
    extra_row old, now = {0};
    int rc = CU_EDB;
    if (file_extra(db, file_id, &old, err) < 0)
        return CU_EDB;
    if (place->is_extra) {
        if (cc_prepare(
                db,
                "INSERT INTO extras (film_id, file_id, type, title) VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT(file_id) DO UPDATE SET film_id = excluded.film_id,"
                " type = excluded.type,"
                " title = CASE WHEN extras.plot IS NULL THEN excluded.title ELSE extras.title END"
                " RETURNING id, film_id, title",
                &st, err) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, place->film_id);
        sqlite3_bind_int64(st, 2, file_id);
        sqlite3_bind_text(st, 3, place->extra_type ? place->extra_type : "other", -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 4, place->extra_title ? place->extra_title : "", -1, SQLITE_STATIC);
        if (read_extra_row(db, st, &now, err) < 0)
            goto done;
    } else {
        if (!old.id) {
            rc = 0;
            goto done;
        }
        if (cc_prepare(db, "DELETE FROM extras WHERE file_id = ?1", &st, err) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, file_id);
        int step = sqlite3_step(st);
        sqlite3_finalize(st);
        if (step != SQLITE_DONE) {
            cc_fail(db, err, "saving extra");
            goto done;
        }
    }
    rc = reindex_extra(db, &old, &now, err);
done:
    free(old.title);
    free(now.title);
    return rc;
}

int cc_extra_set_info(cc_db *db, int64_t file_id, const char *title, const char *plot, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "UPDATE extras SET title = coalesce(?2, title), plot = ?3 WHERE file_id = ?1"
                   " RETURNING id, film_id",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    cc_bind_text_or_null(st, 2, title);
    cc_bind_text_or_null(st, 3, plot);
    int64_t extra_id = 0, film_id = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        extra_id = sqlite3_column_int64(st, 0);
        film_id = sqlite3_column_int64(st, 1);
        step = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "saving extra");
    if (extra_id && (cc_search_index_extra(db, extra_id, err) < 0 ||
                     cc_search_index_film(db, film_id, err) < 0))
        return CU_EDB;
    return 0;
}

int cc_extra_film_id(cc_db *db, int64_t extra_id, int64_t *film_id, cu_err *err)
{
    sqlite3_stmt *st;
    *film_id = 0;
    if (cc_prepare_kept(db, "SELECT film_id FROM extras WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, extra_id);
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW)
        *film_id = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        rc = cu_err_set(err, CU_ENOTFOUND, "no extra with id %lld", (long long)extra_id);
    else
        rc = cc_fail(db, err, "reading extra");
    sqlite3_reset(st);
    return rc;
}

int cc_extra_list_for_film(cc_db *db, cu_arena *arena, int64_t film_id, cc_extra **extras,
                           size_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *extras = NULL;
    *count = 0;
    if (cc_prepare_kept(db,
                        "SELECT e.id, e.type, e.title, e.plot, " CC_FILE_COLUMNS
                        " FROM extras e JOIN files f ON f.id = e.file_id WHERE e.film_id = ?1"
                        " ORDER BY e.type, e.title COLLATE NOCASE, f.path",
                        &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            *extras = cu_arena_grow(arena, *extras, cap, cap ? cap * 2 : 4, sizeof **extras);
            cap = cap ? cap * 2 : 4;
        }
        cc_extra *e = &(*extras)[(*count)++];
        e->id = sqlite3_column_int64(st, 0);
        e->type = cc_column_adup(arena, st, 1);
        e->title = cc_column_adup(arena, st, 2);
        e->plot = cc_column_adup(arena, st, 3);
        cc_file_read_columns(arena, st, 4, &e->file);
    }
    sqlite3_reset(st);
    int rc = step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading extras");
    for (size_t i = 0; i < *count && rc == 0; i++)
        rc = cc_stream_list(db, arena, (*extras)[i].file.id, &(*extras)[i].file.streams,
                            &(*extras)[i].file.stream_count, err);
    return rc;
}
