/* cl_extras: which files beside a film are special features, and of what
 * kind, by the folder they sit in or by a suffix on their name. Pure string
 * work on hostile names, bounded like cl_name. */
#include "library/cl_extras.h"
#include "library/cl_name.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* Longer stems are ignored past this many bytes. */
#define EXTRAS_INPUT_MAX (4 * CL_NAME_MAX)
/* Longest folder name that can be an extras folder, once normalised. */
#define FOLDER_KEY_MAX 32

typedef struct extra_word {
    const char *word;
    const char *type;
} extra_word;

/* Folder names, lowercased with spaces, '_', '.' and '-' removed, so
 * "Behind The Scenes", "behind_the_scenes" and "Behind.the.Scenes" agree.
 * Singular forms are accepted too. */
static const extra_word folder_words[] = {
    {"trailers", "trailer"},
    {"trailer", "trailer"},
    {"featurettes", "featurette"},
    {"featurette", "featurette"},
    {"interviews", "interview"},
    {"interview", "interview"},
    {"behindthescenes", "behind_the_scenes"},
    {"deletedscenes", "deleted_scene"},
    {"deletedscene", "deleted_scene"},
    {"scenes", "scene"},
    {"scene", "scene"},
    {"clips", "clip"},
    {"clip", "clip"},
    {"shorts", "short"},
    {"short", "short"},
    {"samples", "sample"},
    {"sample", "sample"},
    {"extras", "other"},
    {"extra", "other"},
    {"other", "other"},
    {"others", "other"},
    {NULL, NULL},
};

/* File stem suffixes, after a '-', '.', '_' or space. */
static const extra_word suffix_words[] = {
    {"trailer", "trailer"},
    {"featurette", "featurette"},
    {"interview", "interview"},
    {"behindthescenes", "behind_the_scenes"},
    {"deleted", "deleted_scene"},
    {"deletedscene", "deleted_scene"},
    {"scene", "scene"},
    {"clip", "clip"},
    {"short", "short"},
    {"sample", "sample"},
    {"other", "other"},
    {"extra", "other"},
    {NULL, NULL},
};

/* The vocabulary, with the words a person reads. */
static const extra_word types[] = {
    {"trailer", "Trailer"},
    {"featurette", "Featurette"},
    {"interview", "Interview"},
    {"behind_the_scenes", "Behind the scenes"},
    {"deleted_scene", "Deleted scene"},
    {"scene", "Scene"},
    {"clip", "Clip"},
    {"short", "Short"},
    {"sample", "Sample"},
    {"other", "Extra"},
    {NULL, NULL},
};

static bool is_suffix_separator(char c)
{
    return c == '-' || c == '.' || c == '_' || c == ' ';
}

const char *cl_extras_folder_type(const char *dirname)
{
    if (!dirname)
        return NULL;
    char key[FOLDER_KEY_MAX + 1];
    size_t k = 0;
    /* Stops at the first byte that cannot belong to a known name, so a long
     * or binary name is rejected after at most a few dozen bytes. */
    for (const char *p = dirname; *p; p++) {
        char c = *p;
        if (is_suffix_separator(c))
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z' || k == FOLDER_KEY_MAX)
            return NULL;
        key[k++] = c;
    }
    key[k] = '\0';
    for (size_t i = 0; folder_words[i].word; i++)
        if (strcmp(key, folder_words[i].word) == 0)
            return folder_words[i].type;
    return NULL;
}

/* Copies the first len bytes of src into dst (size dstsize), cut back to a
 * UTF-8 boundary when it does not fit. */
