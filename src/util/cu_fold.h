/* cu_fold: case and accent folding for search and comparison.
 * "Almodóvar" and "ALMODOVAR" fold to "almodovar"; "Penélope" to
 * "penelope"; "ß" to "ss", "Æ" to "ae". Latin, Greek and Cyrillic letters
 * are lowercased; combining marks are dropped; invalid UTF-8 bytes become
 * spaces. Everything else passes through unchanged. */
#ifndef CU_FOLD_H
#define CU_FOLD_H

#include <stddef.h>

#include "util/cu_buf.h"

/* Appends the folded form of s (len bytes) to out. */
void cu_fold_append(cu_buf *out, const char *s, size_t len);
/* Returns a newly allocated folded copy of the NUL-terminated s. */
char *cu_fold(const char *s);

#endif
