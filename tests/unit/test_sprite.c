/* Unit tests for trickplay sheets (media/cm_sprite): a 30 s film made with
 * the ffmpeg command (the test may spawn it; the library never does) that
 * is black, then white, then grey for 10 s each gives three tiles of those
 * shades in the right cells; the layout follows the picture's aspect; a
 * file without video, a bad layout and a cancel are refused; manifests
 * parse only when whole and in range. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_fixture.h"

#include "media/cm_sprite.h"

static char dir[1024];
static bool have_media;

static const char *path_of(const char *name)
{
    static char paths[4][PATH_MAX];
    static unsigned next;
    char *p = paths[next++ % 4];
    snprintf(p, PATH_MAX, "%s/%s", dir, name);
    return p;
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/test_sprite.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    /* 320x240 (4:3), 5 fps: 10 s black, 10 s white, 10 s grey. */
    /* clang-format off */
    const char *const shades[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "color=c=black:s=320x240:r=5:d=10",
        "-f", "lavfi", "-i", "color=c=white:s=320x240:r=5:d=10",
        "-f", "lavfi", "-i", "color=c=0x808080:s=320x240:r=5:d=10",
        "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0[v]", "-map", "[v]",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p",
        path_of("shades.mkv"), NULL};
    /* clang-format on */
    /* clang-format off */
    const char *const sound[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=22050", "-t", "3", "-c:a", "aac",
        path_of("sound.m4a"), NULL};
    /* clang-format on */
    have_media = test_fixture_run(shades) && test_fixture_run(sound);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_fixture_remove_tree(dir);
    return 0;
}

/* Mean grey of each tile of a sheet (decoded by the ffmpeg command to raw
 * grey pixels). */
static bool tile_means(const char *sheet, int width, int height, int tile_w, int tile_h, int count,
                       double *means)
{
    const char *raw = path_of("sheet.gray");
    /* clang-format off */
    const char *const argv[] = {"ffmpeg", "-nostdin", "-v", "error", "-y", "-i", sheet,
                                "-f", "rawvideo", "-pix_fmt", "gray", raw, NULL};
    /* clang-format on */
    if (!test_fixture_run(argv))
        return false;
    FILE *f = fopen(raw, "rb");
    if (!f)
        return false;
    unsigned char *px = malloc((size_t)width * height);
    bool ok = fread(px, 1, (size_t)width * height, f) == (size_t)width * height;
    fclose(f);
    for (int t = 0; ok && t < count; t++) {
        int x0 = (t % (width / tile_w)) * tile_w, y0 = (t / (width / tile_w)) * tile_h;
        long sum = 0;
        /* The middle of the tile: JPEG blurs the edges between cells. */
        for (int y = y0 + 8; y < y0 + tile_h - 8; y++)
            for (int x = x0 + 8; x < x0 + tile_w - 8; x++)
                sum += px[(size_t)y * width + x];
        means[t] = (double)sum / ((tile_w - 16) * (tile_h - 16));
    }
    free(px);
    return ok;
}

