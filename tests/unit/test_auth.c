/* test_auth: accounts in the catalog (cc_user, cc_session, cc_scope) and
 * the server's pure pieces of authentication: cookie and bearer parsing,
 * JSON bodies, signed URLs and their playlists, and the rate limiter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "catalog/cc_scope.h"
#include "catalog/cc_session.h"
#include "catalog/cc_user.h"
#include "server/cs_body.h"
#include "server/cs_cookie.h"
#include "server/cs_limit.h"
#include "server/cs_sign.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char db_path[512];

static int setup(void **state)
{
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test_auth_%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    char key_path[600];
    snprintf(key_path, sizeof key_path, "%s.key", db_path);
    unlink(key_path);
    cc_db *db = NULL;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    cc_db_close(*state);
    char path[600];
    unlink(db_path);
    snprintf(path, sizeof path, "%s-wal", db_path);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db_path);
    unlink(path);
    snprintf(path, sizeof path, "%s.key", db_path);
    unlink(path);
    return 0;
}

static void test_users(void **state)
{
    cc_db *db = *state;
    cu_err err = {0};
    int64_t count = -1, ana = 0, bob = 0;
    assert_int_equal(cc_user_count(db, &count, &err), 0);
    assert_int_equal(count, 0);
    assert_int_equal(cc_user_add(db, "ana", "correct horse", true, &ana, &err), 0);
    assert_int_equal(cc_user_add(db, "bob", "battery staple", false, &bob, &err), 0);
    /* Names are unique whatever their case; bad names and passwords refused. */
    assert_int_equal(cc_user_add(db, "ANA", "whatever123", false, NULL, &err), -EEXIST);
    assert_int_equal(cc_user_add(db, "", "whatever123", false, NULL, &err), CU_EINVAL);
    assert_int_equal(cc_user_add(db, " lead", "whatever123", false, NULL, &err), CU_EINVAL);
    assert_int_equal(cc_user_add(db, "tab\there", "whatever123", false, NULL, &err), CU_EINVAL);
    assert_int_equal(cc_user_add(db, "carl", "short", false, NULL, &err), CU_EINVAL);

    cc_user u;
    assert_int_equal(cc_user_verify(db, "ana", "correct horse", &u, &err), 0);
    assert_int_equal(u.id, ana);
    assert_true(u.admin);
    cc_user_clear(&u);
    assert_int_equal(cc_user_verify(db, "Ana", "correct horse", &u, &err), 0);
    cc_user_clear(&u);
    assert_int_equal(cc_user_verify(db, "ana", "correct horsE", &u, &err), CU_ENOTFOUND);
    assert_int_equal(cc_user_verify(db, "nobody", "correct horse", &u, &err), CU_ENOTFOUND);
    assert_int_equal(cc_user_verify(db, "", "", &u, &err), CU_ENOTFOUND);

    /* Disabled: the right password no longer signs in. */
    assert_int_equal(cc_user_set_disabled(db, bob, true, &err), 0);
    assert_int_equal(cc_user_verify(db, "bob", "battery staple", &u, &err), CU_ENOTFOUND);
    assert_int_equal(cc_user_set_disabled(db, bob, false, &err), 0);
    assert_int_equal(cc_user_verify(db, "bob", "battery staple", &u, &err), 0);
    cc_user_clear(&u);
    assert_int_equal(cc_user_set_password(db, bob, "new password", &err), 0);
    assert_int_equal(cc_user_verify(db, "bob", "battery staple", &u, &err), CU_ENOTFOUND);
    assert_int_equal(cc_user_verify(db, "bob", "new password", &u, &err), 0);
    cc_user_clear(&u);

    /* Folders and certification. */
    const char *roots[] = {"/films/kids"};
    assert_int_equal(cc_user_set_roots(db, bob, false, roots, 1, &err), 0);
    assert_int_equal(cc_user_set_max_cert(db, bob, "PG-13", &err), 0);
    assert_int_equal(cc_user_set_max_cert(db, bob, "banana", &err), CU_EINVAL);
    assert_int_equal(cc_user_get(db, bob, &u, &err), 0);
    assert_false(u.all_roots);
    assert_int_equal(u.root_count, 1);
    assert_string_equal(u.roots[0], "/films/kids");
    assert_string_equal(u.max_cert, "PG-13");
    assert_true(cc_scope_restricted(&u));
    assert_true(cc_scope_root_allowed(&u, "/films/kids"));
    assert_false(cc_scope_root_allowed(&u, "/films/all"));
    cc_user_clear(&u);

    int64_t admins = 0;
    assert_int_equal(cc_user_admin_count(db, &admins, &err), 0);
    assert_int_equal(admins, 1);
    assert_int_equal(cc_user_remove(db, bob, &err), 0);
    assert_int_equal(cc_user_remove(db, bob, &err), CU_ENOTFOUND);
    assert_int_equal(cc_user_get(db, bob, &u, &err), CU_ENOTFOUND);
}

