/* Unit tests for the shelf in the catalog (cc_shelf, cc_collection and
 * the films list's new sorts): sort keys and collections kept at write
 * time, collections leaving with their last film, the A-Z letters, more
 * like this, and Collections/<Name>/ folders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_artwork.h"
#include "catalog/cc_collection.h"
#include "catalog/cc_cursor.h"
#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_shelf.h"
#include "catalog/cc_stream.h"
#include "catalog/cc_watch.h"
#include "catalog/cc_writer.h"

static char db_path[512];
static cc_db *db;
static cc_writer *writer;

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-shelf-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    cu_err err = {0};
    if (cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err) < 0)
        return -1;
    writer = cc_writer_new(db, 0);
    return cc_writer_begin(writer, &err);
}

static int teardown(void **state)
{
    (void)state;
    cu_err err = {0};
    cc_writer_commit(writer, &err);
    cc_writer_free(writer);
    cc_db_close(db);
    char p[600];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    return 0;
}

static int64_t add(const char *key, const char *title, int year)
{
    cu_err err = {0};
    cc_film_names names = {.title = title, .year = year};
    int64_t id = 0;
    assert_int_equal(cc_film_ensure(db, key, &names, &id, &err), 0);
    return id;
}

static void test_folder_collection(void **state)
{
    (void)state;
    size_t len = 0;
    const char *n =
        cc_shelf_folder_collection("/lib/Collections/Studio Ghibli/Spirited Away (2001)", &len);
    assert_non_null(n);
    assert_int_equal(len, strlen("Studio Ghibli"));
    assert_memory_equal(n, "Studio Ghibli", len);
    n = cc_shelf_folder_collection("/lib/collections/Bond/Dr. No (1962)/Dr. No (1962)", &len);
    assert_non_null(n);
    assert_memory_equal(n, "Bond", len);
    assert_null(
        cc_shelf_folder_collection("/lib/Collections/Film (2001)", &len)); /* no folder above */
    assert_null(cc_shelf_folder_collection("/lib/MyCollections/X/Film", &len));
    assert_null(cc_shelf_folder_collection("/lib/Collections/.hidden/Film", &len));
    assert_null(cc_shelf_folder_collection(NULL, &len));
}

static void test_keys_and_collections(void **state)
{
    (void)state;
    cu_err err = {0};
    int64_t godfather = add("/lib/The Godfather (1972)", "The Godfather", 1972);
    int64_t totoro =
        add("/lib/Collections/Studio Ghibli/My Neighbor Totoro (1988)", "My Neighbor Totoro", 1988);
    int64_t spirited =
        add("/lib/Collections/Studio Ghibli/Spirited Away (2001)", "Spirited Away", 2001);
    int64_t haine = add("/lib/La Haine (1995)", "La Haine", 1995);
    int64_t amelie = add("/lib/Amélie (2001)", "Amélie", 2001);

    /* Title order: Amélie, The Godfather, La Haine (still "la haine": no
     * language known yet), My Neighbor Totoro, Spirited Away. */
    cc_film_filter f = {.sort = CC_SORT_TITLE, .limit = 50};
    cc_film_page page;
    assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
    int64_t want[] = {amelie, godfather, haine, totoro, spirited};
    assert_int_equal(page.count, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(page.items[i].id, want[i]);
    assert_string_equal(page.items[1].sort_key, "godfather");
    cc_browse_films_clear(&page);

    /* A French .nfo: La Haine goes under H. */
    cc_film *m = cc_film_new();
    m->metadata_source = "nfo";
    m->title = "La Haine";
    cc_film_add_term(m, &m->countries, "France");
    assert_int_equal(cc_film_set_meta(db, haine, m, &err), 0);
    cc_film_free(m);
    assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
    assert_int_equal(page.items[2].id, haine);
    assert_string_equal(page.items[2].sort_key, "haine");
    cc_browse_films_clear(&page);

    /* The folder made a collection; a <set> makes another. */
    cc_collection_list list;
    assert_int_equal(cc_collection_list_all(db, NULL, 0, &list, &err), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].name, "Studio Ghibli");
    assert_string_equal(list.items[0].source, "folder");
    assert_int_equal(list.items[0].count, 2);
    int64_t ghibli = list.items[0].id;
    cc_collection_list_clear(&list);
    m = cc_film_new();
    m->metadata_source = "nfo";
    m->title = "The Godfather";
    m->set_name = "The Godfather Collection";
    assert_int_equal(cc_film_set_meta(db, godfather, m, &err), 0);
    cc_film_free(m);
    assert_int_equal(cc_collection_list_all(db, NULL, 0, &list, &err), 0);
    assert_int_equal(list.count, 2);
    /* Shelved without the article: "Godfather Collection" before "Studio Ghibli". */
    assert_string_equal(list.items[0].name, "The Godfather Collection");
    int64_t saga = list.items[0].id;
    cc_collection_list_clear(&list);

    /* A restricted view sees only its films' collections. */
    int64_t only[] = {godfather};
    assert_int_equal(cc_collection_list_all(db, only, 1, &list, &err), 0);
    assert_int_equal(list.count, 1);
    cc_collection_list_clear(&list);
    cc_collection c;
    assert_int_equal(cc_collection_get(db, ghibli, only, 1, &c, &err), CU_ENOTFOUND);

    /* Films of a collection, and more like this. */
    cc_film_filter in = {.collection_id = ghibli, .sort = CC_SORT_YEAR, .limit = 50};
    assert_int_equal(cc_browse_films(db, &in, &page, &err), 0);
    assert_int_equal(page.count, 2);
    assert_int_equal(page.items[0].id, totoro);
    cc_browse_films_clear(&page);
    assert_int_equal(cc_browse_similar(db, spirited, NULL, 0, 10, &page, &err), 0);
    assert_int_equal(page.count, 1);
    assert_int_equal(page.items[0].id, totoro);
    cc_browse_films_clear(&page);

    /* Letters: counts in key order add up. */
    cc_count_list letters;
    assert_int_equal(cc_browse_letters(db, &f, &letters, &err), 0);
    assert_int_equal(letters.count, 5); /* a g h m s */
    assert_string_equal(letters.items[0].name, "a");
    assert_string_equal(letters.items[4].name, "s");
    cc_browse_counts_clear(&letters);

    /* The last film of a collection leaves: the collection goes too. */
    assert_int_equal(cc_film_clear_meta(db, godfather, &err), 0);
    assert_int_equal(cc_collection_get(db, saga, NULL, 0, &c, &err), CU_ENOTFOUND);
    assert_int_equal(cc_collection_list_all(db, NULL, 0, &list, &err), 0);
    assert_int_equal(list.count, 1);
    cc_collection_list_clear(&list);
}

