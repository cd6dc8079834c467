/* Unit tests for cs_realroot: a library root's real path is resolved,
 * kept for the configured time, resolved again when that time is 0, and
 * a root that does not resolve is never remembered. */
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

#include "server/cs_realroot.h"

/* A fresh folder with two targets (a, b) and a link "root" to a. */
static char *make_tree(void)
{
    const char *base = getenv("CINEMATECA_TEST_TMP");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/realroot.XXXXXX", base && *base ? base : "/tmp");
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/a", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/b", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/root", dir);
    assert_int_equal(symlink("a", path), 0);
    return strdup(dir);
}

/* Re-points dir/root at target ("a" or "b"). */
static void repoint(const char *dir, const char *target)
{
    char path[4200], tmp[4200];
    snprintf(path, sizeof path, "%s/root", dir);
    snprintf(tmp, sizeof tmp, "%s/root.new", dir);
    assert_int_equal(symlink(target, tmp), 0);
    assert_int_equal(rename(tmp, path), 0);
}

static void assert_leads_to(char *got, const char *dir, const char *target)
{
    char want[4200], real_dir[4096];
    assert_non_null(realpath(dir, real_dir));
    snprintf(want, sizeof want, "%s/%s", real_dir, target);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void cleanup(char *dir)
{
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static void test_kept_within_ttl(void **state)
{
    (void)state;
    char *dir = make_tree();
    char root[4200];
    snprintf(root, sizeof root, "%s/root", dir);
    cs_realroots *c = cs_realroots_new(3600 * 1000);
    assert_leads_to(cs_realroots_get(c, root), dir, "a");
    /* Re-pointed: the answer of less than an hour ago still holds. */
    repoint(dir, "b");
    assert_leads_to(cs_realroots_get(c, root), dir, "a");
    cs_realroots_free(c);
    cleanup(dir);
}

static void test_ttl_zero_resolves_every_time(void **state)
{
    (void)state;
    char *dir = make_tree();
    char root[4200];
    snprintf(root, sizeof root, "%s/root", dir);
    cs_realroots *c = cs_realroots_new(0);
    assert_leads_to(cs_realroots_get(c, root), dir, "a");
    repoint(dir, "b");
    assert_leads_to(cs_realroots_get(c, root), dir, "b");
    cs_realroots_free(c);
    cleanup(dir);
}

static void test_failure_not_kept(void **state)
{
    (void)state;
    char *dir = make_tree();
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/later", dir);
    cs_realroots *c = cs_realroots_new(3600 * 1000);
    assert_null(cs_realroots_get(c, missing));
    assert_null(cs_realroots_get(c, NULL));
    assert_null(cs_realroots_get(c, ""));
    /* The root appears (a disk mounted): seen at once. */
    assert_int_equal(mkdir(missing, 0755), 0);
    assert_leads_to(cs_realroots_get(c, missing), dir, "later");
    cs_realroots_free(c);
    cleanup(dir);
}

static void test_many_roots_bounded(void **state)
{
    (void)state;
    char *dir = make_tree();
    cs_realroots *c = cs_realroots_new(3600 * 1000);
    /* More roots than the table holds: every answer is still right. */
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < CS_REALROOT_MAX + 8; i++) {
            char sub[64], path[4300];
            snprintf(sub, sizeof sub, "r%d", i);
            snprintf(path, sizeof path, "%s/%s", dir, sub);
            if (round == 0)
                assert_int_equal(mkdir(path, 0755), 0);
            assert_leads_to(cs_realroots_get(c, path), dir, sub);
        }
    cs_realroots_free(c);
    cleanup(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_within_ttl),
        cmocka_unit_test(test_ttl_zero_resolves_every_time),
        cmocka_unit_test(test_failure_not_kept),
        cmocka_unit_test(test_many_roots_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
