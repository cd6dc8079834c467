/* Unit tests for util: buffers, map, paths, UTF-8, folding, thread pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/cu_buf.h"
#include "util/cu_err.h"
#include "util/cu_fold.h"
#include "util/cu_hash.h"
#include "util/cu_map.h"
#include "util/cu_time.h"
#include "util/cu_path.h"
#include "util/cu_pool.h"
#include "util/cu_str.h"
#include "util/cu_arena.h"
#include "util/cu_year.h"

static void test_buf(void **state)
{
    (void)state;
    cu_buf b = CU_BUF_INIT;
    assert_string_equal(cu_buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        cu_buf_printf(&b, "%d,", i);
    assert_int_equal(strncmp(cu_buf_str(&b), "0,1,2,", 6), 0);
    assert_int_equal(b.len, strlen(b.data));
    cu_buf_reset(&b);
    cu_buf_puts(&b, "abc");
    cu_buf_putc(&b, 'd');
    char *s = cu_buf_take(&b);
    assert_string_equal(s, "abcd");
    assert_null(b.data);
    free(s);
    /* Pieces longer than the room left, and than the first guess. */
    char big[300], want[700];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 40; i++) {
        cu_buf_reset(&b);
        cu_buf_printf(&b, "%.*s", i, big); /* leave a different room each time */
        cu_buf_printf(&b, "[%s|%d]", big, i);
        snprintf(want, sizeof want, "%.*s[%s|%d]", i, big, big, i);
        assert_string_equal(cu_buf_str(&b), want);
        assert_int_equal(b.len, strlen(want));
    }
    cu_buf_reset(&b);
    const int64_t ints[] = {0, 7, -7, 10, 1234567890123, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        cu_buf_reset(&b);
        cu_buf_put_i64(&b, ints[i]);
        snprintf(want, sizeof want, "%lld", (long long)ints[i]);
        assert_string_equal(cu_buf_str(&b), want);
    }
    cu_buf_free(&b);
}

static void test_map(void **state)
{
    (void)state;
    cu_map *m = cu_map_new();
    char key[32];
    for (intptr_t i = 1; i <= 5000; i++) {
        snprintf(key, sizeof key, "k%ld", (long)i);
        cu_map_put(m, key, (void *)i, NULL);
    }
    assert_int_equal(cu_map_count(m), 5000);
    assert_int_equal((intptr_t)cu_map_get(m, "k1234"), 1234);
    for (intptr_t i = 1; i <= 5000; i += 2) {
        snprintf(key, sizeof key, "k%ld", (long)i);
        assert_int_equal((intptr_t)cu_map_remove(m, key), i);
    }
    assert_int_equal(cu_map_count(m), 2500);
    assert_false(cu_map_has(m, "k1"));
    assert_true(cu_map_has(m, "k2"));
    void *old = NULL;
    cu_map_put(m, "k2", (void *)7, &old);
    assert_int_equal((intptr_t)old, 2);
    size_t pos = 0, n = 0;
    while (cu_map_next(m, &pos, NULL, NULL))
        n++;
    assert_int_equal(n, 2500);
    cu_map_free(m);
}

