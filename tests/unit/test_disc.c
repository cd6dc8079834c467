/* Unit tests for cm_disc: choosing a disc's main title among duplicates,
 * loops and pieces of the film; reading the disc library's name; refusing
 * what is not a disc. Real discs (made with dvdauthor and the test BDMV
 * writer) are read in tests/integration/discs.sh. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "media/cm_disc.h"

/* A title of `seconds` playing the given clips, each over its whole range. */
static cm_disc_title title(int number, double seconds, const uint32_t *clips, size_t count)
{
    cm_disc_title t;
    memset(&t, 0, sizeof t);
    t.number = number;
    t.duration = seconds;
    for (size_t i = 0; i < count; i++)
        t.segments[t.segment_count++] = CM_DISC_SEGMENT(clips[i], 0);
    return t;
}

#define TITLE(number, seconds, ...)                                                                \
    title(number, seconds, (const uint32_t[]){__VA_ARGS__},                                        \
          sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))

static void test_longest_unique_title_is_main(void **state)
{
    (void)state;
    cm_disc_title t[] = {
        TITLE(1, 8.0, 10),                               /* a logo */
        TITLE(2, 600.0, 20),                             /* an interview */
        TITLE(800, 7200.0, 1, 2, 3), TITLE(3, 45.0, 30), /* a trailer */
        TITLE(4, 30.0, 40),                              /* exactly the minimum: still tiny */
    };
    size_t main = cm_disc_choose_main(t, 5);
    assert_int_equal(main, 2);
    assert_int_equal(t[2].role, CM_DISC_TITLE_MAIN);
    assert_int_equal(t[0].role, CM_DISC_TITLE_TINY);
    assert_int_equal(t[1].role, CM_DISC_TITLE_EXTRA);
    assert_int_equal(t[3].role, CM_DISC_TITLE_EXTRA);
    assert_int_equal(t[4].role, CM_DISC_TITLE_TINY);
}

static void test_duplicate_playlist_keeps_the_first(void **state)
{
    (void)state;
    cm_disc_title t[] = {
        TITLE(800, 7200.0, 1, 2, 3),
        TITLE(801, 7200.0, 1, 2, 3), /* the same film again (another menu path) */
        TITLE(802, 300.0, 9),
        TITLE(803, 300.0, 9),
    };
    assert_int_equal(cm_disc_choose_main(t, 4), 0);
    assert_int_equal(t[1].role, CM_DISC_TITLE_DUPLICATE);
    assert_int_equal(t[2].role, CM_DISC_TITLE_EXTRA);
    assert_int_equal(t[3].role, CM_DISC_TITLE_DUPLICATE);
}

static void test_looping_title_is_never_main(void **state)
{
    (void)state;
    /* The longest title plays the film's first clip three times: naive
     * "longest wins" picks it. */
    cm_disc_title t[] = {
        TITLE(900, 9000.0, 1, 1, 1), TITLE(800, 7200.0, 1, 2, 3),
        TITLE(901, 7300.0, 1, 2, 3, 2), /* jumps back: also a loop */
    };
    assert_int_equal(cm_disc_choose_main(t, 3), 1);
    assert_int_equal(t[0].role, CM_DISC_TITLE_LOOP);
    assert_int_equal(t[2].role, CM_DISC_TITLE_LOOP);
}

static void test_obfuscated_disc(void **state)
{
    (void)state;
    /* Hundreds of playlists of the film's length, each repeating clips in
     * a scrambled order, and one plain one in the middle. */
    enum { N = 300 };
    cm_disc_title *t = calloc(N, sizeof *t);
    assert_non_null(t);
    for (int i = 0; i < N; i++) {
        uint32_t a = (uint32_t)(i % 7), b = (uint32_t)(i % 5);
        t[i] = TITLE(i, 7210.0 + i % 3, 100 + a, 200 + b, 100 + a, 300);
    }
    t[157] = TITLE(157, 7205.0, 100, 101, 102, 103);
    assert_int_equal(cm_disc_choose_main(t, N), 157);
    for (int i = 0; i < N; i++)
        if (i != 157)
            assert_int_equal(t[i].role, CM_DISC_TITLE_LOOP);
    free(t);
}

static void test_chapter_playlists_are_parts_of_main(void **state)
{
    (void)state;
    /* Blu-rays often hold one playlist per chapter (the same clip over a
     * shorter range): not special features. */
    cm_disc_title t[] = {
        TITLE(800, 7200.0, 5),
        TITLE(1, 900.0, 5),
        TITLE(2, 120.0, 6),
    };
    t[1].segments[0] = CM_DISC_SEGMENT(5, 12345); /* clip 5, another range */
    assert_int_equal(cm_disc_choose_main(t, 3), 0);
    assert_int_equal(t[1].role, CM_DISC_TITLE_PART);
    assert_int_equal(t[2].role, CM_DISC_TITLE_EXTRA);
}

