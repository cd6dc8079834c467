/* cc_file: the files the scanner found: where each sits in the library
 * (film, part, version, extra), what its probe said, and locating one for
 * streaming. Streams and extras have their own rooms (cc_stream.c,
 * cc_extra.c); a file's writes keep them in step. */
#include "catalog/cc_file.h"
#include "catalog/cc_extra.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_keyframes.h"
#include "catalog/cc_shelf.h"
#include "catalog/cc_stream.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdlib.h>
#include <string.h>

int cc_file_each_known(cc_db *db, const char *root,
                       int (*fn)(const cc_known_file *file, void *user), void *user, cu_err *err)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (cc_prepare(db,
                   "SELECT id, path, size, mtime_ns, fingerprint, film_id, probe_error IS NOT NULL,"
                   " role = 'extra', part, version FROM files WHERE " CC_UNDER_ROOT("path", 1),
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cc_known_file f = {
            .id = sqlite3_column_int64(st, 0),
            .path = (const char *)sqlite3_column_text(st, 1),
            .size = sqlite3_column_int64(st, 2),
            .mtime_ns = sqlite3_column_int64(st, 3),
            .fingerprint = (const char *)sqlite3_column_text(st, 4),
            .film_id = sqlite3_column_int64(st, 5),
            .failed = sqlite3_column_int(st, 6) != 0,
            .is_extra = sqlite3_column_int(st, 7) != 0,
            .part = sqlite3_column_int(st, 8),
            .version = (const char *)sqlite3_column_text(st, 9),
        };
        rc = fn(&f, user);
        if (rc)
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = cc_fail(db, err, "listing files");
    sqlite3_finalize(st);
    return rc;
}

static void bind_place(sqlite3_stmt *st, const cc_file_place *place)
{
    sqlite3_bind_text(st, 1, place->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, place->root, -1, SQLITE_STATIC);
    if (place->film_id > 0)
        sqlite3_bind_int64(st, 3, place->film_id);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, place->is_extra ? "extra" : "main", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, place->part > 0 ? place->part : 1);
    cc_bind_text_or_null(st, 6, place->version);
}

/* Kept prepared (cc_prepare_kept): a scan saves every file with it. */
static const char file_put_sql[] =
    "INSERT INTO files (path, root, film_id, role, part, version, size, mtime_ns,"
    " fingerprint, probe_error, container, format_name, duration, bit_rate,"
    " tag_title, tag_date, tag_description, tag_comment, added_at, probed_at)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?19)"
    " ON CONFLICT(path) DO UPDATE SET root = excluded.root, film_id = excluded.film_id,"
    " role = excluded.role, part = excluded.part, version = excluded.version,"
    " size = excluded.size, mtime_ns = excluded.mtime_ns,"
    " fingerprint = excluded.fingerprint, probe_error = excluded.probe_error,"
    " container = excluded.container, format_name = excluded.format_name,"
    " duration = excluded.duration, bit_rate = excluded.bit_rate,"
    " tag_title = excluded.tag_title, tag_date = excluded.tag_date,"
    " tag_description = excluded.tag_description, tag_comment = excluded.tag_comment,"
    " probed_at = excluded.probed_at"
    " RETURNING id";

