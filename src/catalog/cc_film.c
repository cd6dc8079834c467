/* cc_film: film records with their files, streams and extras. */
#include "catalog/cc_film.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

int cc_film_list_ids(cc_db *db, int64_t **ids, size_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *ids = NULL;
    *count = 0;
    if (cc_prepare(db, "SELECT id FROM films ORDER BY coalesce(sort_title, title) COLLATE NOCASE, year, id",
                   &st, err) < 0)
        return CU_EDB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = cu_xreallocarray(*ids, cap, sizeof **ids);
        }
        (*ids)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *count = 0;
        return cc_fail(db, err, "listing films");
    }
    return 0;
}

static cm_stream_type stream_type_from_name(const char *t)
{
    if (!t)
        return CM_STREAM_DATA;
    if (!strcmp(t, "video"))
        return CM_STREAM_VIDEO;
    if (!strcmp(t, "audio"))
        return CM_STREAM_AUDIO;
    if (!strcmp(t, "subtitle"))
        return CM_STREAM_SUBTITLE;
    if (!strcmp(t, "attachment"))
        return CM_STREAM_ATTACHMENT;
    return CM_STREAM_DATA;
}

static void copy_col(sqlite3_stmt *st, int i, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    cu_strlcpy(dst, t ? (const char *)t : "", size);
}

static int load_streams(cc_db *db, cc_file *f, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT idx, type, codec, profile, width, height, frame_rate, bit_depth, pix_fmt,"
                   " hdr, attached_pic, channels, sample_rate, channel_layout, bit_rate, language,"
                   " title, is_default, is_forced, is_hearing_impaired"
                   " FROM streams WHERE file_id = ?1 ORDER BY idx",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, f->id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (f->stream_count == cap) {
            cap = cap ? cap * 2 : 4;
            f->streams = cu_xreallocarray(f->streams, cap, sizeof *f->streams);
        }
        cm_media_stream *s = &f->streams[f->stream_count++];
        memset(s, 0, sizeof *s);
        s->index = sqlite3_column_int(st, 0);
        s->type = stream_type_from_name((const char *)sqlite3_column_text(st, 1));
        copy_col(st, 2, s->codec, sizeof s->codec);
        copy_col(st, 3, s->profile, sizeof s->profile);
        s->width = sqlite3_column_int(st, 4);
        s->height = sqlite3_column_int(st, 5);
        s->frame_rate = sqlite3_column_double(st, 6);
        s->bit_depth = sqlite3_column_int(st, 7);
        copy_col(st, 8, s->pix_fmt, sizeof s->pix_fmt);
        copy_col(st, 9, s->hdr, sizeof s->hdr);
        s->attached_pic = sqlite3_column_int(st, 10) != 0;
        s->channels = sqlite3_column_int(st, 11);
        s->sample_rate = sqlite3_column_int(st, 12);
        copy_col(st, 13, s->channel_layout, sizeof s->channel_layout);
        s->bit_rate = sqlite3_column_int64(st, 14);
        copy_col(st, 15, s->language, sizeof s->language);
        copy_col(st, 16, s->title, sizeof s->title);
        s->is_default = sqlite3_column_int(st, 17) != 0;
        s->is_forced = sqlite3_column_int(st, 18) != 0;
        s->is_hearing_impaired = sqlite3_column_int(st, 19) != 0;
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading streams");
}

/* Columns 0..7 of a files row, as the queries below select them. */
#define FILE_COLUMNS "f.id, f.path, f.part, f.version, f.size, f.duration, f.container, f.probe_error"

static void read_file_columns(sqlite3_stmt *st, int first, cc_file *f)
{
    f->id = sqlite3_column_int64(st, first);
    f->path = cc_column_strdup(st, first + 1);
    f->part = sqlite3_column_int(st, first + 2);
    f->version = cc_column_strdup(st, first + 3);
    f->size = sqlite3_column_int64(st, first + 4);
    f->duration = sqlite3_column_double(st, first + 5);
    f->container = cc_column_strdup(st, first + 6);
    f->probe_error = cc_column_strdup(st, first + 7);
}

static void file_clear(cc_file *f)
{
    free(f->path);
    free(f->version);
    free(f->container);
    free(f->probe_error);
    free(f->streams);
}

static int load_terms(cc_db *db, int64_t film_id, const char *kind, cc_term_list *out, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT value FROM film_terms WHERE film_id = ?1 AND kind = ?2 ORDER BY value",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    int step;
    size_t cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 4;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        out->items[out->count++] = cc_column_strdup(st, 0);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading terms");
}

static void term_list_clear(cc_term_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
}

