/* Unit tests for cl_edition: the naming matrix of editions, versions and
 * parts (film name from cl_name, cut, copy, piece), labels from older
 * catalogs, and the display form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "library/cl_edition.h"
#include "library/cl_name.h"

typedef struct naming_case {
    const char *folder; /* the folder the file is in, "" for a library root */
    const char *stem;   /* the file's name without extension */
    const char *title;
    int year;
    const char *edition;
    const char *version;
    int part;
} naming_case;

static const naming_case matrix[] = {
    /* Plex's {edition-...} in the file name */
    {"", "Blade Runner (1982) {edition-Final Cut} - 4K", "Blade Runner", 1982, "Final Cut", "4K",
     0},
    {"", "Blade Runner (1982) {edition-Final Cut}", "Blade Runner", 1982, "Final Cut", "", 0},
    {"", "Blade Runner (1982) {edition-The Final Cut} - 2160p HDR", "Blade Runner", 1982,
     "The Final Cut", "4K HDR", 0},
    {"", "Amadeus (1984) {EDITION-Director's Cut}", "Amadeus", 1984, "Director's Cut", "", 0},
    {"", "Amadeus (1984) {edition-Director's Cut} [imdbid-tt0086879]", "Amadeus", 1984,
     "Director's Cut", "", 0},
    /* ... and in the folder name */
    {"Apocalypse Now (1979) {edition-Redux}", "Apocalypse Now (1979) {edition-Redux}",
     "Apocalypse Now", 1979, "Redux", "", 0},
    {"Apocalypse Now (1979) {edition-Redux}", "Apocalypse Now (1979)", "Apocalypse Now", 1979,
     "Redux", "", 0},
    {"Apocalypse Now (1979) {edition-Final Cut}",
     "Apocalypse Now (1979) {edition-Final Cut} - 1080p", "Apocalypse Now", 1979, "Final Cut",
     "1080p", 0},
    /* " - <label>" inside the film's folder */
    {"Film (2001)", "Film (2001)", "Film", 2001, "", "", 0},
    {"Film (2001)", "Film (2001) - 1080p", "Film", 2001, "", "1080p", 0},
    {"Film (2001)", "Film (2001) - 2160p HDR", "Film", 2001, "", "4K HDR", 0},
    {"Film (2001)", "Film (2001) - 4K HDR10", "Film", 2001, "", "4K HDR", 0},
    {"Film (2001)", "Film (2001) - UHD Dolby Vision", "Film", 2001, "", "4K Dolby Vision", 0},
    {"Film (2001)", "Film (2001) - Remux", "Film", 2001, "", "Remux", 0},
    {"Film (2001)", "Film (2001) - 1080p BluRay x264", "Film", 2001, "", "1080p Blu-ray H.264", 0},
    {"Film (2001)", "Film (2001) - 4K Remastered", "Film", 2001, "", "4K Remastered", 0},
    {"Film (2001)", "Film (2001) - Director's Cut", "Film", 2001, "Director's Cut", "", 0},
    {"Film (2001)", "Film (2001) - Directors Cut", "Film", 2001, "Director's Cut", "", 0},
    {"Film (2001)", "Film (2001) - Director\xe2\x80\x99s Cut", "Film", 2001, "Director's Cut", "",
     0},
    {"Film (2001)", "Film (2001) - Director's Cut - 4K", "Film", 2001, "Director's Cut", "4K", 0},
    {"Film (2001)", "Film (2001) - Director's Cut 4K HDR", "Film", 2001, "Director's Cut", "4K HDR",
     0},
    {"Film (2001)", "Film (2001) - Director's Cut - Part 1", "Film", 2001, "Director's Cut", "", 1},
    {"Film (2001)", "Film (2001) - Director's Cut - Part 2", "Film", 2001, "Director's Cut", "", 2},
    {"Film (2001)", "Film (2001) - Extended - 1080p - cd1", "Film", 2001, "Extended", "1080p", 1},
    {"Film (2001)", "Film (2001) - Theatrical", "Film", 2001, "Theatrical", "", 0},
    {"Film (2001)", "Film (2001) - Extended Edition", "Film", 2001, "Extended Edition", "", 0},
    {"Film (2001)", "Film (2001) - Unrated", "Film", 2001, "Unrated", "", 0},
    {"Film (2001)", "Film (2001) - Black and White", "Film", 2001, "Black and White", "", 0},
    {"Film (2001)", "Film (2001) - Black & White - 4K", "Film", 2001, "Black and White", "4K", 0},
    {"Film (2001)", "Film (2001) - Restored", "Film", 2001, "Restored", "", 0},
    {"Film (2001)", "Film (2001) - IMAX", "Film", 2001, "IMAX", "", 0},
    {"Film (2001)", "Film (2001) - Alan Smithee Cut", "Film", 2001, "Alan Smithee Cut", "", 0},
    {"Film (2001)", "Film (2001) - 25th Anniversary Edition", "Film", 2001,
     "25th Anniversary Edition", "", 0},
    {"Film (2001)", "Film (2001) - Criterion", "Film", 2001, "", "Criterion", 0},
    {"Film (2001)", "Film (2001) - My Copy", "Film", 2001, "", "My Copy", 0},
    {"Film (2001)", "Film (2001) - Part 2", "Film", 2001, "", "", 2},
    {"Film (2001)", "Film (2001).2160p.HDR", "Film", 2001, "", "4K HDR", 0},
    /* flat files, no folder of their own */
    {"", "Film (2001) - Director's Cut - Part 1", "Film", 2001, "Director's Cut", "", 1},
    {"", "Film (2001) - 1080p", "Film", 2001, "", "1080p", 0},
    {"", "Film (2001)", "Film", 2001, "", "", 0},
    {"", "Mission Impossible - Fallout (2018) - 4K", "Mission Impossible - Fallout", 2018, "", "4K",
     0},
    {"", "Mission Impossible - Fallout", "Mission Impossible - Fallout", 0, "", "", 0},
    {"", "Mission Impossible - Fallout - 1080p", "Mission Impossible - Fallout", 0, "", "1080p", 0},
    {"", "Nosferatu - Restored", "Nosferatu", 0, "Restored", "", 0},
    /* dotted release names */
    {"", "Alien.1979.Directors.Cut.1080p.BluRay.x264-GROUP", "Alien", 1979, "Director's Cut",
     "1080p Blu-ray H.264", 0},
    {"", "Blade.Runner.1982.The.Final.Cut.2160p.UHD.BluRay.REMUX.HDR.HEVC-X", "Blade Runner", 1982,
     "Final Cut", "4K HDR Blu-ray Remux HEVC", 0},
    {"", "2001.A.Space.Odyssey.1968.2160p.HDR", "2001 A Space Odyssey", 1968, "", "4K HDR", 0},
    {"", "The.Abyss.1989.Special.Edition.720p", "The Abyss", 1989, "Special Edition", "720p", 0},
    {"", "Dune.2021.IMAX.2160p.DV", "Dune", 2021, "IMAX", "4K Dolby Vision", 0},
    /* hostile */
    {"", "{edition-", "edition", 0, "", "", 0},
    {"", "Film (2001) {edition-}", "Film", 2001, "", "", 0},
    {"", " - - - ", "", 0, "", "", 0},
};

