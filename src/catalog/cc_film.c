/* cc_film: films: created by the scanner from their names, described by
 * metadata (an .nfo or container tags: synopsis, credits, releases, terms,
 * ratings), and read back whole with their files, extras and artwork.
 * Metadata writes replace a film's metadata as a whole, so a rescan of a
 * changed .nfo never leaves stale credits behind. */
#include "catalog/cc_film.h"
#include "catalog/cc_shelf.h"
#include "catalog/cc_edition.h"
#include "catalog/cc_artwork.h"
#include "catalog/cc_extra.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_person.h"
#include "catalog/cc_search_index.h"
#include "util/cu_arena.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cc_film_list_ids(cc_db *db, int64_t **ids, size_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *ids = NULL;
    *count = 0;
    if (cc_prepare(
            db,
            "SELECT id FROM films ORDER BY coalesce(sort_title, title) COLLATE NOCASE, year, id",
            &st, err) < 0)
        return CU_EDB;
    return cc_ids_read(db, st, ids, count, "listing films", err);
}

int cc_ids_read(cc_db *db, sqlite3_stmt *st, int64_t **ids, size_t *count, const char *what,
                cu_err *err)
{
    *ids = NULL;
    *count = 0;
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
        return cc_fail(db, err, what);
    }
    return 0;
}

