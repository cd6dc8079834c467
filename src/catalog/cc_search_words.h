/* cc_search_words: the normalisation that the search index (cc_search_index.c)
 * and its queries (cc_search_query.c) share, so that no query word can be
 * split differently from the indexed ones. Internal to the catalog. */
#ifndef CC_SEARCH_WORDS_H
#define CC_SEARCH_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_buf.h"

/* Terms of this many letters go into the typo neighbourhood. */
#define CC_SEARCH_TERM_MIN_CHARS 4 /* a 5-letter word with one extra letter */
#define CC_SEARCH_TERM_MAX_CHARS 32

/* search_keys.kind */
enum { CC_SEARCH_KEY_FILM = 0, CC_SEARCH_KEY_PERSON = 1, CC_SEARCH_KEY_EXTRA = 2 };

/* Appends the folded words of text (len bytes) to out, each preceded by a
 * space unless out is empty. Returns whether the text ended inside a word. */
bool cc_search_words_append(cu_buf *out, const char *text, size_t len);
/* The same for a NUL-terminated text; NULL appends nothing. */
void cc_search_words_append_text(cu_buf *out, const char *text);
/* Decodes a word into code points; returns their count, or 0 when there are
 * more than max. */
size_t cc_search_words_chars(const char *word, size_t len, int32_t *cps, size_t max);
/* cps without the character at index skip, as UTF-8 into out (>= 4*n+1). */
void cc_search_words_without(const int32_t *cps, size_t n, size_t skip, char *out);
/* Whether a and b differ by exactly one insertion, deletion, substitution
 * or swap of two neighbours. */
bool cc_search_words_one_edit(const int32_t *a, size_t n, const int32_t *b, size_t m);

#endif
