/* Unit tests for the server's pure parsers: Range and the conditional
 * headers (cs_range), Host (cs_host), request targets (cs_router), query
 * strings (cs_query), the web app's whitelist (cs_static) and the JSON
 * encoders' API additions (json/cj_*). Table-driven; a failing row prints
 * its input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "server/cs_host.h"
#include "server/cs_prehead.h"
#include "json/cj_film.h"
#include "json/cj_text.h"
#include "json/cj_user.h"
#include "json/cj_write.h"
#include "server/cs_query.h"
#include "server/cs_range.h"
#include "server/cs_router.h"
#include "server/cs_static.h"
#include "util/cu_err.h"
#include "util/cu_str.h"

/* ---- Range ---- */

typedef struct range_case {
    const char *header;
    int64_t size;
    cs_range_result result;
    int64_t first, last;
} range_case;

/* clang-format off */
static const range_case range_cases[] = {
    {"bytes=0-99", 1000, CS_RANGE_PARTIAL, 0, 99},
    {"bytes=100-", 1000, CS_RANGE_PARTIAL, 100, 999},
    {"bytes=-100", 1000, CS_RANGE_PARTIAL, 900, 999},
    {"bytes=-1000", 1000, CS_RANGE_PARTIAL, 0, 999},
    {"bytes=-5000", 1000, CS_RANGE_PARTIAL, 0, 999},
    {"bytes=0-0", 1000, CS_RANGE_PARTIAL, 0, 0},
    {"bytes=999-999", 1000, CS_RANGE_PARTIAL, 999, 999},
    {"bytes=999-", 1000, CS_RANGE_PARTIAL, 999, 999},
    {"bytes=10-99999", 1000, CS_RANGE_PARTIAL, 10, 999},
    {"bytes=0-99,", 1000, CS_RANGE_PARTIAL, 0, 99},
    {" bytes = 5 - 9 ", 1000, CS_RANGE_NONE, 0, 0},  /* no spaces inside a range-spec */
    {"bytes= 5-9 ", 1000, CS_RANGE_PARTIAL, 5, 9},
    {"BYTES=5-9", 1000, CS_RANGE_PARTIAL, 5, 9},
    {"bytes=100-50", 1000, CS_RANGE_UNSATISFIABLE, 0, 0},
    {"bytes=-0", 1000, CS_RANGE_UNSATISFIABLE, 0, 0},
    {"bytes=1000-", 1000, CS_RANGE_UNSATISFIABLE, 0, 0},
    {"bytes=1000-2000", 1000, CS_RANGE_UNSATISFIABLE, 0, 0},
    {"bytes=0-0", 0, CS_RANGE_UNSATISFIABLE, 0, 0},
    {"bytes=-10", 0, CS_RANGE_UNSATISFIABLE, 0, 0},
    {"bytes=99999999999999999999999-", 1000, CS_RANGE_UNSATISFIABLE, 0, 0},
    {"bytes=0-99999999999999999999999", 1000, CS_RANGE_PARTIAL, 0, 999},
    {"bytes=-99999999999999999999999", 1000, CS_RANGE_PARTIAL, 0, 999},
    {"bytes=0-9,20-29", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=0-9, 2000-", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=abc", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=-", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=--5", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=5", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=1-2-3", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes=+1-2", 1000, CS_RANGE_NONE, 0, 0},
    {"items=0-9", 1000, CS_RANGE_NONE, 0, 0},
    {"bytes 0-9", 1000, CS_RANGE_NONE, 0, 0},
    {"", 1000, CS_RANGE_NONE, 0, 0},
};
/* clang-format on */

static void test_range_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof range_cases / sizeof *range_cases; i++) {
        const range_case *c = &range_cases[i];
        int64_t first = -7, last = -7;
        cs_range_result r = cs_range_parse(c->header, c->size, &first, &last);
        if (r != c->result)
            print_error("Range '%s' size %lld: result %d, expected %d\n", c->header,
                        (long long)c->size, r, c->result);
        assert_int_equal(r, c->result);
        if (r == CS_RANGE_PARTIAL) {
            if (first != c->first || last != c->last)
                print_error("Range '%s': %lld-%lld\n", c->header, (long long)first,
                            (long long)last);
            assert_int_equal(first, c->first);
            assert_int_equal(last, c->last);
        }
    }
    int64_t a, b;
    assert_int_equal(cs_range_parse(NULL, 10, &a, &b), CS_RANGE_NONE);
    char *huge = malloc(CS_RANGE_HEADER_MAX + 10);
    memset(huge, '1', CS_RANGE_HEADER_MAX + 9);
    memcpy(huge, "bytes=1-", 8);
    huge[CS_RANGE_HEADER_MAX + 9] = '\0';
    assert_int_equal(cs_range_parse(huge, 10, &a, &b), CS_RANGE_NONE);
    free(huge);
}

