/* Unit tests for content coding (server/cs_compress): Accept-Encoding
 * negotiation as a table, which types are compressed (never media), and
 * gzip/brotli bodies that decode back to what went in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>
#ifdef CS_HAVE_BROTLI
#include <brotli/decode.h>
#endif

#include "server/cs_compress.h"

#define GZ (1u << CS_ENCODING_GZIP)
#define BR (1u << CS_ENCODING_BR)

typedef struct pick_case {
    const char *header;
    unsigned offered;
    cs_encoding want;
} pick_case;

static const pick_case pick_cases[] = {
    {NULL, GZ | BR, CS_ENCODING_IDENTITY},
    {"", GZ | BR, CS_ENCODING_IDENTITY},
    {"gzip", GZ | BR, CS_ENCODING_GZIP},
    {"GZIP", GZ | BR, CS_ENCODING_GZIP},
    {"x-gzip", GZ | BR, CS_ENCODING_GZIP},
    {"br", GZ | BR, CS_ENCODING_BR},
    {"gzip, deflate, br", GZ | BR, CS_ENCODING_BR}, /* brotli first at equal weight */
    {"gzip, deflate, br", GZ, CS_ENCODING_GZIP},    /* not built with brotli */
    {"br", GZ, CS_ENCODING_IDENTITY},
    {"gzip;q=1.0, br;q=0.5", GZ | BR, CS_ENCODING_GZIP}, /* weights decide */
    {"gzip;q=0.4,br;q=0.8", GZ | BR, CS_ENCODING_BR},
    {"br;q=0, gzip", GZ | BR, CS_ENCODING_GZIP}, /* q=0 refuses */
    {"br;q=0.000, gzip;q=0", GZ | BR, CS_ENCODING_IDENTITY},
    {"gzip ; q=0.5", GZ | BR, CS_ENCODING_GZIP},
    {"*", GZ | BR, CS_ENCODING_BR},
    {"*;q=0", GZ | BR, CS_ENCODING_IDENTITY},
    {"br;q=0, *", GZ | BR, CS_ENCODING_GZIP}, /* named refusal beats the star */
    {"identity", GZ | BR, CS_ENCODING_IDENTITY},
    {"deflate, compress", GZ | BR, CS_ENCODING_IDENTITY},
    {"gzip;q=2", GZ | BR, CS_ENCODING_IDENTITY}, /* malformed weight: refused */
    {"gzip;q=abc", GZ | BR, CS_ENCODING_IDENTITY},
    {"gzip;q=0.5x", GZ | BR, CS_ENCODING_IDENTITY},
    {",,,gzip,,,", GZ | BR, CS_ENCODING_GZIP},
    {"gzipx, brr, g", GZ | BR, CS_ENCODING_IDENTITY}, /* whole tokens only */
    {"gzip", 0, CS_ENCODING_IDENTITY},
};

static void test_pick(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pick_cases / sizeof *pick_cases; i++) {
        const pick_case *c = &pick_cases[i];
        cs_encoding got = cs_compress_pick(c->header, c->offered);
        if (got != c->want)
            fail_msg("Accept-Encoding \"%s\" (offered %u): got %d, want %d",
                     c->header ? c->header : "(none)", c->offered, got, c->want);
    }
}

static void test_pick_bounded(void **state)
{
    (void)state;
    /* 100 refused entries then gzip: past the 32 entries read, so identity. */
    char header[4096] = "";
    for (int i = 0; i < 100; i++)
        strcat(header, "foo;q=0, ");
    strcat(header, "gzip");
    assert_int_equal(cs_compress_pick(header, GZ | BR), CS_ENCODING_IDENTITY);
    /* A very long token is no coding. */
    char *huge = malloc(200000);
    assert_non_null(huge);
    memset(huge, 'g', 199999);
    huge[199999] = '\0';
    assert_int_equal(cs_compress_pick(huge, GZ | BR), CS_ENCODING_IDENTITY);
    free(huge);
}

