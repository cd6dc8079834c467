/* Unit tests for catalog search: folding of case and accents, prefixes,
 * typos, original titles and characters, ranking, hostile queries, the
 * index following every write, and the migration of a v1 catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "catalog/cc_browse.h"
#include "catalog/cc_film.h"
#include "catalog/cc_person.h"
#include "catalog/cc_scan_error.h"
#include "catalog/cc_search_query.h"
#include "catalog/cc_search_index.h" /* rebuild, to compare with */
#include "catalog/cc_writer.h"
#include "test_old_schema.h"

/* Tests write through the catalog's writer, one transaction at a time. */
static cc_writer *test_writer;

static int test_begin(cc_db *db, cu_err *err)
{
    test_writer = cc_writer_new(db, 0);
    return cc_writer_begin(test_writer, err);
}

static int test_commit(cc_db *db, cu_err *err)
{
    (void)db;
    int rc = cc_writer_commit(test_writer, err);
    cc_writer_free(test_writer);
    test_writer = NULL;
    return rc;
}

static void test_rollback(cc_db *db)
{
    (void)db;
    cc_writer_free(test_writer); /* rolls back */
    test_writer = NULL;
}

static char db_path[512];

typedef struct fixture {
    cc_db *db;
    int64_t pain, mother, glory, glory_days, plot_glory;
    int64_t pain_file, interview_file;
} fixture;