/* The sort key a film has now, read back through the films list. */
static char *key_of(int64_t film_id)
{
    cu_err err = {0};
    cc_film_filter f = {.sort = CC_SORT_TITLE, .limit = 200};
    cc_film_page page;
    assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
    char *key = NULL;
    for (size_t i = 0; i < page.count; i++)
        if (page.items[i].id == film_id)
            key = strdup(page.items[i].sort_key);
    cc_browse_films_clear(&page);
    assert_non_null(key);
    return key;
}

static void assert_key(int64_t film_id, const char *want)
{
    char *key = key_of(film_id);
    assert_string_equal(key, want);
    free(key);
}

#define LANGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A main file of the film whose audio tracks are tagged langs (NULL ends;
 * the one at default_track is flagged default, -1: none). */
static void add_file(int64_t film_id, const char *path, int part, const char *const *langs,
                     int default_track)
{
    cu_err err = {0};
    cc_stream streams[4] = {{.index = 0, .type = CC_STREAM_VIDEO, .codec = "h264"}};
    size_t n = 1;
    for (size_t i = 0; langs[i] && n < 4; i++, n++) {
        streams[n].index = (int)n;
        streams[n].type = CC_STREAM_AUDIO;
        snprintf(streams[n].codec, sizeof streams[n].codec, "aac");
        snprintf(streams[n].language, sizeof streams[n].language, "%s", langs[i]);
        streams[n].is_default = (int)i == default_track;
    }
    cc_file_facts info = {
        .container = "mkv", .duration = 60, .stream_count = n, .streams = streams};
    cc_file_place place = {.path = path, .root = "/lib", .film_id = film_id, .part = part};
    int64_t id = 0;
    assert_int_equal(cc_file_put(db, &place, 1000, 1, NULL, &info, NULL, &id, &err), 0);
}

static void set_nfo(int64_t film_id, const char *title, const char *original, const char *language,
                    const char *country)
{
    cu_err err = {0};
    cc_film *m = cc_film_new();
    m->metadata_source = "nfo";
    m->title = cc_film_strdup(m, title);
    m->original_title = original ? cc_film_strdup(m, original) : NULL;
    if (language)
        cc_film_add_term(m, &m->languages, language);
    if (country)
        cc_film_add_term(m, &m->countries, country);
    assert_int_equal(cc_film_set_meta(db, film_id, m, &err), 0);
    cc_film_free(m);
}

/* The title's language, where known, as a user expects: the .nfo's
 * <language> first, then the main audio track of the main file, then the
 * countries; a translated title's articles stay English-only. */