static void test_sheet_of_shades(void **state)
{
    (void)state;
    if (!have_media)
        skip();
    int fd = open(path_of("shades.mkv"), O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    cm_sprite_options opt = {.interval = 10, .tile_width = 160, .columns = 4, .rows = 2};
    cm_sprite_info info;
    cu_err err = {0};
    char base[PATH_MAX];
    snprintf(base, sizeof base, "%s", path_of("shades"));
    int rc = cm_sprite_make(fd, "shades.mkv", &opt, base, &info, &err);
    close(fd);
    assert_int_equal(rc, 0);
    assert_int_equal(info.tiles, 3);
    assert_int_equal(info.sheets, 1);
    assert_int_equal(info.tile_width, 160);
    assert_int_equal(info.tile_height, 120); /* 4:3 */
    assert_int_equal(info.columns, 4);
    assert_int_equal(info.rows, 2);
    /* The manifest says the same, read back. */
    cm_sprite_info again;
    assert_int_equal(cm_sprite_manifest_read(base, &again, &err), 0);
    assert_memory_equal(&info, &again, sizeof info);
    /* One row of four cells (three tiles and a black one): 640x120. */
    char sheet[PATH_MAX + 16];
    snprintf(sheet, sizeof sheet, "%s-0.jpg", base);
    double means[4];
    assert_true(tile_means(sheet, 640, 120, 160, 120, 4, means));
    assert_true(means[0] < 30);                    /* 5 s: black */
    assert_true(means[1] > 225);                   /* 15 s: white */
    assert_true(means[2] > 100 && means[2] < 156); /* 25 s: grey */
    assert_true(means[3] < 30);                    /* no tile: left black */
    /* No second sheet, no temporaries left. */
    snprintf(sheet, sizeof sheet, "%s-1.jpg", base);
    assert_int_equal(access(sheet, F_OK), -1);
}

static void test_many_sheets(void **state)
{
    (void)state;
    if (!have_media)
        skip();
    int fd = open(path_of("shades.mkv"), O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    /* One tile a second, 2x2 per sheet: 30 tiles on 8 sheets. */
    cm_sprite_options opt = {.interval = 1, .tile_width = 64, .columns = 2, .rows = 2};
    cm_sprite_info info;
    cu_err err = {0};
    const char *base = path_of("many");
    assert_int_equal(cm_sprite_make(fd, NULL, &opt, base, &info, &err), 0);
    close(fd);
    assert_int_equal(info.tiles, 30);
    assert_int_equal(info.sheets, 8);
    char sheet[PATH_MAX + 16];
    for (int i = 0; i < 8; i++) {
        snprintf(sheet, sizeof sheet, "%s-%d.jpg", base, i);
        assert_int_equal(access(sheet, F_OK), 0);
    }
}

static void test_refusals(void **state)
{
    (void)state;
    if (!have_media)
        skip();
    cm_sprite_info info;
    cu_err err = {0};
    /* No video. */
    int fd = open(path_of("sound.m4a"), O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(cm_sprite_make(fd, NULL, NULL, path_of("sound"), &info, &err), CU_EMEDIA);
    close(fd);
    assert_int_equal(access(path_of("sound.txt"), F_OK), -1);
    /* A layout out of range. */
    fd = open(path_of("shades.mkv"), O_RDONLY | O_CLOEXEC);
    cm_sprite_options wide = {.tile_width = 5000};
    assert_int_equal(cm_sprite_make(fd, NULL, &wide, path_of("wide"), &info, &err), CU_EINVAL);
    /* Cancelled before the first tile: nothing is left as if complete. */
    volatile sig_atomic_t stop = 1;
    cm_sprite_options cancelled = {.cancel = &stop};
    assert_int_equal(cm_sprite_make(fd, NULL, &cancelled, path_of("cancelled"), &info, &err),
                     CU_ELIMIT);
    assert_int_equal(access(path_of("cancelled.txt"), F_OK), -1);
    close(fd);
    /* Not a media file at all. */
    FILE *f = fopen(path_of("text.mkv"), "w");
    fputs("this is not a film\n", f);
    fclose(f);
    fd = open(path_of("text.mkv"), O_RDONLY | O_CLOEXEC);
    assert_true(cm_sprite_make(fd, "text.mkv", NULL, path_of("text"), &info, &err) < 0);
    close(fd);
    assert_int_equal(cm_sprite_manifest_read(path_of("text"), &info, &err), -ENOENT);
}

static void test_manifest_parse(void **state)
{
    (void)state;
    cm_sprite_info info;
    cu_err err = {0};
    const char good[] = "cinemateca-trickplay 1\ninterval 10.000\ntile 160 90\ngrid 10 10\n"
                        "tiles 123\nsheets 2\n";
    assert_int_equal(cm_sprite_manifest_parse(good, sizeof good - 1, &info, &err), 0);
    assert_true(info.interval == 10.0);
    assert_int_equal(info.tile_width, 160);
    assert_int_equal(info.tile_height, 90);
    assert_int_equal(info.tiles, 123);
    assert_int_equal(info.sheets, 2);
    const char *const bad[] = {
        "",
        "cinemateca-trickplay 2\ninterval 10\ntile 160 90\ngrid 10 10\ntiles 1\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval 10\ntile 160 90\ngrid 10 10\ntiles 123\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval 0\ntile 160 90\ngrid 10 10\ntiles 1\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval -5\ntile 160 90\ngrid 10 10\ntiles 1\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval nan\ntile 160 90\ngrid 10 10\ntiles 1\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval 10\ntile 99999 90\ngrid 10 10\ntiles 1\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval 10\ntile 160 90\ngrid 0 10\ntiles 1\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval 10\ntile 160 90\ngrid 10 10\ntiles 9999999\nsheets 1\n",
        "cinemateca-trickplay 1\ninterval 10\ntile 160 90\ngrid 10 10\ntiles 1\n",
        "cinemateca-trickplay 1\ninterval 10\ntile 160 90\ngrid 10 10\ntiles -1\nsheets 0\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (cm_sprite_manifest_parse(bad[i], strlen(bad[i]), &info, &err) != CU_EPARSE)
            fail_msg("manifest %zu parsed: %s", i, bad[i]);
    /* Bounded: a huge text is looked at for its first KiB only. */
    size_t n = 1 << 20;
    char *huge = malloc(n);
    memset(huge, 'x', n);
    assert_int_equal(cm_sprite_manifest_parse(huge, n, &info, &err), CU_EPARSE);
    free(huge);
}

static void test_base_name(void **state)
{
    (void)state;
    char *b = cm_sprite_base("/cache/trickplay", 12, 3456, 789);
    assert_string_equal(b, "/cache/trickplay/12-3456-789");
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet_of_shades), cmocka_unit_test(test_many_sheets),
        cmocka_unit_test(test_refusals),        cmocka_unit_test(test_manifest_parse),
        cmocka_unit_test(test_base_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