static void remove_db(void)
{
    char p[600];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

/* A film with one main file (and optionally one extra) under /films. */
static int64_t add_film(cc_db *db, const char *title, int year, int64_t *main_file,
                        const char *extra_title, int64_t *extra_file)
{
    cu_err err = {0};
    char key[256], path[512];
    snprintf(key, sizeof key, "/films/%s (%d)", title, year);
    cc_film_names names = {.title = title, .year = year};
    int64_t id = 0, file = 0;
    assert_int_equal(cc_film_ensure(db, key, &names, &id, &err), 0);
    snprintf(path, sizeof path, "%s/%s.mkv", key, title);
    cc_file_place place = {.path = path, .root = "/films", .film_id = id, .part = 1};
    assert_int_equal(cc_file_put(db, &place, 100, 1, NULL, NULL, "test", &file, &err), 0);
    if (main_file)
        *main_file = file;
    if (extra_title) {
        snprintf(path, sizeof path, "%s/Interviews/%s.mkv", key, extra_title);
        cc_file_place x = {.path = path,
                           .root = "/films",
                           .film_id = id,
                           .is_extra = true,
                           .extra_type = "interview",
                           .extra_title = extra_title};
        assert_int_equal(cc_file_put(db, &x, 10, 1, NULL, NULL, "test", extra_file, &err), 0);
    }
    return id;
}

static void set_pain_meta(cc_db *db, int64_t id)
{
    cu_err err = {0};
    /* clang-format off */
    cc_credit credits[] = {
        {.name = "Pedro Almodóvar", .job = "director"},
        {.name = "Antonio Banderas", .job = "actor", .character = "Salvador Mallo", .billing = 0},
        {.name = "Penélope Cruz", .job = "actor", .character = "Jacinta", .billing = 1},
    };
    /* clang-format on */
    /* clang-format off */
    cc_film m = {
        .metadata_source = "nfo", .title = "Pain and Glory", .original_title = "Dolor y gloria",
        .year = 2019,
        .plot = "A film director past his prime revisits his childhood in Valencia.",
        .credits = credits, .credit_count = 3,
    };
    /* clang-format on */
    assert_int_equal(cc_film_set_meta(db, id, &m, &err), 0);
}

static int setup(void **state)
{
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-search-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    remove_db();
    fixture *f = calloc(1, sizeof *f);
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &f->db, &err), 0);
    assert_int_equal(test_begin(f->db, &err), 0);
    int64_t extra_file;
    f->pain = add_film(f->db, "Pain and Glory", 2019, &f->pain_file, "In His Own Words",
                       &f->interview_file);
    (void)extra_file;
    set_pain_meta(f->db, f->pain);
    f->mother = add_film(f->db, "All About My Mother", 1999, NULL, NULL, NULL);
    /* clang-format off */
    cc_credit credits[] = {
        {.name = "Pedro Almodóvar", .job = "director"},
        {.name = "Penélope Cruz", .job = "actor", .character = "Sister Rosa"},
        {.name = "Cecilia Roth", .job = "actor", .character = "Manuela"},
    };
    /* clang-format on */
    cc_film m = {.metadata_source = "nfo",
                 .title = "All About My Mother",
                 .original_title = "Todo sobre mi madre",
                 .credits = credits,
                 .credit_count = 3};
    assert_int_equal(cc_film_set_meta(f->db, f->mother, &m, &err), 0);
    /* For ranking: an exact title, a title that starts with the query, and
     * a film that only talks about glory in its plot. */
    f->glory = add_film(f->db, "Glory", 1989, NULL, NULL, NULL);
    f->glory_days = add_film(f->db, "Glory Days", 2002, NULL, NULL, NULL);
    f->plot_glory = add_film(f->db, "The Duellists", 1977, NULL, NULL, NULL);
    cc_film duel = {.metadata_source = "nfo",
                    .title = "The Duellists",
                    .plot = "Glory, glory and more glory: two officers duel for glory."};
    assert_int_equal(cc_film_set_meta(f->db, f->plot_glory, &duel, &err), 0);
    assert_int_equal(test_commit(f->db, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cc_db_close(f->db);
    free(f);
    remove_db();
    return 0;
}

static bool has_film(const cc_search_result *r, int64_t id)
{
    for (size_t i = 0; i < r->film_count; i++)
        if (r->films[i].id == id)
            return true;
    return false;
}

static bool has_person(const cc_search_result *r, const char *name)
{
    for (size_t i = 0; i < r->person_count; i++)
        if (!strcmp(r->people[i].name, name))
            return true;
    return false;
}

/* Straight from the file, past the API: what the index itself holds. */
static int count_rows(const char *sql)
{
    sqlite3 *raw;
    sqlite3_stmt *st;
    int n = -1;
    assert_int_equal(sqlite3_open_v2(db_path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return n;
}

/* The index as text: every row of every search table but the typo
 * neighbourhood (where words that left the catalog may stay). */
static char *index_dump(void)
{
    /* clang-format off */
    static const char *const tables[] = {
        "SELECT rowid, title, original, people, characters, extras FROM search_films ORDER BY rowid",
        "SELECT rowid, plot FROM search_plots ORDER BY rowid",
        "SELECT rowid, name FROM search_people ORDER BY rowid",
        "SELECT rowid, title FROM search_extras ORDER BY rowid",
        "SELECT kind, key, id FROM search_keys ORDER BY kind, key, id",
    };
    /* clang-format on */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open_v2(db_path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(raw, tables[t], -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                const char *v = (const char *)sqlite3_column_text(st, c);
                size_t n = strlen(v ? v : "") + 2;
                while (len + n + 1 > cap)
                    out = realloc(out, cap *= 2);
                len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "", c ? '|' : ':');
            }
            out[len++] = '\n';
            out[len] = '\0';
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(raw);
    return out;
}

/* What the writes left in the index is what indexing from scratch gives. */
static void assert_index_as_rebuilt(cc_db *db)
{
    cu_err err = {0};
    char *before = index_dump();
    assert_int_equal(test_begin(db, &err), 0);
    assert_int_equal(cc_search_index_rebuild(db, &err), 0);
    assert_int_equal(test_commit(db, &err), 0);
    char *after = index_dump();
    assert_string_equal(before, after);
    assert_true(strlen(after) > 0);
    free(before);
    free(after);
}

static void search(cc_db *db, const char *q, cc_search_result *r)
{
    cu_err err = {0};
    int rc = cc_search_query(db, q, 0, r, &err);
    if (rc != 0)
        fail_msg("search '%s' failed: %s", q, err.msg);
}

static void test_accents_and_case(void **state)
{
    fixture *f = *state;
    const char *queries[] = {"almodovar", "Almodóvar", "ALMODOVAR", "almodóvar", "ALMODÓVAR"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        cc_search_result r;
        search(f->db, queries[i], &r);
        assert_true(has_person(&r, "Pedro Almodóvar"));
        /* His films, found through him. */
        assert_true(has_film(&r, f->pain));
        assert_true(has_film(&r, f->mother));
        assert_false(has_film(&r, f->glory));
        assert_int_equal(r.person_count, 1);
        cc_search_query_clear(&r);
    }
    cc_search_result r;
    search(f->db, "penelope", &r);
    assert_true(has_person(&r, "Penélope Cruz"));
    assert_string_equal(r.people[0].name, "Penélope Cruz");
    cc_search_query_clear(&r);
}

static void test_prefix(void **state)
{
    fixture *f = *state;
    cc_search_result r;
    search(f->db, "pain gl", &r);
    assert_true(r.film_count >= 1);
    assert_int_equal(r.films[0].id, f->pain);
    assert_string_equal(r.films[0].title, "Pain and Glory");
    assert_int_equal(r.films[0].year, 2019);
    cc_search_query_clear(&r);
    /* A trailing space ends the word: "gl" is no longer a prefix. */
    search(f->db, "pain gl ", &r);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "almo", &r);
    assert_true(has_person(&r, "Pedro Almodóvar"));
    cc_search_query_clear(&r);
    /* Only the last word is a prefix. */
    search(f->db, "pai glory", &r);
    assert_false(has_film(&r, f->pain));
    cc_search_query_clear(&r);
}

static void test_typos(void **state)
{
    fixture *f = *state;
    const struct {
        const char *query, *person;
    } cases[] = {
        {"almodvar", "Pedro Almodóvar"},       /* a letter missing */
        {"almodovarr ", "Pedro Almodóvar"},    /* one too many (complete word) */
        {"banderes", "Antonio Banderas"},      /* one wrong */
        {"bnaderas", "Antonio Banderas"},      /* two swapped */
        {"pedro almodvar", "Pedro Almodóvar"}, /* among other words */
        {"almodvar pe", "Pedro Almodóvar"},
        {"Penélope Crux", "Penélope Cruz"}, /* 4 letters: not forgiven... */
    };
    for (size_t i = 0; i < 6; i++) {
        cc_search_result r;
        search(f->db, cases[i].query, &r);
        if (!has_person(&r, cases[i].person))
            fail_msg("'%s' does not find %s", cases[i].query, cases[i].person);
        cc_search_query_clear(&r);
    }
    cc_search_result r;
    search(f->db, "almodvar", &r);
    assert_true(has_film(&r, f->pain)); /* films through the person, typo and all */
    cc_search_query_clear(&r);
    /* ...so "crux" (4 letters) finds nothing, nor does "crux" alone. */
    search(f->db, cases[6].query, &r);
    assert_int_equal(r.person_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "roht ", &r); /* Roth, swapped, 4 letters */
    assert_int_equal(r.person_count, 0);
    cc_search_query_clear(&r);
    /* Two edits are too many. */
    search(f->db, "almdvar", &r);
    assert_int_equal(r.person_count, 0);
    cc_search_query_clear(&r);
}

static void test_original_title_and_character(void **state)
{
    fixture *f = *state;
    cc_search_result r;
    search(f->db, "dolor", &r);
    assert_true(r.film_count >= 1);
    assert_int_equal(r.films[0].id, f->pain);
    cc_search_query_clear(&r);
    search(f->db, "dolor y gloria", &r); /* exact original title */
    assert_int_equal(r.films[0].id, f->pain);
    cc_search_query_clear(&r);
    search(f->db, "salvador mallo", &r);
    assert_int_equal(r.film_count, 1);
    assert_int_equal(r.films[0].id, f->pain);
    assert_int_equal(r.person_count, 0); /* a character is not a person */
    cc_search_query_clear(&r);
    search(f->db, "valencia", &r); /* plot */
    assert_true(has_film(&r, f->pain));
    cc_search_query_clear(&r);
}

static void test_ranking(void **state)
{
    fixture *f = *state;
    cc_search_result r;
    search(f->db, "glory", &r);
    assert_int_equal(r.film_count, 4);
    assert_int_equal(r.films[0].id, f->glory);      /* exact title */
    assert_int_equal(r.films[1].id, f->glory_days); /* title starts with it */
    assert_int_equal(r.films[2].id, f->pain);       /* in the title beats the plot */
    assert_int_equal(r.films[3].id, f->plot_glory);
    cc_search_query_clear(&r);
    /* Exact beats prefix even when typed in capitals with a complete word. */
    search(f->db, "GLORY ", &r);
    assert_int_equal(r.films[0].id, f->glory);
    cc_search_query_clear(&r);
    /* Limits. */
    cu_err err = {0};
    assert_int_equal(cc_search_query(f->db, "glory", 2, &r, &err), 0);
    assert_int_equal(r.film_count, 2);
    assert_int_equal(r.films[0].id, f->glory);
    cc_search_query_clear(&r);
    int64_t *ids;
    size_t count;
    assert_int_equal(cc_search_query_film_ids(f->db, "glory", 100, &ids, &count, &err), 0);
    assert_int_equal(count, 4);
    assert_int_equal(ids[0], f->glory);
    assert_int_equal(ids[3], f->plot_glory);
    free(ids);
    assert_int_equal(cc_search_query_film_ids(f->db, "almodovar", 1, &ids, &count, &err), 0);
    assert_int_equal(count, 1);
    free(ids);
    assert_int_equal(cc_search_query_film_ids(f->db, "nothing like it", 10, &ids, &count, &err), 0);
    assert_int_equal(count, 0);
    assert_null(ids);
}

/* More matches than are ranked (500 a table): film ids still lists every
 * one, once. */
static void test_film_ids_of_a_broad_query(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    enum { N = 800 };
    assert_int_equal(test_begin(f->db, &err), 0);
    for (int i = 0; i < N; i++) {
        char title[64];
        snprintf(title, sizeof title, "Common %d", i);
        add_film(f->db, title, 2000, NULL, NULL, NULL);
    }
    assert_int_equal(test_commit(f->db, &err), 0);
    int64_t *ids;
    size_t count;
    assert_int_equal(cc_search_query_film_ids(f->db, "common", 10000, &ids, &count, &err), 0);
    assert_int_equal(count, N);
    for (size_t i = 0; i < count; i++)
        for (size_t j = i + 1; j < count; j++)
            assert_true(ids[i] != ids[j]);
    free(ids);
    assert_int_equal(cc_search_query_film_ids(f->db, "common", 650, &ids, &count, &err), 0);
    assert_int_equal(count, 650);
    free(ids);
    cc_search_result r;
    search(f->db, "common 17", &r);
    assert_string_equal(r.films[0].title, "Common 17"); /* exact, then 170, 1700... */
    assert_string_equal(r.films[1].title, "Common 170");
    cc_search_query_clear(&r);
}

/* A restricted user's search: the scope is applied while the groups fill,
 * so hidden hits ranked first do not use up the limit. 30 hidden films
 * "Common N" (each with an extra and an actor) come before the 3 visible
 * ones in rank order; a limit of 5 must still give all 3 visible films,
 * their extras and their actor, and nothing hidden. */
static void test_scope_before_limit(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    enum { HIDDEN = 30, VISIBLE = 3 };
    int64_t visible[VISIBLE];
    assert_int_equal(test_begin(f->db, &err), 0);
    for (int i = 0; i < HIDDEN + VISIBLE; i++) {
        char title[64], extra[64], person[64];
        snprintf(title, sizeof title, "Common %d", i);
        snprintf(extra, sizeof extra, "Common Talk %d", i);
        int64_t x = 0;
        int64_t id = add_film(f->db, title, 2000, NULL, extra, &x);
        snprintf(person, sizeof person, "Common Actor %s", i < HIDDEN ? "Hidden" : "Shown");
        cc_credit credit = {.name = person, .job = "actor"};
        cc_film m = {.metadata_source = "nfo",
                     .title = title,
                     .year = 2000,
                     .credits = &credit,
                     .credit_count = 1};
        assert_int_equal(cc_film_set_meta(f->db, id, &m, &err), 0);
        if (i >= HIDDEN)
            visible[i - HIDDEN] = id;
    }
    assert_int_equal(test_commit(f->db, &err), 0);
    cc_search_scope scope = {.film_ids = visible, .film_count = VISIBLE};
    cc_search_result r;
    assert_int_equal(cc_search_query_scoped(f->db, "common", 5, &scope, &r, &err), 0);
    assert_int_equal(r.film_count, VISIBLE);
    for (size_t i = 0; i < r.film_count; i++)
        assert_true(r.films[i].id >= visible[0]);
    assert_int_equal(r.extra_count, VISIBLE);
    for (size_t i = 0; i < r.extra_count; i++)
        assert_true(r.extras[i].film_id >= visible[0]);
    assert_int_equal(r.person_count, 1);
    assert_string_equal(r.people[0].name, "Common Actor Shown");
    cc_search_query_clear(&r);
    /* The films list's ?q= path, with a max below the hidden ones. */
    int64_t *ids;
    size_t count;
    assert_int_equal(
        cc_search_query_film_ids_scoped(f->db, "common", 10, &scope, &ids, &count, &err), 0);
    assert_int_equal(count, VISIBLE);
    free(ids);
    /* Unscoped, the same limit is filled by whatever ranks first. */
    assert_int_equal(cc_search_query(f->db, "common", 5, &r, &err), 0);
    assert_int_equal(r.film_count, 5);
    cc_search_query_clear(&r);
}

static void test_exact_words_hide_typos(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    /* "Maria" and "Mario": a search for one does not bring the other. */
    int64_t a = add_film(f->db, "Maria Full of Grace", 2004, NULL, NULL, NULL);
    int64_t b = add_film(f->db, "Mario Bros", 1993, NULL, NULL, NULL);
    cc_search_result r;
    search(f->db, "maria ", &r);
    assert_true(has_film(&r, a));
    assert_false(has_film(&r, b));
    cc_search_query_clear(&r);
    /* With nothing spelt so, one edit away is found. */
    search(f->db, "marix ", &r);
    assert_true(has_film(&r, a));
    assert_true(has_film(&r, b));
    cc_search_query_clear(&r);
    (void)err;
}

static void test_extras(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    cc_search_result r;
    search(f->db, "in his own words", &r);
    assert_int_equal(r.extra_count, 1);
    assert_string_equal(r.extras[0].title, "In His Own Words");
    assert_string_equal(r.extras[0].type, "interview");
    assert_int_equal(r.extras[0].film_id, f->pain);
    assert_true(has_film(&r, f->pain)); /* the film, through its extra */
    cc_film *film;
    assert_int_equal(cc_film_get(f->db, f->pain, &film, &err), 0);
    assert_int_equal(film->extra_count, 1);
    assert_int_equal(r.extras[0].id, film->extras[0].id); /* the same ids */
    cc_film_free(film);
    cc_search_query_clear(&r);
    /* Its own .nfo renames it. */
    assert_int_equal(
        cc_extra_set_info(f->db, f->interview_file, "Pedro on the Movida", "plot", &err), 0);
    search(f->db, "in his own words", &r);
    assert_int_equal(r.extra_count, 0);
    assert_false(has_film(&r, f->pain));
    cc_search_query_clear(&r);
    search(f->db, "movida", &r);
    assert_int_equal(r.extra_count, 1);
    assert_true(has_film(&r, f->pain));
    cc_search_query_clear(&r);
    /* The file goes: so does the extra. */
    assert_int_equal(cc_file_remove(f->db, f->interview_file, &err), 0);
    search(f->db, "movida", &r);
    assert_int_equal(r.extra_count, 0);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    assert_index_as_rebuilt(f->db);
}

static void test_hostile_queries(void **state)
{
    fixture *f = *state;
    /* clang-format off */
    static const char *const queries[] = {
        "\"", "\"\"", "*", "**", "\"pain", "pain\"", "pain*", "NEAR(pain glory)", "pain OR",
        "OR", "AND", "NOT", "NOT pain", ")(", "(", "^pain", "-pain", "+", "title:pain",
        "{title}: pain", "'; DROP TABLE films; --", "\"); DROP TABLE films; --", "\xff\xfe\xfd",
        "\xc3", "pain \xe2\x80", "%", "_", "\\", "a\x01\x02", "🎬 pain 🎬", "ä", "·",
        "pain\tand\nglory",
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        cc_search_result r;
        search(f->db, queries[i], &r);
        cc_search_query_clear(&r);
        int64_t *ids;
        size_t count;
        cu_err err = {0};
        if (cc_search_query_film_ids(f->db, queries[i], 50, &ids, &count, &err) != 0)
            fail_msg("film ids for '%s': %s", queries[i], err.msg);
        free(ids);
    }
    /* Blank and empty queries: empty groups, no error. */
    static const char *const blanks[] = {"", " ", "   \t\n", "!!!", "\"\"*()", "—"};
    for (size_t i = 0; i < sizeof blanks / sizeof *blanks; i++) {
        cc_search_result r;
        search(f->db, blanks[i], &r);
        assert_int_equal(r.film_count + r.person_count + r.extra_count, 0);
        cc_search_query_clear(&r);
    }
    cc_search_result r;
    search(f->db, NULL, &r);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    /* Operators are words like any other: "pain OR" needs both. */
    search(f->db, "\"pain\" glory*", &r);
    assert_int_equal(r.films[0].id, f->pain);
    cc_search_query_clear(&r);
    /* 10 KB queries: one long word, many words, random bytes. */
    size_t big = 10 * 1024;
    char *q = malloc(big + 1);
    memset(q, 'a', big);
    q[big] = '\0';
    search(f->db, q, &r);
    cc_search_query_clear(&r);
    for (size_t i = 0; i < big; i++)
        q[i] = i % 6 == 5 ? ' ' : "glory"[i % 6];
    search(f->db, q, &r);
    assert_true(has_film(&r, f->glory)); /* the first words still count */
    cc_search_query_clear(&r);
    srand(7);
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < big; i++)
            q[i] = (char)(1 + rand() % 255);
        search(f->db, q, &r);
        cc_search_query_clear(&r);
    }
    free(q);
    /* Nothing was harmed. */
    cu_err err = {0};
    cc_counts counts;
    assert_int_equal(cc_browse_totals(f->db, &counts, &err), 0);
    assert_int_equal(counts.films, 5);
    assert_int_equal(cc_db_check(f->db, &err), 0);
}

