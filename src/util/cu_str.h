/* cu_str: allocation helpers and small string utilities.
 * Allocation failure aborts the process (as git's xmalloc and mpv's talloc
 * do): a media server that cannot allocate a few bytes cannot recover. */
#ifndef CU_STR_H
#define CU_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *cu_xmalloc(size_t size);
void *cu_xcalloc(size_t count, size_t size);
void *cu_xrealloc(void *ptr, size_t size);
/* realloc for arrays, with an overflow check on count * size. */
void *cu_xreallocarray(void *ptr, size_t count, size_t size);
char *cu_xstrdup(const char *s);
char *cu_xstrndup(const char *s, size_t n);
char *cu_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies at most dstsize-1 bytes and always terminates; never splits a
 * UTF-8 sequence. Returns the length written. */
size_t cu_strlcpy(char *dst, const char *src, size_t dstsize);
bool cu_str_has_suffix_ci(const char *s, const char *suffix);
bool cu_str_has_prefix(const char *s, const char *prefix);
bool cu_str_eq_ci(const char *a, const char *b);
/* Trims ASCII whitespace at both ends, in place; returns s. */
char *cu_str_trim(char *s);

/* The value of one hexadecimal digit (either case), or -1. */
int cu_hex_value(char c);

/* UTF-8 validity of the first len bytes. */
bool cu_utf8_valid(const char *s, size_t len);
/* Returns a newly allocated copy of s (len bytes) where every invalid byte
 * is replaced by U+FFFD. */
char *cu_utf8_repair(const char *s, size_t len);
/* Decodes one code point at *p (at most end-*p bytes); advances *p.
 * Returns the code point, or -1 for an invalid sequence (advancing 1 byte). */
int32_t cu_utf8_next(const char **p, const char *end);
/* Encodes cp into out (>= 4 bytes); returns bytes written. */
size_t cu_utf8_put(char *out, int32_t cp);

#endif