static void test_title_language(void **state)
{
    (void)state;
    /* No .nfo at all (the messy library): the audio says French. */
    int64_t haine = add("/lib/La Haine (1995)", "La Haine", 1995);
    assert_key(haine, "la haine"); /* nothing known yet: "La" is no English article */
    add_file(haine, "/lib/La Haine (1995)/La Haine (1995).mkv", 1, LANGS("fre"), 0);
    assert_key(haine, "haine");

    /* The default track is the main one, not the first; part 1 decides. */
    int64_t laberinto = add("/lib/El laberinto del fauno (2006)", "El laberinto del fauno", 2006);
    add_file(laberinto, "/lib/El laberinto del fauno (2006)/El laberinto del fauno - part2.mkv", 2,
             LANGS("eng"), 0);
    add_file(laberinto, "/lib/El laberinto del fauno (2006)/El laberinto del fauno - part1.mkv", 1,
             LANGS("eng", "spa"), 1);
    assert_key(laberinto, "laberinto del fauno");

    /* An American film in Spanish: the audio outranks the country. */
    int64_t norte = add("/lib/El Norte (1983)", "El Norte", 1983);
    add_file(norte, "/lib/El Norte (1983)/El Norte (1983).mkv", 1, LANGS("spa"), 0);
    set_nfo(norte, "El Norte", NULL, NULL, "United States");
    assert_key(norte, "norte");

    /* An untagged ("und") track says nothing: the country decides. */
    int64_t dolce = add("/lib/La Dolce Vita (1960)", "La Dolce Vita", 1960);
    add_file(dolce, "/lib/La Dolce Vita (1960)/La Dolce Vita.mkv", 1, LANGS("und"), 0);
    assert_key(dolce, "la dolce vita");
    set_nfo(dolce, "La Dolce Vita", NULL, NULL, "Italy");
    assert_key(dolce, "dolce vita");

    /* The .nfo's <language> outranks audio and countries, by code or name. */
    int64_t samourai = add("/lib/Le Samourai (1967)", "Le Samouraï", 1967);
    add_file(samourai, "/lib/Le Samourai (1967)/Le Samourai (1967).mkv", 1, LANGS("eng"), 0);
    set_nfo(samourai, "Le Samouraï", NULL, "fr", "United States");
    assert_key(samourai, "samourai");
    int64_t sur = add("/lib/El Sur (1983)", "El Sur", 1983);
    set_nfo(sur, "El Sur", "El Sur", "Castellano", NULL);
    assert_key(sur, "sur");

    /* A translated title keeps "El" (English articles only). */
    int64_t paso = add("/lib/El Paso Story (1990)", "El Paso Story", 1990);
    add_file(paso, "/lib/El Paso Story (1990)/El Paso Story (1990).mkv", 1, LANGS("spa"), 0);
    set_nfo(paso, "El Paso Story", "Historia de El Paso", "es", "Spain");
    assert_key(paso, "el paso story");
}

static void test_sorts_run(void **state)
{
    (void)state;
    cu_err err = {0};
    add("/lib/A (2001)", "A", 2001);
    add("/lib/B", "B", 0);
    /* Every sort, both ways, with every filter set, runs. */
    for (int sort = CC_SORT_TITLE; sort <= CC_SORT_RANDOM; sort++)
        for (int desc = 0; desc < 2; desc++) {
            cc_film_filter f = {
                .sort = (cc_sort)sort, .descending = desc, .limit = 10, .random_seed = 42};
            cc_film_page page;
            assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
            assert_true(page.count >= 2);
            cc_browse_films_clear(&page);
        }
    /* clang-format off */
    cc_film_filter all = {.collection_id = 1, .country = "France", .studio = "x", .tag = "y",
                          .release_type = "festival", .rating_min = 5, .resolution = CC_RES_4K,
                          .hdr = 1, .audio_lang = "spa", .subtitle_lang = "fr", .limit = 10};
    /* clang-format on */
    cc_film_page page;
    assert_int_equal(cc_browse_films(db, &all, &page, &err), 0);
    assert_int_equal(page.total, 0);
    cc_browse_films_clear(&page);
}

/* What a film is sorted by, as the test set it (the oracle's copy). */
typedef struct {
    int64_t id;
    const char *key;
    int year;
    double rating;    /* < 0: unrated */
    char release[16]; /* "": undated */
    int64_t played;   /* 0: never */
    int64_t plays;
} known;

static int sort_dir;
static cc_sort sort_by;

static int cmp_tail(const known *a, const known *b)
{
    int c = strcmp(a->key, b->key);
    if (!c)
        c = (a->year > b->year) - (a->year < b->year);
    if (!c)
        c = (a->id > b->id) - (a->id < b->id);
    return c * sort_dir;
}

/* The documented order (README, "Browsing a big library"), written out
 * plainly: unknown last either way; plays ascending puts none first. */
static int cmp_known(const void *x, const void *y)
{
    const known *a = x, *b = y;
    switch (sort_by) {
    case CC_SORT_RATING:
        if ((a->rating < 0) != (b->rating < 0))
            return a->rating < 0 ? 1 : -1;
        if (a->rating != b->rating)
            return (a->rating < b->rating ? -1 : 1) * sort_dir;
        return cmp_tail(a, b);
    case CC_SORT_RELEASE:
        if (!*a->release != !*b->release)
            return !*a->release ? 1 : -1;
        if (strcmp(a->release, b->release))
            return strcmp(a->release, b->release) * sort_dir;
        return cmp_tail(a, b);
    case CC_SORT_PLAYED:
        if (!a->played != !b->played)
            return !a->played ? 1 : -1;
        if (a->played != b->played)
            return (a->played < b->played ? -1 : 1) * sort_dir;
        return cmp_tail(a, b);
    case CC_SORT_PLAYS:
        if (a->plays != b->plays)
            return (a->plays < b->plays ? -1 : 1) * sort_dir;
        return cmp_tail(a, b);
    default: return cmp_tail(a, b);
    }
}

