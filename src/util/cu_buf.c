/* cu_buf: growable buffer used for building strings, JSON and SQL text. */
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(cu_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        extra = SIZE_MAX; /* forces the allocator's abort below */
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->data = cu_xrealloc(b->data, cap);
    b->cap = cap;
}

void cu_buf_append(cu_buf *b, const void *data, size_t len)
{
    reserve(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void cu_buf_puts(cu_buf *b, const char *s)
{
    cu_buf_append(b, s, strlen(s));
}

void cu_buf_putc(cu_buf *b, char c)
{
    if (b->len + 2 > b->cap)
        reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void cu_buf_put_i64(cu_buf *b, int64_t v)
{
    char text[24], *p = text + sizeof text;
    /* Unsigned, so that INT64_MIN negates without overflow. */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    cu_buf_append(b, p, (size_t)(text + sizeof text - p));
}

void cu_buf_printf(cu_buf *b, const char *fmt, ...)
{
    /* Formatted once into the room there is, again only when it did
     * not fit (a list's SQL and JSON are built of many short pieces). */
    reserve(b, 63);
    size_t room = b->cap - b->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void cu_buf_reset(cu_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *cu_buf_str(const cu_buf *b)
{
    return b->data ? b->data : "";
}

char *cu_buf_take(cu_buf *b)
{
    char *p = b->data ? b->data : cu_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void cu_buf_free(cu_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