static void test_index_follows_metadata(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    cc_search_result r;
    /* A new .nfo: new title, no more Banderas or original title. */
    cc_credit credits[] = {{.name = "Asier Etxeandia", .job = "actor", .character = "Alberto"}};
    cc_film m = {.metadata_source = "nfo", .title = "Dolor", .credits = credits, .credit_count = 1};
    assert_int_equal(cc_film_set_meta(f->db, f->pain, &m, &err), 0);
    search(f->db, "banderas", &r);
    assert_false(has_film(&r, f->pain));
    /* Credited nowhere, he is not shown even before people are pruned. */
    assert_false(has_person(&r, "Antonio Banderas"));
    cc_search_query_clear(&r);
    search(f->db, "salvador", &r);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "gloria", &r);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "etxeandia", &r);
    assert_true(has_film(&r, f->pain));
    cc_search_query_clear(&r);
    search(f->db, "dolor", &r);
    assert_int_equal(r.films[0].id, f->pain);
    assert_string_equal(r.films[0].title, "Dolor");
    cc_search_query_clear(&r);
    /* Pruning people drops them from the index. */
    static const char banderas[] =
        "SELECT count(*) FROM search_people WHERE search_people MATCH 'banderas'";
    assert_int_equal(count_rows(banderas), 1);
    assert_int_equal(cc_person_prune(f->db, &err), 0);
    assert_int_equal(count_rows(banderas), 0);
    search(f->db, "banderas", &r);
    assert_int_equal(r.person_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "almodovar", &r); /* still credited on the other film */
    assert_true(has_person(&r, "Pedro Almodóvar"));
    assert_true(has_film(&r, f->mother));
    assert_false(has_film(&r, f->pain));
    cc_search_query_clear(&r);
    /* Cleared metadata: back to the name the scanner gave it. */
    assert_int_equal(cc_film_clear_meta(f->db, f->mother, &err), 0);
    search(f->db, "madre", &r);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "all about my mother", &r);
    assert_int_equal(r.films[0].id, f->mother);
    cc_search_query_clear(&r);
    /* A renamed film (names from the file system). */
    cc_film_names names = {.title = "Glory Road", .year = 1989};
    int64_t same;
    assert_int_equal(cc_film_ensure(f->db, "/films/Glory (1989)", &names, &same, &err), 0);
    assert_int_equal(same, f->glory);
    search(f->db, "glory road", &r);
    assert_int_equal(r.films[0].id, f->glory);
    cc_search_query_clear(&r);
    assert_index_as_rebuilt(f->db);
}

