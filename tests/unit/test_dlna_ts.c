/* test_dlna_ts: the pieces of DLNA's transcoded MPEG-TS that stand alone:
 * the TimeSeekRange.dlna.org parser (dl_npt) and the renumbering of
 * continuity counters across joined segments (cp_ts_renumber), and the
 * name of the MPEG-TS rendition (never one a URL can ask for). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dlna/dl_npt.h"
#include "playback/cp_ts.h"
#include "playback/cp_variant.h"

static void npt_ok(const char *s, double from, double to)
{
    double f = -5, t = -5;
    if (!dl_npt_parse(s, &f, &t))
        fail_msg("\"%s\" should parse", s);
    if (fabs(f - from) > 1e-6 || fabs(t - to) > 1e-6)
        fail_msg("\"%s\": %f-%f, wanted %f-%f", s, f, t, from, to);
}

static void test_npt(void **state)
{
    (void)state;
    npt_ok("npt=2-", 2, -1);
    npt_ok("npt=0-", 0, -1);
    npt_ok("npt=2.5-10", 2.5, 10);
    npt_ok("npt=0:00:02.000-", 2, -1);
    npt_ok("npt=1:02:03.5-1:02:04", 3723.5, 3724);
    npt_ok("npt=10-/120.5", 10, -1);
    npt_ok("npt=10-20/*", 10, 20);
    npt_ok(" npt=7- ", 7, -1);
    const char *bad[] = {
        "",        "npt=",    "npt=-5",   "npt=now-",        "bytes=0-",          "npt=5",
        "npt=5-3", "npt=5-5", "npt=1:2-", "npt=0:60:00-",    "npt=0:00:60-",      "npt=1.-",
        "npt=.5-", "npt=a-",  "npt=1-2x", "npt=1234567890-", "npt=1.1234567890-", "npt=1:2:3:4-",
        "NPT=1-"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double f, t;
        if (dl_npt_parse(bad[i], &f, &t))
            fail_msg("\"%s\" should not parse", bad[i]);
    }
}

/* A packet of pid with payload (or adaptation field only) and counter cc. */
static void packet(uint8_t *p, unsigned pid, bool payload, unsigned cc)
{
    memset(p, 0xff, CP_TS_PACKET);
    p[0] = 0x47;
    p[1] = (uint8_t)(pid >> 8);
    p[2] = (uint8_t)pid;
    p[3] = (uint8_t)((payload ? 0x10 : 0x20) | cc);
}

static unsigned counter(const uint8_t *p)
{
    return p[3] & 0x0f;
}

static void test_renumber(void **state)
{
    (void)state;
    cp_ts_counters *cc = calloc(1, sizeof *cc);
    uint8_t a[4 * CP_TS_PACKET], b[4 * CP_TS_PACKET];
    /* Two segments muxed apart: each starts its counters at 0. */
    packet(a, 0, true, 0);
    packet(a + 188, 256, true, 0);
    packet(a + 376, 256, true, 1);
    packet(a + 564, 257, true, 0);
    packet(b, 0, true, 0);
    packet(b + 188, 256, true, 0);
    packet(b + 376, 256, false, 0); /* adaptation field only: repeats */
    packet(b + 564, 257, true, 0);
    cp_ts_renumber(cc, a, sizeof a);
    assert_int_equal(counter(a), 0); /* the first segment is as it was */
    assert_int_equal(counter(a + 188), 0);
    assert_int_equal(counter(a + 376), 1);
    assert_int_equal(counter(a + 564), 0);
    cp_ts_renumber(cc, b, sizeof b);
    assert_int_equal(counter(b), 1);       /* PAT goes on */
    assert_int_equal(counter(b + 188), 2); /* video goes on */
    assert_int_equal(counter(b + 376), 2); /* no payload: the same */
    assert_int_equal(counter(b + 564), 1); /* audio goes on */
    /* Wraps at 16. */
    for (int i = 0; i < 20; i++) {
        uint8_t p[CP_TS_PACKET];
        packet(p, 300, true, 0);
        cp_ts_renumber(cc, p, sizeof p);
        assert_int_equal(counter(p), (unsigned)i % 16);
    }
    /* Not on a sync byte: left alone; a partial packet: not touched. */
    uint8_t junk[CP_TS_PACKET + 10];
    memset(junk, 0x11, sizeof junk);
    cp_ts_renumber(cc, junk, sizeof junk);
    assert_int_equal(junk[3], 0x11);
    uint8_t part[100];
    packet(b, 256, true, 9);
    memcpy(part, b, sizeof part);
    cp_ts_renumber(cc, part, sizeof part);
    assert_int_equal(counter(part), 9);
    free(cc);
}

static void test_variant_name(void **state)
{
    (void)state;
    cp_variant v = {.audio = 1, .mpegts = true};
    cp_variant_format(&v);
    assert_string_equal(v.text, "1-tt-ts");
    cp_variant w;
    assert_false(cp_variant_parse("1-tt-ts", &w)); /* no URL names it */
    cm_hls_output o = cp_variant_output(&v);
    assert_true(o.mpegts);
    assert_false(o.copy_video);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_npt),
        cmocka_unit_test(test_renumber),
        cmocka_unit_test(test_variant_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