static void test_sorts_paged(void **state)
{
    (void)state;
    cu_err err = {0};
    enum { N = 23 };
    known films[N];
    for (int i = 0; i < N; i++) {
        char key[64], title[64], path[96];
        /* Titles that tie in pairs, so ties fall to the year and the id. */
        snprintf(title, sizeof title, "Film %c", 'A' + (i * 7) % 12);
        snprintf(key, sizeof key, "/lib/f%d", i);
        int year = 1950 + (i * 5) % 9;
        known *k = &films[i];
        memset(k, 0, sizeof *k);
        k->id = add(key, title, year);
        k->year = year;
        cc_film meta = {.metadata_source = "nfo", .title = title, .year = year};
        cc_rating ratings[2];
        k->rating = -1;
        if (i % 4) { /* two sources, on scales of 10 and 100: the best counts */
            ratings[0] = (cc_rating){.source = "a", .value = (i * 3) % 10, .max = 10};
            ratings[1] = (cc_rating){.source = "b", .value = (i * 13) % 100, .max = 100};
            meta.ratings = ratings;
            meta.rating_count = 2;
            double r0 = ratings[0].value, r1 = ratings[1].value / 10;
            k->rating = r0 > r1 ? r0 : r1;
            if (k->rating <= 0)
                k->rating = -1;
        }
        cc_release rel = {.type = "festival", .country = "FR"};
        if (i % 3) {
            snprintf(k->release, sizeof k->release, "%d-%02d-01", year, 1 + i % 12);
            rel.date = k->release;
            meta.releases = &rel;
            meta.release_count = 1;
        }
        assert_int_equal(cc_film_set_meta(db, k->id, &meta, &err), 0);
        if (!*k->release)
            snprintf(k->release, sizeof k->release, "%d", year); /* the year stands in */
        snprintf(path, sizeof path, "/lib/f%d/f%d.mkv", i, i);
        cc_file_place place = {.path = path, .root = "/lib", .film_id = k->id, .part = 1};
        int64_t file_id;
        assert_int_equal(cc_file_put(db, &place, 1000, 1, NULL, NULL, "test", &file_id, &err), 0);
        if (i % 5 == 1 || i % 5 == 2) { /* played: some to the end, once or twice */
            int rounds = i % 5 == 1 ? 1 + i % 2 : 0;
            for (int r = 0; r <= rounds; r++) {
                cc_progress p = {.user_id = 7,
                                 .file_id = file_id,
                                 .position = r < rounds ? 100 : 10,
                                 .duration = 100};
                assert_int_equal(cc_watch_progress(db, &p, 1000 + i * 10 + r, &err), 0);
            }
            /* As the watch state says it (a report past the end of a
             * file already watched is not a new viewing). */
            cc_watch w;
            assert_int_equal(cc_watch_film_get(db, 7, k->id, &w, &err), 0);
            k->played = w.last_played;
            k->plays = w.play_count;
            assert_true(k->played > 0);
        }
    }
    /* The keys the shelf gave the titles. */
    cc_film_filter all = {.sort = CC_SORT_TITLE, .limit = 500};
    cc_film_page page;
    assert_int_equal(cc_browse_films(db, &all, &page, &err), 0);
    assert_int_equal(page.count, N);
    char *keys[N];
    for (size_t i = 0; i < page.count; i++)
        for (int k = 0; k < N; k++)
            if (films[k].id == page.items[i].id)
                films[k].key = keys[k] = strdup(page.items[i].sort_key);
    cc_browse_films_clear(&page);

    cc_sort sorts[] = {CC_SORT_RATING, CC_SORT_RELEASE, CC_SORT_PLAYED, CC_SORT_PLAYS,
                       CC_SORT_RANDOM};
    for (size_t s = 0; s < sizeof sorts / sizeof *sorts; s++) {
        int64_t seen[2][N];
        for (int desc = 0; desc < 2; desc++) {
            sort_by = sorts[s];
            sort_dir = desc ? -1 : 1;
            known want[N];
            memcpy(want, films, sizeof want);
            qsort(want, N, sizeof *want, cmp_known);
            /* Pages of 4: every page boundary, and the played part's end,
             * fall somewhere inside. */
            size_t got = 0;
            for (int64_t offset = 0; offset < N + 4; offset += 4) {
                cc_film_filter f = {.sort = sorts[s],
                                    .descending = desc,
                                    .limit = 4,
                                    .offset = offset,
                                    .watch_user = 7,
                                    .random_seed = 1u << 31};
                assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
                assert_int_equal(page.total, N);
                for (size_t i = 0; i < page.count; i++) {
                    assert_true(got < N);
                    seen[desc][got] = page.items[i].id;
                    if (sorts[s] != CC_SORT_RANDOM && page.items[i].id != want[got].id) {
                        print_error("sort %d %s: at %zu got film %lld, want %lld\n", (int)sorts[s],
                                    desc ? "desc" : "asc", got, (long long)page.items[i].id,
                                    (long long)want[got].id);
                        fail();
                    }
                    got++;
                }
                cc_browse_films_clear(&page);
            }
            assert_int_equal(got, N);
        }
        /* Descending is ascending reversed, for the shuffle too; and the
         * shuffle is a permutation (no film twice). */
        if (sorts[s] == CC_SORT_RANDOM) {
            for (int i = 0; i < N; i++) {
                assert_int_equal(seen[1][i], seen[0][N - 1 - i]);
                for (int j = 0; j < i; j++)
                    assert_true(seen[0][i] != seen[0][j]);
            }
        }
    }
    /* A rating removed moves the film: the stored best rating follows. */
    cc_film meta = {.metadata_source = "nfo", .title = "Film A", .year = films[1].year};
    assert_int_equal(cc_film_set_meta(db, films[1].id, &meta, &err), 0);
    cc_film_filter rated = {.sort = CC_SORT_RATING, .limit = 500, .rating_min = 0.01};
    assert_int_equal(cc_browse_films(db, &rated, &page, &err), 0);
    for (size_t i = 0; i < page.count; i++)
        assert_true(page.items[i].id != films[1].id);
    cc_browse_films_clear(&page);
    for (int k = 0; k < N; k++)
        free(keys[k]);
}

