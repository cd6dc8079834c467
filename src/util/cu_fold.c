/* cu_fold: a table-driven fold of the Latin-1 Supplement and Latin
 * Extended-A blocks to ASCII, plus simple lowercasing of Greek and
 * Cyrillic. Enough for film titles and names without pulling in ICU. */
#include "util/cu_fold.h"
#include "util/cu_str.h"

#include <string.h>

/* Folded form of U+00C0 .. U+017F; NULL keeps the character as it is. */
static const char *const latin_fold[0x180 - 0xC0] = {
    /* C0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    "e",           "e", "e",  "e",  "i", "i", "i",  "i",
    /* D0 */ "d",  "n", "o",  "o",  "o", "o", "o",  NULL,
    "o",           "u", "u",  "u",  "u", "y", "th", "ss",
    /* E0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    "e",           "e", "e",  "e",  "i", "i", "i",  "i",
    /* F0 */ "d",  "n", "o",  "o",  "o", "o", "o",  NULL,
    "o",           "u", "u",  "u",  "u", "y", "th", "y",
    /* 100 */ "a", "a", "a",  "a",  "a", "a", "c",  "c",
    "c",           "c", "c",  "c",  "c", "c", "d",  "d",
    /* 110 */ "d", "d", "e",  "e",  "e", "e", "e",  "e",
    "e",           "e", "e",  "e",  "g", "g", "g",  "g",
    /* 120 */ "g", "g", "g",  "g",  "h", "h", "h",  "h",
    "i",           "i", "i",  "i",  "i", "i", "i",  "i",
    /* 130 */ "i", "i", "ij", "ij", "j", "j", "k",  "k",
    "k",           "l", "l",  "l",  "l", "l", "l",  "l",
    /* 140 */ "l", "l", "l",  "n",  "n", "n", "n",  "n",
    "n",           "n", "n",  "n",  "o", "o", "o",  "o",
    /* 150 */ "o", "o", "oe", "oe", "r", "r", "r",  "r",
    "r",           "r", "s",  "s",  "s", "s", "s",  "s",
    /* 160 */ "s", "s", "t",  "t",  "t", "t", "t",  "t",
    "u",           "u", "u",  "u",  "u", "u", "u",  "u",
    /* 170 */ "u", "u", "u",  "u",  "w", "w", "y",  "y",
    "y",           "z", "z",  "z",  "z", "z", "z",  "s",
};

static int32_t fold_simple(int32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) /* Greek capitals */
        return cp + 32;
    if (cp == 0x3C2) /* final sigma */
        return 0x3C3;
    if (cp >= 0x410 && cp <= 0x42F) /* Cyrillic А..Я */
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F) /* Cyrillic Ѐ..Џ */
        return cp + 80;
    if (cp == 0x451) /* ё */
        return 0x435;
    return cp;
}

void cu_fold_append(cu_buf *out, const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            cu_buf_putc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
            p++;
            continue;
        }
        int32_t cp = cu_utf8_next(&p, end);
        if (cp < 0) {
            cu_buf_putc(out, ' ');
            continue;
        }
        if (cp >= 0x300 && cp <= 0x36F) /* combining diacritical marks */
            continue;
        if (cp >= 0xC0 && cp < 0x180 && latin_fold[cp - 0xC0]) {
            cu_buf_puts(out, latin_fold[cp - 0xC0]);
            continue;
        }
        if (cp == 0x2018 || cp == 0x2019) { /* curly apostrophes */
            cu_buf_putc(out, '\'');
            continue;
        }
        char enc[4];
        size_t n = cu_utf8_put(enc, fold_simple(cp));
        cu_buf_append(out, enc, n);
    }
}

char *cu_fold(const char *s)
{
    cu_buf b = CU_BUF_INIT;
    cu_fold_append(&b, s, strlen(s));
    return cu_buf_take(&b);
}
