/* cc_file: recording what the scanner found (files, streams, extras,
 * films by key, scan errors). */
#include "catalog/cc_file.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_search_index.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdlib.h>
#include <string.h>

/* SQL fragment: `col` is root itself or lies beneath it (bound as ?N). */
#define UNDER_ROOT(col, n) "(" col " = ?" #n " OR substr(" col ", 1, length(?" #n ") + 1) = ?" #n " || '/')"

int cc_file_each_known(cc_db *db, const char *root,
                       int (*fn)(const cc_known_file *file, void *user), void *user,
                       cu_err *err)
{
    sqlite3_stmt *st;
    int rc = 0;
    if (cc_prepare(db,
                   "SELECT id, path, size, mtime_ns, fingerprint, film_id, probe_error IS NOT NULL,"
                   " role = 'extra', part, version FROM files WHERE " UNDER_ROOT("path", 1),
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

static const char *stream_type_name(cm_stream_type t)
{
    switch (t) {
    case CM_STREAM_VIDEO: return "video";
    case CM_STREAM_AUDIO: return "audio";
    case CM_STREAM_SUBTITLE: return "subtitle";
    case CM_STREAM_ATTACHMENT: return "attachment";
    default: return "data";
    }
}

static int put_streams(cc_db *db, int64_t id, const cm_media_info *info, cu_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;
    {
        sqlite3_stmt *del;
        if (cc_prepare(db, "DELETE FROM streams WHERE file_id = ?1", &del, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(del, 1, id);
        int s = sqlite3_step(del);
        sqlite3_finalize(del);
        if (s != SQLITE_DONE)
            return cc_fail(db, err, "clearing streams");
        if (cc_prepare(db, "DELETE FROM chapters WHERE file_id = ?1", &del, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(del, 1, id);
        s = sqlite3_step(del);
        sqlite3_finalize(del);
        if (s != SQLITE_DONE)
            return cc_fail(db, err, "clearing chapters");
    }
    if (!info)
        return 0;
    if (cc_prepare(db,
                   "INSERT INTO streams (file_id, idx, type, codec, profile, width, height,"
                   " frame_rate, bit_depth, pix_fmt, hdr, attached_pic, channels, sample_rate,"
                   " channel_layout, bit_rate, language, title, is_default, is_forced,"
                   " is_hearing_impaired) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
                   "?14,?15,?16,?17,?18,?19,?20,?21)",
                   &st, err) < 0)
        return CU_EDB;
    for (size_t i = 0; i < info->stream_count; i++) {
        const cm_media_stream *s = &info->streams[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, s->index);
        sqlite3_bind_text(st, 3, stream_type_name(s->type), -1, SQLITE_STATIC);
        cc_bind_text_or_null(st, 4, s->codec);
        cc_bind_text_or_null(st, 5, s->profile);
        bool video = s->type == CM_STREAM_VIDEO, audio = s->type == CM_STREAM_AUDIO;
        if (video) {
            sqlite3_bind_int(st, 6, s->width);
            sqlite3_bind_int(st, 7, s->height);
            sqlite3_bind_double(st, 8, s->frame_rate);
            sqlite3_bind_int(st, 9, s->bit_depth);
        } else {
            for (int c = 6; c <= 9; c++)
                sqlite3_bind_null(st, c);
        }
        cc_bind_text_or_null(st, 10, video ? s->pix_fmt : NULL);
        cc_bind_text_or_null(st, 11, video ? s->hdr : NULL);
        sqlite3_bind_int(st, 12, s->attached_pic);
        if (audio) {
            sqlite3_bind_int(st, 13, s->channels);
            sqlite3_bind_int(st, 14, s->sample_rate);
        } else {
            sqlite3_bind_null(st, 13);
            sqlite3_bind_null(st, 14);
        }
        cc_bind_text_or_null(st, 15, audio ? s->channel_layout : NULL);
        sqlite3_bind_int64(st, 16, s->bit_rate);
        cc_bind_text_or_null(st, 17, s->language);
        cc_bind_text_or_null(st, 18, s->title);
        sqlite3_bind_int(st, 19, s->is_default);
        sqlite3_bind_int(st, 20, s->is_forced);
        sqlite3_bind_int(st, 21, s->is_hearing_impaired);
        if (sqlite3_step(st) != SQLITE_DONE) {
            cc_fail(db, err, "saving streams");
            goto done;
        }
    }
    sqlite3_finalize(st);
    if (cc_prepare(db, "INSERT INTO chapters (file_id, idx, start, end, title) VALUES (?1,?2,?3,?4,?5)",
                   &st, err) < 0)
        return CU_EDB;
    for (size_t i = 0; i < info->chapter_count; i++) {
        const cm_media_chapter *c = &info->chapters[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, (int)i);
        sqlite3_bind_double(st, 3, c->start);
        sqlite3_bind_double(st, 4, c->end);
        cc_bind_text_or_null(st, 5, c->title);
        if (sqlite3_step(st) != SQLITE_DONE) {
            cc_fail(db, err, "saving chapters");
            goto done;
        }
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    return rc;
}

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
    if (now->id && old->id == now->id && old->film_id == now->film_id && old->title &&
        now->title && !strcmp(old->title, now->title))
        return 0;
    if (old->id && old->id != now->id && cc_search_forget_extra(db, old->id, err) < 0)
        return CU_EDB;
    if (now->id && cc_search_index_extra(db, now->id, err) < 0)
        return CU_EDB;
    if (old->id && old->film_id != now->film_id && cc_search_index_film(db, old->film_id, err) < 0)
        return CU_EDB;
    if (now->id && cc_search_index_film(db, now->film_id, err) < 0)
        return CU_EDB;
    return 0;
}

static int put_extra(cc_db *db, int64_t file_id, const cc_file_place *place, cu_err *err)
{
    sqlite3_stmt *st;
    extra_row old, now = {0};
    int rc = CU_EDB;
    if (file_extra(db, file_id, &old, err) < 0)
        return CU_EDB;
    if (place->is_extra) {
        if (cc_prepare(db,
                       "INSERT INTO extras (film_id, file_id, type, title) VALUES (?1, ?2, ?3, ?4) "
                       "ON CONFLICT(file_id) DO UPDATE SET film_id = excluded.film_id,"
                       " type = excluded.type,"
                       " title = CASE WHEN extras.plot IS NULL THEN excluded.title ELSE extras.title END"
                       " RETURNING id, film_id, title",
                       &st, err) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, place->film_id);
        sqlite3_bind_int64(st, 2, file_id);
        sqlite3_bind_text(st, 3, place->extra_type ? place->extra_type : "other", -1, SQLITE_STATIC);
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

int cc_file_put(cc_db *db, const cc_file_place *place, int64_t size, int64_t mtime_ns,
                const char *fingerprint, const cm_media_info *info, const char *probe_error,
                int64_t *id, cu_err *err)
{
    sqlite3_stmt *st;
    int64_t now = cu_time_now();
    if (cc_prepare(db,
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
                   " RETURNING id",
                   &st, err) < 0)
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
    sqlite3_finalize(st);
    if (step != SQLITE_DONE || file_id == 0)
        return cc_fail(db, err, "saving file");
    if (put_streams(db, file_id, info, err) < 0 || put_extra(db, file_id, place, err) < 0)
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
    return put_extra(db, id, place, err);
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
    /* An extra's row goes with its file (cascade): unindex it first. */
    extra_row old, none = {0};
    if (file_extra(db, id, &old, err) < 0)
        return CU_EDB;
    int rc = cc_exec_id(db, "DELETE FROM files WHERE id = ?1", id, err, "removing file");
    if (rc == 0 && old.id)
        rc = reindex_extra(db, &old, &none, err);
    free(old.title);
    return rc;
}

int cc_film_each_key(cc_db *db, const char *root,
                     int (*fn)(const cc_known_film *film, void *user), void *user, cu_err *err)
{
    sqlite3_stmt *st;
    int rc = 0, step;
    if (cc_prepare(db,
                   "SELECT f.id, f.key, f.metadata_source, f.metadata_path, f.metadata_mtime,"
                   " p.path, p.generated, b.path FROM films f"
                   " LEFT JOIN artwork p ON p.film_id = f.id AND p.kind = 'poster'"
                   " LEFT JOIN artwork b ON b.film_id = f.id AND b.kind = 'backdrop'"
                   " WHERE " UNDER_ROOT("f.key", 1),
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cc_known_film film = {
            .id = sqlite3_column_int64(st, 0),
            .key = (const char *)sqlite3_column_text(st, 1),
            .metadata_source = (const char *)sqlite3_column_text(st, 2),
            .metadata_path = (const char *)sqlite3_column_text(st, 3),
            .metadata_mtime = sqlite3_column_int64(st, 4),
            .poster = (const char *)sqlite3_column_text(st, 5),
            .poster_generated = sqlite3_column_int(st, 6) != 0,
            .backdrop = (const char *)sqlite3_column_text(st, 7),
        };
        rc = fn(&film, user);
        if (rc)
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = cc_fail(db, err, "listing films");
    sqlite3_finalize(st);
    return rc;
}

int cc_film_find_key(cc_db *db, const char *key, int64_t *film_id, cu_err *err)
{
    sqlite3_stmt *st;
    *film_id = 0;
    if (cc_prepare(db, "SELECT id FROM films WHERE key = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *film_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : cc_fail(db, err, "finding film");
}

int cc_film_ensure(cc_db *db, const char *key, const cc_film_names *names, int64_t *film_id,
                   cu_err *err)
{
    sqlite3_stmt *st;
    int64_t now = cu_time_now();
    /* Names from the file system only replace names that came from there. */
    if (cc_prepare(db,
                   "INSERT INTO films (key, title, year, tmdb_id, imdb_id, added_at, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                   " ON CONFLICT(key) DO UPDATE SET"
                   "  title = CASE WHEN metadata_source = 'name' THEN excluded.title ELSE title END,"
                   "  year = CASE WHEN metadata_source = 'name' THEN excluded.year ELSE year END,"
                   "  tmdb_id = coalesce(tmdb_id, excluded.tmdb_id),"
                   "  imdb_id = coalesce(imdb_id, excluded.imdb_id),"
                   "  updated_at = CASE WHEN metadata_source = 'name' AND (title IS NOT excluded.title"
                   "    OR year IS NOT excluded.year) THEN excluded.updated_at ELSE updated_at END"
                   " RETURNING id, updated_at = ?6",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, names->title && *names->title ? names->title : "Untitled", -1,
                      SQLITE_STATIC);
    if (names->year > 0)
        sqlite3_bind_int(st, 3, names->year);
    else
        sqlite3_bind_null(st, 3);
    cc_bind_text_or_null(st, 4, names->tmdb_id);
    cc_bind_text_or_null(st, 5, names->imdb_id);
    sqlite3_bind_int64(st, 6, now);
    int step = sqlite3_step(st);
    *film_id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    /* New, or its names changed now (or earlier in this second: reindexing
     * an unchanged film is harmless). */
    bool changed = step == SQLITE_ROW && sqlite3_column_int(st, 1);
    if (step == SQLITE_ROW)
        step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE || *film_id == 0)
        return cc_fail(db, err, "saving film");
    return changed ? cc_search_index_film(db, *film_id, err) : 0;
}

int cc_film_rekey(cc_db *db, int64_t film_id, const char *key, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE films SET key = ?1 WHERE id = ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, film_id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "renaming film key");
}

int cc_film_prune(cc_db *db, const char *root, int *removed, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT id FROM films WHERE " UNDER_ROOT("key", 1)
                   " AND NOT EXISTS (SELECT 1 FROM files WHERE files.film_id = films.id"
                   " AND files.role = 'main')",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    int64_t *ids;
    size_t count;
    int rc = cc_step_ids(db, st, &ids, &count, err, "pruning films");
    /* Unindexed before the delete, while its extras are still there. */
    for (size_t i = 0; i < count && rc == 0; i++) {
        rc = cc_search_forget_film(db, ids[i], err);
        if (rc == 0)
            rc = cc_exec_id(db, "DELETE FROM films WHERE id = ?1", ids[i], err, "pruning films");
    }
    free(ids);
    if (rc == 0 && removed)
        *removed = (int)count;
    return rc;
}

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