/* Every sort walks an index of the films table for its pages and for each
 * range a cursor reads from: no temporary B-tree sorts the catalog (only
 * the short list of played films is sorted, marked so). And no statement
 * computes a sort key per film in a subquery: the played films' keys are
 * one aggregate over the user's rows, read once by the page. */
static void test_sort_plans(void **state)
{
    (void)state;
    cu_err err = {0};
    for (int i = 0; i < 40; i++) {
        char key[32], title[32];
        snprintf(key, sizeof key, "/lib/p%d", i);
        snprintf(title, sizeof title, "Plan %d", i % 7);
        add(key, title, i % 3 ? 1990 + i % 11 : 0);
    }
    for (int sort = CC_SORT_TITLE; sort <= CC_SORT_RANDOM; sort++)
        for (int desc = 0; desc < 2; desc++) {
            cc_film_filter f = {
                .sort = (cc_sort)sort, .descending = desc, .random_seed = 9, .watch_user = 7};
            char *plan = NULL;
            assert_int_equal(cc_browse_plan(db, &f, &plan, &err), 0);
            size_t walks = 0, bad = 0;
            for (char *line = plan, *end; line && *line; line = end ? end + 1 : NULL) {
                end = strchr(line, '\n');
                if (end)
                    *end = '\0';
                /* No sort key is computed per film by a subquery (the
                 * played films' keys are one aggregate per statement). */
                if (strstr(line, "CORRELATED")) {
                    print_error("sort %d %s computes per film: %s\n", sort, desc ? "desc" : "asc",
                                line);
                    bad++;
                }
                if (!strstr(line, " walk:"))
                    continue;
                walks++;
                if (strstr(line, "TEMP B-TREE") || !strstr(line, "INDEX")) {
                    print_error("sort %d %s sorts or scans: %s\n", sort, desc ? "desc" : "asc",
                                line);
                    bad++;
                }
            }
            assert_int_equal(bad, 0);
            assert_true(walks >= 2); /* the first page and at least one cursor range */
            free(plan);
        }
}

/* What a cursor reads: the films after the page in the same order as
 * offsets give, for every sort, both ways, page sizes that cut every tie
 * (titles alike, years unknown, unrated, unplayed), with a filter; and the
 * last page says there is none after it. */
