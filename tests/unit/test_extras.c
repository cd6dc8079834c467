/* Unit tests for cl_extras: extras folders, extras suffixes on file stems,
 * the type vocabulary and readable titles. Table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "library/cl_extras.h"
#include "util/cu_str.h"

typedef struct folder_case {
    const char *dirname;
    const char *type; /* NULL: not an extras folder */
} folder_case;

static const folder_case folder_cases[] = {
    {"Trailers", "trailer"},
    {"trailers", "trailer"},
    {"TRAILERS", "trailer"},
    {"Trailer", "trailer"},
    {"Featurettes", "featurette"},
    {"Interviews", "interview"},
    {"Behind The Scenes", "behind_the_scenes"},
    {"behind the scenes", "behind_the_scenes"},
    {"Behind_the_Scenes", "behind_the_scenes"},
    {"Behind.The.Scenes", "behind_the_scenes"},
    {"BehindTheScenes", "behind_the_scenes"},
    {"Deleted Scenes", "deleted_scene"},
    {"deleted scenes", "deleted_scene"},
    {"Scenes", "scene"},
    {"Clips", "clip"},
    {"Shorts", "short"},
    {"Samples", "sample"},
    {"Sample", "sample"},
    {"Extras", "other"},
    {"extras", "other"},
    {"Other", "other"},
    {"Others", "other"},
    {"Films", NULL},
    {"Pain and Glory (2019)", NULL},
    {"Trailers (2019)", NULL},
    {"Trailers2", NULL},
    {"Más extras", NULL},
    {"", NULL},
    {"   ", NULL},
    {"Tráilers", NULL},
    {"Trailersssssssssssssssssssssssssssssssssssss", NULL},
};

static void test_folder_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof folder_cases / sizeof folder_cases[0]; i++) {
        const folder_case *c = &folder_cases[i];
        const char *got = cl_extras_folder_type(c->dirname);
        if ((got == NULL) != (c->type == NULL) || (got && strcmp(got, c->type) != 0)) {
            print_error("folder \"%s\": got %s\n", c->dirname, got ? got : "NULL");
            fail();
        }
    }
    assert_null(cl_extras_folder_type(NULL));
}

typedef struct suffix_case {
    const char *stem;
    const char *type; /* NULL: no suffix */
    const char *base;
} suffix_case;

static const suffix_case suffix_cases[] = {
    {"Pain and Glory (2019)-trailer", "trailer", "Pain and Glory (2019)"},
    {"Pain and Glory (2019) - trailer", "trailer", "Pain and Glory (2019)"},
    {"Pain and Glory (2019).trailer", "trailer", "Pain and Glory (2019)"},
    {"Pain and Glory (2019)_trailer", "trailer", "Pain and Glory (2019)"},
    {"Pain and Glory (2019) trailer", "trailer", "Pain and Glory (2019)"},
    {"Pain and Glory (2019)-TRAILER", "trailer", "Pain and Glory (2019)"},
    {"Film-featurette", "featurette", "Film"},
    {"Film.interview", "interview", "Film"},
    {"Pedro_Almodovar-interview", "interview", "Pedro_Almodovar"},
    {"Film-behindthescenes", "behind_the_scenes", "Film"},
    {"Film-deleted", "deleted_scene", "Film"},
    {"Film_deletedscene", "deleted_scene", "Film"},
    {"Film-DeletedScene", "deleted_scene", "Film"},
    {"Film-scene", "scene", "Film"},
    {"Film-clip", "clip", "Film"},
    {"Film-short", "short", "Film"},
    {"Film-sample", "sample", "Film"},
    {"Film-other", "other", "Film"},
    {"Film extra", "other", "Film"},
    {"Film-Extra", "other", "Film"},
    {"Amélie (2001)-trailer", "trailer", "Amélie (2001)"},
    {"trailer", "trailer", ""},
    {"Trailer", "trailer", ""},
    {"sample", "sample", ""},
    {"SAMPLE", "sample", ""},
    {"-trailer", "trailer", ""},
    {"extra", NULL, NULL},
    {"Film", NULL, NULL},
    {"Filmtrailer", NULL, NULL},
    {"Film-trailers", NULL, NULL},
    {"Film-trailer2", NULL, NULL},
    {"Film-trailer ", NULL, NULL},
    {"Film-deletedscenes", NULL, NULL},
    {"Pain.and.Glory.2019.1080p.BluRay.x264-GROUP", NULL, NULL},
    {"Dolor y gloria (2019)", NULL, NULL},
    {"", NULL, NULL},
};

static void test_suffix_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof suffix_cases / sizeof suffix_cases[0]; i++) {
        const suffix_case *c = &suffix_cases[i];
        char base[256] = "untouched";
        const char *got = cl_extras_suffix_type(c->stem, base, sizeof base);
        if ((got == NULL) != (c->type == NULL) ||
            (got && (strcmp(got, c->type) != 0 || strcmp(base, c->base) != 0))) {
            print_error("stem \"%s\": got %s base \"%s\"\n", c->stem, got ? got : "NULL", base);
            fail();
        }
        if (got)
            assert_true(cl_extras_type_valid(got));
    }
}

