/* cs_compress: Accept-Encoding negotiation and gzip/brotli bodies (see
 * cs_compress.h). */
#include "server/cs_compress.h"
#include "util/cu_str.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>
#ifdef CS_HAVE_BROTLI
#include <brotli/encode.h>
#endif

unsigned cs_compress_available(void)
{
    unsigned set = 1u << CS_ENCODING_GZIP;
#ifdef CS_HAVE_BROTLI
    set |= 1u << CS_ENCODING_BR;
#endif
    return set;
}

const char *cs_compress_name(cs_encoding e)
{
    return e == CS_ENCODING_GZIP ? "gzip" : e == CS_ENCODING_BR ? "br" : NULL;
}

const char *cs_compress_suffix(cs_encoding e)
{
    return e == CS_ENCODING_GZIP ? ".gz" : e == CS_ENCODING_BR ? ".br" : "";
}

bool cs_compress_type_ok(const char *t)
{
    if (!t)
        return false;
    return cu_str_has_prefix(t, "text/") || cu_str_has_prefix(t, "application/json") ||
           cu_str_has_prefix(t, "application/manifest+json") ||
           cu_str_has_prefix(t, "image/svg+xml");
}

/* A q-value ("1", "0.5", "0.000") in thousandths; -1 when malformed. */
static int qvalue(const char *s, size_t n)
{
    if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1'))
        return -1;
    int v = (s[0] - '0') * 1000;
    if (n == 1)
        return v;
    if (s[1] != '.')
        return -1;
    int scale = 100;
    for (size_t i = 2; i < n; i++, scale /= 10) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v += (s[i] - '0') * scale;
    }
    return v > 1000 ? -1 : v;
}

cs_encoding cs_compress_pick(const char *accept, unsigned offered)
{
    if (!accept)
        return CS_ENCODING_IDENTITY;
    /* Weights in thousandths; -1: not named. */
    int weight[3] = {-1, -1, -1}, star = -1;
    size_t total = strnlen(accept, 1024);
    size_t pos = 0;
    for (int entries = 0; pos < total && entries < 32; entries++) {
        size_t end = pos;
        while (end < total && accept[end] != ',')
            end++;
        /* token [; q=value] with optional spaces */
        const char *p = accept + pos, *e = accept + end;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        const char *tok = p;
        while (p < e && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t tok_len = (size_t)(p - tok);
        int q = 1000;
        const char *semi = memchr(p, ';', (size_t)(e - p));
        if (semi) {
            const char *v = semi + 1;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            if (e - v >= 2 && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=') {
                const char *num = v + 2, *num_end = num;
                while (num_end < e && *num_end != ' ' && *num_end != '\t' && *num_end != ';')
                    num_end++;
                q = qvalue(num, (size_t)(num_end - num));
                if (q < 0)
                    q = 0; /* a malformed weight counts as a refusal */
            }
        }
        int which = -1;
        if (tok_len == 4 && !strncasecmp(tok, "gzip", 4))
            which = CS_ENCODING_GZIP;
        else if (tok_len == 6 && !strncasecmp(tok, "x-gzip", 6))
            which = CS_ENCODING_GZIP;
        else if (tok_len == 2 && !strncasecmp(tok, "br", 2))
            which = CS_ENCODING_BR;
        else if (tok_len == 8 && !strncasecmp(tok, "identity", 8))
            which = CS_ENCODING_IDENTITY;
        else if (tok_len == 1 && tok[0] == '*')
            star = q > star ? q : star;
        if (which >= 0 && q > weight[which])
            weight[which] = q;
        pos = end + 1;
    }
    int best = CS_ENCODING_IDENTITY, best_q = 0;
    const int order[] = {CS_ENCODING_BR, CS_ENCODING_GZIP};
    for (size_t i = 0; i < 2; i++) {
        int e = order[i];
        if (!(offered & (1u << e)))
            continue;
        int q = weight[e] >= 0 ? weight[e] : star >= 0 ? star : 0;
        if (q > best_q) {
            best = e;
            best_q = q;
        }
    }
    return (cs_encoding)best;
}

static int gzip_buffer(int level, const void *in, size_t len, void **out, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* 15 window bits + 16: a gzip wrapper, not zlib's. */
    if (deflateInit2(&z, level < 0 ? 6 : level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong bound = deflateBound(&z, (uLong)len);
    unsigned char *buf = malloc(bound ? bound : 1);
    if (!buf) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t produced = (size_t)z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = produced;
    return 0;
}

int cs_compress_buffer(cs_encoding e, int level, const void *in, size_t len, void **out,
                       size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (len > UINT32_MAX)
        return -1;
    if (e == CS_ENCODING_GZIP)
        return gzip_buffer(level > 9 ? 9 : level, in, len, out, out_len);
#ifdef CS_HAVE_BROTLI
    if (e == CS_ENCODING_BR) {
        size_t cap = BrotliEncoderMaxCompressedSize(len);
        uint8_t *buf = malloc(cap ? cap : 1);
        if (!buf || !cap) {
            free(buf);
            return -1;
        }
        size_t n = cap;
        if (!BrotliEncoderCompress(level < 0    ? 5
                                   : level > 11 ? 11
                                                : level,
                                   BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, len, in, &n, buf)) {
            free(buf);
            return -1;
        }
        *out = buf;
        *out_len = n;
        return 0;
    }
#endif
    return -1;
}