/* Credits, releases, terms, ratings and artwork of one film. */
static int load_details(cc_db *db, cc_film *film, cu_err *err)
{
    sqlite3_stmt *st;
    int step;
    size_t cap = 0;
    if (cc_prepare(db,
                   "SELECT c.person_id, p.name, c.job, c.character, c.billing, p.thumb"
                   " FROM credits c JOIN people p ON p.id = c.person_id WHERE c.film_id = ?1"
                   " ORDER BY CASE c.job WHEN 'director' THEN 0 WHEN 'writer' THEN 1"
                   " WHEN 'actor' THEN 3 ELSE 2 END, c.billing, c.rowid",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (film->credit_count == cap) {
            cap = cap ? cap * 2 : 8;
            film->credits = cu_xreallocarray(film->credits, cap, sizeof *film->credits);
        }
        cc_credit *c = &film->credits[film->credit_count++];
        c->person_id = sqlite3_column_int64(st, 0);
        c->name = cc_column_strdup(st, 1);
        c->job = cc_column_strdup(st, 2);
        c->character = cc_column_strdup(st, 3);
        c->billing = sqlite3_column_int(st, 4);
        c->thumb = cc_column_strdup(st, 5);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading credits");

    cap = 0;
    if (cc_prepare(db,
                   "SELECT type, date, country, event, section, distributor, format, note"
                   " FROM releases WHERE film_id = ?1 ORDER BY date IS NULL, date, id",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (film->release_count == cap) {
            cap = cap ? cap * 2 : 4;
            film->releases = cu_xreallocarray(film->releases, cap, sizeof *film->releases);
        }
        cc_release *r = &film->releases[film->release_count++];
        r->type = cc_column_strdup(st, 0);
        r->date = cc_column_strdup(st, 1);
        r->country = cc_column_strdup(st, 2);
        r->event = cc_column_strdup(st, 3);
        r->section = cc_column_strdup(st, 4);
        r->distributor = cc_column_strdup(st, 5);
        r->format = cc_column_strdup(st, 6);
        r->note = cc_column_strdup(st, 7);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading releases");

    cap = 0;
    if (cc_prepare(db, "SELECT source, value, max, votes FROM ratings WHERE film_id = ?1 ORDER BY rowid",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (film->rating_count == cap) {
            cap = cap ? cap * 2 : 2;
            film->ratings = cu_xreallocarray(film->ratings, cap, sizeof *film->ratings);
        }
        cc_rating *r = &film->ratings[film->rating_count++];
        r->source = cc_column_strdup(st, 0);
        r->value = sqlite3_column_double(st, 1);
        r->max = sqlite3_column_double(st, 2);
        r->votes = sqlite3_column_int(st, 3);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading ratings");

    if (cc_prepare(db, "SELECT kind, path, generated FROM artwork WHERE film_id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        if (kind && !strcmp(kind, "poster") && !film->poster) {
            film->poster = cc_column_strdup(st, 1);
            film->poster_generated = sqlite3_column_int(st, 2);
        } else if (kind && !strcmp(kind, "backdrop") && !film->backdrop) {
            film->backdrop = cc_column_strdup(st, 1);
        }
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading artwork");

    if (load_terms(db, film->id, "genre", &film->genres, err) < 0 ||
        load_terms(db, film->id, "country", &film->countries, err) < 0 ||
        load_terms(db, film->id, "studio", &film->studios, err) < 0 ||
        load_terms(db, film->id, "tag", &film->tags, err) < 0)
        return CU_EDB;
    return 0;
}

int cc_film_get(cc_db *db, int64_t id, cc_film **out, cu_err *err)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    cc_film *film = cu_xcalloc(1, sizeof *film);
    if (cc_prepare(db,
                   "SELECT id, title, original_title, year, tmdb_id, imdb_id, added_at,"
                   " sort_title, plot, outline, tagline, runtime, premiered, mpaa, set_name,"
                   " set_overview, metadata_source"
                   " FROM films WHERE id = ?1",
                   &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW) {
        if (step == SQLITE_DONE)
            cu_err_set(err, CU_ENOTFOUND, "no film with id %lld", (long long)id);
        else
            cc_fail(db, err, "reading film");
        goto fail;
    }
    film->id = sqlite3_column_int64(st, 0);
    film->title = cc_column_strdup(st, 1);
    film->original_title = cc_column_strdup(st, 2);
    film->year = sqlite3_column_int(st, 3);
    film->tmdb_id = cc_column_strdup(st, 4);
    film->imdb_id = cc_column_strdup(st, 5);
    film->added_at = sqlite3_column_int64(st, 6);
    film->sort_title = cc_column_strdup(st, 7);
    film->plot = cc_column_strdup(st, 8);
    film->outline = cc_column_strdup(st, 9);
    film->tagline = cc_column_strdup(st, 10);
    film->runtime = sqlite3_column_int(st, 11);
    film->premiered = cc_column_strdup(st, 12);
    film->mpaa = cc_column_strdup(st, 13);
    film->set_name = cc_column_strdup(st, 14);
    film->set_overview = cc_column_strdup(st, 15);
    film->metadata_source = cc_column_strdup(st, 16);
    sqlite3_finalize(st);
    st = NULL;
    if (load_details(db, film, err) < 0)
        goto fail;

    if (cc_prepare(db,
                   "SELECT " FILE_COLUMNS " FROM files f WHERE f.film_id = ?1 AND f.role = 'main'"
                   " ORDER BY f.version IS NOT NULL, f.version COLLATE NOCASE, f.part, f.path",
                   &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    size_t cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (film->file_count == cap) {
            cap = cap ? cap * 2 : 2;
            film->files = cu_xreallocarray(film->files, cap, sizeof *film->files);
        }
        cc_file *f = &film->files[film->file_count++];
        memset(f, 0, sizeof *f);
        read_file_columns(st, 0, f);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "reading files");
        goto fail;
    }
    for (size_t i = 0; i < film->file_count; i++)
        if (load_streams(db, &film->files[i], err) < 0)
            goto fail;

    if (cc_prepare(db,
                   "SELECT e.id, e.type, e.title, e.plot, " FILE_COLUMNS
                   " FROM extras e JOIN files f ON f.id = e.file_id WHERE e.film_id = ?1"
                   " ORDER BY e.type, e.title COLLATE NOCASE, f.path",
                   &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (film->extra_count == cap) {
            cap = cap ? cap * 2 : 4;
            film->extras = cu_xreallocarray(film->extras, cap, sizeof *film->extras);
        }
        cc_extra *e = &film->extras[film->extra_count++];
        memset(e, 0, sizeof *e);
        e->id = sqlite3_column_int64(st, 0);
        e->type = cc_column_strdup(st, 1);
        e->title = cc_column_strdup(st, 2);
        e->plot = cc_column_strdup(st, 3);
        read_file_columns(st, 4, &e->file);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "reading extras");
        goto fail;
    }
    for (size_t i = 0; i < film->extra_count; i++)
        if (load_streams(db, &film->extras[i].file, err) < 0)
            goto fail;
    *out = film;
    return 0;
fail:
    sqlite3_finalize(st);
    cc_film_free(film);
    return err && err->code ? err->code : CU_EDB;
}

void cc_film_free(cc_film *film)
{
    if (!film)
        return;
    for (size_t i = 0; i < film->file_count; i++)
        file_clear(&film->files[i]);
    for (size_t i = 0; i < film->extra_count; i++) {
        free(film->extras[i].type);
        free(film->extras[i].title);
        free(film->extras[i].plot);
        file_clear(&film->extras[i].file);
    }
    free(film->files);
    free(film->extras);
    free(film->title);
    free(film->original_title);
    free(film->tmdb_id);
    free(film->imdb_id);
    free(film->sort_title);
    free(film->plot);
    free(film->outline);
    free(film->tagline);
    free(film->premiered);
    free(film->mpaa);
    free(film->set_name);
    free(film->set_overview);
    free(film->metadata_source);
    free(film->poster);
    free(film->backdrop);
    for (size_t i = 0; i < film->credit_count; i++) {
        cc_credit *c = &film->credits[i];
        free(c->name);
        free(c->job);
        free(c->character);
        free(c->thumb);
    }
    free(film->credits);
    for (size_t i = 0; i < film->release_count; i++) {
        cc_release *r = &film->releases[i];
        free(r->type);
        free(r->date);
        free(r->country);
        free(r->event);
        free(r->section);
        free(r->distributor);
        free(r->format);
        free(r->note);
    }
    free(film->releases);
    for (size_t i = 0; i < film->rating_count; i++)
        free(film->ratings[i].source);
    free(film->ratings);
    term_list_clear(&film->genres);
    term_list_clear(&film->countries);
    term_list_clear(&film->studios);
    term_list_clear(&film->tags);
    free(film);
}

static int64_t count_query(cc_db *db, const char *sql, int *rc, cu_err *err)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    if (cc_prepare(db, sql, &st, err) < 0) {
        *rc = CU_EDB;
        return 0;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        *rc = cc_fail(db, err, "counting");
    sqlite3_finalize(st);
    return n;
}

int cc_counts_get(cc_db *db, cc_counts *out, cu_err *err)
{
    int rc = 0;
    out->films = count_query(db, "SELECT count(*) FROM films", &rc, err);
    out->extras = count_query(db, "SELECT count(*) FROM extras", &rc, err);
    out->files = count_query(db, "SELECT count(*) FROM files", &rc, err);
    out->failed_files = count_query(db, "SELECT count(*) FROM files WHERE probe_error IS NOT NULL", &rc, err);
    out->people = count_query(db, "SELECT count(*) FROM people", &rc, err);
    return rc;
}

int cc_scan_error_each(cc_db *db, int (*fn)(const char *path, const char *kind,
                                            const char *message, void *user),
                       void *user, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT path, kind, message FROM scan_errors ORDER BY at DESC, path", &st, err) < 0)
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

int cc_file_locate(cc_db *db, int64_t file_id, cc_file_location *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (!db->locate &&
        cc_prepare(db, "SELECT id, path, root, size, mtime_ns, container FROM files WHERE id = ?1",
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

int cc_extra_film_id(cc_db *db, int64_t extra_id, int64_t *film_id, cu_err *err)
{
    sqlite3_stmt *st;
    *film_id = 0;
    if (cc_prepare(db, "SELECT film_id FROM extras WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, extra_id);
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW)
        *film_id = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        rc = cu_err_set(err, CU_ENOTFOUND, "no extra with id %lld", (long long)extra_id);
    else
        rc = cc_fail(db, err, "reading extra");
    sqlite3_finalize(st);
    return rc;
}