static void test_suffix_bounds(void **state)
{
    (void)state;
    char base[5];
    assert_string_equal(cl_extras_suffix_type("Film name-trailer", base, sizeof base), "trailer");
    assert_string_equal(base, "Film");
    /* Cut on a code point boundary: "Amé" needs 4 bytes, "Amél" 5. */
    assert_string_equal(cl_extras_suffix_type("Amélie-trailer", base, sizeof base), "trailer");
    assert_string_equal(base, "Amé");
    /* base may be omitted. */
    assert_string_equal(cl_extras_suffix_type("Film-clip", NULL, 0), "clip");
    assert_null(cl_extras_suffix_type(NULL, base, sizeof base));

    char name[3000];
    memset(name, 'x', sizeof name);
    memcpy(name + 1000, "-trailer", 9);
    char big[2000];
    assert_string_equal(cl_extras_suffix_type(name, big, sizeof big), "trailer");
    assert_int_equal(strlen(big), 1000);
    /* Past the input bound, the end is not looked at. */
    memset(name, 'x', sizeof name);
    memcpy(name + sizeof name - 9, "-trailer", 9);
    assert_null(cl_extras_suffix_type(name, big, sizeof big));
}

static void test_type_valid(void **state)
{
    (void)state;
    const char *yes[] = {"trailer",       "featurette", "interview", "behind_the_scenes",
                         "deleted_scene", "scene",      "clip",      "short",
                         "sample",        "other"};
    const char *no[] = {"Trailer", "trailers", "extra", "extras", "behindthescenes", "", "deleted"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(cl_extras_type_valid(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(cl_extras_type_valid(no[i]));
    assert_false(cl_extras_type_valid(NULL));
}

typedef struct title_case {
    const char *stem;
    const char *title;
} title_case;

static const title_case title_cases[] = {
    {"Pedro_Almodovar-interview", "Pedro Almodovar"},
    {"Making.of.the.film-featurette", "Making of the film"},
    {"Making of the film", "Making of the film"},
    {"Dr. Mateo Blanco interview", "Dr. Mateo Blanco"},
    {"Antonio Banderas - interview", "Antonio Banderas"},
    {"Penélope_Cruz_en_el_rodaje-behindthescenes", "Penélope Cruz en el rodaje"},
    {"Pain and Glory (2019)-trailer", "Pain and Glory (2019)"},
    {"Teaser 2", "Teaser 2"},
    {"trailer", "Trailer"},
    {"sample", "Sample"},
    {"-trailer", "Trailer"},
    {"___-deleted", "Deleted scene"},
    {"  spaced   out  ", "spaced out"},
    {"Spider-Man featurette", "Spider-Man"},
    {"\tTab\x01"
     "and\x7f control\n-clip",
     "Tab and control"},
    {"\x06"
     "b!nes",
     "b!nes"},
    /* A leading film name goes; the extra's own words stay whole. */
    {"Amélie (2001) - Official Trailer", "Official Trailer"},
    {"Amélie (2001) - Teaser Trailer 2", "Teaser Trailer 2"},
    {"Amélie (2001) - Trailer", "Trailer"},
    {"Amélie (2001) - Making of", "Making of"},
    {"Amélie (2001) - Audrey Tautou interview", "Audrey Tautou interview"},
    {"Amélie (2001) - Official-trailer", "Official"},
    {"Amélie [2001] - Deleted Scene", "Deleted Scene"},
    {"Amelie.(2001).Official.Trailer", "Official Trailer"},
    {"Dolor y gloria (2019) Behind the scenes", "Behind the scenes"},
    {"Amélie (2001)", "Amélie (2001)"},
    {"(2001) - Trailer", "(2001)"},
    {"", ""},
};

static void test_title_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof title_cases / sizeof title_cases[0]; i++) {
        const title_case *c = &title_cases[i];
        char title[256];
        cl_extras_title(c->stem, title, sizeof title);
        if (strcmp(title, c->title) != 0) {
            print_error("stem \"%s\": got \"%s\" want \"%s\"\n", c->stem, title, c->title);
            fail();
        }
    }
}

static void test_title_bounds(void **state)
{
    (void)state;
    char title[6];
    cl_extras_title("Pedro_Almodóvar-interview", title, sizeof title);
    assert_string_equal(title, "Pedro");
    cl_extras_title("Almodóvar", title, sizeof title);
    assert_string_equal(title, "Almod"); /* "ó" does not fit whole */
    cl_extras_title("Pedro Almodóvar", title, sizeof title);
    assert_string_equal(title, "Pedro"); /* no trailing space after the cut */
    cl_extras_title("x", title, 1);
    assert_string_equal(title, "");
    cl_extras_title(NULL, title, sizeof title);
    assert_string_equal(title, "");
    cl_extras_title("x", NULL, 0); /* must not crash */

    char big[64];
    cl_extras_title("Bad \xFF byte-clip", big, sizeof big);
    assert_string_equal(big, "Bad \xEF\xBF\xBD byte");

    char name[5000];
    memset(name, 'y', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char out[1024];
    cl_extras_title(name, out, sizeof out);
    assert_int_equal(strlen(out), sizeof out - 1);
    for (size_t i = 0; i + 1 < sizeof name; i++)
        name[i] = (char)(0x80 + i % 64);
    cl_extras_title(name, out, sizeof out);
    assert_true(cu_utf8_valid(out, strlen(out)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folder_table),  cmocka_unit_test(test_suffix_table),
        cmocka_unit_test(test_suffix_bounds), cmocka_unit_test(test_type_valid),
        cmocka_unit_test(test_title_table),   cmocka_unit_test(test_title_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
