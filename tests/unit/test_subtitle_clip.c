/* Unit tests for a clip's subtitles (cm_subtitle_cue_clip,
 * cm_subtitle_webvtt_clip): one cue cut to a clip and shifted so the
 * clip's start is 0, at every edge (across the start, across the end,
 * exactly on either edge, around the whole clip, outside it), and whole
 * WebVTT documents cut from a real SRT file read through libav (times,
 * dropped cues, a clip with no cue, a bad clip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "media/cm_subtitle.h"
#include "util/cu_err.h"

/* ---- one cue ---- */

typedef struct cut_case {
    int64_t start, end; /* the cue, ms on the film's timeline */
    bool kept;
    int64_t want_start, want_end; /* on the clip's timeline, when kept */
} cut_case;

static void test_cue_clip(void **state)
{
    (void)state;
    /* The clip: 5 s to 10 s. */
    const cut_case cases[] = {
        {6000, 7000, true, 1000, 2000},  /* inside: shifted only */
        {4000, 6500, true, 0, 1500},     /* across the start: starts at 0 */
        {9000, 12000, true, 4000, 5000}, /* across the end: ends with the clip */
        {3000, 15000, true, 0, 5000},    /* around the whole clip */
        {5000, 10000, true, 0, 5000},    /* exactly the clip */
        {5000, 5001, true, 0, 1},        /* starts on the start edge */
        {9999, 10000, true, 4999, 5000}, /* ends on the end edge */
        {4000, 5000, false, 0, 0},       /* ends exactly at the start: no frame of it */
        {10000, 11000, false, 0, 0},     /* starts exactly at the end */
        {1000, 2000, false, 0, 0},       /* before */
        {12000, 13000, false, 0, 0},     /* after */
        {7000, 7000, false, 0, 0},       /* empty */
        {8000, 7000, false, 0, 0},       /* backwards */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const cut_case *c = &cases[i];
        int64_t start = c->start, end = c->end;
        bool kept = cm_subtitle_cue_clip(5000, 10000, &start, &end);
        if (kept != c->kept)
            print_error("case %zu: %lld-%lld\n", i, (long long)c->start, (long long)c->end);
        assert_int_equal(kept, c->kept);
        if (kept) {
            assert_int_equal(start, c->want_start);
            assert_int_equal(end, c->want_end);
        } else { /* left as they were */
            assert_int_equal(start, c->start);
            assert_int_equal(end, c->end);
        }
    }
    /* A clip from the film's first instant: times unchanged inside it. */
    int64_t start = 0, end = 1500;
    assert_true(cm_subtitle_cue_clip(0, 1000, &start, &end));
    assert_int_equal(start, 0);
    assert_int_equal(end, 1000);
}

/* ---- whole documents from an SRT file ---- */

static const char SRT[] = "1\n00:00:01,000 --> 00:00:02,000\nBefore the clip\n\n"
                          "2\n00:00:04,500 --> 00:00:05,500\nAcross the start\n\n"
                          "3\n00:00:06,250 --> 00:00:07,750\nInside & 1 < 2\n\n"
                          "4\n00:00:09,000 --> 00:00:11,000\nAcross the end\n\n"
                          "5\n00:00:10,000 --> 00:00:12,000\nAt the end edge\n\n"
                          "6\n00:00:13,000 --> 00:00:14,000\nAfter the clip\n\n";

static int srt_fd(void)
{
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    char path[512];
    snprintf(path, sizeof path, "%s/test-subtitle-clip-%d.srt", tmp ? tmp : "/tmp", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(SRT, 1, sizeof SRT - 1, f), sizeof SRT - 1);
    assert_int_equal(fclose(f), 0);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    unlink(path);
    return fd;
}

static char *clip_of(int64_t from_ms, int64_t to_ms)
{
    int fd = srt_fd();
    char *vtt = NULL;
    cu_err err = {0};
    int rc = cm_subtitle_webvtt_clip(fd, -1, NULL, from_ms, to_ms, &vtt, &err);
    if (rc)
        print_error("webvtt clip: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(vtt);
    close(fd);
    return vtt;
}

static void test_document(void **state)
{
    (void)state;
    char *vtt = clip_of(5000, 10000);
    assert_string_equal(vtt, "WEBVTT\n\n"
                             "00:00:00.000 --> 00:00:00.500\nAcross the start\n\n"
                             "00:00:01.250 --> 00:00:02.750\nInside &amp; 1 &lt; 2\n\n"
                             "00:00:04.000 --> 00:00:05.000\nAcross the end\n\n");
    free(vtt);
    /* A clip an hour long past the last cue keeps the tail, shifted. */
    vtt = clip_of(11500, 3600000);
    assert_string_equal(vtt, "WEBVTT\n\n"
                             "00:00:00.000 --> 00:00:00.500\nAt the end edge\n\n"
                             "00:00:01.500 --> 00:00:02.500\nAfter the clip\n\n");
    free(vtt);
}

static void test_empty(void **state)
{
    (void)state;
    /* Between two cues: a valid document with no cue. */
    char *vtt = clip_of(2000, 4500);
    assert_string_equal(vtt, "WEBVTT\n\n");
    free(vtt);
    /* After every cue. */
    vtt = clip_of(20000, 25000);
    assert_string_equal(vtt, "WEBVTT\n\n");
    free(vtt);
}

static void test_bad_clip(void **state)
{
    (void)state;
    int fd = srt_fd();
    char *vtt = (char *)"untouched";
    cu_err err = {0};
    assert_int_equal(cm_subtitle_webvtt_clip(fd, -1, NULL, 5000, 5000, &vtt, &err), CU_EINVAL);
    assert_null(vtt);
    assert_int_equal(cm_subtitle_webvtt_clip(fd, -1, NULL, 6000, 5000, &vtt, &err), CU_EINVAL);
    assert_int_equal(cm_subtitle_webvtt_clip(fd, -1, NULL, -1, 5000, &vtt, &err), CU_EINVAL);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cue_clip),
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bad_clip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
