/* cs_query: query-string decoding into fixed storage. */
#include "server/cs_query.h"
#include "util/cu_err.h"
#include "util/cu_str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Decodes [s, end) into out (which has room: decoding never grows) and
 * terminates it. Returns the decoded length or CU_EPARSE. */
static int decode_component(const char *s, const char *end, char *out)
{
    size_t o = 0;
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        if (c == '%') {
            if (end - s < 3)
                return CU_EPARSE;
            int hi = cu_hex_value(s[1]), lo = cu_hex_value(s[2]);
            if (hi < 0 || lo < 0)
                return CU_EPARSE;
            c = (unsigned char)(hi * 16 + lo);
            s += 3;
        } else {
            if (c == '+')
                c = ' ';
            s++;
        }
        if (c < 0x20 || c == 0x7f)
            return CU_EPARSE;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    if (!cu_utf8_valid(out, o))
        return CU_EPARSE;
    return (int)o;
}

int cs_query_parse(const char *raw, size_t len, cs_query *out)
{
    out->count = 0;
    out->storage[0] = '\0';
    if (!raw || len == 0)
        return 0;
    if (len > CS_QUERY_MAX_LEN)
        return CU_ELIMIT;
    const char *p = raw, *end = raw + len;
    /* Each pair decodes into storage as key NUL value NUL: at most its raw
     * length + 2, so len + 2 * CS_QUERY_MAX_PARAMS bytes always suffice;
     * the running check below keeps that true if the bounds change. */
    size_t used = 0, pairs = 0;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *pair_end = amp ? amp : end;
        if (pair_end > p) {
            if (pairs++ == CS_QUERY_MAX_PARAMS)
                return CU_ELIMIT;
            const char *eq = memchr(p, '=', (size_t)(pair_end - p));
            const char *key_end = eq ? eq : pair_end;
            const char *value = eq ? eq + 1 : pair_end;
            size_t need = (size_t)(pair_end - p) + 2;
            if (used + need > sizeof out->storage)
                return CU_ELIMIT;
            char *key_out = out->storage + used;
            int klen = decode_component(p, key_end, key_out);
            if (klen < 0)
                return klen;
            char *value_out = key_out + klen + 1;
            int vlen = decode_component(value, pair_end, value_out);
            if (vlen < 0)
                return vlen;
            used += (size_t)klen + (size_t)vlen + 2;
            if (klen > 0) {
                out->params[out->count].key = key_out;
                out->params[out->count].value = value_out;
                out->count++;
            }
        }
        p = amp ? amp + 1 : end;
    }
    return 0;
}

const char *cs_query_get(const cs_query *q, const char *key)
{
    for (size_t i = 0; i < q->count; i++)
        if (!strcmp(q->params[i].key, key))
            return q->params[i].value;
    return NULL;
}

int cs_query_int(const cs_query *q, const char *key, int64_t min, int64_t max, int64_t *out)
{
    const char *v = cs_query_get(q, key);
    if (!v || !*v)
        return 0;
    for (const char *c = v; *c; c++)
        if (*c < '0' || *c > '9')
            if (!(c == v && *c == '-'))
                return CU_EPARSE;
    if (strlen(v) > 18)
        return CU_EPARSE;
    errno = 0;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || end == v || n < min || n > max)
        return CU_EPARSE;
    *out = n;
    return 1;
}
