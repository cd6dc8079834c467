/* Unit tests for the catalog: schema creation and versioning, saving and
 * reading films, files, streams and extras, pruning. */
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

#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "catalog/cc_browse.h"
#include "catalog/cc_edition.h"
#include "catalog/cc_film.h"
#include "catalog/cc_keyframes.h"
#include "catalog/cc_person.h"
#include "catalog/cc_scan_error.h"
#include "catalog/cc_scan_status.h"
#include "catalog/cc_subtitle.h"
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

static char db_path[512];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-catalog-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[600];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    return 0;
}

static void test_open_creates_schema(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    assert_int_equal(cc_db_schema_version(db), CC_SCHEMA_VERSION);
    assert_int_equal(cc_db_check(db, &err), 0);
    cc_db_close(db);
    /* Reopening an up-to-date file changes nothing. */
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READONLY, &db, &err), 0);
    assert_int_equal(cc_db_schema_version(db), CC_SCHEMA_VERSION);
    cc_db_close(db);
}

/* The plan's detail lines for sql joined by '|'. */
static void query_plan(sqlite3 *raw, const char *sql, char *out, size_t size)
{
    char q[256];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(raw, q, -1, &st, NULL), SQLITE_OK);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s|", (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
}

/* Every DLNA reply's UpdateID (cc_facet_update_stamp) asks for the newest
 * films.updated_at and files.probed_at: an index lookup each, not a read
 * of the whole table into every connection's cache. */
static void test_stamp_maxima_use_indexes(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_db_close(db);
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    char plan[512];
    query_plan(raw, "SELECT max(updated_at) FROM films", plan, sizeof plan);
    assert_non_null(strstr(plan, "films_updated"));
    query_plan(raw, "SELECT max(probed_at) FROM files", plan, sizeof plan);
    assert_non_null(strstr(plan, "files_probed"));
    sqlite3_close(raw);
}

static void test_refuses_newer_schema(void **state)
{
    (void)state;
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    /* A later cinemateca marks its catalogs as ours ("Cine"). */
    assert_int_equal(sqlite3_exec(raw,
                                  "PRAGMA user_version = 999; PRAGMA application_id = "
                                  "1130983013",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    cc_db *db = NULL;
    cu_err err = {0};
    assert_true(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err) < 0);
    assert_null(db);
    assert_non_null(strstr(err.msg, "newer"));
}

/* Runs sql on the test file with plain SQLite. */
static void raw_exec(const char *sql)
{
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
}

static int raw_int(const char *sql)
{
    sqlite3 *raw;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return v;
}

/* Another program's database is refused untouched, read-write or not;
 * a marked one too; ours is marked, and one from before the mark is
 * adopted. */
static void test_identity(void **state)
{
    (void)state;
    cc_db *db = NULL;
    cu_err err = {0};
    raw_exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')");
    for (int mode = 0; mode < 2; mode++) {
        cc_open_mode m = mode ? CC_OPEN_READONLY : CC_OPEN_READWRITE;
        assert_true(cc_db_open(db_path, m, &db, &err) < 0);
        assert_null(db);
        assert_non_null(strstr(err.msg, "not a cinemateca catalog"));
    }
    assert_int_equal(raw_int("SELECT count(*) FROM sqlite_master"), 1);
    assert_int_equal(raw_int("PRAGMA journal_mode"), 0); /* "delete": not switched to WAL */
    teardown(NULL);

    raw_exec("PRAGMA application_id = 7");
    assert_true(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err) < 0);
    assert_non_null(strstr(err.msg, "application_id 0x00000007"));
    teardown(NULL);

    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_db_close(db);
    assert_int_equal(raw_int("PRAGMA application_id"), 0x43696e65);
    raw_exec("PRAGMA application_id = 0"); /* as made before the mark */
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READONLY, &db, &err), 0);
    cc_db_close(db);
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_db_close(db);
    assert_int_equal(raw_int("PRAGMA application_id"), 0x43696e65);
}

/* A page of people's photos in one call; an unknown id or a person
 * without a photo gets NULL, and the kept statement answers again. */
