/* Unit tests for the checked opener (cp_file_open): what it opens, what it
 * refuses, and that the refusals are CU_ENOTFOUND (the callers' 404). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "playback/cp_file.h"
#include "test_fixture.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_opens_a_file_inside_its_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
