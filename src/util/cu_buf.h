/* cu_buf: a growable byte buffer, always NUL-terminated. */
#ifndef CU_BUF_H
#define CU_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct cu_buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} cu_buf;

#define CU_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void cu_buf_append(cu_buf *b, const void *data, size_t len);
void cu_buf_puts(cu_buf *b, const char *s);
void cu_buf_putc(cu_buf *b, char c);
/* v in decimal, as "%lld" writes it. */
void cu_buf_put_i64(cu_buf *b, int64_t v);
void cu_buf_printf(cu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cu_buf_reset(cu_buf *b);
/* The contents ("" when empty); stays owned by b. */
const char *cu_buf_str(const cu_buf *b);
/* Hands the contents to the caller (free() it) and empties b. */
char *cu_buf_take(cu_buf *b);
void cu_buf_free(cu_buf *b);

#endif