static void test_cursor_pages(void **state)
{
    (void)state;
    cu_err err = {0};
    enum { N = 19 };
    for (int i = 0; i < N; i++) {
        char key[32], title[32], path[64];
        snprintf(key, sizeof key, "/lib/c%d", i);
        snprintf(title, sizeof title, "Same %c", 'A' + i % 4);
        int year = i % 5 == 0 ? 0 : 1960 + i % 3; /* 0: unknown */
        int64_t id = add(key, title, year);
        cc_film meta = {
            .metadata_source = "nfo", .title = title, .year = year, .runtime = 80 + 10 * (i % 3)};
        cc_rating rating = {.source = "a", .value = i % 3, .max = 10};
        if (i % 2) {
            meta.ratings = &rating;
            meta.rating_count = 1;
        }
        cc_release rel = {.type = "festival", .date = i % 4 ? "2001-05-01" : NULL};
        meta.releases = &rel;
        meta.release_count = 1;
        assert_int_equal(cc_film_set_meta(db, id, &meta, &err), 0);
        snprintf(path, sizeof path, "/lib/c%d/c%d.mkv", i, i);
        cc_file_place place = {.path = path, .root = "/lib", .film_id = id, .part = 1};
        int64_t file_id;
        assert_int_equal(cc_file_put(db, &place, 1000, 1, NULL, NULL, "test", &file_id, &err), 0);
        if (i % 3 == 1) {
            cc_progress p = {
                .user_id = 7, .file_id = file_id, .position = i % 2 ? 100 : 10, .duration = 100};
            assert_int_equal(cc_watch_progress(db, &p, 2000 + i % 2, &err), 0);
        }
    }
    for (int with_filter = 0; with_filter < 2; with_filter++)
        for (int sort = CC_SORT_TITLE; sort <= CC_SORT_RANDOM; sort++)
            for (int desc = 0; desc < 2; desc++) {
                cc_film_filter f = {.sort = (cc_sort)sort,
                                    .descending = desc,
                                    .limit = 500,
                                    .watch_user = 7,
                                    .random_seed = 1u << 31,
                                    .decade = with_filter ? 1960 : 0};
                cc_film_page all;
                assert_int_equal(cc_browse_films(db, &f, &all, &err), 0);
                assert_null(all.next);
                assert_true(all.count > 0);
                for (int64_t limit = 1; limit <= 7; limit += 3) {
                    size_t got = 0;
                    char *after = NULL;
                    for (int pages = 0; pages <= N; pages++) {
                        cc_film_filter g = f;
                        g.limit = limit;
                        g.after = after;
                        g.offset = 3; /* not used with a cursor */
                        if (!after)
                            g.offset = 0;
                        cc_film_page page;
                        if (cc_browse_films(db, &g, &page, &err) != 0) {
                            print_error("sort %d: %s\n", sort, err.msg);
                            fail();
                        }
                        assert_int_equal(page.total, all.total);
                        for (size_t i = 0; i < page.count; i++, got++) {
                            assert_true(got < all.count);
                            if (page.items[i].id != all.items[got].id) {
                                print_error("sort %d %s limit %lld filter %d: at %zu got %lld,"
                                            " want %lld\n",
                                            sort, desc ? "desc" : "asc", (long long)limit,
                                            with_filter, got, (long long)page.items[i].id,
                                            (long long)all.items[got].id);
                                fail();
                            }
                        }
                        free(after);
                        after = page.next ? strdup(page.next) : NULL;
                        assert_true(page.next || got == all.count);
                        cc_browse_films_clear(&page);
                        if (!after)
                            break;
                    }
                    assert_int_equal(got, all.count);
                    free(after);
                }
                cc_browse_films_clear(&all);
            }
}

/* The cursor page: whatever its position, the films after it are read
 * from its key, not from the start of the key's part. Counted in SQLite's
 * steps (the plan is the same either way, only the work grows): a page
 * deep in a 3,000-film catalog, in every sort, both ways, costs about a
 * first page, not the ~3,000 index entries before it. */