static void test_person_thumbs(void **state)
{
    (void)state;
    cc_db *db = NULL;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    int64_t ids[3] = {0, 0, 987654};
    assert_int_equal(test_begin(db, &err), 0);
    assert_int_equal(cc_person_ensure(db, "Tomas Ferre", "/films/.actors/Tomas.jpg", &ids[0], &err),
                     0);
    assert_int_equal(cc_person_ensure(db, "Ada Quill", NULL, &ids[1], &err), 0);
    assert_int_equal(test_commit(db, &err), 0);
    for (int round = 0; round < 2; round++) {
        cu_arena *arena = cu_arena_new();
        char *thumbs[3] = {"x", "x", "x"};
        assert_int_equal(cc_person_thumbs(db, arena, ids, 3, thumbs, &err), 0);
        assert_string_equal(thumbs[0], "/films/.actors/Tomas.jpg");
        assert_null(thumbs[1]);
        assert_null(thumbs[2]);
        cu_arena_free(arena);
    }
    cc_db_close(db);
}

static void test_readonly_missing(void **state)
{
    (void)state;
    cc_db *db = NULL;
    cu_err err = {0};
    assert_true(cc_db_open("/nonexistent/x.db", CC_OPEN_READONLY, &db, &err) < 0);
    assert_non_null(strstr(err.msg, "does not exist"));
}

static void test_film_file_roundtrip(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);

    cc_film_names names = {.title = "Pain and Glory", .year = 2019, .tmdb_id = "519010"};
    int64_t film_id = 0, again = 0;
    assert_int_equal(test_begin(db, &err), 0);
    assert_int_equal(cc_film_ensure(db, "/films/Pain and Glory (2019)", &names, &film_id, &err), 0);
    assert_true(film_id > 0);
    assert_int_equal(cc_film_ensure(db, "/films/Pain and Glory (2019)", &names, &again, &err), 0);
    assert_int_equal(film_id, again);

    /* clang-format off */
    cc_stream streams[3] = {
        {.index = 0, .type = CC_STREAM_VIDEO, .codec = "h264", .width = 1920, .height = 800},
        {.index = 1, .type = CC_STREAM_AUDIO, .codec = "aac", .channels = 2, .language = "spa"},
        {.index = 2, .type = CC_STREAM_SUBTITLE, .codec = "subrip", .language = "eng"},
    };
    /* clang-format on */
    cc_file_facts info = {
        .container = "mkv", .duration = 6780.5, .stream_count = 3, .streams = streams};
    cc_file_place main_place = {.path = "/films/Pain and Glory (2019)/Pain and Glory (2019).mkv",
                                .root = "/films",
                                .film_id = film_id,
                                .part = 1};
    int64_t file_id = 0, extra_file = 0;
    assert_int_equal(cc_file_put(db, &main_place, 1000, 42, "abc", &info, NULL, &file_id, &err), 0);
    /* clang-format off */
    cc_file_place extra_place = {.path = "/films/Pain and Glory (2019)/Interviews/In His Own Words.mkv",
                                 .root = "/films", .film_id = film_id, .is_extra = true,
                                 .extra_type = "interview", .extra_title = "In His Own Words"};
    /* clang-format on */
    assert_int_equal(
        cc_file_put(db, &extra_place, 10, 42, NULL, NULL, "not a media file", &extra_file, &err),
        0);
    assert_int_equal(test_commit(db, &err), 0);

    cc_film *film = NULL;
    assert_int_equal(cc_film_get(db, film_id, &film, &err), 0);
    assert_string_equal(film->title, "Pain and Glory");
    assert_int_equal(film->year, 2019);
    assert_string_equal(film->tmdb_id, "519010");
    assert_int_equal(film->file_count, 1);
    assert_int_equal(film->files[0].id, file_id);
    assert_int_equal(film->files[0].stream_count, 3);
    assert_string_equal(film->files[0].streams[1].language, "spa");
    assert_int_equal(film->files[0].streams[0].width, 1920);
    assert_int_equal(film->extra_count, 1);
    assert_string_equal(film->extras[0].type, "interview");
    assert_string_equal(film->extras[0].file.probe_error, "not a media file");
    cc_film_free(film);

    /* The list's runtime (and its sort key) comes from the file's duration
     * while the metadata has none: 6780.5 s is 113 minutes. */
    cc_film_filter filter = {.sort = CC_SORT_RUNTIME};
    cc_film_page page;
    assert_int_equal(cc_browse_films(db, &filter, &page, &err), 0);
    assert_int_equal(page.count, 1);
    assert_int_equal(page.items[0].runtime, 113);
    cc_browse_films_clear(&page);
    cc_film meta = {.metadata_source = "nfo", .runtime = 112};
    assert_int_equal(cc_film_set_meta(db, film_id, &meta, &err), 0);
    assert_int_equal(cc_browse_films(db, &filter, &page, &err), 0);
    assert_int_equal(page.items[0].runtime, 112);
    cc_browse_films_clear(&page);

    cc_file_location loc;
    assert_int_equal(cc_file_locate(db, file_id, &loc, &err), 0);
    assert_string_equal(loc.root, "/films");
    assert_int_equal(loc.size, 1000);
    cc_file_location_clear(&loc);
    assert_int_equal(cc_file_locate(db, 999999, &loc, &err), CU_ENOTFOUND);

    /* Removing the main file leaves a film with no main file: pruned, with
     * its extras. */
    assert_int_equal(test_begin(db, &err), 0);
    assert_int_equal(cc_file_remove(db, file_id, &err), 0);
    int removed = -1;
    assert_int_equal(cc_film_prune(db, "/films", &removed, &err), 0);
    assert_int_equal(test_commit(db, &err), 0);
    assert_int_equal(removed, 1);
    assert_int_equal(cc_film_get(db, film_id, &film, &err), CU_ENOTFOUND);
    cc_counts counts;
    assert_int_equal(cc_browse_totals(db, &counts, &err), 0);
    assert_int_equal(counts.films, 0);
    assert_int_equal(counts.extras, 0);
    cc_db_close(db);
}

