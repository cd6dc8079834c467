/* Unit tests for watch state (cc_watch), offline roots (cc_root) and
 * backups (cc_backup): the rules of a progress report, films from their
 * parts, Continue watching, state set aside and found again when a file
 * leaves and returns, and the restore lock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "catalog/cc_backup.h"
#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_artwork.h"
#include "catalog/cc_favorite.h"
#include "catalog/cc_page.h"
#include "catalog/cc_root.h"
#include "catalog/cc_watch.h"
#include "catalog/cc_writer.h"

static char db_path[512];

typedef struct fixture {
    cc_db *db;
    int64_t film, part1, part2, other_film, other;
} fixture;

static void put_file(cc_db *db, const char *path, int64_t film, int part, const char *print,
                     int64_t *id)
{
    cu_err err = {0};
    cc_file_facts info = {.container = "mkv", .duration = 100.0};
    cc_file_place place = {.path = path, .root = "/films", .film_id = film, .part = part};
    assert_int_equal(cc_file_put(db, &place, 1000, 42, print, &info, NULL, id, &err), 0);
}

static int setup(void **state)
{
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-watch-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    fixture *f = calloc(1, sizeof *f);
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &f->db, &err), 0);
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    cc_film_names names = {.title = "Two Parts"};
    assert_int_equal(cc_film_ensure(f->db, "/films/Two Parts", &names, &f->film, &err), 0);
    put_file(f->db, "/films/Two Parts/Two Parts - cd1.mkv", f->film, 1, "p1", &f->part1);
    put_file(f->db, "/films/Two Parts/Two Parts - cd2.mkv", f->film, 2, "p2", &f->part2);
    cc_film_names other = {.title = "Other"};
    assert_int_equal(cc_film_ensure(f->db, "/films/Other", &other, &f->other_film, &err), 0);
    put_file(f->db, "/films/Other/Other.mkv", f->other_film, 1, "o1", &f->other);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cc_db_close(f->db);
    free(f);
    const char *suffixes[] = {"", "-wal", "-shm", ".lock"};
    for (size_t i = 0; i < 4; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", db_path, suffixes[i]);
        unlink(p);
    }
    return 0;
}

static void report(fixture *f, int64_t user, int64_t file, double position, double duration,
                   int64_t now, int expect)
{
    cu_err err = {0};
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    cc_progress p = {.user_id = user, .file_id = file, .position = position, .duration = duration};
    assert_int_equal(cc_watch_progress(f->db, &p, now, &err), expect);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
}

static cc_watch file_state(fixture *f, int64_t user, int64_t file)
{
    cc_watch w;
    cu_err err = {0};
    assert_int_equal(cc_watch_file_get(f->db, user, file, &w, &err), 0);
    return w;
}

static cc_watch film_state(fixture *f, int64_t user, int64_t film)
{
    cc_watch w;
    cu_err err = {0};
    assert_int_equal(cc_watch_film_get(f->db, user, film, &w, &err), 0);
    return w;
}

static void test_progress_rules(void **state)
{
    fixture *f = *state;
    cc_watch w = file_state(f, 0, f->part1);
    assert_false(w.watched);
    assert_int_equal(w.last_played, 0);
    report(f, 0, f->part1, 30, 100, 1000, 0);
    w = file_state(f, 0, f->part1);
    assert_true(fabs(w.position - 30) < 1e-9);
    assert_false(w.watched);
    assert_int_equal(w.last_played, 1000);
    /* Another user's state is their own. */
    assert_true(file_state(f, 7, f->part1).position == 0);
    /* Past 90%: watched, back to 0, one play; the end again is no new play. */
    report(f, 0, f->part1, 95, 100, 1001, 0);
    w = file_state(f, 0, f->part1);
    assert_true(w.watched);
    assert_true(w.position == 0);
    assert_int_equal(w.play_count, 1);
    report(f, 0, f->part1, 99, 100, 1002, 0);
    assert_int_equal(file_state(f, 0, f->part1).play_count, 1);
    /* Watched again from the middle: a second play. */
    report(f, 0, f->part1, 50, 100, 1003, 0);
    report(f, 0, f->part1, 92, 100, 1004, 0);
    assert_int_equal(file_state(f, 0, f->part1).play_count, 2);
    /* No duration from the player: the probed one (100 s). */
    report(f, 0, f->other, 91, 0, 1005, 0);
    assert_true(file_state(f, 0, f->other).watched);
    /* Bad input. */
    report(f, 0, 999999, 1, 100, 1006, CU_ENOTFOUND);
    report(f, 0, f->part1, -1, 100, 1006, CU_EINVAL);
    report(f, 0, f->part1, NAN, 100, 1006, CU_EINVAL);
    report(f, 0, f->part1, 1, INFINITY, 1006, CU_EINVAL);
}