static void test_cursor_work(void **state)
{
    (void)state;
    cu_err err = {0};
    enum { N = 3000, PAGE = 100, DEEP = N - 3 * PAGE };
    for (int i = 0; i < N; i++) {
        char key[32], title[32];
        snprintf(key, sizeof key, "/lib/w%d", i);
        snprintf(title, sizeof title, "Work %d", i % 97);
        /* 150 films without a year, rating or release: the deep page
         * (2,700-2,800) lies in the part of the films where it is known,
         * as it does in the part before the played (played ascending: in
         * the part after them) and in the shuffle's parts past the seed. */
        int year = i % 20 == 0 ? 0 : 1950 + i % 60;
        int64_t id = add(key, title, year);
        if (i % 20 == 0)
            continue;
        cc_film meta = {.metadata_source = "nfo", .title = title, .year = year};
        cc_rating rating = {.source = "a", .value = 1 + i % 9, .max = 10};
        cc_release rel = {.type = "theatrical", .date = "2001-05-01"};
        meta.ratings = &rating;
        meta.rating_count = 1;
        meta.releases = &rel;
        meta.release_count = 1;
        assert_int_equal(cc_film_set_meta(db, id, &meta, &err), 0);
        if (i % 15 == 1) { /* 200 played, some to the end */
            char path[64];
            snprintf(path, sizeof path, "/lib/w%d/w%d.mkv", i, i);
            cc_file_place place = {.path = path, .root = "/lib", .film_id = id, .part = 1};
            int64_t file_id;
            assert_int_equal(cc_file_put(db, &place, 1000, 1, NULL, NULL, "test", &file_id, &err),
                             0);
            cc_progress p = {
                .user_id = 7, .file_id = file_id, .position = i % 2 ? 100 : 10, .duration = 100};
            assert_int_equal(cc_watch_progress(db, &p, 5000 + i, &err), 0);
        }
    }
    /* Random seeds where the deep page's part starts far before it. */
    const uint32_t seeds[] = {7, 0xfffffff0u, 1u << 31};
    for (int sort = CC_SORT_TITLE; sort <= CC_SORT_RANDOM; sort++)
        for (int desc = 0; desc < 2; desc++)
            for (size_t s = 0; s < (sort == CC_SORT_RANDOM ? 3 : 1); s++) {
                cc_film_filter f = {.sort = (cc_sort)sort,
                                    .descending = desc,
                                    .limit = PAGE,
                                    .watch_user = 7,
                                    .random_seed = seeds[s]};
                cc_film_page page;
                assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
                assert_int_equal(page.count, PAGE);
                int64_t first = page.steps;
                assert_true(first > 0);
                cc_browse_films_clear(&page);
                /* To the deep page by cursor, pages of 400. */
                char *after = NULL;
                int64_t seen = 0;
                while (seen < DEEP) {
                    cc_film_filter g = f;
                    g.limit = DEEP - seen < 400 ? DEEP - seen : 400;
                    g.after = after;
                    assert_int_equal(cc_browse_films(db, &g, &page, &err), 0);
                    seen += (int64_t)page.count;
                    free(after);
                    after = strdup(page.next);
                    cc_browse_films_clear(&page);
                }
                f.after = after;
                assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
                assert_int_equal(page.count, PAGE);
                int64_t deep = page.steps;
                cc_browse_films_clear(&page);
                free(after);
                /* A deep page has a few statements more (its ranges);
                 * walking from its part's start costs ~10 steps a film. */
                if (getenv("CINEMATECA_TEST_VERBOSE"))
                    print_message("sort %d %s seed %u: first %lld, deep %lld steps\n", sort,
                                  desc ? "desc" : "asc", (unsigned)seeds[s], (long long)first,
                                  (long long)deep);
                if (deep > 2 * first) {
                    print_error("sort %d %s seed %u: the page at %d took %lld steps, the first"
                                " %lld\n",
                                sort, desc ? "desc" : "asc", (unsigned)seeds[s], DEEP,
                                (long long)deep, (long long)first);
                    fail();
                }
            }
}

/* A cursor not made by this catalog for this sort is refused, never read. */
static void test_cursor_refused(void **state)
{
    (void)state;
    cu_err err = {0};
    for (int i = 0; i < 5; i++) {
        char key[32];
        snprintf(key, sizeof key, "/lib/r%d", i);
        add(key, "Refused", 2000 + i);
    }
    cc_film_filter f = {.sort = CC_SORT_YEAR, .limit = 2, .random_seed = 5};
    cc_film_page page;
    assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
    assert_non_null(page.next);
    char *good = strdup(page.next);
    cc_browse_films_clear(&page);
    char long_one[CC_CURSOR_MAX + 2];
    memset(long_one, 'a', sizeof long_one - 1);
    long_one[sizeof long_one - 1] = '\0';
    char edited[512];
    snprintf(edited, sizeof edited, "%s", good);
    edited[5] = edited[5] == '1' ? '2' : '1'; /* within the header */
    char bad_check[512];
    snprintf(bad_check, sizeof bad_check, "%s", good);
    bad_check[strlen(bad_check) - 1] ^= 1;
    /* clang-format off */
    const char *bad[] = {"", "x", "c1", "c1.1.0.0.0.00000000", "c1.1.0.0.0.q.00000000",
                         "c2.1.0.0.0.i1.i2.00000000", "c1.1.0.0.0.t6.00000000",
                         "c1.1.0.0.0.r0000.00000000", "..........", long_one, edited,
                         bad_check};
    /* clang-format on */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cc_film_filter g = f;
        g.after = bad[i];
        err = (cu_err){0};
        assert_int_equal(cc_browse_films(db, &g, &page, &err), CU_EINVAL);
        assert_int_equal(page.count, 0);
        assert_true(err.msg[0]);
    }
    /* Good, but of another sort, order or shuffle. */
    cc_film_filter other[] = {{.sort = CC_SORT_TITLE},
                              {.sort = CC_SORT_YEAR, .descending = 1},
                              {.sort = CC_SORT_RANDOM, .random_seed = 5}};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        other[i].after = good;
        assert_int_equal(cc_browse_films(db, &other[i], &page, &err), CU_EINVAL);
    }
    f.after = good;
    assert_int_equal(cc_browse_films(db, &f, &page, &err), 0);
    assert_int_equal(page.count, 2);
    cc_browse_films_clear(&page);
    /* A shuffle's cursor belongs to its seed. */
    cc_film_filter r = {.sort = CC_SORT_RANDOM, .limit = 2, .random_seed = 5};
    assert_int_equal(cc_browse_films(db, &r, &page, &err), 0);
    char *shuffled = strdup(page.next);
    cc_browse_films_clear(&page);
    r.after = shuffled;
    r.random_seed = 6;
    assert_int_equal(cc_browse_films(db, &r, &page, &err), CU_EINVAL);
    r.random_seed = 5;
    assert_int_equal(cc_browse_films(db, &r, &page, &err), 0);
    cc_browse_films_clear(&page);
    free(shuffled);
    free(good);
}

