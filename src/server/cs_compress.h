/* cs_compress: content coding for text the server sends (JSON, the web
 * app's scripts, styles and pages): gzip (zlib) and brotli, chosen from the
 * client's Accept-Encoding. Media (streams, segments, images) is never
 * compressed: it is compressed already, and ranges must name its bytes.
 * Pure functions (pick, compress) and the reply helpers the server uses. */
#ifndef CS_COMPRESS_H
#define CS_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    CS_ENCODING_IDENTITY = 0,
    CS_ENCODING_GZIP = 1,
    CS_ENCODING_BR = 2,
} cs_encoding;

/* Bodies smaller than this go as they are: the headers would eat the gain. */
#define CS_COMPRESS_MIN 256
/* Bodies larger than this are not compressed on the fly (JSON replies). */
#define CS_COMPRESS_MAX (16u * 1024 * 1024)

/* The best coding the client accepts among `offered` (a bit set of
 * 1 << cs_encoding; identity is always possible) from an Accept-Encoding
 * value (NULL: identity). Brotli before gzip at equal weight, q=0 refuses,
 * "*" stands for every coding not named. Bounded: at most the first 1024
 * bytes and 32 entries are read. Pure (unit-tested). */
cs_encoding cs_compress_pick(const char *accept_encoding, unsigned offered);
/* The offered set this build can produce (gzip always, brotli when built
 * with libbrotlienc). */
unsigned cs_compress_available(void);
/* "gzip", "br", or NULL for identity. */
const char *cs_compress_name(cs_encoding e);
/* ".gz", ".br", or "" for identity: a precompressed file's suffix. */
const char *cs_compress_suffix(cs_encoding e);
/* Whether a Content-Type is worth compressing (text, JSON, SVG, JS). */
bool cs_compress_type_ok(const char *content_type);

/* Compresses in[0..len) into *out (malloc'd, *out_len bytes). level: 1..9
 * for gzip, 0..11 for brotli; < 0: a default (6 and 5, fast enough for a
 * reply). -1 when e is identity or unavailable, or compression failed. */
int cs_compress_buffer(cs_encoding e, int level, const void *in, size_t len, void **out,
                       size_t *out_len);

#endif