static void test_film_from_parts_and_continue(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    int64_t *ids;
    size_t count;
    report(f, 0, f->other, 10, 100, 2000, 0);
    report(f, 0, f->part1, 95, 100, 2001, 0); /* part 1 seen, part 2 not */
    assert_false(film_state(f, 0, f->film).watched);
    assert_int_equal(cc_watch_continue(f->db, 0, 20, &ids, &count, &err), 0);
    assert_int_equal(count, 2);
    assert_int_equal(ids[0], f->film); /* most recent first */
    assert_int_equal(ids[1], f->other_film);
    free(ids);
    report(f, 0, f->part2, 96, 100, 2002, 0);
    assert_true(film_state(f, 0, f->film).watched);
    assert_int_equal(cc_watch_continue(f->db, 0, 20, &ids, &count, &err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(ids[0], f->other_film);
    free(ids);
    /* By hand: unwatched keeps the plays, watched adds one. */
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    assert_int_equal(cc_watch_film_set(f->db, 0, f->film, false, 2003, &err), 0);
    assert_int_equal(cc_watch_film_set(f->db, 0, f->other_film, true, 2003, &err), 0);
    assert_int_equal(cc_watch_film_set(f->db, 0, 999999, true, 2003, &err), CU_ENOTFOUND);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    cc_watch film = film_state(f, 0, f->film);
    assert_false(film.watched);
    assert_int_equal(film.play_count, 1);
    assert_true(film_state(f, 0, f->other_film).watched);
    assert_int_equal(cc_watch_continue(f->db, 0, 20, &ids, &count, &err), 0);
    assert_int_equal(count, 0);
    free(ids);
}

static void test_state_follows_the_file(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    report(f, 0, f->other, 42, 100, 3000, 0);
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    assert_int_equal(cc_file_remove(f->db, f->other, &err), 0);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    /* Gone from the catalog: set aside, not deleted, not on its old id. */
    assert_true(file_state(f, 0, f->other).position == 0);
    assert_true(file_state(f, 0, -f->other).position == 42);
    /* Back under a new path (and id), same size and fingerprint. */
    int64_t back = 0;
    w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    put_file(f->db, "/films/Other Again/Other.mkv", f->other_film, 1, "o1", &back);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    assert_true(file_state(f, 0, back).position == 42);
}

static void test_offline_roots(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    bool offline = true;
    assert_int_equal(cc_root_film_offline(f->db, f->film, &offline, &err), 0);
    assert_false(offline);
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    assert_int_equal(cc_root_set_offline(f->db, "/films", "empty", 4000, &err), 0);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    assert_int_equal(cc_root_film_offline(f->db, f->film, &offline, &err), 0);
    assert_true(offline);
    cc_root_state rs;
    assert_int_equal(cc_root_get(f->db, "/films", &rs, &err), 0);
    assert_true(rs.known && rs.offline && rs.since == 4000 && !strcmp(rs.reason, "empty"));
    w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    assert_int_equal(cc_root_set_online(f->db, "/films", 77, 4001, &err), 0);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    assert_int_equal(cc_root_film_offline(f->db, f->film, &offline, &err), 0);
    assert_false(offline);
    assert_int_equal(cc_root_get(f->db, "/films", &rs, &err), 0);
    assert_true(!rs.offline && rs.device == 77);
}

static void test_backup_and_restore_lock(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    report(f, 0, f->part1, 12, 100, 5000, 0);
    char out[600], again[600];
    snprintf(out, sizeof out, "%s.copy", db_path);
    unlink(out);
    assert_int_equal(cc_backup_write(db_path, out, &err), 0);
    assert_int_equal(cc_backup_write(db_path, out, &err), -EEXIST);
    /* The catalog is open (f->db): a restore is refused. */
    char *kept = NULL;
    assert_int_equal(cc_backup_restore(db_path, out, &kept, &err), CU_EBUSY);
    assert_null(kept);
    /* The copy is a catalog with the report in it. */
    cc_db *copy;
    assert_int_equal(cc_db_open(out, CC_OPEN_READONLY, &copy, &err), 0);
    cc_watch w;
    assert_int_equal(cc_watch_file_get(copy, 0, f->part1, &w, &err), 0);
    assert_true(w.position == 12);
    cc_db_close(copy);
    /* Restoring into a catalog nobody has open works, and keeps it. */
    snprintf(again, sizeof again, "%s.again", db_path);
    unlink(again);
    assert_int_equal(cc_backup_write(db_path, again, &err), 0);
    assert_int_equal(cc_backup_restore(again, out, &kept, &err), 0);
    assert_non_null(kept);
    assert_int_equal(access(kept, F_OK), 0);
    unlink(kept);
    free(kept);
    const char *suffixes[] = {"", "-wal", "-shm", ".lock", "-journal"};
    for (size_t i = 0; i < 5; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s%s", out, suffixes[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s%s", again, suffixes[i]);
        unlink(p);
    }
}

/* A page's state in one statement says what each film's own question says. */
static void expect_page_matches(fixture *f, int64_t user, const int64_t *ids, size_t n)
{
    cc_watch page[8];
    cu_err err = {0};
    assert_int_equal(cc_page_watch(f->db, user, ids, n, page, &err), 0);
    for (size_t i = 0; i < n; i++) {
        cc_watch one = film_state(f, user, ids[i]);
        assert_int_equal(page[i].watched, one.watched);
        assert_int_equal(page[i].play_count, one.play_count);
        assert_int_equal(page[i].last_played, one.last_played);
        assert_true(fabs(page[i].position - one.position) < 1e-9);
    }
}

static void test_page_of_films(void **state)
{
    fixture *f = *state;
    int64_t ids[] = {f->other_film, f->film, 999999, f->film};
    expect_page_matches(f, 0, ids, 4); /* nothing played yet */
    report(f, 0, f->part1, 40, 100, 1000, 0);
    expect_page_matches(f, 0, ids, 4);
    cc_watch page[4];
    cu_err err = {0};
    assert_int_equal(cc_page_watch(f->db, 0, ids, 4, page, &err), 0);
    assert_true(fabs(page[1].position - 40) < 1e-9 && fabs(page[3].position - 40) < 1e-9);
    assert_int_equal(page[2].last_played, 0); /* no such film: the empty state */
    report(f, 0, f->part1, 95, 100, 1100, 0); /* part 1 done, part 2 not: not watched */
    report(f, 0, f->part2, 10, 100, 1200, 0);
    expect_page_matches(f, 0, ids, 4);
    report(f, 0, f->part2, 99, 100, 1300, 0);
    report(f, 0, f->other, 50, 100, 1250, 0);
    expect_page_matches(f, 0, ids, 4);
    assert_int_equal(cc_page_watch(f->db, 0, ids, 4, page, &err), 0);
    assert_true(page[1].watched && !page[0].watched);
    expect_page_matches(f, 9, ids, 4); /* another user: nothing */
    assert_int_equal(cc_page_watch(f->db, 0, ids, 0, page, &err), 0);
    int64_t many[CC_PAGE_MAX + 1] = {0};
    assert_int_equal(cc_page_watch(f->db, 0, many, CC_PAGE_MAX + 1, NULL, &err), CU_EINVAL);

    /* Favourites and artwork, one statement each, duplicates answered twice. */
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    assert_int_equal(cc_favorite_set(f->db, 0, f->film, true, 100, &err), 0);
    assert_int_equal(
        cc_artwork_set(f->db, f->other_film, "poster", "/films/Other/poster.jpg", 0, &err), 0);
    assert_int_equal(
        cc_artwork_set(f->db, f->film, "backdrop", "/films/Two Parts/fanart.jpg", 0, &err), 0);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    bool fav[4];
    assert_int_equal(cc_page_favorites(f->db, 0, ids, 4, fav, &err), 0);
    assert_true(!fav[0] && fav[1] && !fav[2] && fav[3]);
    assert_int_equal(cc_page_favorites(f->db, 9, ids, 4, fav, &err), 0);
    assert_true(!fav[0] && !fav[1] && !fav[2] && !fav[3]);
    cu_arena *arena = cu_arena_new();
    char *posters[4], *backdrops[4];
    assert_int_equal(cc_page_artwork(f->db, arena, ids, 4, posters, backdrops, &err), 0);
    assert_string_equal(posters[0], "/films/Other/poster.jpg");
    assert_null(backdrops[0]);
    assert_null(posters[1]);
    assert_string_equal(backdrops[1], "/films/Two Parts/fanart.jpg");
    assert_string_equal(backdrops[3], "/films/Two Parts/fanart.jpg");
    assert_null(posters[2]);
    cu_arena_free(arena);
}

/* The writer's answer (cc_watch_writer_*_stored): the state as committed,
 * equal to what another connection reads afterwards; nothing filled for a
 * report that failed. */
typedef struct done_log {
    int results[4];
    int calls;
} done_log;

static void on_done(int result, void *user)
{
    done_log *log = user; /* stop() joins the writer: no other thread reads it meanwhile */
    log->results[log->calls++ % 4] = result;
}

static void test_writer_stored(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    cc_watch_writer *ww = NULL;
    assert_int_equal(cc_watch_writer_new(db_path, &ww, &err), 0);
    done_log log = {0};
    cc_watch stored[3];
    memset(stored, 0x7f, sizeof stored);
    cc_progress p = {.user_id = 3, .file_id = f->part1, .position = 42.5, .duration = 100};
    assert_int_equal(cc_watch_writer_progress_stored(ww, &p, &stored[0], on_done, &log), 0);
    assert_int_equal(
        cc_watch_writer_film_set_stored(ww, 3, f->other_film, true, &stored[1], on_done, &log), 0);
    cc_progress missing = {.user_id = 3, .file_id = 999999, .position = 1};
    assert_int_equal(cc_watch_writer_progress_stored(ww, &missing, &stored[2], on_done, &log), 0);
    cc_watch_writer_stop(ww);
    assert_int_equal(log.calls, 3);
    assert_int_equal(log.results[0], 0);
    assert_int_equal(log.results[1], 0);
    assert_int_equal(log.results[2], CU_ENOTFOUND);

    cc_watch file = file_state(f, 3, f->part1);
    assert_true(file.position == 42.5);
    assert_true(stored[0].position == file.position);
    assert_int_equal(stored[0].watched, file.watched);
    assert_int_equal(stored[0].play_count, file.play_count);
    assert_int_equal(stored[0].last_played, file.last_played);
    assert_true(file.last_played > 0);

    cc_watch film = film_state(f, 3, f->other_film);
    assert_true(film.watched);
    assert_int_equal(stored[1].watched, film.watched);
    assert_int_equal(stored[1].play_count, film.play_count);
    assert_int_equal(stored[1].last_played, film.last_played);
    assert_true(stored[1].position == film.position);

    /* The failed report's slot is as it was. */
    cc_watch untouched;
    memset(&untouched, 0x7f, sizeof untouched);
    assert_memory_equal(&stored[2], &untouched, sizeof untouched);
    cc_watch_writer_free(ww);
}

/* Rows of film_plays (schema 19) that differ from what the watch rows say
 * (each user's films, their last play and most plays over every file),
 * either way: 0 when the triggers kept it. */
static int plays_drift(void)
{
    sqlite3 *raw;
    assert_int_equal(sqlite3_open_v2(db_path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char truth[] =
        "SELECT w.user_id, x.film_id, max(w.last_played), max(w.play_count)"
        " FROM watch w JOIN files x ON x.id = w.file_id WHERE x.film_id IS NOT NULL"
        " GROUP BY w.user_id, x.film_id"
        " HAVING max(w.last_played) IS NOT NULL OR max(w.play_count) > 0";
    static const char kept[] = "SELECT user_id, film_id, last_played, play_count FROM film_plays";
    char sql[1024];
    int drift = 0;
    const char *pairs[2][2] = {{truth, kept}, {kept, truth}};
    for (int i = 0; i < 2; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM (%s EXCEPT %s)", pairs[i][0], pairs[i][1]);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        drift += sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(raw);
    return drift;
}

static int64_t first_played(fixture *f, int64_t user, cc_sort sort)
{
    cu_err err = {0};
    cc_film_filter filter = {.sort = sort, .descending = 1, .watch_user = user, .limit = 10};
    cc_film_page page;
    assert_int_equal(cc_browse_films(f->db, &filter, &page, &err), 0);
    int64_t id = page.count ? page.items[0].id : 0;
    cc_browse_films_clear(&page);
    return id;
}

static void in_writer(fixture *f, int step, int64_t *file)
{
    cu_err err = {0};
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    if (step == 0) /* the other film's file moves to the two-part film */
        put_file(f->db, "/films/Other/Other.mkv", f->film, 3, "o1", file);
    else if (step == 1) /* and leaves the catalog */
        assert_int_equal(cc_file_remove(f->db, *file, &err), 0);
    else /* then comes back, found by its fingerprint, under the other film */
        put_file(f->db, "/films/Other Again/Other.mkv", f->other_film, 1, "o1", file);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
}

/* Each user's films by last play and by play count (schema 19's
 * film_plays, which the played and plays sorts walk) follow every change
 * that can move them: reports, a file moved to another film, a file gone
 * (its state set aside) and found again. */
static void test_played_index_follows(void **state)
{
    fixture *f = *state;
    assert_int_equal(plays_drift(), 0);
    report(f, 0, f->part1, 42, 100, 1000, 0);
    report(f, 1, f->other, 100, 100, 1100, 0); /* to the end: one play */
    report(f, 0, f->other, 30, 100, 1200, 0);
    assert_int_equal(plays_drift(), 0);
    assert_int_equal(first_played(f, 0, CC_SORT_PLAYED), f->other_film);
    assert_int_equal(first_played(f, 1, CC_SORT_PLAYS), f->other_film);
    report(f, 0, f->part2, 50, 100, 1300, 0);
    assert_int_equal(plays_drift(), 0);
    assert_int_equal(first_played(f, 0, CC_SORT_PLAYED), f->film);
    int64_t file = f->other;
    in_writer(f, 0, &file);
    assert_int_equal(file, f->other);
    assert_int_equal(plays_drift(), 0);
    /* Its plays went with it: user 1 has played only the two-part film. */
    assert_int_equal(first_played(f, 1, CC_SORT_PLAYS), f->film);
    in_writer(f, 1, &file);
    assert_int_equal(plays_drift(), 0);
    in_writer(f, 2, &file);
    assert_int_equal(plays_drift(), 0);
    assert_int_equal(first_played(f, 1, CC_SORT_PLAYS), f->other_film);
    report(f, 1, file, 100, 100, 1400, 0);
    assert_int_equal(plays_drift(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_progress_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_film_from_parts_and_continue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_follows_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_roots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_and_restore_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_of_films, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_played_index_follows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