static void test_etag_lists(void **state)
{
    (void)state;
    const char *etag = "\"abc-1\"";
    assert_true(cs_etag_list_matches("\"abc-1\"", etag));
    assert_true(cs_etag_list_matches("W/\"abc-1\"", etag));
    assert_true(cs_etag_list_matches("\"x\", \"abc-1\"", etag));
    assert_true(cs_etag_list_matches("\"x\",W/\"abc-1\" ,\"y\"", etag));
    assert_true(cs_etag_list_matches(" * ", etag));
    assert_false(cs_etag_list_matches("*, \"x\"", etag));
    assert_false(cs_etag_list_matches("\"abc\"", etag));
    assert_false(cs_etag_list_matches("abc-1", etag));
    assert_false(cs_etag_list_matches("\"abc-1", etag));
    assert_false(cs_etag_list_matches("", etag));
    assert_false(cs_etag_list_matches(NULL, etag));

    time_t t = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
    assert_true(cs_if_range_matches("\"abc-1\"", etag, t));
    assert_false(cs_if_range_matches("W/\"abc-1\"", etag, t));
    assert_false(cs_if_range_matches("\"abc-2\"", etag, t));
    assert_false(cs_if_range_matches("\"abc-1\", \"x\"", etag, t));
    assert_true(cs_if_range_matches("Sun, 06 Nov 1994 08:49:37 GMT", etag, t));
    assert_false(cs_if_range_matches("Sun, 06 Nov 1994 08:49:38 GMT", etag, t));
    assert_false(cs_if_range_matches("yesterday", etag, t));
    assert_false(cs_if_range_matches(NULL, etag, t));
}

static void test_http_dates(void **state)
{
    (void)state;
    char buf[40];
    cs_http_date_format(784111777, buf, sizeof buf);
    assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_int_equal(cs_http_date_parse(buf), 784111777);
    assert_int_equal(cs_http_date_parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
    /* clang-format off */
    const char *bad[] = {"Sun, 06 Nov 1994 08:49:37 UTC", "Sunday, 06-Nov-94 08:49:37 GMT",
                         "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 25:49:37 GMT",
                         "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                         "Sun, 06 Nov 1994 08:49:37 GMTX", "", "Sun, 0x Nov 1994 08:49:37 GMT"};
    /* clang-format on */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (cs_http_date_parse(bad[i]) != -1)
            print_error("date '%s' parsed\n", bad[i]);
        assert_int_equal(cs_http_date_parse(bad[i]), -1);
    }
}

/* ---- Host ---- */

static void test_host(void **state)
{
    (void)state;
    const char *names[] = {"cinemateca.lan", "Films.Example"};
    cs_host_policy p = {.port = 8420, .names = names, .name_count = 2};
    /* clang-format off */
    const char *ok[] = {"127.0.0.1:8420", "localhost:8420", "LocalHost:8420", "[::1]:8420",
                        "10.1.2.3:8420", "[fe80::1]:8420", "cinemateca.lan:8420",
                        "CINEMATECA.LAN:8420", "films.example:8420"};
    /* clang-format on */
    /* clang-format off */
    const char *bad[] = {"evil.example:8420", "evil.example", "localhost", "127.0.0.1",
                         "localhost:80", "127.0.0.1:8421", "localhost:84200", "localhost:",
                         "localhost:8420:8420", "[::1]", "[::1", "[nonsense]:8420",
                         "127.1:8420", "127.0.0.1.evil.example:8420", "cinemateca.lan.evil:8420",
                         ":8420", "", "local host:8420", "localhost:+8420", "localhost:-8420",
                         "[::1]x:8420", "[::1]:8420x", "localhost:999999999999999999999",
                         "localhost:08420", "[::]:0000000000008420", "localhost:0"};
    /* clang-format on */
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        if (!cs_host_allowed(&p, ok[i]))
            print_error("Host '%s' refused\n", ok[i]);
        assert_true(cs_host_allowed(&p, ok[i]));
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (cs_host_allowed(&p, bad[i]))
            print_error("Host '%s' allowed\n", bad[i]);
        assert_false(cs_host_allowed(&p, bad[i]));
    }
    assert_false(cs_host_allowed(&p, NULL));
    assert_false(cs_host_allowed(NULL, "localhost:8420"));
    /* On port 80 a Host without a port is the same place. */
    cs_host_policy p80 = {.port = 80};
    assert_true(cs_host_allowed(&p80, "localhost"));
    assert_true(cs_host_allowed(&p80, "127.0.0.1:80"));
    assert_false(cs_host_allowed(&p80, "cinemateca.lan"));
    char longname[400];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_false(cs_host_allowed(&p, longname));
}