static void test_every_title_loops(void **state)
{
    (void)state;
    cm_disc_title t[] = {
        TITLE(1, 100.0, 1, 1),
        TITLE(2, 300.0, 2, 2),
        TITLE(3, 200.0, 3, 3),
    };
    /* Something must play: the longest of all. */
    assert_int_equal(cm_disc_choose_main(t, 3), 1);
    assert_int_equal(t[1].role, CM_DISC_TITLE_MAIN);
    assert_int_equal(t[0].role, CM_DISC_TITLE_LOOP);
}

static void test_ties_go_to_the_lower_number(void **state)
{
    (void)state;
    cm_disc_title t[] = {
        TITLE(12, 3600.2, 7),
        TITLE(10, 3600.0, 8),
        TITLE(11, 3590.0, 9),
    };
    assert_int_equal(cm_disc_choose_main(t, 3), 1);
}

static void test_too_many_segments_counts_as_loop(void **state)
{
    (void)state;
    cm_disc_title t[] = {TITLE(1, 9999.0, 1), TITLE(2, 100.0, 2)};
    t[0].segments_cut = true;
    assert_int_equal(cm_disc_choose_main(t, 2), 1);
    assert_int_equal(t[0].role, CM_DISC_TITLE_LOOP);
}

static void test_no_titles(void **state)
{
    (void)state;
    assert_int_equal(cm_disc_choose_main(NULL, 0), 0);
    cm_disc_title one[] = {TITLE(1, 5.0, 1)};
    assert_int_equal(cm_disc_choose_main(one, 1), 0);
    assert_int_equal(one[0].role, CM_DISC_TITLE_MAIN); /* even a short one */
}

static void test_bdmt_name(void **state)
{
    (void)state;
    char name[64];
    const char *good = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                       "<disclib xmlns=\"urn:BDA:bdmv;disclib\" "
                       "xmlns:di=\"urn:BDA:bdmv;discinfo\">"
                       "<di:discinfo><di:title><di:name>  La  Pel\xc3\xad"
                       "cula\n</di:name></di:title></di:discinfo></disclib>";
    assert_int_equal(cm_disc_bdmt_name(good, strlen(good), name, sizeof name), 0);
    assert_string_equal(name, "La  Pel\xc3\xad"
                              "cula");

    /* An entity defined in the file is not expanded into the name. */
    const char *entity = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x \"BOOM\">]>"
                         "<disclib><discinfo><title><name>A&x;B</name></title></discinfo></"
                         "disclib>";
    assert_int_equal(cm_disc_bdmt_name(entity, strlen(entity), name, sizeof name), 0);
    assert_string_equal(name, "AB");

    const char *none = "<disclib><discinfo><date>2020</date></discinfo></disclib>";
    assert_true(cm_disc_bdmt_name(none, strlen(none), name, sizeof name) < 0);
    assert_string_equal(name, "");
    const char *broken = "<disclib><title><name>unclosed";
    assert_true(cm_disc_bdmt_name(broken, strlen(broken), name, sizeof name) < 0);
    assert_true(cm_disc_bdmt_name("", 0, name, sizeof name) < 0);

    /* A name longer than the buffer is cut on a whole character. */
    char small[6];
    const char *wide = "<title><name>\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9</name></title>";
    assert_int_equal(cm_disc_bdmt_name(wide, strlen(wide), small, sizeof small), 0);
    assert_string_equal(small, "\xc3\xa9\xc3\xa9");
}

