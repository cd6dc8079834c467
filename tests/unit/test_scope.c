/* test_scope: what a restricted user sees, kept between requests
 * (cc_scope_cache) and put into statements as a set (cc_ids): the kept set
 * follows every change that can move it, made by this connection or by
 * another one, and is read again only then; a large set bound as a
 * pointer keeps exactly the films a written-out list keeps, and answers
 * kept by their question (counts, letters) are kept per set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_scope_cache.h"
#include "catalog/cc_scope_facet.h"
#include "catalog/cc_user.h"
#include "catalog/cc_writer.h"

static char db_path[512];

static int setup(void **state)
{
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test_scope_%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    cc_db *db = NULL;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    cc_db_close(*state);
    const char *suffixes[] = {"", "-wal", "-shm", ".lock", ".key"};
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s%s", db_path, suffixes[i]);
        unlink(path);
    }
    return 0;
}

/* SQL run by another connection, as another process (a scan) would. */
static void other_connection(const char *sql)
{
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    sqlite3_busy_timeout(raw, 5000);
    assert_int_equal(sqlite3_exec(raw, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(raw, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(raw);
}

static int64_t add_film(cc_db *db, const char *root, const char *title, const char *mpaa)
{
    cu_err err = {0};
    char key[256], path[300];
    snprintf(key, sizeof key, "%s/%s", root, title);
    snprintf(path, sizeof path, "%s/%s.mkv", key, title);
    cc_film_names names = {.title = title};
    int64_t film = 0, file = 0;
    assert_int_equal(cc_film_ensure(db, key, &names, &film, &err), 0);
    cc_file_facts info = {.container = "mkv", .duration = 60.0};
    cc_file_place place = {.path = path, .root = root, .film_id = film, .part = 1};
    assert_int_equal(cc_file_put(db, &place, 1000, 1, NULL, &info, NULL, &file, &err), 0);
    if (mpaa) {
        char sql[200];
        snprintf(sql, sizeof sql, "UPDATE films SET mpaa = '%s' WHERE id = %lld", mpaa,
                 (long long)film);
        other_connection(sql);
    }
    return film;
}

/* The cache's set for user: the same films cc_scope_film_ids reads now.
 * Returns the set (a reference: the caller unrefs). */
static cc_scope_set *check_set(cc_scope_cache *cache, cc_db *db, const cc_user *user)
{
    cu_err err = {0};
    cc_scope_set *set = NULL;
    assert_int_equal(cc_scope_cache_get(cache, db, user, &set, &err), 0);
    int64_t *truth = NULL;
    size_t truth_count = 0;
    assert_int_equal(cc_scope_film_ids(db, user, &truth, &truth_count, &err), 0);
    size_t count = 0;
    const int64_t *ids = cc_scope_set_ids(set, &count);
    assert_int_equal(count, truth_count);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(ids[i], truth[i]);
    free(truth);
    return set;
}

static void load_user(cc_db *db, int64_t id, cc_user *u)
{
    cu_err err = {0};
    assert_int_equal(cc_user_get(db, id, u, &err), 0);
}

/* Every change that can move a restricted user's films moves the kept set;
 * nothing else does. */
static void test_cache_follows_catalog(void **state)
{
    cc_db *db = *state;
    cu_err err = {0};
    int64_t kid = 0;
    assert_int_equal(cc_user_add(db, "kid", "long enough pw", false, &kid, &err), 0);
    const char *roots[] = {"/films/kids"};
    assert_int_equal(cc_user_set_roots(db, kid, false, roots, 1, &err), 0);
    assert_int_equal(cc_user_set_max_cert(db, kid, "PG-13", &err), 0);

    int64_t a = add_film(db, "/films/kids", "Alpha", "PG");
    add_film(db, "/films/kids", "Beta", "R");
    add_film(db, "/films/all", "Gamma", "G");
    cc_user u;
    load_user(db, kid, &u);
    cc_scope_cache *cache = cc_scope_cache_new(4);

    cc_scope_set *s1 = check_set(cache, db, &u);
    size_t n = 0;
    cc_scope_set_ids(s1, &n);
    assert_int_equal(n, 1); /* Alpha */
    /* Nothing moved: the same set, not read again. */
    cc_scope_set *again = check_set(cache, db, &u);
    assert_ptr_equal(again, s1);
    cc_scope_set_unref(again);
    /* A change that cannot move it (a title) keeps it too. */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE films SET title = 'Alpha II' WHERE id = %lld", (long long)a);
    other_connection(sql);
    again = check_set(cache, db, &u);
    assert_ptr_equal(again, s1);
    cc_scope_set_unref(again);

    /* Each of these moves it; each is checked against a fresh read. */
    const char *changes[] = {
        /* a certification, by another connection */
        "UPDATE films SET mpaa = 'PG-13' WHERE title = 'Beta'",
        /* a file moved to another root */
        "UPDATE files SET root = '/films/kids' WHERE path LIKE '/films/all/%'",
        /* a file moved to another film */
        "UPDATE files SET film_id = (SELECT id FROM films WHERE title = 'Beta')"
        " WHERE path LIKE '%Alpha.mkv'",
        /* a file gone */
        "DELETE FROM files WHERE path LIKE '%Gamma.mkv'",
        /* a file come, to a film that had none */
        "INSERT INTO files (path, root, film_id, size, mtime_ns, added_at, probed_at)"
        " SELECT '/films/kids/Gamma/Gamma 2.mkv', '/films/kids', id, 1, 1, 0, 0 FROM films"
        " WHERE title = 'Gamma'",
        "DELETE FROM files WHERE path LIKE '%Gamma 2.mkv'",
        /* a film gone */
        "DELETE FROM films WHERE title = 'Beta'",
    };
    cc_scope_set *prev = s1;
    for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
        other_connection(changes[i]);
        cc_scope_set *now = check_set(cache, db, &u);
        if (now == prev)
            fail_msg("the kept set survived: %s", changes[i]);
        cc_scope_set_unref(prev);
        prev = now;
    }
    /* A new film with a file, through this connection. */
    add_film(db, "/films/kids", "Delta", "G");
    cc_scope_set *now = check_set(cache, db, &u);
    assert_ptr_not_equal(now, prev);
    cc_scope_set_ids(now, &n);
    assert_int_equal(n, 1); /* Delta: Alpha's file went to Beta, Beta went, Gamma's file went */
    cc_scope_set_unref(prev);
    prev = now;

    /* The user's own limits are the key: a stricter one reads again, the
     * old one's set is still there for whoever still has it. */
    assert_int_equal(cc_user_set_max_cert(db, kid, "PG", &err), 0);
    cc_user stricter;
    load_user(db, kid, &stricter);
    now = check_set(cache, db, &stricter);
    assert_ptr_not_equal(now, prev);
    cc_scope_set_unref(now);
    cc_user_clear(&stricter);

    /* A user of every folder with a certification limit sees films
     * without files too: a film come or gone moves their set. */
    int64_t teen = 0;
    assert_int_equal(cc_user_add(db, "teen", "long enough pw", false, &teen, &err), 0);
    assert_int_equal(cc_user_set_max_cert(db, teen, "PG-13", &err), 0);
    cc_user t;
    load_user(db, teen, &t);
    cc_scope_set *ts = check_set(cache, db, &t);
    const char *film_changes[] = {
        "INSERT INTO films (key, title, mpaa, added_at, updated_at)"
        " VALUES ('/nowhere/Epsilon', 'Epsilon', 'G', 0, 0)",
        "UPDATE films SET mpaa = 'NC-17' WHERE title = 'Epsilon'",
        "UPDATE films SET mpaa = 'PG' WHERE title = 'Epsilon'",
        "DELETE FROM films WHERE title = 'Epsilon'",
    };
    for (size_t i = 0; i < sizeof film_changes / sizeof *film_changes; i++) {
        other_connection(film_changes[i]);
        cc_scope_set *tnow = check_set(cache, db, &t);
        if (tnow == ts)
            fail_msg("the kept set survived: %s", film_changes[i]);
        cc_scope_set_unref(ts);
        ts = tnow;
    }
    cc_scope_set_unref(ts);
    cc_user_clear(&t);

    /* A reference outlives the cache. */
    cc_scope_cache_free(cache);
    cc_scope_set_ids(prev, &n);
    assert_int_equal(n, 1);
    cc_scope_set_unref(prev);
    cc_user_clear(&u);
}

/* More users than the cache keeps: each still gets its own, right set. */
static void test_cache_many_users(void **state)
{
    cc_db *db = *state;
    cu_err err = {0};
    const char *roots[] = {"/r0", "/r1", "/r2", "/r3", "/r4"};
    for (int i = 0; i < 5; i++)
        for (int k = 0; k <= i; k++) {
            char title[32];
            snprintf(title, sizeof title, "Film %d-%d", i, k);
            add_film(db, roots[i], title, NULL);
        }
    cc_scope_cache *cache = cc_scope_cache_new(2);
    int64_t ids[5];
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "user%d", i);
        assert_int_equal(cc_user_add(db, name, "long enough pw", false, &ids[i], &err), 0);
        assert_int_equal(cc_user_set_roots(db, ids[i], false, &roots[i], 1, &err), 0);
    }
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 5; i++) {
            cc_user u;
            load_user(db, ids[i], &u);
            cc_scope_set *set = check_set(cache, db, &u);
            size_t n = 0;
            cc_scope_set_ids(set, &n);
            assert_int_equal(n, (size_t)i + 1);
            cc_scope_set_unref(set);
            cc_user_clear(&u);
        }
    cc_scope_cache_free(cache);
}

