/* cu_sortkey: shelving keys for titles (see cu_sortkey.h). */
#include "util/cu_sortkey.h"
#include "util/cu_buf.h"
#include "util/cu_fold.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Articles per language, folded. An entry ending in '\'' is elided and
 * joins the next word directly ("l'atalante"). */
static const struct {
    const char *lang2, *lang3, *lang3b;
    const char *const *articles;
} languages[] = {
    {"en", "eng", NULL, (const char *const[]){"the", "a", "an", NULL}},
    {"es", "spa", NULL,
     (const char *const[]){"the", "el", "la", "los", "las", "lo", "un", "una", "unos", "unas",
                           NULL}},
    {"fr", "fra", "fre",
     (const char *const[]){"the", "le", "la", "les", "l'", "un", "une", "des", NULL}},
    {"de", "deu", "ger",
     (const char *const[]){"the", "der", "die", "das", "den", "dem", "des", "ein", "eine", NULL}},
    {"it", "ita", NULL,
     (const char *const[]){"the", "il", "lo", "la", "i", "gli", "le", "l'", "un", "uno", "una",
                           "un'", NULL}},
    {"pt", "por", NULL, (const char *const[]){"the", "o", "a", "os", "as", "um", "uma", NULL}},
    {"ca", "cat", NULL,
     (const char *const[]){"the", "el", "la", "els", "les", "l'", "un", "una", NULL}},
    {"nl", "nld", "dut", (const char *const[]){"the", "de", "het", "een", "'t", NULL}},
};

/* Languages as people write them in .nfo files ("Spanish", "Français"),
 * folded by ASCII case, to the codes above. */
static const struct {
    const char *name, *lang2;
} language_names[] = {
    {"english", "en"},    {"spanish", "es"},    {"español", "es"},   {"espanol", "es"},
    {"castellano", "es"}, {"castilian", "es"},  {"french", "fr"},    {"français", "fr"},
    {"francais", "fr"},   {"german", "de"},     {"deutsch", "de"},   {"italian", "it"},
    {"italiano", "it"},   {"portuguese", "pt"}, {"português", "pt"}, {"portugues", "pt"},
    {"catalan", "ca"},    {"català", "ca"},     {"dutch", "nl"},     {"nederlands", "nl"},
    {"flemish", "nl"},
};

/* Unknown language: English, and articles no English title starts with. */
static const char *const unknown_articles[] = {"the", "a",   "an", "les", "los", "las",
                                               "der", "das", "il", "gli", "l'",  NULL};

