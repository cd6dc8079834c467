/* cc_search_index: the search index (FTS5 tables over folded words, exact and
 * prefix keys, a deletion neighbourhood for typos) (queries: cc_search_query.c).
 *
 * Text goes in and queries go out through the same normalisation: cu_fold,
 * then words of letters and digits joined by single spaces. The FTS tables
 * use the 'ascii' tokenizer, which splits exactly that text back into the
 * same words, so no query word can be tokenized differently from the
 * indexed ones. Queries never reach FTS5's syntax: every word is quoted.
 *
 * Typos: search_typos maps every indexed term of 4 to 32 letters (titles,
 * names, characters, extras; not plots, whose words would multiply the table
 * for matches that rank last anyway) and each of its one-letter deletions
 * back to the term. The terms within one edit of a query word w are among
 * those whose variants include w or one of w's own deletions: len(w) + 1
 * indexed lookups, then an exact check of the edit distance. Rows for terms
 * that left the catalog stay behind; they only ever add a MATCH alternative
 * that finds nothing. */
#include "catalog/cc_search_index.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_search_words.h"
#include "util/cu_buf.h"
#include "util/cu_fold.h"
#include "util/cu_str.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Statements                                                          */

/* Runs sql with ?1 = id and collects the first column of every row. */
static int collect_ids(cc_db *db, const char *sql, int64_t id, int64_t **ids, size_t *count,
                       cu_err *err)
{
    sqlite3_stmt *st;
    *ids = NULL;
    *count = 0;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    return cc_step_ids(db, st, ids, count, err, "reading ids");
}

/* ------------------------------------------------------------------ */
/* Keeping the index                                                   */

/* Adds the terms among words (normalised, space-separated) that are not
 * known yet to the typo neighbourhood. */
static int register_terms(cc_db *db, const char *words, cu_err *err)
{
    sqlite3_stmt *known = NULL, *insert = NULL;
    int rc = CU_EDB;
    /* Kept prepared: every film, extra and person of a scan comes here. */
    if (cc_prepare_kept(db, "SELECT 1 FROM search_typos WHERE variant = ?1 AND term = ?1", &known,
                        err) < 0 ||
        cc_prepare_kept(db, "INSERT OR IGNORE INTO search_typos (variant, term) VALUES (?1, ?2)",
                        &insert, err) < 0)
        goto done;
    const char *p = words;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        size_t len = (size_t)(p - start);
        int32_t cps[CC_SEARCH_TERM_MAX_CHARS];
        size_t n = len ? cc_search_words_chars(start, len, cps, CC_SEARCH_TERM_MAX_CHARS) : 0;
        if (n < CC_SEARCH_TERM_MIN_CHARS)
            continue;
        sqlite3_reset(known);
        sqlite3_bind_text(known, 1, start, (int)len, SQLITE_STATIC);
        int step = sqlite3_step(known);
        if (step == SQLITE_ROW)
            continue;
        if (step != SQLITE_DONE) {
            cc_fail(db, err, "reading search terms");
            goto done;
        }
        char variant[CC_SEARCH_TERM_MAX_CHARS * 4 + 1];
        for (size_t skip = 0; skip <= n; skip++) { /* skip == n: the term itself */
            cc_search_words_without(cps, n, skip, variant);
            sqlite3_reset(insert);
            sqlite3_bind_text(insert, 1, variant, -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 2, start, (int)len, SQLITE_STATIC);
            if (sqlite3_step(insert) != SQLITE_DONE) {
                cc_fail(db, err, "saving search terms");
                goto done;
            }
        }
    }
    rc = 0;
done:
    if (known)
        sqlite3_reset(known);
    if (insert)
        sqlite3_reset(insert);
    return rc;
}

static int put_key(cc_db *db, int kind, const char *key, int64_t id, cu_err *err)
{
    if (!*key)
        return 0;
    sqlite3_stmt *st;
    if (cc_prepare_kept(db, "INSERT OR IGNORE INTO search_keys (kind, key, id) VALUES (?1, ?2, ?3)",
                        &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, id);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "saving search key");
}