/* Editions and versions: an old catalog's versions become versions of a
 * default edition; placing files by name moves a cut to its own edition;
 * a disc's titles list its main title first; empty ones are pruned. */
static void test_editions(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_film_names names = {.title = "Film", .year = 2001};
    int64_t film = 0, hd = 0, cut = 0, plain = 0, disc = 0, disc_extra = 0;
    cc_file_facts info = {.container = "mkv", .duration = 100};
    cc_file_facts longer = {.container = "mkv", .duration = 130};
    assert_int_equal(test_begin(db, &err), 0);
    assert_int_equal(cc_film_ensure(db, "/f/Film (2001)", &names, &film, &err), 0);
    cc_file_place p = {.root = "/f", .film_id = film, .part = 1};
    p.path = "/f/Film (2001)/Film (2001) - 1080p.mkv", p.version = "1080p";
    assert_int_equal(cc_file_put(db, &p, 1, 1, NULL, &info, NULL, &hd, &err), 0);
    p.path = "/f/Film (2001)/Film (2001) - Director's Cut.mkv", p.version = "Director's Cut";
    assert_int_equal(cc_file_put(db, &p, 1, 1, NULL, &longer, NULL, &cut, &err), 0);
    p.path = "/f/Film (2001)/Film (2001).mkv", p.version = NULL;
    assert_int_equal(cc_file_put(db, &p, 1, 1, NULL, &info, NULL, &plain, &err), 0);
    assert_int_equal(test_commit(db, &err), 0);
    cc_db_close(db);

    /* The catalog as version 8 wrote it. */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db_path, &raw), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(raw,
                     TEST_DROP_SCOPE_STAMP TEST_DROP_FILM_PLAYS TEST_DROP_FILM_LIST_ROWS
                         TEST_DROP_SORT_COLUMNS
                     "DROP INDEX files_version; DROP TABLE versions; DROP TABLE editions;"
                     " DROP TABLE favorites;"
                     " ALTER TABLE files DROP COLUMN version_id;"
                     " ALTER TABLE files DROP COLUMN disc_title;" TEST_DROP_RETRIES_TO_STAMP
                     " PRAGMA user_version = 8;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_film *f = NULL;
    assert_int_equal(cc_film_get(db, film, &f, &err), 0);
    assert_int_equal(f->edition_count, 1);
    assert_string_equal(f->editions[0].label, "");
    assert_int_equal(f->editions[0].version_count, 3);
    assert_string_equal(f->editions[0].versions[0].label, "");
    assert_string_equal(f->editions[0].versions[1].label, "1080p");
    assert_string_equal(f->editions[0].versions[2].label, "Director's Cut");
    assert_int_equal(f->file_count, 3); /* the files list is as it was */
    cc_film_free(f);

    /* The scan places files by name: the cut goes to its own edition. */
    assert_int_equal(test_begin(db, &err), 0);
    assert_int_equal(cc_edition_place(db, film, "", "1080p", "file", hd, 0, NULL, &err), 0);
    assert_int_equal(cc_edition_place(db, film, "", "", "file", plain, 0, NULL, &err), 0);
    assert_int_equal(cc_edition_place(db, film, "Director's Cut", "", "file", cut, 0, NULL, &err),
                     0);
    p.path = "/f/Film (2001)/Disc", p.version = NULL;
    assert_int_equal(cc_file_put(db, &p, 1, 1, NULL, &info, NULL, &disc, &err), 0);
    /* clang-format off */
    cc_file_place x = {.path = "/f/Film (2001)/Disc#00001", .root = "/f", .film_id = film,
                       .is_extra = true, .part = 1, .extra_type = "other", .extra_title = "x"};
    /* clang-format on */
    assert_int_equal(cc_file_put(db, &x, 0, 1, NULL, &info, NULL, &disc_extra, &err), 0);
    /* The extra title placed first: the main one still lists first. */
    assert_int_equal(
        cc_edition_place(db, film, "", "Blu-ray", "bluray", disc_extra, 1, "extra", &err), 0);
    assert_int_equal(cc_edition_place(db, film, "", "Blu-ray", "bluray", disc, 800, "main", &err),
                     0);
    assert_int_equal(cc_edition_prune(db, &err), 0);
    assert_int_equal(test_commit(db, &err), 0);
    assert_int_equal(cc_film_get(db, film, &f, &err), 0);
    assert_int_equal(f->edition_count, 2);
    const cc_edition *def = &f->editions[0], *dc = &f->editions[1];
    assert_string_equal(def->label, "");
    assert_string_equal(dc->label, "Director's Cut");
    assert_int_equal(dc->version_count, 1);
    assert_int_equal(dc->versions[0].files[0].id, cut);
    assert_true(dc->runtime > 129 && dc->runtime < 131);
    assert_int_equal(def->version_count,
                     3); /* "", "1080p", "Blu-ray": the empty cut version went */
    const cc_version *bd = &def->versions[2];
    assert_string_equal(bd->label, "Blu-ray");
    assert_string_equal(bd->kind, "bluray");
    assert_int_equal(bd->file_count, 2);
    assert_int_equal(bd->files[0].id, disc);
    assert_string_equal(bd->files[0].title_kind, "main");
    assert_string_equal(bd->files[1].title_kind, "extra");
    assert_true(def->runtime > 99 &&
                def->runtime < 101); /* the disc's extra title does not count */
    cc_film_free(f);
    cc_db_close(db);
}

