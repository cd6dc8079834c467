/* Unit tests for the library walk (grouping into films, parts, versions,
 * extras, side files) and the change watcher, on small temporary trees of
 * empty files: the walk reads names and sizes, never contents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "library/cl_walk.h"
#include "library/cl_watch.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

static char root[256];

static void touch(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    }
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    assert_true(fd >= 0);
    close(fd);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(root, sizeof root, "%s/walkXXXXXX", tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(root));
    char *real = cu_path_real(root);
    cu_strlcpy(root, real, sizeof root);
    free(real);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

static const cl_found_film *film_titled(const cl_walk_result *r, const char *title)
{
    for (size_t i = 0; i < r->film_count; i++)
        if (!strcmp(r->films[i].name.title, title))
            return &r->films[i];
    return NULL;
}

static size_t files_of(const cl_walk_result *r, const cl_found_film *film, int extras)
{
    size_t n = 0, index = (size_t)(film - r->films);
    for (size_t i = 0; i < r->file_count; i++)
        if (r->files[i].film == index && r->files[i].is_extra == extras)
            n++;
    return n;
}

static void test_grouping(void **state)
{
    (void)state;
    touch("Pain and Glory (2019)/Pain and Glory (2019).mkv");
    touch("Pain and Glory (2019)/movie.nfo");
    touch("Pain and Glory (2019)/poster.jpg");
    touch("Pain and Glory (2019)/fanart.png");
    touch("Pain and Glory (2019)/Interviews/In His Own Words.mkv");
    touch("Pain and Glory (2019)/Interviews/In His Own Words.nfo");
    touch("Pain and Glory (2019)/Pain and Glory (2019)-trailer.mp4");
    touch("Volver (2006)/Volver (2006) - Director's Cut.mkv");
    touch("Volver (2006)/Volver (2006) - Theatrical.mkv");
    touch("Julieta (2016)/Julieta (2016) - cd1.mkv");
    touch("Julieta (2016)/Julieta (2016) - cd2.mkv");
    touch("Talk.to.Her.2002.1080p.BluRay.x264-GROUP.mkv");
    touch("Talk.to.Her.2002.1080p.BluRay.x264-GROUP-poster.jpg");
    touch("Matador (1986).mkv");
    touch("Matador (1986).nfo");
    touch("Clips/orphan.mkv");
    touch(".hidden/Secret (2000).mkv");
    touch("@eaDir/Thumb (2000).mkv");
    touch("notes.txt");

    cl_walk_result r = {0};
    cu_err err = {0};
    assert_int_equal(cl_walk_root(root, &r, NULL, NULL, &err), 0);
    assert_int_equal(r.film_count, 5);

    const cl_found_film *pain = film_titled(&r, "Pain and Glory");
    assert_non_null(pain);
    assert_int_equal(pain->name.year, 2019);
    assert_non_null(pain->nfo_path);
    assert_non_null(strstr(pain->nfo_path, "movie.nfo"));
    assert_non_null(strstr(pain->poster, "poster.jpg"));
    assert_non_null(strstr(pain->backdrop, "fanart.png"));
    assert_int_equal(files_of(&r, pain, 0), 1);
    assert_int_equal(files_of(&r, pain, 1), 2);
    for (size_t i = 0; i < r.file_count; i++) {
        if (strstr(r.files[i].path, "In His Own Words")) {
            assert_string_equal(r.files[i].extra_type, "interview");
            assert_non_null(r.files[i].nfo_path);
        }
        if (strstr(r.files[i].path, "-trailer"))
            assert_string_equal(r.files[i].extra_type, "trailer");
    }

    const cl_found_film *volver = film_titled(&r, "Volver");
    assert_non_null(volver);
    assert_int_equal(files_of(&r, volver, 0), 2);
    const cl_found_film *julieta = film_titled(&r, "Julieta");
    assert_non_null(julieta);
    int parts = 0;
    for (size_t i = 0; i < r.file_count; i++)
        if (r.files[i].film == (size_t)(julieta - r.films))
            parts += r.files[i].part;
    assert_int_equal(parts, 3); /* parts 1 and 2 */

    const cl_found_film *talk = film_titled(&r, "Talk to Her");
    assert_non_null(talk);
    assert_int_equal(talk->name.year, 2002);
    assert_non_null(talk->poster); /* <video>-poster beside a flat file */
    const cl_found_film *matador = film_titled(&r, "Matador");
    assert_non_null(matador);
    assert_non_null(matador->nfo_path); /* <video>.nfo beside a flat file */
    assert_null(matador->poster);

    /* The clip with no film beside it is reported, not cataloged. */
    int orphan_reported = 0;
    for (size_t i = 0; i < r.problem_count; i++)
        if (strstr(r.problems[i].path, "orphan.mkv"))
            orphan_reported = 1;
    assert_true(orphan_reported);
    cl_walk_result_clear(&r);
}

static void test_symlinks(void **state)
{
    (void)state;
    touch("A (2000)/A (2000).mkv");
    char link[1024], loop[1024];
    snprintf(link, sizeof link, "%s/outside", root);
    assert_int_equal(symlink("/usr/share", link), 0);
    snprintf(loop, sizeof loop, "%s/A (2000)/loop", root);
    assert_int_equal(symlink("..", loop), 0);
    cl_walk_result r = {0};
    cu_err err = {0};
    assert_int_equal(cl_walk_root(root, &r, NULL, NULL, &err), 0);
    assert_int_equal(r.film_count, 1);
    int outside_reported = 0;
    for (size_t i = 0; i < r.problem_count; i++)
        if (strstr(r.problems[i].message, "outside"))
            outside_reported = 1;
    assert_true(outside_reported);
    cl_walk_result_clear(&r);
}

static void test_missing_root(void **state)
{
    (void)state;
    cl_walk_result r = {0};
    cu_err err = {0};
    assert_true(cl_walk_root("/nonexistent/films", &r, NULL, NULL, &err) < 0);
    assert_non_null(strstr(err.msg, "/nonexistent/films"));
    cl_walk_result_clear(&r);
}

static void test_watch(void **state)
{
    (void)state;
    touch("A (2000)/A (2000).mkv");
    cl_watch *w;
    cu_err err = {0};
    const char *roots[] = {root};
    assert_int_equal(cl_watch_new(roots, 1, &w, &err), 0);
    assert_int_equal(cl_watch_wait(w, 50, 100), 0); /* nothing happened */
    touch("B (2001)/B (2001).mkv");                 /* a new folder, then a file */
    assert_int_equal(cl_watch_wait(w, 50, 2000), 1);
    touch("B (2001)/B (2001)-trailer.mkv"); /* inside the folder just added */
    assert_int_equal(cl_watch_wait(w, 50, 2000), 1);
    cl_watch_stop(w);
    assert_int_equal(cl_watch_wait(w, 50, -1), 0);
    cl_watch_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_grouping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
