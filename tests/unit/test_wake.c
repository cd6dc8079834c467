/* Unit tests for the thread-per-connection server's two helpers:
 * cs_wake (a request waiting on its own thread for another thread's
 * answer, with a bound, and an answer that may come after the waiter gave
 * up) and cs_dbpool (catalog connections lent to requests: at most `size`
 * open, the warmest first, a bounded wait, then CU_EBUSY). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog/cc_db.h"
#include "server/cs_dbpool.h"
#include "server/cs_wake.h"
#include "util/cu_time.h"

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* ---- cs_wake ---- */

static void test_signal_before_wait(void **state)
{
    (void)state;
    cs_wake *w = cs_wake_new(sizeof(int), NULL);
    cs_wake_hold(w);
    *(int *)cs_wake_data(w) = 7;
    cs_wake_signal(w);
    assert_true(cs_wake_signalled(w));
    assert_true(cs_wake_wait(w, cu_time_mono_ms() + 10000));
    assert_int_equal(*(int *)cs_wake_data(w), 7);
    cs_wake_drop(w);
}

static void test_wait_is_bounded(void **state)
{
    (void)state;
    int owner;
    cs_wake *w = cs_wake_new(0, &owner);
    assert_ptr_equal(cs_wake_owner(w), &owner);
    cs_wake_hold(w); /* a waker that never calls */
    int64_t t0 = cu_time_mono_ms();
    assert_false(cs_wake_wait(w, t0 + 50));
    assert_true(cu_time_mono_ms() >= t0 + 50);
    assert_false(cs_wake_signalled(w));
    cs_wake_drop(w); /* the waiter's */
    cs_wake_drop(w); /* the waker's, given up on */
}

typedef struct waker_arg {
    cs_wake *w;
    long delay_ms;
} waker_arg;

static void *waker(void *arg)
{
    waker_arg *a = arg;
    sleep_ms(a->delay_ms);
    *(int *)cs_wake_data(a->w) = 42; /* written before the signal */
    cs_wake_signal(a->w);
    return NULL;
}

static void test_woken_from_another_thread(void **state)
{
    (void)state;
    cs_wake *w = cs_wake_new(sizeof(int), NULL);
    cs_wake_hold(w);
    waker_arg a = {w, 30};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, waker, &a), 0);
    assert_true(cs_wake_wait(w, cu_time_mono_ms() + 20000));
    assert_int_equal(*(int *)cs_wake_data(w), 42);
    cs_wake_drop(w);
    pthread_join(t, NULL);
}

/* The waiter gives up and lets go first: the waker's late answer lands in
 * memory that is still the wake's (ASan would see anything else), and the
 * last one to let go frees it. */
static void test_answer_after_the_waiter_gave_up(void **state)
{
    (void)state;
    cs_wake *w = cs_wake_new(sizeof(int), NULL);
    cs_wake_hold(w);
    waker_arg a = {w, 100};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, waker, &a), 0);
    assert_false(cs_wake_wait(w, cu_time_mono_ms() + 1));
    cs_wake_drop(w);
    pthread_join(t, NULL);
}

/* ---- cs_dbpool ---- */

static char *make_catalog(void)
{
    const char *base = getenv("CINEMATECA_TEST_TMP");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/dbpool.XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
    char *path = malloc(4200);
    snprintf(path, 4200, "%s/catalog.db", dir);
    cc_db *db = NULL;
    cu_err err = {0};
    assert_int_equal(cc_db_open(path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_db_close(db);
    return path;
}

static void remove_catalog(char *path)
{
    char cmd[4400];
    char *slash = strrchr(path, '/');
    *slash = '\0';
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
    free(path);
}

static void test_pool_bounded_and_warmest_first(void **state)
{
    (void)state;
    char *path = make_catalog();
    cs_dbpool *p = cs_dbpool_new(path, 2);
    unsigned open, lent;
    cs_dbpool_counts(p, &open, &lent);
    assert_int_equal(open, 2); /* opened at start */
    assert_int_equal(lent, 0);
    cu_err err = {0};
    cc_db *a = cs_dbpool_take(p, 0, &err);
    cc_db *b = cs_dbpool_take(p, 0, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    int64_t t0 = cu_time_mono_ms();
    assert_null(cs_dbpool_take(p, 50, &err));
    assert_int_equal(err.code, CU_EBUSY);
    assert_true(cu_time_mono_ms() >= t0 + 50);
    cs_dbpool_counts(p, &open, &lent);
    assert_int_equal(open, 2);
    assert_int_equal(lent, 2);
    /* A read transaction left open is ended on the way back. */
    cc_db_read_begin(b);
    cs_dbpool_give(p, b);
    cc_db *again = cs_dbpool_take(p, 0, &err);
    assert_ptr_equal(again, b);
    cs_dbpool_give(p, again);
    cs_dbpool_give(p, a);
    assert_ptr_equal(cs_dbpool_take(p, 0, &err), a); /* given back last */
    cs_dbpool_give(p, a);
    cs_dbpool_free(p);
    remove_catalog(path);
}

typedef struct giver_arg {
    cs_dbpool *p;
    cc_db *db;
} giver_arg;

static void *giver(void *arg)
{
    giver_arg *g = arg;
    sleep_ms(30);
    cs_dbpool_give(g->p, g->db);
    return NULL;
}

static void test_pool_waiter_gets_one_given_back(void **state)
{
    (void)state;
    char *path = make_catalog();
    cs_dbpool *p = cs_dbpool_new(path, 1);
    cu_err err = {0};
    cc_db *only = cs_dbpool_take(p, 0, &err);
    assert_non_null(only);
    giver_arg g = {p, only};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, giver, &g), 0);
    cc_db *got = cs_dbpool_take(p, 20000, &err);
    assert_ptr_equal(got, only);
    pthread_join(t, NULL);
    cs_dbpool_give(p, got);
    cs_dbpool_free(p);
    remove_catalog(path);
}

static void test_pool_without_a_catalog(void **state)
{
    (void)state;
    cs_dbpool *p = cs_dbpool_new("/nonexistent/cinemateca/catalog.db", 3);
    unsigned open, lent;
    cs_dbpool_counts(p, &open, &lent);
    assert_int_equal(open, 0);
    cu_err err = {0};
    assert_null(cs_dbpool_take(p, 0, &err));
    assert_int_equal(err.code, CU_EBUSY);
    assert_non_null(strstr(err.msg, "not available"));
    cs_dbpool_counts(p, &open, &lent);
    assert_int_equal(open, 0); /* the failed open gave its place back */
    cs_dbpool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signal_before_wait),
        cmocka_unit_test(test_wait_is_bounded),
        cmocka_unit_test(test_woken_from_another_thread),
        cmocka_unit_test(test_answer_after_the_waiter_gave_up),
        cmocka_unit_test(test_pool_bounded_and_warmest_first),
        cmocka_unit_test(test_pool_waiter_gets_one_given_back),
        cmocka_unit_test(test_pool_without_a_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