static void test_index_follows_removal(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    assert_int_equal(test_begin(f->db, &err), 0);
    assert_int_equal(cc_file_remove(f->db, f->pain_file, &err), 0);
    int removed = 0;
    assert_int_equal(cc_film_prune(f->db, "/films", &removed, &err), 0);
    assert_int_equal(removed, 1);
    assert_int_equal(cc_person_prune(f->db, &err), 0);
    assert_int_equal(test_commit(f->db, &err), 0);
    cc_search_result r;
    search(f->db, "pain and glory", &r);
    assert_false(has_film(&r, f->pain));
    cc_search_query_clear(&r);
    search(f->db, "in his own words", &r); /* its extra went with it */
    assert_int_equal(r.extra_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "banderas", &r);
    assert_int_equal(r.person_count, 0);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "penelope", &r); /* still in the other film */
    assert_true(has_person(&r, "Penélope Cruz"));
    assert_true(has_film(&r, f->mother));
    cc_search_query_clear(&r);
    /* A rolled-back write leaves the index as it was. */
    assert_int_equal(test_begin(f->db, &err), 0);
    cc_film m = {.metadata_source = "nfo", .title = "Renamed Mother"};
    assert_int_equal(cc_film_set_meta(f->db, f->mother, &m, &err), 0);
    test_rollback(f->db);
    search(f->db, "renamed", &r);
    assert_int_equal(r.film_count, 0);
    cc_search_query_clear(&r);
    search(f->db, "all about", &r);
    assert_int_equal(r.films[0].id, f->mother);
    cc_search_query_clear(&r);
    assert_index_as_rebuilt(f->db);
}