static void test_prune_respects_root(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_film_names names = {.title = "A"};
    int64_t a, b;
    assert_int_equal(cc_film_ensure(db, "/films/A", &names, &a, &err), 0);
    assert_int_equal(cc_film_ensure(db, "/films2/B", &names, &b, &err), 0);
    int removed = 0;
    assert_int_equal(cc_film_prune(db, "/films", &removed, &err), 0);
    assert_int_equal(removed, 1); /* /films2/B is not under /films */
    int64_t found = 0;
    assert_int_equal(cc_film_find_key(db, "/films2/B", &found, &err), 0);
    assert_int_equal(found, b);
    cc_db_close(db);
}

/* A stored keyframe index comes back byte for byte, and is dropped when its
 * file's content changes (a new probe), but not when the file only moved. */
static void test_keyframes_stored_and_dropped(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_film_names names = {.title = "Volver", .year = 2006};
    int64_t film_id, file_id;
    assert_int_equal(cc_film_ensure(db, "/films/Volver (2006)", &names, &film_id, &err), 0);
    cc_file_facts info = {.container = "mkv", .duration = 10};
    cc_file_place place = {
        .path = "/films/Volver (2006)/Volver.mkv", .root = "/films", .film_id = film_id, .part = 1};
    assert_int_equal(cc_file_put(db, &place, 100, 1, NULL, &info, NULL, &file_id, &err), 0);

    void *blob = NULL;
    size_t len = 1;
    assert_int_equal(cc_keyframes_get(db, file_id, &blob, &len, &err), CU_ENOTFOUND);
    assert_null(blob);
    int64_t *missing = NULL;
    size_t missing_count = 0;
    assert_int_equal(cc_keyframes_missing(db, 0, 10, &missing, &missing_count, &err), 0);
    assert_int_equal(missing_count, 1);
    assert_int_equal(missing[0], file_id);
    free(missing);

    const unsigned char data[] = {1, 2, 3, 0, 5, 6};
    assert_int_equal(cc_keyframes_put(db, file_id, data, sizeof data, &err), 0);
    assert_int_equal(cc_keyframes_get(db, file_id, &blob, &len, &err), 0);
    assert_int_equal(len, sizeof data);
    assert_memory_equal(blob, data, sizeof data);
    free(blob);
    assert_int_equal(cc_keyframes_missing(db, 0, 10, &missing, &missing_count, &err), 0);
    assert_int_equal(missing_count, 0);
    /* Bad input is refused, not stored. */
    assert_int_equal(cc_keyframes_put(db, file_id, data, 0, &err), CU_EINVAL);
    assert_int_equal(cc_keyframes_put(db, 999999, data, sizeof data, &err), CU_ENOTFOUND);

    /* Moved (same content): kept. */
    assert_int_equal(cc_file_touch(db, file_id, 100, 2, &err), 0);
    assert_int_equal(cc_keyframes_get(db, file_id, &blob, &len, &err), 0);
    free(blob);
    /* Changed (probed again): dropped. */
    assert_int_equal(cc_file_put(db, &place, 200, 3, NULL, &info, NULL, &file_id, &err), 0);
    assert_int_equal(cc_keyframes_get(db, file_id, &blob, &len, &err), CU_ENOTFOUND);
    cc_db_close(db);
}