int cc_file_put(cc_db *db, const cc_file_place *place, int64_t size, int64_t mtime_ns,
                const char *fingerprint, const cc_file_facts *info, const char *probe_error,
                int64_t *id, cu_err *err)
{
    sqlite3_stmt *st;
    int64_t now = cu_time_now();
    if (cc_prepare_kept(db, file_put_sql, &st, err) < 0)
        return CU_EDB;
    bind_place(st, place);
    sqlite3_bind_int64(st, 7, size);
    sqlite3_bind_int64(st, 8, mtime_ns);
    cc_bind_text_or_null(st, 9, fingerprint);
    if (info) {
        sqlite3_bind_null(st, 10);
        cc_bind_text_or_null(st, 11, info->container);
        cc_bind_text_or_null(st, 12, info->format_name);
        sqlite3_bind_double(st, 13, info->duration);
        sqlite3_bind_int64(st, 14, info->bit_rate);
        cc_bind_text_or_null(st, 15, info->tag_title);
        cc_bind_text_or_null(st, 16, info->tag_date);
        cc_bind_text_or_null(st, 17, info->tag_description);
        cc_bind_text_or_null(st, 18, info->tag_comment);
    } else {
        sqlite3_bind_text(st, 10, probe_error && *probe_error ? probe_error : "unknown error", -1,
                          SQLITE_STATIC);
        for (int c = 11; c <= 18; c++)
            sqlite3_bind_null(st, c);
    }
    sqlite3_bind_int64(st, 19, now);
    int step = sqlite3_step(st);
    int64_t file_id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (step == SQLITE_ROW)
        step = sqlite3_step(st);
    sqlite3_reset(st);
    if (step != SQLITE_DONE || file_id == 0)
        return cc_fail(db, err, "saving file");
    /* New content: its streams are described again, and a keyframe index
     * built for the old content is of no use. */
    if (cc_stream_replace(db, file_id, info ? info->streams : NULL, info ? info->stream_count : 0,
                          info ? info->chapters : NULL, info ? info->chapter_count : 0, err) < 0 ||
        cc_keyframes_drop(db, file_id, err) < 0 || cc_extra_place(db, file_id, place, err) < 0)
        return CU_EDB;
    /* A main file's audio language can be its film's title's language. */
    if (!place->is_extra && place->film_id > 0 && cc_shelf_update(db, place->film_id, err) < 0)
        return CU_EDB;
    if (id)
        *id = file_id;
    return 0;
}

int cc_file_place_update(cc_db *db, int64_t id, const cc_file_place *place, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "UPDATE files SET path = ?1, root = ?2, film_id = ?3, role = ?4, part = ?5,"
                   " version = ?6 WHERE id = ?7 AND (path IS NOT ?1 OR root IS NOT ?2 OR"
                   " film_id IS NOT ?3 OR role IS NOT ?4 OR part IS NOT ?5 OR version IS NOT ?6)",
                   &st, err) < 0)
        return CU_EDB;
    bind_place(st, place);
    sqlite3_bind_int64(st, 7, id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "updating file");
    return cc_extra_place(db, id, place, err);
}

int cc_file_touch(cc_db *db, int64_t id, int64_t size, int64_t mtime_ns, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE files SET size = ?2, mtime_ns = ?3 WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, size);
    sqlite3_bind_int64(st, 3, mtime_ns);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "updating file");
}

int cc_file_remove(cc_db *db, int64_t id, cu_err *err)
{
    /* An extra's row would go with its file (cascade); dropped first, so
     * the search index forgets it. */
    cc_file_place none = {0};
    if (cc_extra_place(db, id, &none, err) < 0)
        return CU_EDB;
    return cc_exec_id(db, "DELETE FROM files WHERE id = ?1", id, err, "removing file");
}

void cc_file_read_columns(cu_arena *arena, sqlite3_stmt *st, int first, cc_file *f)
{
    f->id = sqlite3_column_int64(st, first);
    f->path = cc_column_adup(arena, st, first + 1);
    f->part = sqlite3_column_int(st, first + 2);
    f->version = cc_column_adup(arena, st, first + 3);
    f->size = sqlite3_column_int64(st, first + 4);
    f->duration = sqlite3_column_double(st, first + 5);
    f->container = cc_column_adup(arena, st, first + 6);
    f->probe_error = cc_column_adup(arena, st, first + 7);
}