/* What a list item shows beyond the films table follows every write:
 * genres, the first director (and a rename), the poster, the tallest main
 * picture and HDR (schema 18's rows, kept by triggers). */
static void test_list_rows_follow(void **state)
{
    (void)state;
    cu_err err = {0};
    int64_t id = add("/lib/Rows (2001)", "Rows", 2001);
    cc_film_filter one = {.ids = &id, .id_count = 1, .limit = 1};
    cc_film_page page;
#define ITEM()                                                                                     \
    do {                                                                                           \
        assert_int_equal(cc_browse_films(db, &one, &page, &err), 0);                               \
        assert_int_equal(page.count, 1);                                                           \
    } while (0)
    ITEM();
    assert_null(page.items[0].genres);
    assert_null(page.items[0].director);
    assert_int_equal(page.items[0].has_poster, 0);
    assert_int_equal(page.items[0].height, 0);
    cc_browse_films_clear(&page);

    char *genres[] = {"War", "Drama"};
    cc_credit credits[] = {{.name = "Ann Director", .job = "director"},
                           {.name = "Bob Second", .job = "director"},
                           {.name = "Cat Actor", .job = "actor"}};
    /* clang-format off */
    cc_film meta = {.metadata_source = "nfo", .title = "Rows", .year = 2001,
                    .genres = {genres, 2}, .credits = credits, .credit_count = 3};
    /* clang-format on */
    assert_int_equal(cc_film_set_meta(db, id, &meta, &err), 0);
    assert_int_equal(cc_artwork_set(db, id, "poster", "/lib/Rows (2001)/poster.jpg", 0, &err), 0);
    /* clang-format off */
    cc_stream video[] = {{.index = 0, .type = CC_STREAM_VIDEO, .codec = "hevc", .height = 1080,
                          .hdr = "HDR10"},
                         {.index = 1, .type = CC_STREAM_VIDEO, .codec = "mjpeg", .height = 3000,
                          .attached_pic = true}};
    /* clang-format on */
    cc_file_facts info = {.container = "mkv", .duration = 60, .stream_count = 2, .streams = video};
    cc_file_place place = {
        .path = "/lib/Rows (2001)/Rows.mkv", .root = "/lib", .film_id = id, .part = 1};
    int64_t file_id = 0;
    assert_int_equal(cc_file_put(db, &place, 1000, 1, NULL, &info, NULL, &file_id, &err), 0);
    ITEM();
    assert_string_equal(page.items[0].genres, "Drama, War");
    assert_string_equal(page.items[0].director, "Ann Director");
    assert_int_equal(page.items[0].has_poster, 1);
    assert_int_equal(page.items[0].height, 1080); /* cover art is no picture */
    assert_int_equal(page.items[0].hdr, 1);
    cc_browse_films_clear(&page);

    /* New metadata, no poster, a plain 720p picture. */
    char *one_genre[] = {"Comedy"};
    cc_credit second[] = {{.name = "Bob Second", .job = "director"}};
    /* clang-format off */
    cc_film meta2 = {.metadata_source = "nfo", .title = "Rows", .year = 2001,
                     .genres = {one_genre, 1}, .credits = second, .credit_count = 1};
    /* clang-format on */
    assert_int_equal(cc_film_set_meta(db, id, &meta2, &err), 0);
    assert_int_equal(cc_artwork_clear(db, id, "poster", &err), 0);
    cc_stream plain[] = {{.index = 0, .type = CC_STREAM_VIDEO, .codec = "h264", .height = 720}};
    assert_int_equal(cc_stream_replace(db, file_id, plain, 1, NULL, 0, &err), 0);
    ITEM();
    assert_string_equal(page.items[0].genres, "Comedy");
    assert_string_equal(page.items[0].director, "Bob Second");
    assert_int_equal(page.items[0].has_poster, 0);
    assert_int_equal(page.items[0].height, 720);
    assert_int_equal(page.items[0].hdr, 0);
    cc_browse_films_clear(&page);

    /* The file leaves: no picture known. */
    assert_int_equal(cc_file_remove(db, file_id, &err), 0);
    ITEM();
    assert_int_equal(page.items[0].height, 0);
    cc_browse_films_clear(&page);
    /* The resolution filter reads the same rows. */
    cc_film_filter hd = {.ids = &id, .id_count = 1, .limit = 1, .resolution = CC_RES_720};
    assert_int_equal(cc_browse_films(db, &hd, &page, &err), 0);
    assert_int_equal(page.total, 0);
    cc_browse_films_clear(&page);
#undef ITEM
}

int main(void)
{
    /* clang-format off */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folder_collection),
        cmocka_unit_test_setup_teardown(test_keys_and_collections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sorts_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sorts_paged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_plans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_work, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_rows_follow, setup, teardown),
    };
    /* clang-format on */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
