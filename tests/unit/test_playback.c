/* Unit tests of the playback module: the segment cache, the naming of
 * renditions, and the waitlist where requests wait for background work
 * (its per-client bound, its wake-ups), and the checked opener (what
 * it opens, what it refuses: CU_ENOTFOUND, the callers' 404). The media work behind HLS is
 * tested in test_hls.c; the whole path through the server in
 * tests/integration/hls*.sh. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_fixture.h"
#include "playback/cp_cache.h"
#include "playback/cp_disc.h"
#include "playback/cp_file.h"
#include "playback/cp_variant.h"
#include "playback/cp_wait.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

static char test_dir[512];

static char *path_in(const char *dir, const char *name)
{
    return cu_xasprintf("%s/%s", dir, name);
}

static bool write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static int setup_dir(void **state)
{
    (void)state;
    const char *base = getenv("CINEMATECA_TEST_TMP");
    snprintf(test_dir, sizeof test_dir, "%s/playback-XXXXXX", base && base[0] ? base : "/tmp");
    return mkdtemp(test_dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    test_fixture_remove_tree(test_dir);
    return 0;
}

/* ---- the disk cache ---- */

static void test_cache(void **state)
{
    (void)state;
    char *dir = path_in(test_dir, "cache");
    cp_cache *c = NULL;
    cu_err err = {0};
    assert_int_equal(cp_cache_new(dir, 1000, &c, &err), 0);
    char block[400];
    memset(block, 'a', sizeof block);
    assert_int_equal(cp_cache_put(c, "film/1/seg-0", block, sizeof block, &err), 0);
    memset(block, 'b', sizeof block);
    assert_int_equal(cp_cache_put(c, "film/1/seg-1", block, sizeof block, &err), 0);
    uint8_t *data;
    size_t len;
    /* Using seg-0 makes seg-1 the oldest: it goes when seg-2 comes. */
    assert_int_equal(cp_cache_get(c, "film/1/seg-0", &data, &len), 0);
    assert_int_equal(len, 400);
    assert_int_equal(data[0], 'a');
    free(data);
    memset(block, 'c', sizeof block);
    assert_int_equal(cp_cache_put(c, "film/1/seg-2", block, sizeof block, &err), 0);
    assert_int_equal(cp_cache_get(c, "film/1/seg-1", &data, &len), CU_ENOTFOUND);
    assert_int_equal(cp_cache_count(c), 2);
    assert_int_equal(cp_cache_bytes(c), 800);
    int fd;
    uint64_t size;
    assert_int_equal(cp_cache_open(c, "film/1/seg-2", &fd, &size), 0);
    assert_int_equal(size, 400);
    close(fd);
    /* Replacing keeps one entry; too large for the cap is refused. */
    assert_int_equal(cp_cache_put(c, "film/1/seg-2", block, 100, &err), 0);
    assert_int_equal(cp_cache_bytes(c), 500);
    char big[1001] = {0};
    assert_int_equal(cp_cache_put(c, "big", big, sizeof big, &err), CU_ELIMIT);
    cp_cache_free(c);

    /* Reopened: the files are adopted, a stray temporary removed. */
    char *stray = cu_xasprintf("%s/0123.seg.tmp.1.2", dir);
    assert_true(write_bytes(stray, "x", 1));
    assert_int_equal(cp_cache_new(dir, 1000, &c, &err), 0);
    assert_int_equal(cp_cache_count(c), 2);
    assert_int_equal(cp_cache_bytes(c), 500);
    assert_int_equal(access(stray, F_OK), -1);
    assert_int_equal(cp_cache_get(c, "film/1/seg-0", &data, &len), 0);
    free(data);
    cp_cache_remove(c, "film/1/seg-0");
    assert_int_equal(cp_cache_count(c), 1);
    cp_cache_free(c);
    /* A smaller cap evicts at open. */
    assert_int_equal(cp_cache_new(dir, 50, &c, &err), 0);
    assert_int_equal(cp_cache_count(c), 0);
    cp_cache_free(c);
    free(stray);
    free(dir);
}

/* ---- the checked opener ---- */

