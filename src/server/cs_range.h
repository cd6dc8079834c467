/* cs_range: the conditional and partial parts of HTTP (RFC 9110): Range,
 * If-Range, If-None-Match and HTTP dates. Pure string work, no I/O, so
 * every function here is fuzzed (tests/fuzz/fuzz_range.c). */
#ifndef CS_RANGE_H
#define CS_RANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Header values longer than this are not parsed (treated as malformed). */
#define CS_RANGE_HEADER_MAX 1024

typedef enum {
    CS_RANGE_NONE,          /* no usable Range: send the whole file (200) */
    CS_RANGE_PARTIAL,       /* one satisfiable range: 206 with [first, last] */
    CS_RANGE_UNSATISFIABLE, /* 416 with Content-Range: bytes * /size */
} cs_range_result;

/* Interprets a Range header against a representation of `size` bytes.
 * Single ranges only: "bytes=a-b", "bytes=a-", "bytes=-n". A Range that is
 * absent, of another unit, malformed or lists several ranges is ignored
 * (CS_RANGE_NONE: the whole file, as RFC 9110 allows). A range starting at
 * or past the end, "bytes=-0", "a-b" with b < a, and any range of an empty
 * file are unsatisfiable. On CS_RANGE_PARTIAL, 0 <= *first <= *last < size. */
cs_range_result cs_range_parse(const char *header, int64_t size, int64_t *first, int64_t *last);

/* True when the If-None-Match value lists etag (weak comparison) or is "*". */
bool cs_etag_list_matches(const char *header, const char *etag);

/* If-Range: true when the value is an entity tag that strongly equals etag
 * (weak tags never do), or an HTTP date equal to last_modified. */
bool cs_if_range_matches(const char *header, const char *etag, time_t last_modified);

/* Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); -1 when it is
 * not one. */
time_t cs_http_date_parse(const char *s);
/* Formats t as an IMF-fixdate into out (at least 30 bytes). */
void cs_http_date_format(time_t t, char *out, size_t size);

#endif