static int count_films(cc_db *db)
{
    cu_err err = {0};
    cc_counts counts;
    assert_int_equal(cc_browse_totals(db, &counts, &err), 0);
    return (int)counts.films;
}

static int add_film(cc_db *db, void *user, cu_err *err)
{
    cc_film_names names = {.title = user};
    int64_t id;
    char key[64];
    snprintf(key, sizeof key, "/films/%s", (const char *)user);
    int rc = cc_film_ensure(db, key, &names, &id, err);
    return rc < 0 ? rc : !strcmp(user, "fail") ? CU_EINVAL : 0;
}

/* The writer commits every batch, rolls back what it was not told to keep,
 * and runs one-shot writes whole or not at all. */
static void test_writer_batches_and_rolls_back(void **state)
{
    (void)state;
    cc_db *db, *reader;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READONLY, &reader, &err), 0);
    cc_writer *w = cc_writer_new(db, 2);
    assert_false(cc_writer_active(w));
    assert_int_equal(cc_writer_begin(w, &err), 0);
    assert_true(cc_writer_active(w));
    const char *titles[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(add_film(db, (void *)titles[i], &err), 0);
        assert_int_equal(cc_writer_step(w, &err), 0);
    }
    /* Two units made a batch: committed and visible to another connection;
     * the third is still open. */
    assert_int_equal(count_films(reader), 2);
    cc_writer_rollback(w);
    assert_false(cc_writer_active(w));
    assert_int_equal(count_films(reader), 2);
    cc_writer_free(w);

    assert_int_equal(cc_writer_run(db, add_film, "d", &err), 0);
    assert_int_equal(count_films(reader), 3);
    assert_int_equal(cc_writer_run(db, add_film, "fail", &err), CU_EINVAL);
    assert_int_equal(count_films(reader), 3);
    cc_db_close(reader);
    cc_db_close(db);
}