static int drop_keys(cc_db *db, int kind, int64_t id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare_kept(db, "DELETE FROM search_keys WHERE kind = ?1 AND id = ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_int64(st, 2, id);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "removing search keys");
}

/* Appends the words of every row's first column (sql bound with ?1 = id). */
static int append_rows(cc_db *db, const char *sql, int64_t id, cu_buf *out, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare_kept(db, sql, &st, err) < 0) /* sql: one of three constants */
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        cc_search_words_append_text(out, (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading film for search");
}

static int forget_film_entry(cc_db *db, int64_t film_id, cu_err *err)
{
    if (cc_exec_id(db, "DELETE FROM search_films WHERE rowid = ?1", film_id, err,
                   "removing film from search") < 0 ||
        cc_exec_id(db, "DELETE FROM search_plots WHERE rowid = ?1", film_id, err,
                   "removing film from search") < 0)
        return CU_EDB;
    return drop_keys(db, CC_SEARCH_KEY_FILM, film_id, err);
}

int cc_search_index_film(cc_db *db, int64_t film_id, cu_err *err)
{
    enum { TITLE, ORIGINAL, PEOPLE, CHARACTERS, EXTRAS, PLOT, COLUMNS };
    cu_buf col[COLUMNS] = {CU_BUF_INIT, CU_BUF_INIT, CU_BUF_INIT,
                           CU_BUF_INIT, CU_BUF_INIT, CU_BUF_INIT};
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;
    if (forget_film_entry(db, film_id, err) < 0)
        goto done;
    if (cc_prepare(db,
                   "SELECT title, original_title, coalesce(plot, outline) FROM films WHERE id = ?1",
                   &st, err) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        rc = 0; /* gone */
        goto done;
    }
    if (step != SQLITE_ROW) {
        cc_fail(db, err, "reading film for search");
        goto done;
    }
    cc_search_words_append_text(&col[TITLE], (const char *)sqlite3_column_text(st, 0));
    cc_search_words_append_text(&col[ORIGINAL], (const char *)sqlite3_column_text(st, 1));
    cc_search_words_append_text(&col[PLOT], (const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
    st = NULL;
    if (append_rows(db,
                    "SELECT DISTINCT p.name FROM credits c JOIN people p ON p.id = c.person_id"
                    " WHERE c.film_id = ?1",
                    film_id, &col[PEOPLE], err) < 0 ||
        append_rows(db, "SELECT DISTINCT character FROM credits WHERE film_id = ?1", film_id,
                    &col[CHARACTERS], err) < 0 ||
        append_rows(db, "SELECT title FROM extras WHERE film_id = ?1", film_id, &col[EXTRAS], err) <
            0)
        goto done;
    if (cc_prepare(db,
                   "INSERT INTO search_films (rowid, title, original, people, characters, extras)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                   &st, err) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, film_id);
    for (int c = TITLE; c <= EXTRAS; c++)
        sqlite3_bind_text(st, 2 + c, cu_buf_str(&col[c]), -1, SQLITE_STATIC);
    step = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "indexing film");
        goto done;
    }
    if (col[PLOT].len) {
        if (cc_prepare(db, "INSERT INTO search_plots (rowid, plot) VALUES (?1, ?2)", &st, err) < 0)
            goto done;
        sqlite3_bind_int64(st, 1, film_id);
        sqlite3_bind_text(st, 2, cu_buf_str(&col[PLOT]), -1, SQLITE_STATIC);
        step = sqlite3_step(st);
        sqlite3_finalize(st);
        st = NULL;
        if (step != SQLITE_DONE) {
            cc_fail(db, err, "indexing plot");
            goto done;
        }
    }
    if (put_key(db, CC_SEARCH_KEY_FILM, cu_buf_str(&col[TITLE]), film_id, err) < 0 ||
        put_key(db, CC_SEARCH_KEY_FILM, cu_buf_str(&col[ORIGINAL]), film_id, err) < 0)
        goto done;
    for (int c = TITLE; c <= EXTRAS; c++)
        if (register_terms(db, cu_buf_str(&col[c]), err) < 0)
            goto done;
    rc = 0;
done:
    sqlite3_finalize(st);
    for (int c = 0; c < COLUMNS; c++)
        cu_buf_free(&col[c]);
    return rc;
}

int cc_search_index_forget_film(cc_db *db, int64_t film_id, cu_err *err)
{
    int64_t *extras;
    size_t count;
    if (collect_ids(db, "SELECT id FROM extras WHERE film_id = ?1", film_id, &extras, &count, err) <
        0)
        return CU_EDB;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = cc_search_index_forget_extra(db, extras[i], err);
    free(extras);
    if (rc == 0)
        rc = forget_film_entry(db, film_id, err);
    return rc;
}

/* A person's name or an extra's title, folded to words: its row in the
 * FTS table insert_sql names (rowid ?1, text ?2), its exact and prefix
 * key, and its terms for typos. */
static int index_name(cc_db *db, const char *insert_sql, int key_kind, int64_t id,
                      const char *words, const char *what, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, insert_sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, words, -1, SQLITE_STATIC);
    if (cc_step_done(db, st, err, what) < 0)
        return CU_EDB;
    if (put_key(db, key_kind, words, id, err) < 0 || register_terms(db, words, err) < 0)
        return CU_EDB;
    return 0;
}

int cc_search_index_person(cc_db *db, int64_t person_id, const char *name, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT 1 FROM search_people WHERE rowid = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, person_id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW)
        return 0;
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "reading person for search");
    cu_buf words = CU_BUF_INIT;
    cc_search_words_append_text(&words, name);
    int rc =
        index_name(db, "INSERT INTO search_people (rowid, name) VALUES (?1, ?2)",
                   CC_SEARCH_KEY_PERSON, person_id, cu_buf_str(&words), "indexing person", err);
    cu_buf_free(&words);
    return rc;
}

int cc_search_index_forget_person(cc_db *db, int64_t person_id, cu_err *err)
{
    if (cc_exec_id(db, "DELETE FROM search_people WHERE rowid = ?1", person_id, err,
                   "removing person from search") < 0)
        return CU_EDB;
    return drop_keys(db, CC_SEARCH_KEY_PERSON, person_id, err);
}

int cc_search_index_forget_extra(cc_db *db, int64_t extra_id, cu_err *err)
{
    if (cc_exec_id(db, "DELETE FROM search_extras WHERE rowid = ?1", extra_id, err,
                   "removing extra from search") < 0)
        return CU_EDB;
    return drop_keys(db, CC_SEARCH_KEY_EXTRA, extra_id, err);
}

int cc_search_index_extra(cc_db *db, int64_t extra_id, cu_err *err)
{
    if (cc_search_index_forget_extra(db, extra_id, err) < 0)
        return CU_EDB;
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT title FROM extras WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, extra_id);
    int step = sqlite3_step(st);
    cu_buf words = CU_BUF_INIT;
    if (step == SQLITE_ROW)
        cc_search_words_append_text(&words, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (step == SQLITE_DONE)
        return 0; /* gone */
    int rc =
        step == SQLITE_ROW
            ? index_name(db, "INSERT INTO search_extras (rowid, title) VALUES (?1, ?2)",
                         CC_SEARCH_KEY_EXTRA, extra_id, cu_buf_str(&words), "indexing extra", err)
            : cc_fail(db, err, "reading extra for search");
    cu_buf_free(&words);
    return rc;
}

int cc_search_index_rebuild(cc_db *db, cu_err *err)
{
    if (cc_exec(db,
                "DELETE FROM search_films; DELETE FROM search_plots; DELETE FROM search_people;"
                " DELETE FROM search_extras;"
                " DELETE FROM search_keys; DELETE FROM search_typos;",
                err) < 0)
        return CU_EDB;
    int64_t *ids = NULL;
    size_t count = 0;
    int rc = collect_ids(db, "SELECT id FROM films WHERE ?1 = ?1", 0, &ids, &count, err);
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = cc_search_index_film(db, ids[i], err);
    free(ids);
    ids = NULL;
    if (rc == 0)
        rc = collect_ids(db, "SELECT id FROM extras WHERE ?1 = ?1", 0, &ids, &count, err);
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = cc_search_index_extra(db, ids[i], err);
    free(ids);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT id, name FROM people", &st, err) < 0)
        return CU_EDB;
    /* Writing other tables while this one is read is safe in SQLite. */
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = cc_search_index_person(db, sqlite3_column_int64(st, 0),
                                    (const char *)sqlite3_column_text(st, 1), err);
    if (rc == 0 && step != SQLITE_DONE)
        rc = cc_fail(db, err, "reading people");
    sqlite3_finalize(st);
    return rc;
}