static void copy_base(char *dst, size_t dstsize, const char *src, size_t len)
{
    if (len >= dstsize) {
        len = dstsize - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Finds the suffix type of s[0..len); *baselen gets the length of the stem
 * before the suffix, trailing separators trimmed. */
static const char *suffix_type(const char *s, size_t len, size_t *baselen)
{
    if (len == 7 && strncasecmp(s, "trailer", 7) == 0) {
        *baselen = 0;
        return "trailer";
    }
    if (len == 6 && strncasecmp(s, "sample", 6) == 0) {
        *baselen = 0;
        return "sample";
    }
    for (size_t i = 0; suffix_words[i].word; i++) {
        size_t wlen = strlen(suffix_words[i].word);
        if (len < wlen + 1 || strncasecmp(s + len - wlen, suffix_words[i].word, wlen) != 0)
            continue;
        size_t sep = len - wlen - 1;
        if (!is_suffix_separator(s[sep]))
            continue;
        while (sep > 0 && is_suffix_separator(s[sep - 1]))
            sep--;
        *baselen = sep;
        return suffix_words[i].type;
    }
    return NULL;
}

const char *cl_extras_suffix_type(const char *stem, char *base, int basesize)
{
    if (!stem)
        return NULL;
    size_t len = strnlen(stem, EXTRAS_INPUT_MAX + 1);
    if (len > EXTRAS_INPUT_MAX)
        return NULL; /* its end is beyond what we look at */
    size_t baselen;
    const char *type = suffix_type(stem, len, &baselen);
    if (type && base && basesize > 0)
        copy_base(base, (size_t)basesize, stem, baselen);
    return type;
}

bool cl_extras_type_valid(const char *type)
{
    if (!type)
        return false;
    for (size_t i = 0; types[i].word; i++)
        if (strcmp(type, types[i].word) == 0)
            return true;
    return false;
}

static const char *type_label(const char *type)
{
    for (size_t i = 0; types[i].word; i++)
        if (strcmp(type, types[i].word) == 0)
            return types[i].type;
    return "Extra";
}

static bool is_title_edge_junk(char c)
{
    return c == ' ' || c == '-' || c == '_' || c == '.';
}

/* Where the words after a leading film name ("Amélie (2001) - ",
 * "Amélie [2001]_") start: after the first "(YYYY)" or "[YYYY]" with a
 * title before it, and the separators that follow. 0 when the stem does
 * not start with a film name. *spaced_dash tells whether the separators
 * held " - ", the way a person sets a title apart. */
static size_t film_name_end(const char *s, size_t len, bool *spaced_dash)
{
    *spaced_dash = false;
    for (size_t i = 1; i + 6 <= len; i++) {
        char open = s[i], close = s[i + 5];
        if (!((open == '(' && close == ')') || (open == '[' && close == ']')))
            continue;
        bool year = true;
        for (size_t k = 1; k <= 4; k++)
            year = year && s[i + k] >= '0' && s[i + k] <= '9';
        if (!year || s[i + 1] < '1' || s[i + 1] > '2')
            continue;
        size_t end = i + 6;
        while (end < len && is_suffix_separator(s[end])) {
            if (s[end] == '-' && end > i + 6 && s[end - 1] == ' ' && end + 1 < len &&
                s[end + 1] == ' ')
                *spaced_dash = true;
            end++;
        }
        return end < len ? end : 0;
    }
    return 0;
}

void cl_extras_title(const char *stem, char *title, int titlesize)
{
    if (!title || titlesize <= 0)
        return;
    title[0] = '\0';
    if (!stem)
        return;
    size_t len = strnlen(stem, EXTRAS_INPUT_MAX);
    while (len == EXTRAS_INPUT_MAX && len > 0 && ((unsigned char)stem[len] & 0xC0) == 0x80)
        len--;

    /* "Amélie (2001) - Official Trailer": the film's name says nothing
     * about the extra, and "Trailer" is one of the extra's own words, not
     * a tag ("Official" alone would lose it). A bare "Film (2001)-trailer"
     * keeps the older reading (the name before the tag). */
    bool spaced_dash, keep_words = false;
    size_t skip = film_name_end(stem, len, &spaced_dash);
    if (skip) {
        size_t base;
        const char *rest_type = suffix_type(stem + skip, len - skip, &base);
        if (spaced_dash || !rest_type || base > 0) {
            stem += skip;
            len -= skip;
            /* The type word stays when words come before it with only
             * spaces between ("Official Trailer"), not after a tag's
             * separator ("Official-trailer"). */
            size_t dots = 0, spaces = 0;
            for (size_t i = 0; i < len; i++)
                dots += stem[i] == '.', spaces += stem[i] == ' ';
            char word_gap = dots > spaces ? '.' : ' ';
            bool words = rest_type && base > 0;
            for (size_t k = base; words && k < len && is_suffix_separator(stem[k]); k++)
                words = stem[k] == word_gap;
            keep_words = words || !rest_type;
        }
    }

    const char *type = keep_words ? NULL : suffix_type(stem, len, &len);
    if (type && len == 0) {
        cl_name_copy_display(title, (size_t)titlesize, type_label(type), strlen(type_label(type)));
        return;
    }

    /* Underscores always separate words; dots only when they outnumber
     * spaces ("Making.of.the.film" but "Dr. Mateo interview"). */
    size_t dots = 0, spaces = 0;
    for (size_t i = 0; i < len; i++)
        dots += stem[i] == '.', spaces += stem[i] == ' ';
    bool dotmode = dots > spaces;

    char clean[EXTRAS_INPUT_MAX + 1];
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = stem[i];
        if (c == '_' || (dotmode && c == '.') || (unsigned char)c < 0x20 || c == 0x7F)
            c = ' ';
        if (c == ' ' && (o == 0 || clean[o - 1] == ' '))
            continue;
        clean[o++] = c;
    }
    size_t a = 0;
    while (a < o && is_title_edge_junk(clean[a]))
        a++;
    while (o > a && is_title_edge_junk(clean[o - 1]))
        o--;
    if (o > a) {
        size_t tlen = cl_name_copy_display(title, (size_t)titlesize, clean + a, o - a);
        /* A title cut to fit may end between words. */
        while (tlen > 0 && is_title_edge_junk(title[tlen - 1]))
            title[--tlen] = '\0';
    } else if (type)
        cl_name_copy_display(title, (size_t)titlesize, type_label(type), strlen(type_label(type)));
}