static void test_types(void **state)
{
    (void)state;
    assert_true(cs_compress_type_ok("application/json; charset=utf-8"));
    assert_true(cs_compress_type_ok("text/javascript; charset=utf-8"));
    assert_true(cs_compress_type_ok("text/css; charset=utf-8"));
    assert_true(cs_compress_type_ok("text/html; charset=utf-8"));
    assert_true(cs_compress_type_ok("image/svg+xml"));
    /* Media: never. */
    assert_false(cs_compress_type_ok("video/mp4"));
    assert_false(cs_compress_type_ok("video/iso.segment"));
    assert_false(cs_compress_type_ok("audio/mp4"));
    assert_false(cs_compress_type_ok("image/jpeg"));
    assert_false(cs_compress_type_ok("image/png"));
    assert_false(cs_compress_type_ok("application/vnd.apple.mpegurl"));
    assert_false(cs_compress_type_ok("application/octet-stream"));
    assert_false(cs_compress_type_ok(NULL));
    assert_string_equal(cs_compress_name(CS_ENCODING_GZIP), "gzip");
    assert_string_equal(cs_compress_name(CS_ENCODING_BR), "br");
    assert_null(cs_compress_name(CS_ENCODING_IDENTITY));
}

/* Text that compresses: a JSON-ish list repeated with a counter. */
static char *sample(size_t *len)
{
    size_t cap = 200000, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (int i = 0; n + 100 < cap; i++)
        n += (size_t)snprintf(s + n, cap - n, "{\"id\":%d,\"title\":\"Dolor y gloria\"},", i);
    *len = n;
    return s;
}

static void test_gzip_round_trip(void **state)
{
    (void)state;
    size_t len;
    char *in = sample(&len);
    void *out;
    size_t out_len;
    assert_int_equal(cs_compress_buffer(CS_ENCODING_GZIP, -1, in, len, &out, &out_len), 0);
    assert_true(out_len < len / 4);
    const unsigned char *z = out;
    assert_true(out_len > 18 && z[0] == 0x1f && z[1] == 0x8b); /* a gzip member */
    char *back = malloc(len + 1);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    zs.next_in = out;
    zs.avail_in = (uInt)out_len;
    zs.next_out = (Bytef *)back;
    zs.avail_out = (uInt)len + 1;
    assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
    assert_int_equal(zs.total_out, len);
    inflateEnd(&zs);
    assert_memory_equal(back, in, len);
    free(back);
    free(out);
    /* Empty input is a valid (tiny) member. */
    assert_int_equal(cs_compress_buffer(CS_ENCODING_GZIP, 9, "", 0, &out, &out_len), 0);
    assert_true(out_len > 0);
    free(out);
    /* Identity is not a compression. */
    assert_int_equal(cs_compress_buffer(CS_ENCODING_IDENTITY, -1, in, len, &out, &out_len), -1);
    assert_null(out);
    free(in);
}

static void test_brotli_round_trip(void **state)
{
    (void)state;
#ifdef CS_HAVE_BROTLI
    assert_true(cs_compress_available() & BR);
    size_t len;
    char *in = sample(&len);
    void *out;
    size_t out_len;
    assert_int_equal(cs_compress_buffer(CS_ENCODING_BR, -1, in, len, &out, &out_len), 0);
    assert_true(out_len < len / 4);
    size_t back_len = len + 1;
    uint8_t *back = malloc(back_len);
    assert_int_equal(BrotliDecoderDecompress(out_len, out, &back_len, back),
                     BROTLI_DECODER_RESULT_SUCCESS);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, in, len);
    free(back);
    free(out);
    free(in);
#else
    assert_false(cs_compress_available() & BR);
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick),
        cmocka_unit_test(test_pick_bounded),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_gzip_round_trip),
        cmocka_unit_test(test_brotli_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
