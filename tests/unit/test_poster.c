/* Unit tests for generated posters: cm_type sets a title in white type at
 * the foot of a picture (and nowhere else), and cm_media_poster makes a
 * 2:3 JPEG of a film's frame with it. The test makes its clip with the
 * ffmpeg command (the library never spawns it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "media/cm_media.h"
#include "media/cm_type.h"
#include "util/cu_file.h"
#include "util/cu_str.h"

extern char **environ;

#define W 240
#define H 360

static int whites(const uint8_t *rgb, int y0, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *p = rgb + ((size_t)y * W + (size_t)x) * 3;
            n += p[0] > 235 && p[1] > 235 && p[2] > 235;
        }
    return n;
}

static void test_title_in_type(void **state)
{
    (void)state;
    if (access(CM_TYPE_SERIF_BOLD, R_OK) != 0) {
        print_message("no DejaVu fonts: skipped (scripts/setup.sh installs fonts-dejavu-core)\n");
        skip();
    }
    uint8_t *rgb = malloc((size_t)W * H * 3);
    memset(rgb, 128, (size_t)W * H * 3);
    cu_err err = {0};
    assert_int_equal(
        cm_type_title(rgb, W, H, W * 3, "Le Fabuleux Destin d'Amélie Poulain", 2001, &err), 0);
    int low = whites(rgb, H / 2, H), high = whites(rgb, 0, H / 2);
    assert_true(low > 500);    /* the letters, in white, at the foot */
    assert_int_equal(high, 0); /* and nothing above */
    /* The top is only dimmed, the foot darker behind the type. */
    assert_true(rgb[0] < 128 && rgb[0] > 90);

    memset(rgb, 128, (size_t)W * H * 3);
    assert_int_equal(cm_type_title(rgb, W, H, W * 3, "", 0, &err), 0);
    assert_int_equal(whites(rgb, 0, H), 0); /* no title, no type */

    /* Hostile titles: very long, one huge word, invalid UTF-8, controls. */
    char longest[2000];
    memset(longest, 'W', sizeof longest - 1);
    longest[sizeof longest - 1] = '\0';
    const char *hostile[] = {
        longest, "\xFF\xFE\x01\x02 bad \xC3",
        "a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 0 a b c d e f g h i j k l m n o p"};
    for (size_t i = 0; i < 3; i++) {
        memset(rgb, 128, (size_t)W * H * 3);
        assert_int_equal(cm_type_title(rgb, W, H, W * 3, hostile[i], 1999, &err), 0);
    }
    free(rgb);
}

static void test_poster_of_a_film(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    char *clip = cu_xasprintf("%s/test_poster_%d.mkv", tmp ? tmp : "/tmp", (int)getpid());
    char *out = cu_xasprintf("%s/test_poster_%d.jpg", tmp ? tmp : "/tmp", (int)getpid());
    char *const argv[] = {"ffmpeg",   "-nostdin", "-v",
                          "error",    "-y",       "-f",
                          "lavfi",    "-i",       "testsrc=size=320x180:rate=10",
                          "-t",       "2",        "-c:v",
                          "libx264",  "-preset",  "ultrafast",
                          "-pix_fmt", "yuv420p",  clip,
                          NULL};
    pid_t pid;
    int status = -1;
    if (posix_spawnp(&pid, "ffmpeg", NULL, NULL, argv, environ) != 0 ||
        waitpid(pid, &status, 0) < 0 || status != 0) {
        print_message("no ffmpeg command: skipped\n");
        free(clip);
        free(out);
        skip();
    }
    cu_err err = {0};
    assert_int_equal(cm_media_poster(clip, 0.1, 480, "Amélie", 2001, out, &err), 0);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(cu_file_read(out, 1 << 24, &data, &len, &err), 0);
    int w = 0, h = 0;
    assert_int_equal(cm_image_dimensions((const uint8_t *)data, len, &w, &h, &err), 0);
    assert_int_equal(w, 480);
    assert_int_equal(h, 720); /* a poster's 2:3, not the film's 16:9 */
    free(data);
    /* Not a film: an error, and nothing written. */
    unlink(out);
    assert_true(cm_media_poster(out, 0.1, 480, "x", 0, out, &err) < 0);
    assert_int_not_equal(access(out, F_OK), 0);
    unlink(clip);
    free(clip);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_in_type),
        cmocka_unit_test(test_poster_of_a_film),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