int cc_file_list_main(cc_db *db, cu_arena *arena, int64_t film_id, cc_file **files, size_t *count,
                      cu_err *err)
{
    sqlite3_stmt *st;
    *files = NULL;
    *count = 0;
    if (cc_prepare_kept(db,
                        "SELECT " CC_FILE_COLUMNS
                        " FROM files f WHERE f.film_id = ?1 AND f.role = 'main'"
                        " ORDER BY f.version IS NOT NULL, f.version COLLATE NOCASE, f.part, f.path",
                        &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            *files = cu_arena_grow(arena, *files, cap, cap ? cap * 2 : 2, sizeof **files);
            cap = cap ? cap * 2 : 2;
        }
        cc_file_read_columns(arena, st, 0, &(*files)[(*count)++]);
    }
    sqlite3_reset(st);
    int rc = step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading files");
    for (size_t i = 0; i < *count && rc == 0; i++)
        rc = cc_stream_list(db, arena, (*files)[i].id, &(*files)[i].streams,
                            &(*files)[i].stream_count, err);
    return rc;
}

int cc_file_locate(cc_db *db, int64_t file_id, cc_file_location *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (!db->locate &&
        cc_prepare(db,
                   "SELECT id, path, root, size, mtime_ns, container, bit_rate, disc_title"
                   " FROM files WHERE id = ?1",
                   &db->locate, err) < 0)
        return CU_EDB;
    sqlite3_stmt *st = db->locate;
    sqlite3_bind_int64(st, 1, file_id);
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->path = cc_column_strdup(st, 1);
        out->root = cc_column_strdup(st, 2);
        out->size = sqlite3_column_int64(st, 3);
        out->mtime_ns = sqlite3_column_int64(st, 4);
        out->container = cc_column_strdup(st, 5);
        out->bit_rate = sqlite3_column_int64(st, 6);
        out->disc_title = sqlite3_column_int(st, 7);
    } else if (step == SQLITE_DONE) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no file with id %lld", (long long)file_id);
    } else {
        rc = cc_fail(db, err, "locating file");
    }
    sqlite3_reset(st); /* ends the read; the statement stays prepared */
    return rc;
}

void cc_file_location_clear(cc_file_location *loc)
{
    free(loc->path);
    free(loc->root);
    free(loc->container);
    memset(loc, 0, sizeof *loc);
}

int cc_file_film_counts(cc_db *db, int64_t film_id, int64_t *mains, int64_t *extras, cu_err *err)
{
    *mains = *extras = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT (SELECT count(*) FROM files WHERE film_id = ?1 AND role = 'main'"
                   "   AND probe_error IS NULL),"
                   " (SELECT count(*) FROM extras WHERE film_id = ?1)",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *mains = sqlite3_column_int64(st, 0);
        *extras = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "counting a film's files");
}

int cc_file_films_counts(cc_db *db, const int64_t *film_ids, size_t n, int64_t *mains,
                         int64_t *extras, cu_err *err)
{
    if (n > CC_FILE_COUNTS_MAX) {
        cu_err_set(err, CU_EINVAL, "too many films to count at once (%zu)", n);
        return CU_EINVAL;
    }
    for (size_t i = 0; i < n; i++)
        mains[i] = extras[i] = 0;
    if (n == 0)
        return 0;
    /* The page's ids as a table of (position, id), so each row lands in
     * its slot; the counts are cc_file_film_counts's, per row. */
    cu_buf sql = CU_BUF_INIT;
    cu_buf_puts(&sql, "WITH page(k, id) AS (VALUES ");
    for (size_t i = 0; i < n; i++)
        cu_buf_printf(&sql, "%s(%zu, ?)", i ? "," : "", i);
    cu_buf_puts(&sql, ") SELECT page.k,"
                      " (SELECT count(*) FROM files WHERE film_id = page.id AND role = 'main'"
                      "   AND probe_error IS NULL),"
                      " (SELECT count(*) FROM extras WHERE film_id = page.id) FROM page");
    sqlite3_stmt *st = NULL;
    int rc = cc_prepare(db, cu_buf_str(&sql), &st, err);
    cu_buf_free(&sql);
    if (rc < 0)
        return CU_EDB;
    for (size_t i = 0; i < n; i++)
        sqlite3_bind_int64(st, (int)i + 1, film_ids[i]);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t k = sqlite3_column_int64(st, 0);
        if (k >= 0 && (size_t)k < n) {
            mains[k] = sqlite3_column_int64(st, 1);
            extras[k] = sqlite3_column_int64(st, 2);
        }
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "counting films' files");
}
