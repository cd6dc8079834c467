/* cj_write: JSON text straight into a buffer (cj_write.h). */
#include "json/cj_write.h"
#include "util/cu_str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Escapes s (valid UTF-8, len bytes) as jansson does without flags:
 * the quote, the backslash, and the bytes below 0x20 (\b \f \n \r \t by
 * name, the others as \u00XX); everything else as it is. */
static void put_escaped(cu_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    cu_buf_putc(b, '"');
    size_t run = 0; /* bytes of s[run..i) still to copy */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        cu_buf_append(b, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
            break;
        }
        cu_buf_append(b, esc, n);
    }
    cu_buf_append(b, s + run, len - run);
    cu_buf_putc(b, '"');
}

void cj_write_str(cu_buf *b, const char *s)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    if (cu_utf8_valid(s, len)) {
        put_escaped(b, s, len);
        return;
    }
    char *fixed = cu_utf8_repair(s, len);
    put_escaped(b, fixed, strlen(fixed));
    free(fixed);
}

void cj_write_str_or_null(cu_buf *b, const char *s)
{
    if (s && *s)
        cj_write_str(b, s);
    else
        cj_write_null(b);
}

void cj_write_int(cu_buf *b, int64_t v)
{
    cu_buf_put_i64(b, v);
}

void cj_write_real(cu_buf *b, double v)
{
    if (!isfinite(v)) {
        cj_write_null(b); /* jansson makes no real of these at all */
        return;
    }
    if (v == 0 && !signbit(v)) {
        cu_buf_append(b, "0.0", 3); /* most positions: not started */
        return;
    }
    /* A whole number below 2^53 (a position in whole seconds, a film's
     * length): %.17g writes its digits exactly, then the ".0". */
    if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v && !(v == 0)) {
        cu_buf_put_i64(b, (int64_t)v);
        cu_buf_append(b, ".0", 2);
        return;
    }
    char text[40];
    int n = snprintf(text, sizeof text, "%.17g", v);
    if (n < 0 || (size_t)n >= sizeof text - 3) {
        cj_write_null(b); /* not reached: %.17g of a double fits */
        return;
    }
    /* A real keeps a '.' or an exponent, or it would read back as an
     * integer; the exponent loses its '+' and its leading zeros. */
    if (!strchr(text, '.') && !strchr(text, 'e')) {
        memcpy(text + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(text, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, strlen(end) + 1);
            n = (int)strlen(text);
        }
    }
    cu_buf_append(b, text, (size_t)n);
}

void cj_write_bool(cu_buf *b, bool v)
{
    if (v)
        cu_buf_append(b, "true", 4);
    else
        cu_buf_append(b, "false", 5);
}

void cj_write_null(cu_buf *b)
{
    cu_buf_append(b, "null", 4);
}

void cj_write_key(cu_buf *b, bool first, const char *key)
{
    char text[64];
    size_t len = strlen(key);
    if (len > sizeof text - 4) { /* not reached: keys are short names */
        if (!first)
            cu_buf_putc(b, ',');
        put_escaped(b, key, len);
        cu_buf_putc(b, ':');
        return;
    }
    /* A key is a plain name: written in one append, unescaped. */
    size_t n = 0;
    if (!first)
        text[n++] = ',';
    text[n++] = '"';
    memcpy(text + n, key, len);
    n += len;
    text[n++] = '"';
    text[n++] = ':';
    cu_buf_append(b, text, n);
}

char *cj_write_add_member(char *object, const char *key, const char *raw, size_t raw_len)
{
    cu_buf b = CU_BUF_INIT;
    size_t len = strlen(object);
    /* object is "{...}": drop the brace, add the member, close again. */
    while (len && object[len - 1] != '}')
        len--;
    if (len)
        len--;
    cu_buf_append(&b, object, len);
    bool empty = len <= 1; /* "{" alone */
    free(object);
    cj_write_key(&b, empty, key);
    cu_buf_append(&b, raw, raw_len);
    cu_buf_putc(&b, '}');
    return cu_buf_take(&b);
}