static void test_sessions(void **state)
{
    cc_db *db = *state;
    cu_err err = {0};
    int64_t ana = 0, sid = 0, tid = 0;
    assert_int_equal(cc_user_add(db, "ana", "correct horse", true, &ana, &err), 0);
    char token[CC_TOKEN_CHARS + 1], api_token[CC_TOKEN_CHARS + 1];
    assert_int_equal(cc_session_create(db, ana, CC_SESSION_BROWSER, "Firefox", "192.0.2.1", 1000,
                                       5000, token, &sid, &err),
                     0);
    assert_int_equal(strlen(token), CC_TOKEN_CHARS);
    assert_int_equal(
        cc_session_create(db, ana, CC_SESSION_TOKEN, "tv", NULL, 1000, 0, api_token, &tid, &err),
        0);
    assert_string_not_equal(token, api_token);

    cc_session s;
    assert_int_equal(cc_session_lookup(db, token, 1001, 100, &s, &err), 0);
    assert_int_equal(s.user_id, ana);
    assert_int_equal(s.kind, CC_SESSION_BROWSER);
    assert_true(s.admin);
    /* Idle too long, past the absolute expiry, tampered, or not a token. */
    assert_int_equal(cc_session_lookup(db, token, 1101, 100, &s, &err), CU_ENOTFOUND);
    assert_int_equal(cc_session_lookup(db, token, 5000, 0, &s, &err), CU_ENOTFOUND);
    char tampered[CC_TOKEN_CHARS + 1];
    memcpy(tampered, token, sizeof tampered);
    tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
    assert_int_equal(cc_session_lookup(db, tampered, 1001, 0, &s, &err), CU_ENOTFOUND);
    assert_int_equal(cc_session_lookup(db, "x'; DROP TABLE users; --", 1001, 0, &s, &err),
                     CU_ENOTFOUND);
    /* Tokens never idle out. */
    assert_int_equal(cc_session_lookup(db, api_token, 999999, 100, &s, &err), 0);
    assert_int_equal(s.kind, CC_SESSION_TOKEN);

    /* The catalog holds hashes only. */
    cc_session *list = NULL;
    size_t count = 0;
    assert_int_equal(cc_session_list(db, ana, CC_SESSION_TOKEN, &list, &count, &err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(list[0].name, "tv");
    free(list);

    /* Sign out everywhere: every session and token ends, the generation moves. */
    bool admin, disabled;
    int64_t gen_before, gen_after;
    assert_int_equal(cc_user_check(db, ana, &admin, &disabled, &gen_before, &err), 0);
    assert_int_equal(cc_session_delete_all(db, ana, &err), 0);
    assert_int_equal(cc_user_check(db, ana, &admin, &disabled, &gen_after, &err), 0);
    assert_true(gen_after > gen_before);
    assert_int_equal(cc_session_lookup(db, api_token, 1001, 0, &s, &err), CU_ENOTFOUND);
    assert_int_equal(cc_session_delete(db, ana, tid, &err), CU_ENOTFOUND);
}

static void test_server_key(void **state)
{
    (void)state;
    unsigned char a[CC_SERVER_KEY_BYTES], b[CC_SERVER_KEY_BYTES];
    cu_err err = {0};
    assert_int_equal(cc_server_key_load(db_path, a, &err), 0);
    assert_int_equal(cc_server_key_load(db_path, b, &err), 0);
    assert_memory_equal(a, b, sizeof a);
    char path[600];
    snprintf(path, sizeof path, "%s.key", db_path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* A key others may read is refused. */
    chmod(path, 0644);
    assert_true(cc_server_key_load(db_path, b, &err) < 0);
    chmod(path, 0600);
}

static void test_cert_age(void **state)
{
    (void)state;
    assert_int_equal(cc_cert_age("G"), 0);
    assert_int_equal(cc_cert_age("Rated PG-13"), 13);
    assert_int_equal(cc_cert_age("US:R"), 17);
    assert_int_equal(cc_cert_age("NC-17"), 18);
    assert_int_equal(cc_cert_age("gb:15"), 15);
    assert_int_equal(cc_cert_age("FSK 12"), 12);
    assert_int_equal(cc_cert_age("de:FSK16"), 16);
    assert_int_equal(cc_cert_age("12A"), 12);
    assert_int_equal(cc_cert_age("16+"), 16);
    assert_int_equal(cc_cert_age("TV-MA"), 17);
    assert_int_equal(cc_cert_age("Not Rated"), -1);
    assert_int_equal(cc_cert_age(""), -1);
    assert_int_equal(cc_cert_age(NULL), -1);
    assert_int_equal(cc_cert_age("999"), -1);
}

static void test_cookie(void **state)
{
    (void)state;
    char v[64];
    assert_true(cs_cookie_find("a=1; cinemateca_session=abc; b=2", CS_SESSION_COOKIE, v, sizeof v));
    assert_string_equal(v, "abc");
    assert_true(cs_cookie_find("cinemateca_session=\"q\"", CS_SESSION_COOKIE, v, sizeof v));
    assert_string_equal(v, "q");
    assert_true(cs_cookie_find("x_cinemateca_session=no; cinemateca_session=yes", CS_SESSION_COOKIE,
                               v, sizeof v));
    assert_string_equal(v, "yes");
    assert_false(cs_cookie_find("cinemateca_session=", CS_SESSION_COOKIE, v, sizeof v));
    assert_false(cs_cookie_find("cinemateca_session=a b", CS_SESSION_COOKIE, v, sizeof v));
    assert_false(cs_cookie_find("other=1", CS_SESSION_COOKIE, v, sizeof v));
    assert_false(cs_cookie_find(NULL, CS_SESSION_COOKIE, v, sizeof v));
    char small[4];
    assert_false(cs_cookie_find("cinemateca_session=abcd", CS_SESSION_COOKIE, small, sizeof small));

    assert_true(cs_bearer_token("Bearer abc-_.~+/=", v, sizeof v));
    assert_string_equal(v, "abc-_.~+/=");
    assert_true(cs_bearer_token("bearer   tok  ", v, sizeof v));
    assert_string_equal(v, "tok");
    assert_false(cs_bearer_token("Basic dXNlcjpwYXNz", v, sizeof v));
    assert_false(cs_bearer_token("Bearer a b", v, sizeof v));
    assert_false(cs_bearer_token("Bearer ", v, sizeof v));
    assert_false(cs_bearer_token("Bearertok", v, sizeof v));
}

static void test_body(void **state)
{
    (void)state;
    json_t *b = NULL;
    cu_err err = {0};
    const char *ok = "{\"name\":\"ana\",\"admin\":true}";
    assert_int_equal(cs_body_json("application/json; charset=utf-8", ok, strlen(ok), &b, &err), 0);
    const char *name = NULL;
    bool admin = false;
    assert_int_equal(cs_body_string(b, "name", 64, &name, &err), 1);
    assert_string_equal(name, "ana");
    assert_int_equal(cs_body_bool(b, "admin", &admin, &err), 1);
    assert_true(admin);
    assert_int_equal(cs_body_string(b, "admin", 64, &name, &err), CU_EINVAL);
    assert_int_equal(cs_body_string(b, "missing", 64, &name, &err), 0);
    assert_int_equal(cs_body_string(b, "name", 2, &name, &err), CU_EINVAL);
    json_decref(b);
    /* A form another site posts, duplicates, arrays, bad UTF-8, too big. */
    assert_true(cs_body_json("application/x-www-form-urlencoded", "name=a", 6, &b, &err) < 0);
    assert_true(cs_body_json("text/plain", ok, strlen(ok), &b, &err) < 0);
    assert_true(cs_body_json("application/json", "{\"a\":1,\"a\":2}", 13, &b, &err) < 0);
    assert_true(cs_body_json("application/json", "[1]", 3, &b, &err) < 0);
    assert_true(cs_body_json("application/json", "{\"a\":\"\xff\"}", 9, &b, &err) < 0);
    assert_int_equal(cs_body_json("application/json", "{}", CS_BODY_MAX + 1, &b, &err), CU_ELIMIT);
    assert_int_equal(cs_body_json(NULL, NULL, 0, &b, &err), 0);
    assert_true(json_is_object(b));
    json_decref(b);
}

static void test_sign(void **state)
{
    (void)state;
    unsigned char key[CS_SIGN_KEY_BYTES] = {42}, other[CS_SIGN_KEY_BYTES] = {43};
    char sig[CS_SIG_MAX];
    cs_sign_make(key, 12, 3, 2000, 7, sig);
    int64_t user, gen;
    assert_int_equal(cs_sign_check(key, 12, sig, 1999, &user, &gen), 0);
    assert_int_equal(user, 3);
    assert_int_equal(gen, 7);
    /* Another file, another key, expired, tampered anywhere, malformed. */
    assert_int_equal(cs_sign_check(key, 13, sig, 1999, &user, &gen), CU_EINVAL);
    assert_int_equal(cs_sign_check(other, 12, sig, 1999, &user, &gen), CU_EINVAL);
    assert_int_equal(cs_sign_check(key, 12, sig, 2000, &user, &gen), CU_ELIMIT);
    for (size_t i = 0; i < strlen(sig); i++) {
        char t[CS_SIG_MAX];
        strcpy(t, sig);
        t[i] = t[i] == '1' ? '2' : '1';
        assert_true(cs_sign_check(key, 12, t, 1999, &user, &gen) < 0);
    }
    assert_int_equal(cs_sign_check(key, 12, "", 0, &user, &gen), CU_EPARSE);
    assert_int_equal(cs_sign_check(key, 12, "1.2.3", 0, &user, &gen), CU_EPARSE);

    const char *playlist = "#EXTM3U\n"
                           "#EXT-X-MEDIA:TYPE=SUBTITLES,NAME=\"en\",URI=\"subs/0/index.m3u8\"\n"
                           "#EXT-X-STREAM-INF:BANDWIDTH=1\r\n"
                           "v0/index.m3u8?audio=1\r\n"
                           "seg/1.ts\n"
                           "https://elsewhere.example/x.ts\n"
                           "data:text/plain,x\n";
    char *out = cs_sign_playlist(playlist, "S");
    assert_non_null(out);
    assert_string_equal(out,
                        "#EXTM3U\n"
                        "#EXT-X-MEDIA:TYPE=SUBTITLES,NAME=\"en\",URI=\"subs/0/index.m3u8?sig=S\"\n"
                        "#EXT-X-STREAM-INF:BANDWIDTH=1\r\n"
                        "v0/index.m3u8?audio=1&sig=S\r\n"
                        "seg/1.ts?sig=S\n"
                        "https://elsewhere.example/x.ts\n"
                        "data:text/plain,x\n");
    free(out);
}

static void test_limit(void **state)
{
    (void)state;
    cs_limit *l = cs_limit_new(3, 8);
    int64_t t = 1000000;
    assert_int_equal(cs_limit_wait(l, "n:ana", t), 0);
    assert_int_equal(cs_limit_fail(l, "n:ana", t), 0);
    assert_int_equal(cs_limit_fail(l, "n:ana", t), 0);
    assert_int_equal(cs_limit_fail(l, "n:ana", t), 1); /* third: locked 1 s */
    assert_int_equal(cs_limit_wait(l, "n:ana", t + 500), 1);
    assert_int_equal(cs_limit_wait(l, "n:ana", t + 1000), 0);
    assert_int_equal(cs_limit_fail(l, "n:ana", t + 1000), 2); /* then 2 s, 4 s, 8 s at most */
    assert_int_equal(cs_limit_fail(l, "n:ana", t + 3000), 4);
    assert_int_equal(cs_limit_fail(l, "n:ana", t + 7000), 8);
    assert_int_equal(cs_limit_fail(l, "n:ana", t + 15000), 8);
    assert_int_equal(cs_limit_wait(l, "n:bob", t), 0); /* others unaffected */
    cs_limit_forget(l, "n:ana");
    assert_int_equal(cs_limit_wait(l, "n:ana", t + 15001), 0);
    /* Many keys: bounded table, nothing breaks. */
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "a:%d", i);
        cs_limit_fail(l, key, t + i);
    }
    assert_int_equal(cs_limit_wait(l, "n:nobody", t), 0);
    cs_limit_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_users, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_server_key, setup, teardown),
        cmocka_unit_test(test_cert_age),
        cmocka_unit_test(test_cookie),
        cmocka_unit_test(test_body),
        cmocka_unit_test(test_sign),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
