/* cj_write: JSON text written straight into a buffer, for the lists the
 * server sends most (a page of 100 films): building jansson objects and
 * dumping them was half of such a page's CPU. The text is byte for byte
 * what json_dumps(JSON_COMPACT) writes for the same values (test_json
 * checks it against jansson), so a record written here or through
 * jansson reads the same to every client. */
#ifndef CJ_WRITE_H
#define CJ_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/cu_buf.h"

/* A string: escaped as jansson escapes it; NULL writes "". Text that is
 * not valid UTF-8 is written with U+FFFD for the bytes that do not decode,
 * as cj_text() does. */
void cj_write_str(cu_buf *b, const char *s);
/* A string, or null when s is NULL or empty (cj_text_or_null). */
void cj_write_str_or_null(cu_buf *b, const char *s);
void cj_write_int(cu_buf *b, int64_t v);
/* A real as jansson writes it ("%.17g", always with a '.' or an
 * exponent); a value that is not finite is written as null. */
void cj_write_real(cu_buf *b, double v);
void cj_write_bool(cu_buf *b, bool v);
void cj_write_null(cu_buf *b);
/* The key of an object's member, with the comma before every member but
 * the first: `"key":` or `,"key":`. key is a plain name (letters, digits,
 * '_'), written as it is. */
void cj_write_key(cu_buf *b, bool first, const char *key);

/* Appends member `key` (with raw, a JSON value's text) to object, a
 * compact JSON object's text (malloc'd; it may be moved). Returns the
 * new text; object is consumed. */
char *cj_write_add_member(char *object, const char *key, const char *raw, size_t raw_len);

#endif