static char base[PATH_MAX], root[PATH_MAX + 16], outside[PATH_MAX + 16];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *at(const char *dir, const char *name)
{
    static char paths[8][PATH_MAX * 2];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    char made[PATH_MAX];
    snprintf(made, sizeof made, "%s/test-playback-%d", tmp ? tmp : "/tmp", (int)getpid());
    test_fixture_remove_tree(made);
    if (mkdir(made, 0755) != 0 || !realpath(made, base))
        return -1;
    snprintf(root, sizeof root, "%s/lib", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    mkdir(root, 0755);
    mkdir(outside, 0755);
    mkdir(at(root, "Film"), 0755);
    write_file(at(root, "Film/poster.jpg"), "jpeg");
    write_file(at(outside, "secret"), "root:x:0:0");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_fixture_remove_tree(base);
    return 0;
}

/* Opens path against the one root; returns the code (closing a descriptor). */
static int try_open(const char *path, struct stat *st)
{
    const char *roots[] = {"/nonexistent-root", root};
    cu_err err = {0};
    int fd = cp_file_open(path, roots, 2, st, &err);
    if (fd >= 0) {
        assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        close(fd);
        return 0;
    }
    assert_int_equal(err.code, fd);
    assert_true(err.msg[0] != '\0');
    return fd;
}

static void test_opens_a_file_inside_its_root(void **state)
{
    (void)state;
    struct stat st = {0};
    assert_int_equal(try_open(at(root, "Film/poster.jpg"), &st), 0);
    assert_int_equal(st.st_size, 4);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(try_open(at(root, "Film/poster.jpg"), NULL), 0);
}

static void test_refusals(void **state)
{
    (void)state;
    /* The last component a link: refused wherever it leads. */
    assert_int_equal(symlink(at(outside, "secret"), at(root, "Film/fanart.jpg")), 0);
    assert_int_equal(try_open(at(root, "Film/fanart.jpg"), NULL), CU_ENOTFOUND);
    assert_int_equal(symlink(at(root, "Film/poster.jpg"), at(root, "Film/alias.jpg")), 0);
    assert_int_equal(try_open(at(root, "Film/alias.jpg"), NULL), CU_ENOTFOUND);
    /* A folder link that leads out of the root: the descriptor says so. */
    assert_int_equal(symlink(outside, at(root, "escape")), 0);
    assert_int_equal(try_open(at(root, "escape/secret"), NULL), CU_ENOTFOUND);
    /* ... and one that stays inside is fine. */
    assert_int_equal(symlink(at(root, "Film"), at(root, "Same")), 0);
    assert_int_equal(try_open(at(root, "Same/poster.jpg"), NULL), 0);
    /* Outside every root, missing, a folder, a FIFO (without waiting for
     * a writer), an empty name. */
    assert_int_equal(try_open(at(outside, "secret"), NULL), CU_ENOTFOUND);
    assert_int_equal(try_open(at(root, "Film/missing.jpg"), NULL), CU_ENOTFOUND);
    assert_int_equal(try_open(at(root, "Film"), NULL), CU_ENOTFOUND);
    assert_int_equal(mkfifo(at(root, "Film/fifo.jpg"), 0644), 0);
    assert_int_equal(try_open(at(root, "Film/fifo.jpg"), NULL), CU_ENOTFOUND);
    assert_int_equal(try_open("", NULL), CU_ENOTFOUND);
    /* No roots at all: nothing is inside. */
    cu_err err = {0};
    assert_int_equal(cp_file_open(at(root, "Film/poster.jpg"), NULL, 0, NULL, &err), CU_ENOTFOUND);
    /* A root that is a prefix of the name only ("lib" vs "lib2"). */
    char sibling[PATH_MAX + 32];
    snprintf(sibling, sizeof sibling, "%s2", root);
    mkdir(sibling, 0755);
    write_file(at(sibling, "x.jpg"), "x");
    assert_int_equal(try_open(at(sibling, "x.jpg"), NULL), CU_ENOTFOUND);
}

/* ---- disc titles ---- */

static void test_disc_title_paths(void **state)
{
    (void)state;
    char disc[64];
    int n = 0;
    assert_true(cp_disc_title_path("/films/A (2001)#00800", disc, sizeof disc, &n));
    assert_string_equal(disc, "/films/A (2001)");
    assert_int_equal(n, 800);
    assert_true(cp_disc_title_path("/films/B.iso#00002", disc, sizeof disc, &n));
    assert_string_equal(disc, "/films/B.iso");
    assert_int_equal(n, 2);
    /* Not five digits, nothing before it, no room: not a title path. */
    assert_false(cp_disc_title_path("/films/A#800", disc, sizeof disc, &n));
    assert_false(cp_disc_title_path("/films/A#0080x", disc, sizeof disc, &n));
    assert_false(cp_disc_title_path("/films/A#000800", disc, sizeof disc, &n));
    assert_false(cp_disc_title_path("#00001", disc, sizeof disc, &n));
    assert_false(cp_disc_title_path("/films/A film with a long name#00001", disc, 8, &n));
    assert_false(cp_disc_title_path("/films/plain.mkv", disc, sizeof disc, &n));
    assert_false(cp_disc_is("/films/plain.mkv"));
}

static void test_disc_open_refusals(void **state)
{
    (void)state;
    char dir[] = "/tmp/cp_disc_test.XXXXXX", other[] = "/tmp/cp_disc_other.XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_non_null(mkdtemp(other));
    const char *roots[1] = {dir};
    cu_err err = {0};
    char path[256];
    /* Missing, not a disc, outside the root, a link: refused as not found. */
    snprintf(path, sizeof path, "%s/none#00001", dir);
    assert_int_equal(cp_disc_open(path, 0, roots, 1, NULL, NULL, &err), CU_ENOTFOUND);
    snprintf(path, sizeof path, "%s", dir);
    assert_int_equal(cp_disc_open(path, 1, roots, 1, NULL, NULL, &err), CU_ENOTFOUND);
    snprintf(path, sizeof path, "%s/BDMV", other);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/BDMV/index.bdmv", other);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("INDX0200", f);
    fclose(f);
    assert_int_equal(cp_disc_open(other, 800, roots, 1, NULL, NULL, &err), CU_ENOTFOUND);
    assert_non_null(strstr(err.msg, "outside"));
    char link[256];
    snprintf(link, sizeof link, "%s/disc", dir);
    assert_int_equal(symlink(other, link), 0);
    assert_int_equal(cp_disc_open(link, 800, roots, 1, NULL, NULL, &err), CU_ENOTFOUND);
    unlink(link);
    unlink(path);
    snprintf(path, sizeof path, "%s/BDMV", other);
    rmdir(path);
    rmdir(other);
    rmdir(dir);
}

/* ---- renditions ---- */

static void test_variant_names(void **state)
{
    (void)state;
    const char *good[] = {"1-ct", "0-cc", "12-tt", "n-c", "n-t", "999-tc"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        cp_variant v;
        assert_true(cp_variant_parse(good[i], &v));
        assert_string_equal(v.text, good[i]);
    }
    cp_variant v;
    assert_true(cp_variant_parse("2-tc", &v));
    assert_int_equal(v.audio, 2);
    assert_false(v.copy_video);
    assert_true(v.copy_audio);
    /* One rendition, one name: no leading zeros, no spare characters. */
    const char *bad[] = {"", "1", "01-ct", "1-cx", "1-ct ", "n-ct", "-1-ct", "1000-ct", "n-", NULL};
    for (size_t i = 0; bad[i]; i++)
        assert_false(cp_variant_parse(bad[i], &v));
    assert_false(cp_variant_parse(NULL, &v));
    /* A transcode's height cap (the player's quality menu): only the
     * offered heights, only on a transcode, one spelling. */
    const char *capped[] = {"1-tt-h480", "n-t-h360", "0-tc-h1080", "2-tt-h720"};
    for (size_t i = 0; i < sizeof capped / sizeof *capped; i++) {
        assert_true(cp_variant_parse(capped[i], &v));
        assert_string_equal(v.text, capped[i]);
    }
    assert_true(cp_variant_parse("1-tt-h480", &v));
    assert_int_equal(v.height, 480);
    assert_int_equal(cp_variant_output(&v).max_height, 480);
    int w = 1920, h = 1080;
    cp_variant_size(&v, &w, &h);
    assert_int_equal(w, 852);
    assert_int_equal(h, 480);
    const char *bad_caps[] = {"1-ct-h480",  "1-tt-h500", "1-tt-h0480",  "1-tt-h", "1-tt-480",
                              "1-tt-h480x", "n-c-h360",  "1-tt-h99999", NULL};
    for (size_t i = 0; bad_caps[i]; i++)
        if (cp_variant_parse(bad_caps[i], &v))
            fail_msg("parsed %s", bad_caps[i]);
    /* Picture subtitles burned in: named by their stream index, after the
     * height cap, only on an encoded picture, one spelling. */
    const char *burned[] = {"1-tt-b2", "n-t-b0", "1-tc-h480-b12", "0-tt-b999"};
    for (size_t i = 0; i < sizeof burned / sizeof *burned; i++) {
        assert_true(cp_variant_parse(burned[i], &v));
        assert_string_equal(v.text, burned[i]);
    }
    assert_true(cp_variant_parse("1-tc-h480-b12", &v));
    assert_int_equal(v.burn, 13);
    assert_int_equal(cp_variant_output(&v).burn_stream, 13);
    assert_true(cp_variant_parse("1-tt", &v));
    assert_int_equal(cp_variant_output(&v).burn_stream, 0);
    const char *bad_burns[] = {"1-ct-b2",    "1-tt-b02",     "1-tt-b",   "1-tt-b-1", "1-tt-b+2",
                               "1-tt-b1000", "1-tt-b2-h480", "1-tt-b2x", "n-c-b0",   NULL};
    for (size_t i = 0; bad_burns[i]; i++)
        if (cp_variant_parse(bad_burns[i], &v))
            fail_msg("parsed %s", bad_burns[i]);
    cp_variant copy_burn = {.audio = 1, .copy_video = true, .copy_audio = true, .burn = 3};
    cp_variant_format(&copy_burn);
    assert_string_equal(copy_burn.text, "1-cc");
    assert_int_equal(copy_burn.burn, 0);
}

static void test_variant_policy(void **state)
{
    (void)state;
    cp_variant copy = {.audio = 1, .copy_video = true, .copy_audio = true};
    cp_variant enc = {.audio = 1, .copy_video = false, .copy_audio = false};
    assert_int_equal(cp_variant_bandwidth(&copy, 1000000), 1200000);
    assert_int_equal(cp_variant_bandwidth(&copy, 0), CP_UNKNOWN_BANDWIDTH);
    assert_int_equal(cp_variant_bandwidth(&enc, 1000000), CP_TRANSCODE_BANDWIDTH);
    int w = 1920, h = 1080;
    cp_variant_size(&enc, &w, &h);
    assert_int_equal(w, 1280);
    assert_int_equal(h, 720);
    w = 1920, h = 1080;
    cp_variant_size(&copy, &w, &h);
    assert_int_equal(h, 1080);
    w = 320, h = 180;
    cp_variant_size(&enc, &w, &h);
    assert_int_equal(w, 320);

    /* A ten-minute index with a keyframe every 2 s: copied renditions cut
     * on keyframes, transcoded ones at times, short at first. */
    int64_t pts[300];
    for (int i = 0; i < 300; i++)
        pts[i] = (int64_t)i * 2000;
    cm_keyframes kf = {.stream_index = 0,
                       .tb_num = 1,
                       .tb_den = 1000,
                       .end = 600000,
                       .frame_duration = 40,
                       .count = 300,
                       .pts = pts};
    cm_hls_plan *plan = NULL;
    cu_err err = {0};
    assert_int_equal(cp_variant_plan(&kf, &copy, &plan, &err), 0);
    assert_int_equal(plan->count, 100);
    cm_hls_plan_free(plan);
    assert_int_equal(cp_variant_plan(&kf, &enc, &plan, &err), 0);
    assert_true(plan->segments[0].duration_s < CP_TRANSCODE_TARGET_S);
    assert_true(plan->count > 140);
    cm_hls_plan_free(plan);
}

/* ---- the waitlist ---- */

typedef struct probe {
    atomic_bool ready;
    atomic_int parked, woken;
} probe;

static bool probe_ready(void *ticket)
{
    return atomic_load(&((probe *)ticket)->ready);
}

static void probe_park(void *cls)
{
    atomic_fetch_add(&((probe *)cls)->parked, 1);
}

static void probe_wake(void *cls)
{
    atomic_fetch_add(&((probe *)cls)->woken, 1);
}

static void wait_for(atomic_int *counter, int value)
{
    for (int i = 0; i < 500 && atomic_load(counter) < value; i++) {
        struct timespec t = {0, 10 * 1000000L};
        nanosleep(&t, NULL);
    }
}

static void test_waitlist_bounds_and_wakes(void **state)
{
    (void)state;
    cp_waitlist *wl = NULL;
    cu_err err = {0};
    assert_int_equal(cp_waitlist_new(&wl, &err), 0);
    probe p[CP_WAIT_PER_CLIENT + 2];
    memset(p, 0, sizeof p);
    int64_t far = cu_time_mono_ms() + 60000;
    /* One address gets CP_WAIT_PER_CLIENT places; the next is refused
     * (and never parked), another address still gets one. */
    for (int i = 0; i < CP_WAIT_PER_CLIENT; i++) {
        cp_waiter w = {.client = "192.0.2.1",
                       .deadline_ms = far,
                       .ready = probe_ready,
                       .ticket = &p[i],
                       .park = probe_park,
                       .wake = probe_wake,
                       .cls = &p[i]};
        assert_int_equal(cp_waitlist_add(wl, &w, &err), 0);
        assert_int_equal(atomic_load(&p[i].parked), 1);
    }
    probe *over = &p[CP_WAIT_PER_CLIENT], *other = &p[CP_WAIT_PER_CLIENT + 1];
    cp_waiter w = {.client = "192.0.2.1",
                   .deadline_ms = far,
                   .ready = probe_ready,
                   .ticket = over,
                   .park = probe_park,
                   .wake = probe_wake,
                   .cls = over};
    assert_int_equal(cp_waitlist_add(wl, &w, &err), CU_EBUSY);
    assert_int_equal(atomic_load(&over->parked), 0);
    w.client = "192.0.2.2";
    w.ticket = w.cls = other;
    w.deadline_ms = cu_time_mono_ms() + 50; /* never ready: woken at its deadline */
    assert_int_equal(cp_waitlist_add(wl, &w, &err), 0);
    assert_int_equal(cp_waitlist_count(wl), CP_WAIT_PER_CLIENT + 1);

    /* Ready: woken once. */
    atomic_store(&p[0].ready, true);
    wait_for(&p[0].woken, 1);
    assert_int_equal(atomic_load(&p[0].woken), 1);
    wait_for(&other->woken, 1);
    assert_int_equal(atomic_load(&other->woken), 1);
    assert_int_equal(atomic_load(&p[1].woken), 0);
    /* A place came free for the first address. */
    w.client = "192.0.2.1";
    w.deadline_ms = far;
    w.ticket = w.cls = over;
    assert_int_equal(cp_waitlist_add(wl, &w, &err), 0);

    /* Stopping wakes everyone left, once, and refuses newcomers. */
    cp_waitlist_stop(wl);
    for (int i = 0; i < CP_WAIT_PER_CLIENT + 2; i++)
        assert_int_equal(atomic_load(&p[i].woken), 1);
    assert_int_equal(cp_waitlist_add(wl, &w, &err), CU_ELIMIT);
    cp_waitlist_free(wl);
    for (int i = 0; i < CP_WAIT_PER_CLIENT + 2; i++)
        assert_int_equal(atomic_load(&p[i].woken), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cache, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_opens_a_file_inside_its_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test(test_disc_title_paths),
        cmocka_unit_test(test_disc_open_refusals),
        cmocka_unit_test(test_variant_names),
        cmocka_unit_test(test_variant_policy),
        cmocka_unit_test(test_waitlist_bounds_and_wakes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