static const char *const *articles_of(const char *lang)
{
    if (!lang || !*lang)
        return unknown_articles;
    for (size_t i = 0; i < sizeof language_names / sizeof *language_names; i++)
        if (!strcasecmp(lang, language_names[i].name)) {
            lang = language_names[i].lang2;
            break;
        }
    char code[4] = {0};
    size_t n = 0;
    while (lang[n] && lang[n] != '-' && lang[n] != '_' && n < 3) {
        char c = lang[n];
        code[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    for (size_t i = 0; i < sizeof languages / sizeof *languages; i++)
        if (!strcmp(code, languages[i].lang2) || !strcmp(code, languages[i].lang3) ||
            (languages[i].lang3b && !strcmp(code, languages[i].lang3b)))
            return languages[i].articles;
    return unknown_articles;
}

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Bytes of the punctuation beyond ASCII that s starts with (¡ ¿ « » ·,
 * dashes, curly quotes, the ellipsis, a no-break space), else 0: they
 * separate words as ASCII punctuation does. */
static size_t wide_punct(const char *s)
{
    static const char *const marks[] = {
        "\xc2\xa0",     "\xc2\xa1",     "\xc2\xab",     "\xc2\xb7",     "\xc2\xbb",    "\xc2\xbf",
        "\xe2\x80\x93", "\xe2\x80\x94", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\xa6"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (!strncmp(s, marks[i], strlen(marks[i])))
            return strlen(marks[i]);
    return 0;
}

/* Length of the article that starts s (followed by a word), or 0. */
static size_t article_at(const char *s, const char *const *articles)
{
    for (size_t i = 0; articles[i]; i++) {
        size_t n = strlen(articles[i]);
        if (strncmp(s, articles[i], n) != 0)
            continue;
        if (articles[i][n - 1] == '\'') {
            if (is_word_byte((unsigned char)s[n]))
                return n;
            continue;
        }
        /* A whole word, then a separator, then another word. */
        if (is_word_byte((unsigned char)s[n]))
            continue;
        size_t k = n;
        while (s[k] && !is_word_byte((unsigned char)s[k]))
            k++;
        if (s[k] && k > n)
            return k;
    }
    return 0;
}

char *cu_sortkey(const char *title, const char *lang, bool strip_articles)
{
    size_t len = title ? strnlen(title, CU_SORTKEY_INPUT_MAX) : 0;
    cu_buf folded = CU_BUF_INIT, key = CU_BUF_INIT;
    cu_fold_append(&folded, title ? title : "", len);
    const char *s = cu_buf_str(&folded);
    for (;;) { /* leading punctuation: "...And Justice", "¿Qué" */
        size_t n = wide_punct(s);
        if (n)
            s += n;
        else if (*s && !is_word_byte((unsigned char)*s))
            s++;
        else
            break;
    }
    if (strip_articles)
        s += article_at(s, articles_of(lang));
    bool space = false;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (c >= '0' && c <= '9') {
            const char *start = s;
            while (*start == '0' && start[1] >= '0' && start[1] <= '9')
                start++;
            const char *end = start;
            while (*end >= '0' && *end <= '9')
                end++;
            if (space)
                cu_buf_putc(&key, ' ');
            space = false;
            for (size_t pad = (size_t)(end - start); pad < CU_SORTKEY_DIGITS; pad++)
                cu_buf_putc(&key, '0');
            cu_buf_append(&key, start, (size_t)(end - start));
            s = end;
        } else if (c == '\'' && key.len && !space && is_word_byte((unsigned char)s[1])) {
            s++; /* inside a word: "cartographer's" shelves as "cartographers" */
        } else if (wide_punct(s)) {
            space = key.len > 0;
            s += wide_punct(s);
        } else if (is_word_byte(c)) {
            if (space)
                cu_buf_putc(&key, ' ');
            space = false;
            cu_buf_putc(&key, (char)c);
            s++;
        } else {
            space = key.len > 0;
            s++;
        }
    }
    cu_buf_free(&folded);
    return cu_buf_take(&key);
}

const char *cu_sortkey_country_lang(const char *country)
{
    static const struct {
        const char *code, *name, *lang;
    } countries[] = {
        {"ES", "Spain", "es"},         {"MX", "Mexico", "es"},         {"AR", "Argentina", "es"},
        {"CL", "Chile", "es"},         {"CO", "Colombia", "es"},       {"CU", "Cuba", "es"},
        {"PE", "Peru", "es"},          {"UY", "Uruguay", "es"},        {"FR", "France", "fr"},
        {"DE", "Germany", "de"},       {"AT", "Austria", "de"},        {"IT", "Italy", "it"},
        {"PT", "Portugal", "pt"},      {"BR", "Brazil", "pt"},         {"NL", "Netherlands", "nl"},
        {"US", "United States", "en"}, {"GB", "United Kingdom", "en"}, {"IE", "Ireland", "en"},
        {"AU", "Australia", "en"},     {"NZ", "New Zealand", "en"},    {"CA", "Canada", "en"},
    };
    if (!country)
        return NULL;
    for (size_t i = 0; i < sizeof countries / sizeof *countries; i++)
        if (!strcasecmp(country, countries[i].code) || !strcasecmp(country, countries[i].name))
            return countries[i].lang;
    return NULL;
}