static void test_naming_matrix(void **state)
{
    (void)state;
    size_t n = sizeof matrix / sizeof *matrix;
    assert_true(n >= 40);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        const naming_case *c = &matrix[i];
        cl_edition e;
        cl_edition_from_name(c->folder, c->stem, &e);
        cl_name name;
        cl_name_parse(c->folder[0] ? c->folder : c->stem, &name);
        if (strcmp(e.edition, c->edition) || strcmp(e.version, c->version) || e.part != c->part ||
            strcmp(name.title, c->title) || name.year != c->year) {
            print_error("case %zu: '%s' / '%s'\n  got      title '%s' %d, edition "
                        "'%s', version "
                        "'%s', part %d\n  expected title '%s' %d, edition '%s', "
                        "version '%s', "
                        "part %d\n",
                        i, c->folder, c->stem, name.title, name.year, e.edition, e.version, e.part,
                        c->title, c->year, c->edition, c->version, c->part);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_versions_beside_each_other(void **state)
{
    (void)state;
    /* Film (2001)/Film (2001) - 1080p.mkv beside Film (2001) - 2160p HDR.mkv:
     * two versions of the default edition. */
    cl_edition a, b;
    cl_edition_from_name("Film (2001)", "Film (2001) - 1080p", &a);
    cl_edition_from_name("Film (2001)", "Film (2001) - 2160p HDR", &b);
    assert_string_equal(a.edition, b.edition);
    assert_string_equal(a.edition, "");
    assert_string_equal(a.version, "1080p");
    assert_string_equal(b.version, "4K HDR");
    /* ... and a director's cut beside them is another edition. */
    cl_edition c;
    cl_edition_from_name("Film (2001)", "Film (2001) {edition-Director's Cut} - 4K", &c);
    assert_string_equal(c.edition, "Director's Cut");
    assert_string_equal(c.version, "4K");
}

static void test_labels_of_older_catalogs(void **state)
{
    (void)state;
    cl_edition e;
    cl_edition_from_label("1080p", &e);
    assert_string_equal(e.edition, "");
    assert_string_equal(e.version, "1080p");
    cl_edition_from_label("Director's Cut", &e);
    assert_string_equal(e.edition, "Director's Cut");
    assert_string_equal(e.version, "");
    cl_edition_from_label("Final Cut - 2160p", &e);
    assert_string_equal(e.edition, "Final Cut");
    assert_string_equal(e.version, "4K");
    assert_true(cl_edition_names_cut("Extended"));
    assert_true(cl_edition_names_cut("directors cut"));
    assert_false(cl_edition_names_cut("4K HDR"));
    assert_false(cl_edition_names_cut("Criterion"));
    assert_false(cl_edition_names_cut(""));
    assert_false(cl_edition_names_cut(NULL));
}

static void test_display(void **state)
{
    (void)state;
    char out[64];
    cl_edition e = {.edition = "Director's Cut", .version = "4K HDR"};
    cl_edition_display(&e, out, sizeof out);
    assert_string_equal(out, "Director's Cut \xc2\xb7 4K HDR");
    cl_edition only_cut = {.edition = "Final Cut"};
    cl_edition_display(&only_cut, out, sizeof out);
    assert_string_equal(out, "Final Cut");
    cl_edition only_version = {.version = "1080p"};
    cl_edition_display(&only_version, out, sizeof out);
    assert_string_equal(out, "1080p");
    cl_edition none = {0};
    assert_int_equal(cl_edition_display(&none, out, sizeof out), 0);
    assert_string_equal(out, "");
    char tiny[5];
    assert_int_equal(cl_edition_display(&e, tiny, sizeof tiny), 4);
}

static void test_hostile_names(void **state)
{
    (void)state;
    char long_name[8000];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    memcpy(long_name, "{edition-", 9);
    cl_edition e;
    cl_edition_from_name(long_name, long_name, &e);
    assert_true(strlen(e.edition) < CL_EDITION_MAX);
    /* A label made of hundreds of release words stays bounded. */
    char many[4000] = "Film (2001) -";
    while (strlen(many) + 8 < sizeof many)
        strcat(many, " 1080p x");
    cl_edition_from_name("Film (2001)", many, &e);
    assert_true(strlen(e.version) < CL_EDITION_MAX);
    cl_edition_from_name(NULL, NULL, &e);
    assert_string_equal(e.edition, "");
    cl_edition_from_name(NULL, "Film (2001) - \xff\xfe Cut", &e);
    assert_string_equal(e.edition, "\xef\xbf\xbd\xef\xbf\xbd Cut");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_naming_matrix),
        cmocka_unit_test(test_versions_beside_each_other),
        cmocka_unit_test(test_labels_of_older_catalogs),
        cmocka_unit_test(test_display),
        cmocka_unit_test(test_hostile_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