static int load_terms(cc_db *db, cc_film *film, const char *kind, cc_term_list *out, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare_kept(
            db, "SELECT value FROM film_terms WHERE film_id = ?1 AND kind = ?2 ORDER BY value", &st,
            err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        cc_film_add_term(film, out, (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading terms");
}

/* Credits, releases, terms, ratings and artwork of one film. */
static int load_details(cc_db *db, cc_film *film, cu_err *err)
{
    sqlite3_stmt *st;
    int step;
    if (cc_prepare_kept(db,
                        "SELECT c.person_id, p.name, c.job, c.character, c.billing, p.thumb"
                        " FROM credits c JOIN people p ON p.id = c.person_id WHERE c.film_id = ?1"
                        " ORDER BY CASE c.job WHEN 'director' THEN 0 WHEN 'writer' THEN 1"
                        " WHEN 'actor' THEN 3 ELSE 2 END, c.billing, c.rowid",
                        &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cc_credit *c = cc_film_add_credit(film);
        c->person_id = sqlite3_column_int64(st, 0);
        c->name = cc_column_adup(film->arena, st, 1);
        c->job = cc_column_adup(film->arena, st, 2);
        c->character = cc_column_adup(film->arena, st, 3);
        c->billing = sqlite3_column_int(st, 4);
        c->thumb = cc_column_adup(film->arena, st, 5);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading credits");

    if (cc_prepare_kept(db,
                        "SELECT type, date, country, event, section, distributor, format, note"
                        " FROM releases WHERE film_id = ?1 ORDER BY date IS NULL, date, id",
                        &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cc_release *r = cc_film_add_release(film);
        r->type = cc_column_adup(film->arena, st, 0);
        r->date = cc_column_adup(film->arena, st, 1);
        r->country = cc_column_adup(film->arena, st, 2);
        r->event = cc_column_adup(film->arena, st, 3);
        r->section = cc_column_adup(film->arena, st, 4);
        r->distributor = cc_column_adup(film->arena, st, 5);
        r->format = cc_column_adup(film->arena, st, 6);
        r->note = cc_column_adup(film->arena, st, 7);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading releases");

    if (cc_prepare_kept(
            db, "SELECT source, value, max, votes FROM ratings WHERE film_id = ?1 ORDER BY rowid",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film->id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cc_rating *r = cc_film_add_rating(film);
        r->source = cc_column_adup(film->arena, st, 0);
        r->value = sqlite3_column_double(st, 1);
        r->max = sqlite3_column_double(st, 2);
        r->votes = sqlite3_column_int(st, 3);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading ratings");

    if (cc_artwork_get(db, film->arena, film->id, "poster", &film->poster, &film->poster_generated,
                       err) < 0 ||
        cc_artwork_get(db, film->arena, film->id, "backdrop", &film->backdrop, NULL, err) < 0)
        return CU_EDB;

    if (load_terms(db, film, "genre", &film->genres, err) < 0 ||
        load_terms(db, film, "country", &film->countries, err) < 0 ||
        load_terms(db, film, "studio", &film->studios, err) < 0 ||
        load_terms(db, film, "tag", &film->tags, err) < 0 ||
        load_terms(db, film, "language", &film->languages, err) < 0)
        return CU_EDB;
    return 0;
}

int cc_film_get(cc_db *db, int64_t id, cc_film **out, cu_err *err)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    cc_film *film = cc_film_new();
    if (cc_prepare_kept(db,
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
    film->title = cc_column_adup(film->arena, st, 1);
    film->original_title = cc_column_adup(film->arena, st, 2);
    film->year = sqlite3_column_int(st, 3);
    film->tmdb_id = cc_column_adup(film->arena, st, 4);
    film->imdb_id = cc_column_adup(film->arena, st, 5);
    film->added_at = sqlite3_column_int64(st, 6);
    film->sort_title = cc_column_adup(film->arena, st, 7);
    film->plot = cc_column_adup(film->arena, st, 8);
    film->outline = cc_column_adup(film->arena, st, 9);
    film->tagline = cc_column_adup(film->arena, st, 10);
    film->runtime = sqlite3_column_int(st, 11);
    film->premiered = cc_column_adup(film->arena, st, 12);
    film->mpaa = cc_column_adup(film->arena, st, 13);
    film->set_name = cc_column_adup(film->arena, st, 14);
    film->set_overview = cc_column_adup(film->arena, st, 15);
    film->metadata_source = cc_column_adup(film->arena, st, 16);
    sqlite3_reset(st);
    st = NULL;
    if (load_details(db, film, err) < 0)
        goto fail;

    if (cc_file_list_main(db, film->arena, id, &film->files, &film->file_count, err) < 0 ||
        cc_extra_list_for_film(db, film->arena, id, &film->extras, &film->extra_count, err) < 0 ||
        cc_edition_list(db, film->arena, id, &film->editions, &film->edition_count, err) < 0)
        goto fail;
    *out = film;
    return 0;
fail:
    sqlite3_reset(st);
    cc_film_free(film);
    return err && err->code ? err->code : CU_EDB;
}

cc_film *cc_film_new(void)
{
    cu_arena *arena = cu_arena_new();
    cc_film *film = cu_arena_alloc(arena, sizeof *film);
    film->arena = arena;
    return film;
}

void cc_film_free(cc_film *film)
{
    if (film)
        cu_arena_free(film->arena); /* the film itself is in it */
}

char *cc_film_strdup(cc_film *film, const char *s)
{
    return cu_arena_strdup(film->arena, s);
}

/* Appends one zeroed element to an arena array of *count (capacity: the
 * next power of two, so growth needs no separate field). */
static void *append(cc_film *film, void *items, size_t *count, size_t size)
{
    size_t n = *count;
    if (n == 0 || (n & (n - 1)) == 0)
        items = cu_arena_grow(film->arena, items, n, n ? n * 2 : 1, size);
    (*count)++;
    return items;
}

cc_credit *cc_film_add_credit(cc_film *film)
{
    film->credits = append(film, film->credits, &film->credit_count, sizeof *film->credits);
    return &film->credits[film->credit_count - 1];
}

cc_release *cc_film_add_release(cc_film *film)
{
    film->releases = append(film, film->releases, &film->release_count, sizeof *film->releases);
    return &film->releases[film->release_count - 1];
}

cc_rating *cc_film_add_rating(cc_film *film)
{
    film->ratings = append(film, film->ratings, &film->rating_count, sizeof *film->ratings);
    return &film->ratings[film->rating_count - 1];
}

void cc_film_add_term(cc_film *film, cc_term_list *list, const char *value)
{
    list->items = append(film, list->items, &list->count, sizeof *list->items);
    list->items[list->count - 1] = cu_arena_strdup(film->arena, value ? value : "");
}

int cc_film_each_key(cc_db *db, const char *root, int (*fn)(const cc_known_film *film, void *user),
                     void *user, cu_err *err)
{
    sqlite3_stmt *st;
    int rc = 0, step;
    if (cc_prepare(db,
                   "SELECT f.id, f.key, f.metadata_source, f.metadata_path, f.metadata_mtime,"
                   " p.path, p.generated, b.path FROM films f"
                   " LEFT JOIN artwork p ON p.film_id = f.id AND p.kind = 'poster'"
                   " LEFT JOIN artwork b ON b.film_id = f.id AND b.kind = 'backdrop'"
                   " WHERE " CC_UNDER_ROOT("f.key", 1),
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

/* Kept prepared (cc_prepare_kept): a scan saves every film with it. */
static const char film_ensure_sql[] =
    "INSERT INTO films (key, title, year, tmdb_id, imdb_id, added_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
    " ON CONFLICT(key) DO UPDATE SET"
    "  title = CASE WHEN metadata_source = 'name' THEN excluded.title ELSE title END,"
    "  year = CASE WHEN metadata_source = 'name' THEN excluded.year ELSE year END,"
    "  tmdb_id = coalesce(tmdb_id, excluded.tmdb_id),"
    "  imdb_id = coalesce(imdb_id, excluded.imdb_id),"
    "  updated_at = CASE WHEN metadata_source = 'name' AND (title IS NOT excluded.title"
    "    OR year IS NOT excluded.year) THEN excluded.updated_at ELSE updated_at END"
    " RETURNING id, updated_at = ?6";

int cc_film_ensure(cc_db *db, const char *key, const cc_film_names *names, int64_t *film_id,
                   cu_err *err)
{
    sqlite3_stmt *st;
    int64_t now = cu_time_now();
    /* Names from the file system only replace names that came from there. */
    if (cc_prepare_kept(db, film_ensure_sql, &st, err) < 0)
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
    sqlite3_reset(st);
    if (step != SQLITE_DONE || *film_id == 0)
        return cc_fail(db, err, "saving film");
    if (changed && cc_shelf_update(db, *film_id, err) < 0)
        return CU_EDB;
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
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "renaming film key");
    return cc_shelf_update(db, film_id, err); /* a folder's Collections/<Name>/ may differ */
}

int cc_film_prune(cc_db *db, const char *root, int *removed, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(
            db,
            "SELECT id FROM films WHERE " CC_UNDER_ROOT(
                "key", 1) " AND NOT EXISTS (SELECT 1 FROM files WHERE files.film_id = films.id"
                          " AND files.role = 'main')",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    int64_t *ids;
    size_t count;
    int rc = cc_step_ids(db, st, &ids, &count, err, "pruning films");
    /* Unindexed before the delete, while its extras are still there. */
    for (size_t i = 0; i < count && rc == 0; i++) {
        rc = cc_search_index_forget_film(db, ids[i], err);
        if (rc == 0)
            rc = cc_exec_id(db, "DELETE FROM films WHERE id = ?1", ids[i], err, "pruning films");
    }
    free(ids);
    if (rc == 0 && removed)
        *removed = (int)count;
    return rc;
}

static int delete_for_film(cc_db *db, const char *table, int64_t film_id, cu_err *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE film_id = ?1", table);
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    return cc_step_done(db, st, err, table);
}

static int save_credits(cc_db *db, int64_t film_id, const cc_film *m, cu_err *err)
{
    for (size_t i = 0; i < m->credit_count; i++) {
        const cc_credit *c = &m->credits[i];
        if (!c->name || !*c->name || !c->job || !*c->job)
            continue;
        int64_t pid;
        if (cc_person_ensure(db, c->name, c->thumb, &pid, err) < 0)
            return CU_EDB;
        sqlite3_stmt *st;
        if (cc_prepare(db,
                       "INSERT INTO credits (film_id, person_id, job, character, billing)"
                       " VALUES (?1, ?2, ?3, ?4, ?5)",
                       &st, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(st, 1, film_id);
        sqlite3_bind_int64(st, 2, pid);
        sqlite3_bind_text(st, 3, c->job, -1, SQLITE_STATIC);
        cc_bind_text_or_null(st, 4, c->character);
        sqlite3_bind_int(st, 5, c->billing);
        if (cc_step_done(db, st, err, "saving credit") < 0)
            return CU_EDB;
    }
    return 0;
}

static int save_releases(cc_db *db, int64_t film_id, const cc_film *m, cu_err *err)
{
    for (size_t i = 0; i < m->release_count; i++) {
        const cc_release *r = &m->releases[i];
        if (!r->type || !*r->type)
            continue;
        sqlite3_stmt *st;
        if (cc_prepare(db,
                       "INSERT INTO releases (film_id, type, date, country, event, section,"
                       " distributor, format, note) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                       &st, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(st, 1, film_id);
        sqlite3_bind_text(st, 2, r->type, -1, SQLITE_STATIC);
        cc_bind_text_or_null(st, 3, r->date);
        cc_bind_text_or_null(st, 4, r->country);
        cc_bind_text_or_null(st, 5, r->event);
        cc_bind_text_or_null(st, 6, r->section);
        cc_bind_text_or_null(st, 7, r->distributor);
        cc_bind_text_or_null(st, 8, r->format);
        cc_bind_text_or_null(st, 9, r->note);
        if (cc_step_done(db, st, err, "saving release") < 0)
            return CU_EDB;
    }
    return 0;
}

static int save_terms_and_ratings(cc_db *db, int64_t film_id, const cc_film *m, cu_err *err)
{
    sqlite3_stmt *st;
    const struct {
        const char *kind;
        const cc_term_list *list;
    } kinds[] = {{"genre", &m->genres},
                 {"country", &m->countries},
                 {"studio", &m->studios},
                 {"tag", &m->tags},
                 {"language", &m->languages}};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        for (size_t i = 0; i < kinds[k].list->count; i++) {
            const char *value = kinds[k].list->items[i];
            if (!value || !*value)
                continue;
            if (cc_prepare(
                    db, "INSERT OR IGNORE INTO film_terms (film_id, kind, value) VALUES (?1,?2,?3)",
                    &st, err) < 0)
                return CU_EDB;
            sqlite3_bind_int64(st, 1, film_id);
            sqlite3_bind_text(st, 2, kinds[k].kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
            if (cc_step_done(db, st, err, "saving term") < 0)
                return CU_EDB;
        }
    }
    for (size_t i = 0; i < m->rating_count; i++) {
        const cc_rating *r = &m->ratings[i];
        if (cc_prepare(
                db,
                "INSERT INTO ratings (film_id, source, value, votes, max) VALUES (?1,?2,?3,?4,?5)",
                &st, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(st, 1, film_id);
        sqlite3_bind_text(st, 2, r->source && *r->source ? r->source : "default", -1,
                          SQLITE_STATIC);
        sqlite3_bind_double(st, 3, r->value);
        sqlite3_bind_int(st, 4, r->votes);
        sqlite3_bind_double(st, 5, r->max > 0 ? r->max : 10);
        if (cc_step_done(db, st, err, "saving rating") < 0)
            return CU_EDB;
    }
    return 0;
}

static int clear_related(cc_db *db, int64_t film_id, cu_err *err)
{
    static const char *const tables[] = {"credits", "releases", "film_terms", "ratings"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        if (delete_for_film(db, tables[i], film_id, err) < 0)
            return CU_EDB;
    return 0;
}

int cc_film_set_meta(cc_db *db, int64_t film_id, const cc_film *m, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "UPDATE films SET metadata_source = ?2, title = coalesce(?3, title),"
                   " original_title = ?4, sort_title = ?5,"
                   " year = CASE WHEN ?6 > 0 THEN ?6 ELSE year END,"
                   " plot = ?7, outline = ?8, tagline = ?9, runtime = ?10, premiered = ?11,"
                   " mpaa = ?12, set_name = ?13, set_overview = ?14,"
                   " tmdb_id = coalesce(?15, tmdb_id), imdb_id = coalesce(?16, imdb_id),"
                   " updated_at = ?17 WHERE id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_text(st, 2, m->metadata_source ? m->metadata_source : "nfo", -1, SQLITE_STATIC);
    cc_bind_text_or_null(st, 3, m->title);
    cc_bind_text_or_null(st, 4, m->original_title);
    cc_bind_text_or_null(st, 5, m->sort_title);
    sqlite3_bind_int(st, 6, m->year);
    cc_bind_text_or_null(st, 7, m->plot);
    cc_bind_text_or_null(st, 8, m->outline);
    cc_bind_text_or_null(st, 9, m->tagline);
    if (m->runtime > 0)
        sqlite3_bind_int(st, 10, m->runtime);
    else
        sqlite3_bind_null(st, 10);
    cc_bind_text_or_null(st, 11, m->premiered);
    cc_bind_text_or_null(st, 12, m->mpaa);
    cc_bind_text_or_null(st, 13, m->set_name);
    cc_bind_text_or_null(st, 14, m->set_overview);
    cc_bind_text_or_null(st, 15, m->tmdb_id);
    cc_bind_text_or_null(st, 16, m->imdb_id);
    sqlite3_bind_int64(st, 17, cu_time_now());
    if (cc_step_done(db, st, err, "saving film metadata") < 0)
        return CU_EDB;
    if (clear_related(db, film_id, err) < 0 || save_credits(db, film_id, m, err) < 0 ||
        save_releases(db, film_id, m, err) < 0 || save_terms_and_ratings(db, film_id, m, err) < 0 ||
        cc_shelf_update(db, film_id, err) < 0)
        return CU_EDB;
    return cc_search_index_film(db, film_id, err);
}

int cc_film_clear_meta(cc_db *db, int64_t film_id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(
            db,
            "UPDATE films SET metadata_source = 'name', original_title = NULL,"
            " sort_title = NULL, plot = NULL, outline = NULL, tagline = NULL, runtime = NULL,"
            " premiered = NULL, mpaa = NULL, set_name = NULL, set_overview = NULL,"
            " updated_at = ?2 WHERE id = ?1",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_int64(st, 2, cu_time_now());
    if (cc_step_done(db, st, err, "clearing film metadata") < 0 ||
        clear_related(db, film_id, err) < 0 || cc_shelf_update(db, film_id, err) < 0)
        return CU_EDB;
    return cc_search_index_film(db, film_id, err);
}

int cc_film_set_meta_file(cc_db *db, int64_t film_id, const char *path, int64_t mtime_ns,
                          cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE films SET metadata_path = ?2, metadata_mtime = ?3 WHERE id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    cc_bind_text_or_null(st, 2, path);
    if (path)
        sqlite3_bind_int64(st, 3, mtime_ns);
    else
        sqlite3_bind_null(st, 3);
    return cc_step_done(db, st, err, "recording metadata file");
}

int cc_film_meta_file(cc_db *db, int64_t film_id, char **path, cu_err *err)
{
    sqlite3_stmt *st;
    *path = NULL;
    if (cc_prepare(db, "SELECT metadata_path FROM films WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 0);
        *path = p ? cu_xstrdup(p) : NULL;
    } else if (step == SQLITE_DONE) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no film %lld", (long long)film_id);
    } else {
        rc = cc_fail(db, err, "reading a film's metadata file");
    }
    sqlite3_finalize(st);
    return rc;
}