/* ---- routes ---- */

typedef struct route_case {
    const char *target;
    cs_route_kind kind;
    int64_t id;
    const char *path; /* decoded path, or NULL not to check */
} route_case;

/* clang-format off */
static const route_case route_cases[] = {
    {"/api/v1/films", CS_ROUTE_FILMS, 0, "/api/v1/films"},
    {"/api/v1/films?limit=5", CS_ROUTE_FILMS, 0, "/api/v1/films"},
    {"/api/v1/films/12", CS_ROUTE_FILM, 12, NULL},
    {"/api/v1/films/12/poster?w=320", CS_ROUTE_FILM_POSTER, 12, NULL},
    {"/api/v1/films/12/backdrop", CS_ROUTE_FILM_BACKDROP, 12, NULL},
    {"/api/v1/people/3", CS_ROUTE_PERSON, 3, NULL},
    {"/api/v1/extras/9", CS_ROUTE_EXTRA, 9, NULL},
    {"/api/v1/files/77/stream", CS_ROUTE_FILE_STREAM, 77, NULL},
    {"/api/v1/search?q=x", CS_ROUTE_SEARCH, 0, NULL},
    {"/api/v1/festivals", CS_ROUTE_FESTIVALS, 0, NULL},
    {"/api/v1/genres", CS_ROUTE_GENRES, 0, NULL},
    {"/api/v1/status", CS_ROUTE_STATUS, 0, NULL},
    {"/api/v1/continue?limit=5", CS_ROUTE_CONTINUE, 0, NULL},
    {"/api/v1/films/12/watched", CS_ROUTE_FILM_WATCHED, 12, NULL},
    {"/api/v1/films/letters?genre=drama", CS_ROUTE_FILM_LETTERS, 0, NULL},
    {"/api/v1/films/12/similar", CS_ROUTE_FILM_SIMILAR, 12, NULL},
    {"/api/v1/collections", CS_ROUTE_COLLECTIONS, 0, NULL},
    {"/api/v1/collections/3", CS_ROUTE_COLLECTION, 3, NULL},
    {"/api/v1/collections/0", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/collections/3/similar", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/me/preferences", CS_ROUTE_ME_PREFERENCES, 0, NULL},
    {"/api/v1/users/4/preferences", CS_ROUTE_USER_PREFERENCES, 4, NULL},
    {"/api/v1/users/4", CS_ROUTE_USER, 4, NULL},
    {"/api/v1/users/4/sessions", CS_ROUTE_USER_SESSIONS, 4, NULL},
    {"/api/v1/users/0/preferences", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/users/4/preferences/x", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/files/77/urls", CS_ROUTE_FILE_URLS, 77, NULL},
    {"/api/v1/files/3/progress", CS_ROUTE_FILE_PROGRESS, 3, NULL},
    {"/api/v1/people/3/watched", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/files/3/watched", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/3/progress", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/%31%32", CS_ROUTE_FILM, 12, "/api/v1/films/12"},
    {"/api/v1/films/999999999999999999", CS_ROUTE_FILM, 999999999999999999, NULL},
    {"/api/v1/films/9999999999999999999", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/0", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/012", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/-1", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/+1", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/1x", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films//1", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/1/", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/films/1/stream", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/files/1", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/files/1/stream/x", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/people/1/poster", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/v1/nothing", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/api/", CS_ROUTE_API_UNKNOWN, 0, NULL},
    {"/apiary", CS_ROUTE_STATIC, 0, "/apiary"},
    {"/", CS_ROUTE_STATIC, 0, "/"},
    {"/film/12", CS_ROUTE_STATIC, 0, "/film/12"},
    {"/js/app.js?v=2", CS_ROUTE_STATIC, 0, "/js/app.js"},
    {"/Am%C3%A9lie", CS_ROUTE_STATIC, 0, "/Amélie"},
    {"/a%20b", CS_ROUTE_STATIC, 0, "/a b"},
    {"/a+b", CS_ROUTE_STATIC, 0, "/a+b"},
    {"/...", CS_ROUTE_STATIC, 0, "/..."},
    {"/..a", CS_ROUTE_STATIC, 0, "/..a"},
    /* refused */
    {"/..", CS_ROUTE_BAD, 0, NULL},
    {"/../etc/passwd", CS_ROUTE_BAD, 0, NULL},
    {"/a/../b", CS_ROUTE_BAD, 0, NULL},
    {"/a/./b", CS_ROUTE_BAD, 0, NULL},
    {"/.", CS_ROUTE_BAD, 0, NULL},
    {"/a/..", CS_ROUTE_BAD, 0, NULL},
    {"/%2e%2e/etc", CS_ROUTE_BAD, 0, NULL},
    {"/%2E%2E%2Fetc", CS_ROUTE_BAD, 0, NULL},
    {"/a%2fb", CS_ROUTE_BAD, 0, NULL},
    {"/a%2Fb", CS_ROUTE_BAD, 0, NULL},
    {"/a%5cb", CS_ROUTE_BAD, 0, NULL},
    {"/a\\b", CS_ROUTE_BAD, 0, NULL},
    {"/..%5c..%5cetc", CS_ROUTE_BAD, 0, NULL},
    {"/a%00b", CS_ROUTE_BAD, 0, NULL},
    {"/a%01b", CS_ROUTE_BAD, 0, NULL},
    {"/a%7fb", CS_ROUTE_BAD, 0, NULL},
    {"/%c0%ae%c0%ae/etc", CS_ROUTE_BAD, 0, NULL},
    {"/%c0%af", CS_ROUTE_BAD, 0, NULL},
    {"/%e0%80%ae", CS_ROUTE_BAD, 0, NULL},
    {"/%ed%a0%80", CS_ROUTE_BAD, 0, NULL},
    {"/%ff", CS_ROUTE_BAD, 0, NULL},
    {"/%", CS_ROUTE_BAD, 0, NULL},
    {"/%2", CS_ROUTE_BAD, 0, NULL},
    {"/%zz", CS_ROUTE_BAD, 0, NULL},
    {"/a#frag", CS_ROUTE_BAD, 0, NULL},
    {"http://evil.example/", CS_ROUTE_BAD, 0, NULL},
    {"*", CS_ROUTE_BAD, 0, NULL},
    {"", CS_ROUTE_BAD, 0, NULL},
    {"api/v1/films", CS_ROUTE_BAD, 0, NULL},
};
/* clang-format on */

/* The request heads libmicrohttpd would answer with its doubled 400,
 * found before it parses them, in any cut of the bytes. */
static void test_prehead(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        int verdict;
    } cases[] = {
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0, 0\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\ncontent-length:5 \r\n\r\n", 400},    /* trailing space */
        {"GET / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400},      /* empty */
        {"GET / HTTP/1.1\r\nContent-Length: 1\r2\r\n\r\n", 400}, /* a bare CR stays */
        {"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 413},
        {"GET / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n", 0}, /* 2^64-1 */
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 0},
        {"GET / HTTP/1.1\nContent-Length:\t12\n\n", 0},                          /* bare LF, tab */
        {"GET / HTTP/1.1\r\nContent-Length: 1\r\n 2\r\n\r\n", 0},                /* folded: "12" */
        {"GET / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: x\r\n\r\n", 0}, /* first counts */
        {"GET / HTTP/1.1\r\nContent-Length : -1\r\n\r\n", 0}, /* not the header: ours */
        {"GET / HTTP/1.1\r\nX-Content-Length: -1\r\n\r\n", 0},
        {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: -1\r\n\r\n", 0},
        /* A body is skipped by its length: the next head is checked. */
        {"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n\r\n\r\n"
         "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
         400},
        {"POST / HTTP/1.1\r\nContent-Length: 30\r\n\r\n"
         "Content-Length: -1\r\n\r\n",
         0}, /* inside a body */
        {"\r\n\r\nGET / HTTP/1.1\r\nContent-Length: 0, 0\r\n\r\n", 400},
        {"GET / HTTP/1.1\r\nContent-Length: -1\r\n", 0}, /* head not ended yet */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i].bytes);
        for (size_t cut = 0; cut <= len; cut++) {
            int got = cs_prehead_check(cases[i].bytes, len, cut);
            if (got != cases[i].verdict)
                fail_msg("case %zu cut at %zu: %d, not %d", i, cut, got, cases[i].verdict);
        }
    }
    /* A NUL ends a value as it ends the library's C string. */
    static const char nul[] = "GET / HTTP/1.1\r\nContent-Length: 7\0xx\r\n\r\n";
    assert_int_equal(cs_prehead_check(nul, sizeof nul - 1, 0), 0);
}

static void test_route_table(void **state)
{
    (void)state;
    cs_route r;
    for (size_t i = 0; i < sizeof route_cases / sizeof *route_cases; i++) {
        const route_case *c = &route_cases[i];
        cs_route_parse(c->target, strlen(c->target), &r);
        if (r.kind != c->kind || r.id != c->id || (c->path && strcmp(r.path, c->path)))
            print_error("target '%s': kind %d id %lld path '%s'\n", c->target, r.kind,
                        (long long)r.id, r.path);
        assert_int_equal(r.kind, c->kind);
        assert_int_equal(r.id, c->id);
        if (c->path)
            assert_string_equal(r.path, c->path);
    }
    /* The query is kept raw for cs_query. */
    cs_route_parse("/api/v1/films?q=a%20b&x", 23, &r);
    assert_int_equal(r.query_len, 9);
    assert_memory_equal(r.query, "q=a%20b&x", 9);
    /* A raw NUL inside the given length is refused. */
    cs_route_parse("/a\0b", 4, &r);
    assert_int_equal(r.kind, CS_ROUTE_BAD);
    /* Bounds. */
    size_t n = CS_URL_MAX + 1;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[0] = '/';
    big[n] = '\0';
    cs_route_parse(big, n, &r);
    assert_int_equal(r.kind, CS_ROUTE_TOO_LONG);
    cs_route_parse(big, CS_PATH_MAX + 10, &r); /* fits the URL bound, not the path */
    assert_int_equal(r.kind, CS_ROUTE_BAD);
    free(big);
    assert_int_equal(cs_route_id("1", 1), 1);
    assert_int_equal(cs_route_id("", 0), -1);
    assert_int_equal(cs_route_id("0", 1), -1);
    /* Routes that send a file's bytes (no read transaction for them) and
     * routes that answer JSON made of many reads. */
    static const struct {
        const char *target;
        bool file;
    } sends[] = {
        {"/", true},
        {"/app.js", true},
        {"/api/v1/files/3/stream", true},
        {"/api/v1/files/3/hls/seg-1.m4s", true},
        {"/api/v1/films/3/poster", true},
        {"/api/v1/films/3/backdrop", true},
        {"/api/v1/files/3/trickplay-0.jpg", true},
        {"/api/v1/films", false},
        {"/api/v1/films/3", false},
        {"/api/v1/status", false},
        {"/api/v1/files/3/trickplay.json", false},
        {"/api/v1/search?q=x", false},
    };
    for (size_t i = 0; i < sizeof sends / sizeof *sends; i++) {
        cs_route_parse(sends[i].target, strlen(sends[i].target), &r);
        if (cs_route_sends_file(r.kind) != sends[i].file)
            print_error("target '%s'\n", sends[i].target);
        assert_int_equal(cs_route_sends_file(r.kind), sends[i].file);
    }
}

/* ---- query strings ---- */

static void test_query(void **state)
{
    (void)state;
    cs_query *q = malloc(sizeof *q);
    const char *raw = "q=Am%C3%A9lie+2001&limit=20&empty=&flag&=nokey&limit=30&&x=a%2Bb";
    assert_int_equal(cs_query_parse(raw, strlen(raw), q), 0);
    assert_string_equal(cs_query_get(q, "q"), "Amélie 2001");
    assert_string_equal(cs_query_get(q, "limit"), "20"); /* the first wins */
    assert_string_equal(cs_query_get(q, "empty"), "");
    assert_string_equal(cs_query_get(q, "flag"), "");
    assert_string_equal(cs_query_get(q, "x"), "a+b");
    assert_null(cs_query_get(q, "missing"));
    int64_t v = 0;
    assert_int_equal(cs_query_int(q, "limit", 1, 500, &v), 1);
    assert_int_equal(v, 20);
    assert_int_equal(cs_query_int(q, "limit", 1, 10, &v), CU_EPARSE);
    assert_int_equal(cs_query_int(q, "q", 1, 10, &v), CU_EPARSE);
    assert_int_equal(cs_query_int(q, "empty", 1, 10, &v), 0);
    assert_int_equal(cs_query_int(q, "missing", 1, 10, &v), 0);

    const char *bad[] = {"a=%",   "a=%2",     "a=%zz", "a=%00", "a=%01",
                         "a=%ff", "a=%c0%ae", "%00=1", "a=%7f", "a=b%0a"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = cs_query_parse(bad[i], strlen(bad[i]), q);
        if (rc != CU_EPARSE)
            print_error("query '%s': %d\n", bad[i], rc);
        assert_int_equal(rc, CU_EPARSE);
    }
    assert_int_equal(cs_query_parse(NULL, 0, q), 0);
    assert_int_equal(q->count, 0);
    /* Bounds: too many pairs, too long. */
    char many[512] = "";
    for (int i = 0; i <= CS_QUERY_MAX_PARAMS; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "k%d=1&", i);
    assert_int_equal(cs_query_parse(many, strlen(many), q), CU_ELIMIT);
    char empties[256] = "";
    for (int i = 0; i <= CS_QUERY_MAX_PARAMS; i++)
        strcat(empties, "=&");
    assert_int_equal(cs_query_parse(empties, strlen(empties), q), CU_ELIMIT);
    char *longq = malloc(CS_QUERY_MAX_LEN + 2);
    memset(longq, 'a', CS_QUERY_MAX_LEN + 1);
    longq[CS_QUERY_MAX_LEN + 1] = '\0';
    assert_int_equal(cs_query_parse(longq, CS_QUERY_MAX_LEN + 1, q), CU_ELIMIT);
    longq[CS_QUERY_MAX_LEN] = '\0';
    longq[1] = '=';
    assert_int_equal(cs_query_parse(longq, CS_QUERY_MAX_LEN, q), 0);
    assert_int_equal(strlen(cs_query_get(q, "a")), CS_QUERY_MAX_LEN - 2);
    free(longq);
    free(q);
}

/* ---- the web app's whitelist ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_static(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    char *root = cu_xasprintf("%s/test_server_web.%d", tmp ? tmp : "/tmp", (int)getpid());
    char *p;
    mkdir(root, 0755);
    p = cu_xasprintf("%s/js", root), mkdir(p, 0755), free(p);
    p = cu_xasprintf("%s/.hidden", root), mkdir(p, 0755), free(p);
    p = cu_xasprintf("%s/node_modules", root), mkdir(p, 0755), free(p);
    p = cu_xasprintf("%s/node_modules/hls.js", root), mkdir(p, 0755), free(p);
    p = cu_xasprintf("%s/node_modules/hls.js/dist", root), mkdir(p, 0755), free(p);
    p = cu_xasprintf("%s/index.html", root), write_file(p, "<p>"), free(p);
    p = cu_xasprintf("%s/js/app.js", root), write_file(p, "x"), free(p);
    p = cu_xasprintf("%s/.hidden/x.js", root), write_file(p, "x"), free(p);
    p = cu_xasprintf("%s/.env", root), write_file(p, "x"), free(p);
    p = cu_xasprintf("%s/node_modules/hls.js/dist/hls.min.js", root), write_file(p, "x"), free(p);
    p = cu_xasprintf("%s/escape", root), symlink("/etc", p), free(p);

    cs_static *s = NULL;
    assert_int_equal(cs_static_new(root, &s, NULL), 0);
    assert_true(cs_static_available(s));
    assert_int_equal(cs_static_count(s), 3); /* index.html, js/app.js, the vendor file */
    cs_static_file f;
    assert_true(cs_static_lookup(s, "/", &f));
    assert_true(cu_str_has_suffix_ci(f.path, "/index.html"));
    assert_string_equal(f.content_type, "text/html; charset=utf-8");
    assert_true(cs_static_lookup(s, "/js/app.js", &f));
    assert_string_equal(f.content_type, "text/javascript; charset=utf-8");
    assert_true(cs_static_lookup(s, "/vendor/hls.min.js", &f));
    assert_true(cu_str_has_suffix_ci(f.path, "/node_modules/hls.js/dist/hls.min.js"));
    assert_false(cs_static_lookup(s, "/.env", &f));
    assert_false(cs_static_lookup(s, "/.hidden/x.js", &f));
    assert_false(cs_static_lookup(s, "/node_modules/hls.js/dist/hls.min.js", &f));
    assert_false(cs_static_lookup(s, "/escape/passwd", &f));
    assert_false(cs_static_lookup(s, "/js", &f));
    cs_static_free(s);

    assert_int_equal(cs_static_new("/no/such/web/root", &s, NULL), 0);
    assert_false(cs_static_available(s));
    assert_false(cs_static_lookup(s, "/", &f));
    assert_false(cs_static_index(s, &f));
    cs_static_free(s);
    assert_string_equal(cs_static_content_type("a.CSS"), "text/css; charset=utf-8");
    assert_string_equal(cs_static_content_type("a"), "application/octet-stream");

    char *cmd = cu_xasprintf("rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(root);
}

/* ---- JSON ---- */

/* A row of the films list, written as text: read back, it is the object
 * the list has always sent. */
static void test_json_api(void **state)
{
    (void)state;
    /* clang-format off */
    cc_film_item item = {.id = 7, .title = "Amélie", .year = 2001, .runtime = 0,
                         .genres = "Comedy, Romance", .has_poster = 1, .height = 1080,
                         .sort_key = "amelie"};
    /* clang-format on */
    cu_buf b = CU_BUF_INIT;
    cj_film_item_write(&b, &item, NULL, false);
    json_error_t jerr;
    json_t *j = json_loads(cu_buf_str(&b), 0, &jerr);
    assert_non_null(j);
    char *text = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
    /* The shelf's fields (resolution, hdr, sort_key) were added beside the first ones. */
    assert_string_equal(
        text, "{\"director\":null,\"genres\":[\"Comedy\",\"Romance\"],\"hdr\":false,"
              "\"id\":7,\"original_title\":null,\"poster_url\":\"/api/v1/films/7/poster\","
              "\"resolution\":\"1080p\",\"runtime\":null,\"sort_key\":\"amelie\","
              "\"title\":\"Amélie\",\"year\":2001}");
    free(text);
    json_decref(j);
    /* With the user's watch state and the offline mark, in the order the
     * list has always had them (jansson keeps insertion order). */
    cu_buf_reset(&b);
    cc_watch w = {.position = 61.5, .watched = true, .play_count = 2, .last_played = 1764470000};
    item.genres = " Drama ,, ";
    item.has_poster = 0;
    item.height = 0;
    item.director = "Ana \"Tita\" Ruiz";
    item.original_title = "";
    cj_film_item_write(&b, &item, &w, true);
    assert_string_equal(
        cu_buf_str(&b),
        "{\"id\":7,\"title\":\"Amélie\",\"original_title\":null,\"year\":2001,"
        "\"runtime\":null,\"genres\":[\"Drama\"],\"director\":\"Ana \\\"Tita\\\" Ruiz\","
        "\"poster_url\":null,\"resolution\":null,\"hdr\":false,\"sort_key\":\"amelie\","
        "\"watch\":{\"position\":61.5,\"watched\":true,\"play_count\":2,"
        "\"last_played\":\"2025-11-30T02:33:20Z\"},\"offline\":true}");
    /* cj_watch is the same form, through jansson. */
    j = cj_watch(&w);
    text = json_dumps(j, JSON_COMPACT);
    assert_string_equal(text, "{\"position\":61.5,\"watched\":true,\"play_count\":2,"
                              "\"last_played\":\"2025-11-30T02:33:20Z\"}");
    free(text);
    json_decref(j);
    cu_buf_free(&b);
    j = cj_error("not_found", "no film \xff here");
    text = json_dumps(j, JSON_COMPACT);
    assert_string_equal(
        text, "{\"error\":{\"code\":\"not_found\",\"message\":\"no film \xef\xbf\xbd here\"}}");
    free(text);
    json_decref(j);
}

/* What cj_write writes is what jansson dumps for the same value, byte for
 * byte: every byte value in a string, odd and broken UTF-8, random bytes;
 * reals of every kind; integers at their ends. */
static void expect_like_jansson(cu_buf *b, json_t *value)
{
    char *want = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(want);
    if (strcmp(cu_buf_str(b), want))
        print_error("wrote %s, jansson %s\n", cu_buf_str(b), want);
    assert_string_equal(cu_buf_str(b), want);
    free(want);
    json_decref(value);
    cu_buf_reset(b);
}

static void test_json_write(void **state)
{
    (void)state;
    cu_buf b = CU_BUF_INIT;
    for (int c = 1; c < 256; c++) {
        char s[4] = {'a', (char)c, 'b', 0};
        cj_write_str(&b, s);
        expect_like_jansson(&b, cj_text(s));
    }
    /* clang-format off */
    static const char *const odd[] = {
        "", "\"", "\\", "/", "\x7f", "tab\there", "\x01\x1f", "Amélie", "日本語", "\xf0\x9f\x8e\xac",
        "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe6\x97", "\xff\xfe", "caf\xe9",
        "\xe2\x80\xa8", "\xef\xbb\xbf" "BOM",
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        cj_write_str(&b, odd[i]);
        expect_like_jansson(&b, cj_text(odd[i]));
    }
    srand(11);
    for (int k = 0; k < 3000; k++) {
        char s[24];
        int n = rand() % 23;
        for (int i = 0; i < n; i++) {
            int c = rand() % 255 + 1;
            /* Mostly UTF-8 lead and trail bytes, where the mistakes are. */
            s[i] = (char)(k % 3 ? 0x80 + rand() % 0x78 : c);
        }
        s[n] = 0;
        cj_write_str(&b, s);
        expect_like_jansson(&b, cj_text(s));
    }
    cj_write_str_or_null(&b, "");
    expect_like_jansson(&b, json_null());
    cj_write_str(&b, NULL);
    expect_like_jansson(&b, json_string(""));

    /* clang-format off */
    static const double reals[] = {0.0, -0.0, 1.0, -1.0, 0.1, 61.5, 1e21, 1e22, 1e-5, 1e-7,
                                   123456789012345678.0, 5e-324, 1.7976931348623157e308,
                                   -2.5e-300, 3600.000001, 1.0 / 3.0};
    /* clang-format on */
    for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
        cj_write_real(&b, reals[i]);
        expect_like_jansson(&b, json_real(reals[i]));
    }
    for (int k = 0; k < 3000; k++) {
        uint64_t bits = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        cj_write_real(&b, v);
        expect_like_jansson(&b, json_real(v));
        v = (double)(rand() % 100000) / 8.0; /* positions in seconds */
        cj_write_real(&b, v);
        expect_like_jansson(&b, json_real(v));
    }
    cj_write_real(&b, NAN);
    expect_like_jansson(&b, json_null());

    static const int64_t ints[] = {0, 1, -1, 9, 10, -10, 2001, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        cj_write_int(&b, ints[i]);
        expect_like_jansson(&b, json_integer(ints[i]));
    }
    cj_write_bool(&b, true);
    expect_like_jansson(&b, json_true());

    /* Times: the same text as gmtime_r and strftime, over the whole range
     * a four-digit year holds (leap days, century years, the last second). */
    static const int64_t times[] = {1,         59,         86399,      86400,      951782400,
                                    951868800, 4107542400, 4107456000, 1764470000, 253402300799};
    for (int k = 0; k < 3000 + (int)(sizeof times / sizeof *times); k++) {
        int64_t t = k < (int)(sizeof times / sizeof *times)
                        ? times[k]
                        : 1 + (((int64_t)rand() << 31) ^ rand()) % 253402300799;
        time_t tt = (time_t)t;
        struct tm tm;
        char want[40];
        assert_non_null(gmtime_r(&tt, &tm));
        assert_true(strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0);
        cj_time_write(&b, t);
        json_t *expected = json_string(want);
        expect_like_jansson(&b, expected);
    }
    cj_time_write(&b, 0);
    expect_like_jansson(&b, json_null());
    cj_write_real(&b, 6000.0);
    expect_like_jansson(&b, json_real(6000.0));
    cj_write_real(&b, -9007199254740991.0);
    expect_like_jansson(&b, json_real(-9007199254740991.0));
    cj_write_real(&b, 9007199254740992.0);
    expect_like_jansson(&b, json_real(9007199254740992.0));
    cu_buf_putc(&b, '{');
    cj_write_key(&b, true, "a_b");
    cj_write_int(&b, 1);
    cj_write_key(&b, false, "c");
    cj_write_null(&b);
    cu_buf_putc(&b, '}');
    expect_like_jansson(&b, json_pack("{s:i, s:n}", "a_b", 1, "c"));
    cu_buf_free(&b);

    /* A member added to an object's text: to an empty one, and after others. */
    char *text = cj_write_add_member(cu_xstrdup("{}"), "films", "[1,2]", 5);
    assert_string_equal(text, "{\"films\":[1,2]}");
    text = cj_write_add_member(text, "n", "null", 4);
    assert_string_equal(text, "{\"films\":[1,2],\"n\":null}");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_table), cmocka_unit_test(test_etag_lists),
        cmocka_unit_test(test_http_dates),  cmocka_unit_test(test_host),
        cmocka_unit_test(test_prehead),     cmocka_unit_test(test_route_table),
        cmocka_unit_test(test_query),       cmocka_unit_test(test_static),
        cmocka_unit_test(test_json_api),    cmocka_unit_test(test_json_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