static void test_not_a_disc(void **state)
{
    (void)state;
    cm_disc *disc = (cm_disc *)1;
    cu_err err = {0};
    assert_int_equal(cm_disc_open("/nonexistent/disc", &disc, &err), -ENOENT);
    assert_null(disc);

    char dir[] = "/tmp/cm_disc_test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(cm_disc_detect(dir), CM_DISC_NONE);
    assert_int_equal(cm_disc_open(dir, &disc, &err), CU_EMEDIA);
    assert_non_null(strstr(err.msg, "BDMV"));

    /* A BDMV folder whose index is garbage. */
    char path[256];
    snprintf(path, sizeof path, "%s/BDMV", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/BDMV/index.bdmv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("INDX0200 this is not an index", f);
    fclose(f);
    assert_int_equal(cm_disc_detect(dir), CM_DISC_BLURAY);
    int rc = cm_disc_open(dir, &disc, &err);
    assert_true(rc < 0);
    assert_null(disc);

    /* An .iso that is neither. */
    snprintf(path, sizeof path, "%s/x.iso", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 4096; i++)
        fputc(i * 7, f);
    fclose(f);
    assert_int_equal(cm_disc_detect(path), CM_DISC_NONE);
    assert_true(cm_disc_open(path, &disc, &err) < 0);

    unlink(path);
    snprintf(path, sizeof path, "%s/BDMV/index.bdmv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/BDMV", dir);
    rmdir(path);
    rmdir(dir);
}

/* An .nfo's <disctitle> overrides the rules; the other roles follow it. */
static void test_set_main(void **state)
{
    (void)state;
    cm_disc disc;
    memset(&disc, 0, sizeof disc);
    cm_disc_title t[] = {
        TITLE(1, 600.0, 20), /* the real film, shorter than a decoy */
        TITLE(800, 7200.0, 1, 2, 3),
        TITLE(2, 8.0, 10),
    };
    disc.titles = t;
    disc.title_count = 3;
    disc.main_title = cm_disc_choose_main(t, 3);
    assert_int_equal(disc.main_title, 1);
    assert_int_equal(cm_disc_set_main(&disc, 1), 0);
    assert_int_equal(disc.main_title, 0);
    assert_int_equal(t[0].role, CM_DISC_TITLE_MAIN);
    assert_int_equal(t[1].role, CM_DISC_TITLE_EXTRA);
    assert_int_equal(t[2].role, CM_DISC_TITLE_TINY);
    assert_int_equal(cm_disc_set_main(&disc, 4242), CU_ENOTFOUND);
    assert_int_equal(disc.main_title, 0); /* unchanged */
}

/* A disc title's reference: what it names comes back; anything else
 * (a plain file, an unsealed memory file, a bad path) is not one. */
static void test_disc_ref(void **state)
{
    (void)state;
    cu_err err = {0};
    int fd = cm_disc_ref_new("/films/The Film (2001)", 800, &err);
    assert_true(fd >= 0);
    char path[256];
    int number = 0;
    assert_true(cm_disc_ref_read(fd, path, sizeof path, &number));
    assert_string_equal(path, "/films/The Film (2001)");
    assert_int_equal(number, 800);
    /* Too small a buffer: refused, not cut. */
    assert_false(cm_disc_ref_read(fd, path, 8, &number));
    /* Sealed: it cannot be rewritten to name another disc. */
    assert_true(pwrite(fd, "x", 1, 0) < 0);
    close(fd);
    assert_true(cm_disc_ref_new("relative/path", 1, &err) < 0);
    assert_true(cm_disc_ref_new("/a\nb", 1, &err) < 0);
    assert_true(cm_disc_ref_new("/a", -1, &err) < 0);
    char name[] = "/tmp/cm_disc_ref.XXXXXX";
    int plain = mkstemp(name);
    assert_true(plain >= 0);
    assert_int_equal(write(plain, "CMDISCREF1\n1\n/x", 16), 16);
    assert_false(cm_disc_ref_read(plain, path, sizeof path, &number)); /* not sealed */
    close(plain);
    unlink(name);
}

/* A title that is not on the disc, or no disc: clear errors. */
static void test_stream_refusals(void **state)
{
    (void)state;
    cm_disc_stream *s = NULL;
    cu_err err = {0};
    assert_int_equal(cm_disc_stream_open("/nonexistent/disc", 1, &s, &err), CU_ENOTFOUND);
    assert_null(s);
    char dir[] = "/tmp/cm_disc_stream.XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(cm_disc_stream_open(dir, 1, &s, &err), CU_EMEDIA);
    assert_null(s);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_longest_unique_title_is_main),
        cmocka_unit_test(test_set_main),
        cmocka_unit_test(test_disc_ref),
        cmocka_unit_test(test_stream_refusals),
        cmocka_unit_test(test_duplicate_playlist_keeps_the_first),
        cmocka_unit_test(test_looping_title_is_never_main),
        cmocka_unit_test(test_obfuscated_disc),
        cmocka_unit_test(test_chapter_playlists_are_parts_of_main),
        cmocka_unit_test(test_every_title_loops),
        cmocka_unit_test(test_ties_go_to_the_lower_number),
        cmocka_unit_test(test_too_many_segments_counts_as_loop),
        cmocka_unit_test(test_no_titles),
        cmocka_unit_test(test_bdmt_name),
        cmocka_unit_test(test_not_a_disc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