static void test_path(void **state)
{
    (void)state;
    char *p = cu_path_join("/films/", "/Pain and Glory (2019)");
    assert_string_equal(p, "/films/Pain and Glory (2019)");
    free(p);
    assert_string_equal(cu_path_basename("/a/b/c.mkv"), "c.mkv");
    assert_string_equal(cu_path_ext("/a/b/c.tar.mkv"), "mkv");
    assert_string_equal(cu_path_ext("/a/.hidden"), "");
    p = cu_path_stem("/a/Film (2019).mkv");
    assert_string_equal(p, "Film (2019)");
    free(p);
    p = cu_path_dirname("/a/b/c.mkv");
    assert_string_equal(p, "/a/b");
    free(p);
    assert_true(cu_path_is_within("/films", "/films"));
    assert_true(cu_path_is_within("/films", "/films/a.mkv"));
    assert_false(cu_path_is_within("/films", "/films2/a.mkv"));
    assert_false(cu_path_is_within("/films", "/etc/passwd"));
    assert_true(cu_path_is_within("/", "/etc"));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(cu_utf8_valid("Almodóvar 8½", strlen("Almodóvar 8½")));
    assert_false(cu_utf8_valid("Caf\xe9", 4));
    assert_false(cu_utf8_valid("\xc0\xaf", 2));     /* overlong '/' */
    assert_false(cu_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
    char *r = cu_utf8_repair("Caf\xe9!", 5);
    assert_string_equal(r, "Caf\xef\xbf\xbd!");
    free(r);
    char small[6];
    cu_strlcpy(small, "abcdé", sizeof small); /* é would be cut in half */
    assert_string_equal(small, "abcd");
    char t[] = "  padded \n";
    assert_string_equal(cu_str_trim(t), "padded");
}

static void test_fold(void **state)
{
    (void)state;
    struct {
        const char *in, *out;
    } cases[] = {
        {"Pedro Almodóvar", "pedro almodovar"},
        {"PENÉLOPE CRUZ", "penelope cruz"},
        {"Dolor y gloria", "dolor y gloria"},
        {"Amélie", "amelie"},
        {"Straße", "strasse"},
        {"Œuvre Æther Ørsted Łódź", "oeuvre aether orsted lodz"},
        {"8½", "8½"},
        {"Москва", "москва"},
        {"Ελλάδα", "ελλάδα"},
        {"e\xcc\x81", "e"}, /* decomposed é */
        {"Caf\xe9", "caf "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *f = cu_fold(cases[i].in);
        assert_string_equal(f, cases[i].out);
        free(f);
    }
}

static void add_one(void *arg)
{
    __atomic_add_fetch((int *)arg, 1, __ATOMIC_SEQ_CST);
}

static void test_pool(void **state)
{
    (void)state;
    int counter = 0;
    cu_pool *p = cu_pool_new(3);
    assert_int_equal(cu_pool_threads(p), 3);
    for (int i = 0; i < 1000; i++)
        cu_pool_submit(p, add_one, &counter);
    cu_pool_wait(p);
    assert_int_equal(counter, 1000);
    cu_pool_free(p);
}

static void test_err(void **state)
{
    (void)state;
    cu_err e = {0};
    assert_int_equal(cu_err_set(&e, CU_EPARSE, "line %d", 3), CU_EPARSE);
    assert_string_equal(e.msg, "line 3");
    assert_int_equal(cu_err_set(NULL, CU_EDB, "x"), CU_EDB);
    assert_string_equal(cu_err_name(CU_ELIMIT), "limit exceeded");
}

/* Arena: zeroed, aligned, strings copied, arrays grown with their contents,
 * big and small allocations mixed; everything goes with one free (the
 * Valgrind and ASan runs check that nothing leaks). */
static void test_arena(void **state)
{
    (void)state;
    cu_arena *a = cu_arena_new();
    assert_null(cu_arena_strdup(a, NULL));
    char *s = cu_arena_strdup(a, "Mujeres al borde");
    assert_string_equal(s, "Mujeres al borde");
    assert_string_equal(cu_arena_strndup(a, "Volver", 3), "Vol");
    int *nums = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < 1000; i++) {
        if (i == cap) {
            nums = cu_arena_grow(a, nums, cap, cap ? cap * 2 : 4, sizeof *nums);
            cap = cap ? cap * 2 : 4;
        }
        nums[i] = (int)i;
    }
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(nums[i], (int)i);
    for (int i = 0; i < 100; i++) {
        size_t size = (size_t)(i % 7 == 0 ? 100000 : 1 + i);
        unsigned char *p = cu_arena_alloc(a, size);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        for (size_t k = 0; k < size; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xAB, size);
    }
    assert_string_equal(s, "Mujeres al borde"); /* untouched by later blocks */
    assert_true(cu_arena_used(a) > 1000 * sizeof(int));
    cu_arena_free(a);
    cu_arena_free(NULL);
}

/* FNV-1a's published values, and pieces hashing as one run of bytes. */
static void test_hash(void **state)
{
    (void)state;
    assert_int_equal(cu_hash32(CU_HASH32_INIT, "", 0), 0x811c9dc5u);
    assert_int_equal(cu_hash32(CU_HASH32_INIT, "a", 1), 0xe40c292cu);
    assert_int_equal(cu_hash32(CU_HASH32_INIT, "foobar", 6), 0xbf9cf968u);
    assert_true(cu_hash64(CU_HASH64_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(cu_hash64(CU_HASH64_INIT, "foobar", 6) == 0x85944171f73967e8ULL);
    assert_int_equal(cu_hash32(cu_hash32(CU_HASH32_INIT, "foo", 3), "bar", 3),
                     cu_hash32(CU_HASH32_INIT, "foobar", 6));
    assert_true(cu_hash64(cu_hash64(CU_HASH64_INIT, "foo", 3), "bar", 3) ==
                cu_hash64(CU_HASH64_INIT, "foobar", 6));
    /* Word-wise: the same ids the same hash; another id, another order or
     * one id fewer, another. */
    const int64_t a[] = {1, 2, 3}, b[] = {1, 2, 4}, c[] = {2, 1, 3};
    uint64_t ha = cu_hash64_i64(CU_HASH64_INIT, a, 3);
    assert_true(ha == cu_hash64_i64(CU_HASH64_INIT, a, 3));
    assert_true(ha != cu_hash64_i64(CU_HASH64_INIT, b, 3));
    assert_true(ha != cu_hash64_i64(CU_HASH64_INIT, c, 3));
    assert_true(ha != cu_hash64_i64(CU_HASH64_INIT, a, 2));
}

/* A deadline is now plus the wait, its nanoseconds carried into seconds;
 * a wait below zero is now. */
static void test_deadline(void **state)
{
    (void)state;
    struct timespec now, until;
    clock_gettime(CLOCK_MONOTONIC, &now);
    cu_time_deadline(CLOCK_MONOTONIC, 1999, &until);
    assert_true(until.tv_nsec >= 0 && until.tv_nsec < 1000000000L);
    int64_t ms =
        (int64_t)(until.tv_sec - now.tv_sec) * 1000 + (until.tv_nsec - now.tv_nsec) / 1000000;
    assert_true(ms >= 1999 && ms < 1999 + 60000); /* not a timing: a unit slip would be x1000 */
    cu_time_deadline(CLOCK_MONOTONIC, -5000, &until);
    assert_true(until.tv_sec >= now.tv_sec);
}

/* Dates as the .nfo reader and the editor take them: one rule for both. */
static void test_year(void **state)
{
    (void)state;
    const char *good[] = {"1870", "2200", "1999-05", "1999-12-31", "2019-03-22", "1895-01-01"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!cu_date_valid(good[i]))
            fail_msg("refused %s", good[i]);
    const char *bad[] = {"",           "1869",        "2201",       "199",        "19999",
                         "1999-13",    "1999-00",     "1999-1-01",  "1999-01-32", "1999-01-00",
                         "1999/01/01", "1999-01-01 ", " 1999",      "+999",       "19a9",
                         "1999-0a",    "1999-01-0x",  "1999_01_01", "1999-01-011"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (cu_date_valid(bad[i]))
            fail_msg("took %s", bad[i]);
    assert_int_equal(cu_year_leading("1999-05-01"), 1999);
    assert_int_equal(cu_year_leading("2019"), 2019);
    assert_int_equal(cu_year_leading("199"), 0);
    assert_int_equal(cu_year_leading("19x9"), 0);
    assert_int_equal(cu_year_leading(""), 0);
    assert_int_equal(cu_year_leading(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf),      cmocka_unit_test(test_map),   cmocka_unit_test(test_path),
        cmocka_unit_test(test_utf8),     cmocka_unit_test(test_fold),  cmocka_unit_test(test_pool),
        cmocka_unit_test(test_err),      cmocka_unit_test(test_arena), cmocka_unit_test(test_hash),
        cmocka_unit_test(test_deadline), cmocka_unit_test(test_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
