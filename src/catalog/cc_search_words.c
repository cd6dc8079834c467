/* cc_search_words: the one normalisation of text shared by the search
 * index and its queries: cu_fold, then words of letters and digits joined
 * by single spaces (see cc_search_index.c for why). */
#include "catalog/cc_search_words.h"
#include "util/cu_buf.h"
#include "util/cu_fold.h"
#include "util/cu_str.h"

#include <string.h>

/* After folding, a word is made of ASCII letters and digits and of any
 * other letter; punctuation and symbols separate words. */
static bool is_separator(int32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    return cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || /* Latin-1 punctuation */
           (cp >= 0x2000 && cp <= 0x2BFF) ||         /* punctuation, symbols */
           (cp >= 0x3000 && cp <= 0x303F) ||         /* CJK punctuation */
           (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF0F) || cp >= 0xFFF0 ||
           cp == 0xFEFF || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

/* Appends the folded words of text (len bytes) to out, each preceded by a
 * space unless out is empty. Returns whether the text ended inside a word. */
bool cc_search_words_append(cu_buf *out, const char *text, size_t len)
{
    cu_buf folded = CU_BUF_INIT;
    cu_fold_append(&folded, text, len);
    const char *p = cu_buf_str(&folded), *end = p + folded.len;
    bool in_word = false;
    while (p < end) {
        const char *start = p;
        int32_t cp = cu_utf8_next(&p, end);
        if (cp < 0 || is_separator(cp)) {
            in_word = false;
            continue;
        }
        if (!in_word && out->len > 0)
            cu_buf_putc(out, ' ');
        cu_buf_append(out, start, (size_t)(p - start));
        in_word = true;
    }
    cu_buf_free(&folded);
    return in_word;
}

void cc_search_words_append_text(cu_buf *out, const char *text)
{
    if (text)
        cc_search_words_append(out, text, strlen(text));
}

/* Decodes a word into code points; returns their count, or 0 when there are
 * more than max. */
size_t cc_search_words_chars(const char *word, size_t len, int32_t *cps, size_t max)
{
    const char *p = word, *end = word + len;
    size_t n = 0;
    while (p < end) {
        if (n == max)
            return 0;
        int32_t cp = cu_utf8_next(&p, end);
        cps[n++] = cp < 0 ? 0xFFFD : cp;
    }
    return n;
}

/* cps without the character at index skip, as UTF-8 into out (>= 4*n+1). */
void cc_search_words_without(const int32_t *cps, size_t n, size_t skip, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (i != skip)
            o += cu_utf8_put(out + o, cps[i]);
    out[o] = '\0';
}

static bool same_chars(const int32_t *a, const int32_t *b, size_t n)
{
    return n == 0 || memcmp(a, b, n * sizeof *a) == 0;
}

/* Whether a and b differ by exactly one insertion, deletion, substitution
 * or swap of two neighbouring characters. */
bool cc_search_words_one_edit(const int32_t *a, size_t n, const int32_t *b, size_t m)
{
    if (n < m)
        return cc_search_words_one_edit(b, m, a, n);
    if (n - m > 1)
        return false;
    size_t i = 0;
    while (i < m && a[i] == b[i])
        i++;
    if (n == m + 1)
        return same_chars(a + i + 1, b + i, m - i);
    if (i == n)
        return false; /* equal */
    if (same_chars(a + i + 1, b + i + 1, n - i - 1))
        return true;
    return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           same_chars(a + i + 2, b + i + 2, n - i - 2);
}
