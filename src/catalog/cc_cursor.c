/* cc_cursor: the films list's page tokens (cc_cursor.h).
 *
 * Form: "c1.SORT.DESC.SEED.PART.V1.V2...Vn.CHECK", every number in
 * decimal, each value "n" (NULL), "i-12" (integer), "r" and 16 hex
 * digits (a double's bits, so it comes back exact) or "t" and the text's
 * bytes in hex; CHECK is 8 hex digits of FNV-1a over everything before
 * its dot. */
#include "catalog/cc_cursor.h"
#include "util/cu_hash.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t check_value(const char *s, size_t len)
{
    return cu_hash32(CU_HASH32_INIT, s, len);
}

char *cc_cursor_encode(const cc_film_key *key)
{
    cu_buf b = CU_BUF_INIT;
    cu_buf_printf(&b, "c1.%d.%d.%" PRIu32 ".%d", key->sort, key->descending ? 1 : 0, key->seed,
                  key->part);
    for (int i = 0; i < key->count && i < CC_KEY_TERMS; i++) {
        const cc_key_value *v = &key->values[i];
        switch (v->type) {
        case CC_KEY_INT: cu_buf_printf(&b, ".i%" PRId64, v->i); break;
        case CC_KEY_REAL: {
            uint64_t bits;
            memcpy(&bits, &v->r, sizeof bits);
            cu_buf_printf(&b, ".r%016" PRIx64, bits);
            break;
        }
        case CC_KEY_TEXT: {
            cu_buf_puts(&b, ".t");
            size_t n = v->text ? strlen(v->text) : 0;
            if (n > CC_KEY_TEXT_MAX)
                n = CC_KEY_TEXT_MAX; /* cut: the page after it still starts near */
            for (size_t k = 0; k < n; k++)
                cu_buf_printf(&b, "%02x", (unsigned char)v->text[k]);
            break;
        }
        case CC_KEY_NULL:
        default: cu_buf_puts(&b, ".n"); break;
        }
    }
    const char *s = cu_buf_str(&b);
    char *out = cu_xasprintf("%s.%08" PRIx32, s, check_value(s, strlen(s)));
    cu_buf_free(&b);
    return out;
}

/* The value of a lower-case hex digit (as written), or -1. */
static int hex_digit(char c)
{
    return c >= 'A' && c <= 'F' ? -1 : cu_hex_value(c);
}

/* A decimal integer filling [s, end), within [lo, hi]. */
static bool parse_int(const char *s, const char *end, int64_t lo, int64_t hi, int64_t *out)
{
    if (s == end || end - s > 20)
        return false;
    char tmp[24];
    memcpy(tmp, s, (size_t)(end - s));
    tmp[end - s] = '\0';
    if (tmp[0] != '-' && (tmp[0] < '0' || tmp[0] > '9'))
        return false;
    char *stop;
    errno = 0;
    long long v = strtoll(tmp, &stop, 10);
    if (errno || *stop || v < lo || v > hi)
        return false;
    /* Only as cc_cursor_encode writes it ("7", not "07", "+7" or "-0"):
     * one token per key, so the check value covers what is read. */
    char again[24];
    snprintf(again, sizeof again, "%lld", v);
    if (strcmp(again, tmp))
        return false;
    *out = v;
    return true;
}

static bool parse_value(const char *s, const char *end, cc_key_value *v)
{
    if (s == end)
        return false;
    size_t n = (size_t)(end - s - 1);
    switch (*s) {
    case 'n': v->type = CC_KEY_NULL; return n == 0;
    case 'i': v->type = CC_KEY_INT; return parse_int(s + 1, end, INT64_MIN, INT64_MAX, &v->i);
    case 'r': {
        if (n != 16)
            return false;
        uint64_t bits = 0;
        for (size_t k = 0; k < 16; k++) {
            int d = hex_digit(s[1 + k]);
            if (d < 0)
                return false;
            bits = bits << 4 | (uint64_t)d;
        }
        v->type = CC_KEY_REAL;
        memcpy(&v->r, &bits, sizeof v->r);
        return v->r == v->r; /* not a NaN: it would compare with nothing */
    }
    case 't': {
        if (n % 2 || n / 2 > CC_KEY_TEXT_MAX)
            return false;
        char *text = cu_xmalloc(n / 2 + 1);
        for (size_t k = 0; k < n / 2; k++) {
            int hi = hex_digit(s[1 + 2 * k]), lo = hex_digit(s[2 + 2 * k]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) { /* no NUL inside */
                free(text);
                return false;
            }
            text[k] = (char)(hi << 4 | lo);
        }
        text[n / 2] = '\0';
        v->type = CC_KEY_TEXT;
        v->text = text;
        return true;
    }
    default: return false;
    }
}

int cc_cursor_decode(const char *token, cc_film_key *key, cu_err *err)
{
    memset(key, 0, sizeof *key);
    size_t len = token ? strnlen(token, CC_CURSOR_MAX + 1) : 0;
    if (len == 0 || len > CC_CURSOR_MAX)
        return cu_err_set(err, CU_EINVAL, "the cursor is empty or longer than %d bytes",
                          CC_CURSOR_MAX);
    const char *dot = strrchr(token, '.');
    int64_t check;
    if (!dot || token + len - dot != 9 || strncmp(token, "c1.", 3))
        goto bad;
    for (const char *p = dot + 1; *p; p++)
        if (hex_digit(*p) < 0)
            goto bad;
    check = (int64_t)strtoll(dot + 1, NULL, 16);
    if ((uint32_t)check != check_value(token, (size_t)(dot - token)))
        goto bad;
    /* The header's four numbers, then the values up to the check. */
    const char *p = token + 3;
    int64_t head[4];
    static const int64_t hi[4] = {64, 1, UINT32_MAX, 7};
    for (int i = 0; i < 4; i++) {
        const char *end = memchr(p, '.', (size_t)(dot - p));
        if (!end || !parse_int(p, end, 0, hi[i], &head[i]))
            goto bad;
        p = end + 1;
    }
    key->sort = (int)head[0];
    key->descending = head[1] != 0;
    key->seed = (uint32_t)head[2];
    key->part = (int)head[3];
    while (p < dot + 1) {
        const char *end = memchr(p, '.', (size_t)(dot + 1 - p));
        if (!end || key->count == CC_KEY_TERMS || !parse_value(p, end, &key->values[key->count]))
            goto bad;
        key->count++;
        p = end + 1;
    }
    if (key->count == 0)
        goto bad;
    return 0;
bad:
    cc_film_key_clear(key);
    return cu_err_set(err, CU_EINVAL, "the cursor is not one this server gave (after=)");
}

void cc_film_key_clear(cc_film_key *key)
{
    for (int i = 0; i < key->count && i < CC_KEY_TERMS; i++)
        free(key->values[i].text);
    memset(key, 0, sizeof *key);
}
