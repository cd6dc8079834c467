/* test_dlna_gena: GENA's header values (dl_gena_msg): where a subscriber
 * may be called back (its own address only: CallStranger), how long a
 * subscription lasts, what a SID looks like. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dlna/dl_gena_msg.h"
#include "util/cu_err.h"

#define PEER 0x0ae70002u /* 10.231.0.2 */

static void test_callback(void **state)
{
    (void)state;
    dl_gena_url u;
    assert_int_equal(dl_gena_callback_parse("<http://10.231.0.2:49152/upnp/event/1>", PEER, &u), 0);
    assert_int_equal(u.addr, PEER);
    assert_int_equal(u.port, 49152);
    assert_string_equal(u.path, "/upnp/event/1");
    assert_int_equal(dl_gena_callback_parse(" <http://10.231.0.2>", PEER, &u), 0);
    assert_int_equal(u.port, 80);
    assert_string_equal(u.path, "/");
    /* Several: the first is used, every one must be the peer's. */
    assert_int_equal(
        dl_gena_callback_parse("<http://10.231.0.2:1/a> <http://10.231.0.2:2/b>", PEER, &u), 0);
    assert_int_equal(u.port, 1);
    /* CallStranger: any other host is refused, as is any name. */
    assert_int_equal(dl_gena_callback_parse("<http://192.0.2.1/x>", PEER, &u), CU_EINVAL);
    assert_int_equal(dl_gena_callback_parse("<http://10.231.0.2/a><http://192.0.2.1/x>", PEER, &u),
                     CU_EINVAL);
    assert_int_equal(dl_gena_callback_parse("<http://victim.example/x>", PEER, &u), CU_EINVAL);
    assert_int_equal(dl_gena_callback_parse("<http://10.231.0.2.evil.example/x>", PEER, &u),
                     CU_EPARSE);
    assert_int_equal(dl_gena_callback_parse("<http://010.231.0.2/x>", PEER, &u), CU_EINVAL);
    assert_int_equal(dl_gena_callback_parse("<http://10.231.0.256/x>", PEER, &u), CU_EINVAL);
    /* Malformed. */
    const char *bad[] = {"",
                         "http://10.231.0.2/x",
                         "<https://10.231.0.2/x>",
                         "<http://10.231.0.2:0/x>",
                         "<http://10.231.0.2:65536/x>",
                         "<http://10.231.0.2:123456/x>",
                         "<http://10.231.0.2/a b>",
                         "<http://10.231.0.2/a",
                         "<http://10.231.0.2x/>",
                         "<ftp://10.231.0.2/>",
                         NULL};
    for (size_t i = 0; bad[i]; i++)
        if (dl_gena_callback_parse(bad[i], PEER, &u) != CU_EPARSE)
            fail_msg("\"%s\" should not parse", bad[i]);
    assert_int_equal(dl_gena_callback_parse(NULL, PEER, &u), CU_EPARSE);
    char long_path[400] = "<http://10.231.0.2/";
    memset(long_path + strlen(long_path), 'a', 300);
    strcat(long_path, ">");
    assert_int_equal(dl_gena_callback_parse(long_path, PEER, &u), CU_EPARSE);
}

static void test_timeout_and_sid(void **state)
{
    (void)state;
    assert_int_equal(dl_gena_timeout_parse(NULL), DL_GENA_TIMEOUT_MAX);
    assert_int_equal(dl_gena_timeout_parse("Second-300"), 300);
    assert_int_equal(dl_gena_timeout_parse("second-300"), 300);
    assert_int_equal(dl_gena_timeout_parse("Second-5"), DL_GENA_TIMEOUT_MIN);
    assert_int_equal(dl_gena_timeout_parse("Second-999999"), DL_GENA_TIMEOUT_MAX);
    assert_int_equal(dl_gena_timeout_parse("Second-infinite"), DL_GENA_TIMEOUT_MAX);
    assert_int_equal(dl_gena_timeout_parse("Second-"), -1);
    assert_int_equal(dl_gena_timeout_parse("Second--1"), -1);
    assert_int_equal(dl_gena_timeout_parse("Minute-1"), -1);
    assert_int_equal(dl_gena_timeout_parse("Second-99999999999"), -1);
    assert_true(dl_gena_sid_ok("uuid:4b171cf9-3093-4416-a1bb-bfb71316b163"));
    assert_false(dl_gena_sid_ok("uuid:"));
    assert_false(dl_gena_sid_ok("4b171cf9"));
    assert_false(dl_gena_sid_ok("uuid:a b"));
    assert_false(dl_gena_sid_ok(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callback),
        cmocka_unit_test(test_timeout_and_sid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
