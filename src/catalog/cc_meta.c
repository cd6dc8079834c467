/* cc_meta: writing a film's metadata, people, credits, releases, terms,
 * ratings and artwork. */
#include "catalog/cc_meta.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_search_index.h"
#include "util/cu_fold.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int step_done(cc_db *db, sqlite3_stmt *st, cu_err *err, const char *what)
{
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, what);
}

static int delete_for_film(cc_db *db, const char *table, int64_t film_id, cu_err *err)
{
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE film_id = ?1", table);
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    return step_done(db, st, err, table);
}

/* The id of the person called name, created when new. */
static int person_id(cc_db *db, const char *name, const char *thumb, int64_t *id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO people (name, folded, thumb) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT(name) DO UPDATE SET thumb = coalesce(excluded.thumb, thumb)"
                   " RETURNING id",
                   &st, err) < 0)
        return CU_EDB;
    char *folded = cu_fold(name);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, folded, -1, free);
    cc_bind_text_or_null(st, 3, thumb);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (step == SQLITE_ROW)
        step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE || !*id)
        return cc_fail(db, err, "saving person");
    return cc_search_index_person(db, *id, name, err);
}

static int save_credits(cc_db *db, int64_t film_id, const cc_film_meta *m, cu_err *err)
{
    for (size_t i = 0; i < m->credit_count; i++) {
        const cc_credit_in *c = &m->credits[i];
        if (!c->name || !*c->name || !c->job || !*c->job)
            continue;
        int64_t pid;
        if (person_id(db, c->name, c->thumb, &pid, err) < 0)
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
        if (step_done(db, st, err, "saving credit") < 0)
            return CU_EDB;
    }
    return 0;
}

static int save_releases(cc_db *db, int64_t film_id, const cc_film_meta *m, cu_err *err)
{
    for (size_t i = 0; i < m->release_count; i++) {
        const cc_release_in *r = &m->releases[i];
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
        if (step_done(db, st, err, "saving release") < 0)
            return CU_EDB;
    }
    return 0;
}

static int save_terms_and_ratings(cc_db *db, int64_t film_id, const cc_film_meta *m, cu_err *err)
{
    sqlite3_stmt *st;
    for (size_t i = 0; i < m->term_count; i++) {
        const cc_term_in *t = &m->terms[i];
        if (!t->kind || !t->value || !*t->value)
            continue;
        if (cc_prepare(db, "INSERT OR IGNORE INTO film_terms (film_id, kind, value) VALUES (?1,?2,?3)",
                       &st, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(st, 1, film_id);
        sqlite3_bind_text(st, 2, t->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, t->value, -1, SQLITE_STATIC);
        if (step_done(db, st, err, "saving term") < 0)
            return CU_EDB;
    }
    for (size_t i = 0; i < m->rating_count; i++) {
        const cc_rating_in *r = &m->ratings[i];
        if (cc_prepare(db, "INSERT INTO ratings (film_id, source, value, votes, max) VALUES (?1,?2,?3,?4,?5)",
                       &st, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(st, 1, film_id);
        sqlite3_bind_text(st, 2, r->source && *r->source ? r->source : "default", -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 3, r->value);
        sqlite3_bind_int(st, 4, r->votes);
        sqlite3_bind_double(st, 5, r->max > 0 ? r->max : 10);
        if (step_done(db, st, err, "saving rating") < 0)
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

int cc_film_set_meta(cc_db *db, int64_t film_id, const cc_film_meta *m, cu_err *err)
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
    sqlite3_bind_text(st, 2, m->source ? m->source : "nfo", -1, SQLITE_STATIC);
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
    if (step_done(db, st, err, "saving film metadata") < 0)
        return CU_EDB;
    if (clear_related(db, film_id, err) < 0 || save_credits(db, film_id, m, err) < 0 ||
        save_releases(db, film_id, m, err) < 0 || save_terms_and_ratings(db, film_id, m, err) < 0)
        return CU_EDB;
    return cc_search_index_film(db, film_id, err);
}

int cc_film_clear_meta(cc_db *db, int64_t film_id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "UPDATE films SET metadata_source = 'name', original_title = NULL,"
                   " sort_title = NULL, plot = NULL, outline = NULL, tagline = NULL, runtime = NULL,"
                   " premiered = NULL, mpaa = NULL, set_name = NULL, set_overview = NULL,"
                   " updated_at = ?2 WHERE id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_int64(st, 2, cu_time_now());
    if (step_done(db, st, err, "clearing film metadata") < 0 || clear_related(db, film_id, err) < 0)
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
    return step_done(db, st, err, "recording metadata file");
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
    return step_done(db, st, err, "saving artwork");
}

int cc_artwork_clear(cc_db *db, int64_t film_id, const char *kind, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM artwork WHERE film_id = ?1 AND kind = ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    return step_done(db, st, err, "clearing artwork");
}

int cc_people_prune(cc_db *db, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "DELETE FROM people WHERE NOT EXISTS"
                   " (SELECT 1 FROM credits WHERE credits.person_id = people.id) RETURNING id",
                   &st, err) < 0)
        return CU_EDB;
    /* RETURNING rows come after every row was deleted. */
    int64_t *ids;
    size_t count;
    int rc = cc_step_ids(db, st, &ids, &count, err, "pruning people");
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = cc_search_forget_person(db, ids[i], err);
    free(ids);
    return rc;
}
