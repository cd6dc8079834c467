/* cs_query: the query string of a request ("q=amelie&limit=20"), decoded
 * into a bounded set of UTF-8 key/value pairs. Pure, no allocation,
 * fuzzed (tests/fuzz/fuzz_query.c). */
#ifndef CS_QUERY_H
#define CS_QUERY_H

#include <stddef.h>
#include <stdint.h>

#define CS_QUERY_MAX_LEN 2048  /* raw query string bytes */
#define CS_QUERY_MAX_PARAMS 32 /* pairs, including ones with an empty key */

typedef struct cs_query_param {
    const char *key, *value; /* point into the query's own storage */
} cs_query_param;

typedef struct cs_query {
    cs_query_param params[CS_QUERY_MAX_PARAMS];
    size_t count;
    /* Decoding never grows a component; each pair adds two NULs. */
    char storage[CS_QUERY_MAX_LEN + 2 * CS_QUERY_MAX_PARAMS + 1];
} cs_query;

/* Splits raw (len bytes, without the '?') on '&' and '=', decodes '+' and
 * %XX. Returns 0, CU_ELIMIT when raw is too long or has too many
 * parameters, or CU_EPARSE for a bad escape, a NUL byte, a control
 * character or invalid UTF-8 after decoding. A key without '=' has the
 * value "". */
int cs_query_parse(const char *raw, size_t len, cs_query *out);

/* The first value for key, or NULL. */
const char *cs_query_get(const cs_query *query, const char *key);

/* key as a decimal integer in [min, max]: 1 and *out set when present and
 * valid, 0 when absent (or empty), CU_EPARSE when malformed or out of
 * range. */
int cs_query_int(const cs_query *query, const char *key, int64_t min, int64_t max, int64_t *out);

#endif