/* The scan status is one row: absent until written, then read back as put,
 * and replaced (not added to) by the next write. */
static void test_scan_status_row(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_scan_status s;
    assert_int_equal(cc_scan_status_get(db, &s, &err), CU_ENOTFOUND);
    cc_scan_status put = {.state = "scanning",
                          .found = 12,
                          .probed = 3,
                          .to_probe = 9,
                          .started_at = 1700000000,
                          .watching = true};
    assert_int_equal(cc_scan_status_put(db, &put, &err), 0);
    assert_int_equal(cc_scan_status_get(db, &s, &err), 0);
    assert_string_equal(s.state, "scanning");
    assert_int_equal(s.found, 12);
    assert_int_equal(s.to_probe, 9);
    assert_true(s.watching);
    assert_string_equal(s.last_error, "");
    cc_scan_status failed = {.state = "failed", .scans = 1, .failed = 2};
    snprintf(failed.last_error, sizeof failed.last_error, "disk on fire");
    assert_int_equal(cc_scan_status_put(db, &failed, &err), 0);
    assert_int_equal(cc_scan_status_get(db, &s, &err), 0);
    assert_string_equal(s.state, "failed");
    assert_string_equal(s.last_error, "disk on fire");
    assert_int_equal(s.found, 0);
    assert_false(s.watching);
    assert_true(s.updated_at > 0);
    cc_db_close(db);
}

/* A file's sidecars are replaced as a whole and go with the file. */
static void test_subtitles_follow_their_file(void **state)
{
    (void)state;
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_film_names names = {.title = "Julieta"};
    int64_t film_id, file_id;
    assert_int_equal(cc_film_ensure(db, "/films/Julieta", &names, &film_id, &err), 0);
    cc_file_facts info = {.container = "mkv"};
    cc_file_place place = {
        .path = "/films/Julieta/Julieta.mkv", .root = "/films", .film_id = film_id, .part = 1};
    assert_int_equal(cc_file_put(db, &place, 1, 1, NULL, &info, NULL, &file_id, &err), 0);
    /* clang-format off */
    cc_subtitle subs[2] = {
        {.path = "/films/Julieta/Julieta.es.forced.srt", .format = "srt", .language = "es",
         .is_forced = true, .size = 10},
        {.path = "/films/Julieta/Julieta.en.sdh.ass", .format = "ass", .language = "en",
         .is_hearing_impaired = true, .size = 20},
    };
    /* clang-format on */
    assert_int_equal(cc_subtitle_replace(db, file_id, subs, 2, &err), 0);
    cc_subtitle *got;
    size_t count;
    assert_int_equal(cc_subtitle_list(db, file_id, &got, &count, &err), 0);
    assert_int_equal(count, 2);
    assert_string_equal(got[0].path, "/films/Julieta/Julieta.en.sdh.ass"); /* by path */
    assert_true(got[0].is_hearing_impaired);
    assert_string_equal(got[1].language, "es");
    assert_true(got[1].is_forced);
    cc_subtitle_list_free(got, count);
    assert_int_equal(cc_subtitle_replace(db, file_id, subs, 1, &err), 0);
    assert_int_equal(cc_subtitle_list(db, file_id, &got, &count, &err), 0);
    assert_int_equal(count, 1);
    cc_subtitle_list_free(got, count);
    assert_int_equal(cc_file_remove(db, file_id, &err), 0);
    assert_int_equal(cc_subtitle_list(db, file_id, &got, &count, &err), 0);
    assert_int_equal(count, 0);
    cc_db_close(db);
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stamp_maxima_use_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readonly_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_thumbs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_film_file_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_respects_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_editions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyframes_stored_and_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_batches_and_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_status_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subtitles_follow_their_file, setup, teardown),
    };
    /* clang-format on */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
