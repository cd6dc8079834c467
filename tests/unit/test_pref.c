/* Unit tests for cc_pref: each user's own preferences, kept apart from
 * every other user's, overwritten in place, forgotten, and bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/cc_db.h"
#include "catalog/cc_pref.h"

static char db_path[512];
static cc_db *db;

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-pref-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    cu_err err = {0};
    return cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err);
}

static int teardown(void **state)
{
    (void)state;
    cc_db_close(db);
    char p[600];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
    return 0;
}

/* The value of name for user, or NULL (a copy to free). */
static char *value_of(int64_t user, const char *name)
{
    cu_err err = {0};
    cc_pref_list list;
    assert_int_equal(cc_pref_list_get(db, user, &list, &err), 0);
    char *v = NULL;
    for (size_t i = 0; i < list.count; i++)
        if (!strcmp(list.items[i].name, name))
            v = strdup(list.items[i].value);
    cc_pref_list_clear(&list);
    return v;
}

static void test_own_and_apart(void **state)
{
    (void)state;
    cu_err err = {0};
    assert_null(value_of(2, "tv"));
    assert_int_equal(cc_pref_set(db, 2, "tv", "true", 100, &err), 0);
    assert_int_equal(cc_pref_set(db, 3, "tv", "false", 100, &err), 0);
    char *v = value_of(2, "tv");
    assert_string_equal(v, "true");
    free(v);
    v = value_of(3, "tv");
    assert_string_equal(v, "false");
    free(v);
    assert_null(value_of(0, "tv")); /* local mode's are its own */
    /* Overwritten in place, then forgotten. */
    assert_int_equal(cc_pref_set(db, 2, "tv", "false", 200, &err), 0);
    v = value_of(2, "tv");
    assert_string_equal(v, "false");
    free(v);
    assert_int_equal(cc_pref_set(db, 2, "tv", NULL, 300, &err), 0);
    assert_null(value_of(2, "tv"));
    v = value_of(3, "tv");
    assert_string_equal(v, "false");
    free(v);
}

static void test_bounded(void **state)
{
    (void)state;
    cu_err err = {0};
    char big[CC_PREF_VALUE_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(cc_pref_set(db, 1, "tv", big, 1, &err), CU_EINVAL);
    assert_int_equal(cc_pref_set(db, 1, "", "true", 1, &err), CU_EINVAL);
    assert_int_equal(cc_pref_set(db, 1, "tv", "", 1, &err), CU_EINVAL);
    big[CC_PREF_NAME_MAX + 1] = '\0';
    assert_int_equal(cc_pref_set(db, 1, big, "true", 1, &err), CU_EINVAL);
    /* At most CC_PREF_COUNT_MAX come back, however many were stored. */
    for (int i = 0; i < CC_PREF_COUNT_MAX + 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%03d", i);
        assert_int_equal(cc_pref_set(db, 1, name, "1", 1, &err), 0);
    }
    cc_pref_list list;
    assert_int_equal(cc_pref_list_get(db, 1, &list, &err), 0);
    assert_int_equal(list.count, CC_PREF_COUNT_MAX);
    cc_pref_list_clear(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_own_and_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