/* Films "Alpha 000".."Alpha 299" and "Bravo 000".."Bravo 299",
 * interleaved by id; the Alphas get genre Drama, the Bravos Comedy. */
static void add_lettered(cc_db *db, int64_t *as, int64_t *bs, int n)
{
    cu_err err = {0};
    cc_writer *w = cc_writer_new(db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    for (int i = 0; i < n; i++) {
        char title[32];
        snprintf(title, sizeof title, "Alpha %03d", i);
        as[i] = add_film(db, "/films", title, NULL);
        snprintf(title, sizeof title, "Bravo %03d", i);
        bs[i] = add_film(db, "/films", title, NULL);
    }
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    other_connection("INSERT INTO film_terms (film_id, kind, value)"
                     " SELECT id, 'genre', CASE WHEN title GLOB 'A*' THEN 'Drama'"
                     " ELSE 'Comedy' END FROM films");
}

/* Reads every page of filter's films; each must be one of want (sorted),
 * and all of them must come. */
static void expect_films(cc_db *db, cc_film_filter filter, const int64_t *want, size_t want_count)
{
    cu_err err = {0};
    size_t seen = 0;
    char *after = NULL;
    filter.limit = 100;
    for (int page = 0; page < 20; page++) {
        filter.after = after;
        cc_film_page p;
        assert_int_equal(cc_browse_films(db, &filter, &p, &err), 0);
        assert_int_equal(p.total, (int64_t)want_count);
        for (size_t i = 0; i < p.count; i++) {
            if (!cc_scope_has(want, want_count, p.items[i].id))
                fail_msg("film %lld is not in the set", (long long)p.items[i].id);
            seen++;
        }
        free(after);
        after = p.next ? strdup(p.next) : NULL;
        cc_browse_films_clear(&p);
        if (!after)
            break;
    }
    free(after);
    assert_int_equal(seen, want_count);
}

/* A set above CC_IDS_INLINE_MAX is bound, not written out: the films,
 * totals, letters and menus are the same as a written-out set's, and
 * kept answers are kept per set. */
static void test_large_sets(void **state)
{
    cc_db *db = *state;
    enum { N = 300 }; /* a set of 300 is bound; of 200, written out */
    int64_t as[N], bs[N];
    add_lettered(db, as, bs, N);
    cu_err err = {0};
    static const cc_sort sorts[] = {CC_SORT_TITLE, CC_SORT_YEAR, CC_SORT_ADDED, CC_SORT_RANDOM};
    const size_t sizes[] = {N, 200};
    for (size_t z = 0; z < 2; z++)
        for (size_t s = 0; s < sizeof sorts / sizeof *sorts; s++) {
            cc_film_filter f = {.ids = as, .id_count = sizes[z], .sort = sorts[s]};
            expect_films(db, f, as, sizes[z]);
            f.ids = bs;
            expect_films(db, f, bs, sizes[z]);
            f.descending = 1;
            expect_films(db, f, bs, sizes[z]);
        }
    /* Two sets of one size: the A-Z bar of each is its own. */
    for (int pass = 0; pass < 2; pass++) {
        const int64_t *sets[] = {as, bs};
        const char *letters[] = {"a", "b"};
        for (int k = 0; k < 2; k++) {
            cc_film_filter f = {.ids = sets[k], .id_count = N};
            cc_count_list list;
            assert_int_equal(cc_browse_letters(db, &f, &list, &err), 0);
            assert_int_equal(list.count, 1);
            assert_string_equal(list.items[0].name, letters[k]);
            assert_int_equal(list.items[0].count, N);
            cc_browse_counts_clear(&list);
            /* The genre menu and the counts over the set. */
            assert_int_equal(cc_scope_genre_list(db, sets[k], N, &list, &err), 0);
            assert_int_equal(list.count, 1);
            assert_string_equal(list.items[0].name, k == 0 ? "Drama" : "Comedy");
            assert_int_equal(list.items[0].count, N);
            cc_browse_counts_clear(&list);
            assert_int_equal(cc_scope_facet_list(db, CC_FACET_GENRE, sets[k], N, &list, &err), 0);
            assert_int_equal(list.count, 1);
            assert_int_equal(list.items[0].count, N);
            cc_browse_counts_clear(&list);
            cc_counts counts;
            assert_int_equal(cc_scope_counts(db, sets[k], N, &counts, &err), 0);
            assert_int_equal(counts.films, N);
            assert_int_equal(counts.files, N);
        }
    }
    /* Ids of no film, and a set with one film less: the totals say so. */
    int64_t fewer[N];
    memcpy(fewer, as, sizeof fewer);
    fewer[N - 1] = 1000000;
    cc_film_filter f = {.ids = fewer, .id_count = N};
    cc_film_page p;
    assert_int_equal(cc_browse_films(db, &f, &p, &err), 0);
    assert_int_equal(p.total, N - 1);
    cc_browse_films_clear(&p);
    /* The status counts are kept per set too: one of the same size,
     * counted right after the full one, has a file less. */
    cc_counts counts;
    assert_int_equal(cc_scope_counts(db, as, N, &counts, &err), 0);
    assert_int_equal(counts.files, N);
    assert_int_equal(cc_scope_counts(db, fewer, N, &counts, &err), 0);
    assert_int_equal(counts.files, N - 1);
    assert_int_equal(cc_scope_counts(db, as, N, &counts, &err), 0);
    assert_int_equal(counts.files, N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cache_follows_catalog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_many_users, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_sets, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