/* A catalog written before search existed: the same tables without the
 * search ones (nor those of later versions), at version 1. Opening it builds
 * the index. */
static void test_migration_from_v1(void **state)
{
    fixture *f = *state;
    cc_db_close(f->db);
    f->db = NULL;
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            raw,
            TEST_DROP_SCOPE_STAMP TEST_DROP_FILM_PLAYS TEST_DROP_FILM_LIST_ROWS
            "DROP TABLE search_films; DROP TABLE search_plots;"
            " DROP TABLE search_people;"
            " DROP TABLE search_extras; DROP TABLE search_keys;"
            " DROP TABLE search_typos; DROP TABLE keyframes;"
            " DROP TABLE subtitles; DROP TABLE scan_status;"
            " DROP TABLE watch; DROP TABLE roots; DROP TABLE favorites;"
            " DROP TRIGGER watch_file_gone; DROP TRIGGER watch_file_new;"
            " DROP TRIGGER watch_file_print;"
            " DROP INDEX films_sort_title; DROP INDEX films_sort_year_asc;"
            " DROP INDEX films_sort_year_desc; DROP INDEX films_sort_added;"
            " DROP INDEX films_sort_runtime; DROP TRIGGER films_runtime_files_insert;"
            " DROP TRIGGER films_runtime_files_update; DROP TRIGGER films_runtime_files_delete;" TEST_DROP_SORT_COLUMNS
            " DROP TRIGGER films_runtime_update; ALTER TABLE films DROP COLUMN sort_runtime;"
            " DROP INDEX files_version; DROP TABLE versions;"
            " DROP TABLE editions; ALTER TABLE files DROP COLUMN version_id;"
            " ALTER TABLE files DROP COLUMN disc_title;" TEST_DROP_RETRIES_TO_STAMP
            " PRAGMA user_version = 1;",
            NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(raw);
    cu_err err = {0};
    cc_db *db;
    /* Read-only: refuses to use a catalog it would have to upgrade. */
    assert_true(cc_db_open(db_path, CC_OPEN_READONLY, &db, &err) < 0);
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &f->db, &err), 0);
    assert_int_equal(cc_db_schema_version(f->db), CC_SCHEMA_VERSION);
    assert_int_equal(cc_db_check(f->db, &err), 0);
    cc_search_result r;
    search(f->db, "almodvar", &r);
    assert_true(has_person(&r, "Pedro Almodóvar"));
    assert_true(has_film(&r, f->pain));
    assert_true(has_film(&r, f->mother));
    cc_search_query_clear(&r);
    search(f->db, "salvador mallo", &r);
    assert_int_equal(r.films[0].id, f->pain);
    cc_search_query_clear(&r);
    search(f->db, "in his own", &r);
    assert_int_equal(r.extra_count, 1);
    cc_search_query_clear(&r);
    search(f->db, "glory", &r);
    assert_int_equal(r.films[0].id, f->glory);
    cc_search_query_clear(&r);
    assert_index_as_rebuilt(f->db);
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accents_and_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_typos, setup, teardown),
        cmocka_unit_test_setup_teardown(test_original_title_and_character, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ranking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_film_ids_of_a_broad_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_before_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exact_words_hide_typos, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extras, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_follows_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_follows_removal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_from_v1, setup, teardown),
    };
    /* clang-format on */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
