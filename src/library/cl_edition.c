/* cl_edition: editions (cuts), version labels and parts from file and
 * folder names. Works word by word on bounded copies of the name: a label
 * is cut into words, cut phrases are matched first (longest first), and
 * what is left is either all release words (normalised) or kept as the
 * user wrote it. */
#include "library/cl_edition.h"
#include "library/cl_name.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/cu_str.h"
#include "util/cu_year.h"

#define MAX_WORDS 48
#define WORK_MAX (4 * CL_NAME_MAX)

/* ---- words ------------------------------------------------------------ */

typedef struct word {
    const char *s;
    size_t len;
    char norm[32]; /* lowercase ASCII, apostrophes dropped; "" when too long */
    bool used;
} word;

static void normalise(word *w)
{
    size_t o = 0;
    for (size_t i = 0; i < w->len; i++) {
        unsigned char c = (unsigned char)w->s[i];
        if (c == '\'')
            continue;
        /* U+2019 RIGHT SINGLE QUOTATION MARK, the typographic apostrophe */
        if (c == 0xE2 && i + 2 < w->len && (unsigned char)w->s[i + 1] == 0x80 &&
            (unsigned char)w->s[i + 2] == 0x99) {
            i += 2;
            continue;
        }
        if (o + 1 >= sizeof w->norm) {
            w->norm[0] = '\0';
            return;
        }
        w->norm[o++] = (char)tolower(c);
    }
    w->norm[o] = '\0';
}

static bool is_sep(char c, const char *seps)
{
    return strchr(seps, c) != NULL && c != '\0';
}

static size_t split_words(const char *s, size_t len, const char *seps, word *words)
{
    size_t n = 0, i = 0;
    while (i < len && n < MAX_WORDS) {
        while (i < len && is_sep(s[i], seps))
            i++;
        size_t start = i;
        while (i < len && !is_sep(s[i], seps))
            i++;
        if (i > start) {
            words[n] = (word){.s = s + start, .len = i - start};
            normalise(&words[n]);
            n++;
        }
    }
    return n;
}

/* ---- cuts ------------------------------------------------------------- */

typedef struct cut {
    const char *words; /* normalised, space-separated */
    const char *display;
} cut;

/* Longer phrases first: "extended edition" before "extended". */
static const cut cuts[] = {
    {"black and white", "Black and White"},
    {"black & white", "Black and White"},
    {"directors cut", "Director's Cut"},
    {"directors edition", "Director's Edition"},
    {"final cut", "Final Cut"},
    {"extended cut", "Extended Cut"},
    {"extended edition", "Extended Edition"},
    {"extended version", "Extended Version"},
    {"theatrical cut", "Theatrical Cut"},
    {"theatrical edition", "Theatrical Edition"},
    {"theatrical version", "Theatrical Version"},
    {"imax edition", "IMAX Edition"},
    {"special edition", "Special Edition"},
    {"ultimate edition", "Ultimate Edition"},
    {"ultimate cut", "Ultimate Cut"},
    {"collectors edition", "Collector's Edition"},
    {"anniversary edition", "Anniversary Edition"},
    {"producers cut", "Producer's Cut"},
    {"international cut", "International Cut"},
    {"television cut", "Television Cut"},
    {"tv cut", "TV Cut"},
    {"alternate cut", "Alternate Cut"},
    {"rough cut", "Rough Cut"},
    {"extended", "Extended"},
    {"theatrical", "Theatrical"},
    {"unrated", "Unrated"},
    {"uncut", "Uncut"},
    {"redux", "Redux"},
    {"restored", "Restored"},
    {"imax", "IMAX"},
    {"b&w", "Black and White"},
    {"workprint", "Workprint"},
};

/* Length in words of the cut phrase at words[k], its display in *display;
 * 0 when none starts there. */
static size_t cut_at(const word *words, size_t count, size_t k, const char **display)
{
    for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
        const char *p = cuts[c].words;
        size_t n = 0;
        bool match = true;
        while (*p && match) {
            const char *space = strchr(p, ' ');
            size_t wl = space ? (size_t)(space - p) : strlen(p);
            match = k + n < count && !words[k + n].used && strlen(words[k + n].norm) == wl &&
                    !memcmp(words[k + n].norm, p, wl);
            n++;
            p += wl + (space ? 1 : 0);
        }
        if (match) {
            *display = cuts[c].display;
            return n;
        }
    }
    return 0;
}

/* ---- release words ---------------------------------------------------- */

enum { RES, HDR, SOURCE, CODEC, AUDIO, REMASTER, CATEGORIES };

typedef struct release_word {
    const char *norm;
    const char *display;
    int category;
} release_word;

static const release_word release_words[] = {
    {"2160p", "4K", RES},
    {"4k", "4K", RES},
    {"uhd", "4K", RES},
    {"1080p", "1080p", RES},
    {"1080i", "1080i", RES},
    {"720p", "720p", RES},
    {"576p", "576p", RES},
    {"576i", "576i", RES},
    {"480p", "480p", RES},
    {"480i", "480i", RES},
    {"sd", "SD", RES},
    {"hdr", "HDR", HDR},
    {"hdr10", "HDR", HDR},
    {"hdr10+", "HDR10+", HDR},
    {"hdr10plus", "HDR10+", HDR},
    {"dv", "Dolby Vision", HDR},
    {"dovi", "Dolby Vision", HDR},
    {"hlg", "HLG", HDR},
    {"sdr", "SDR", HDR},
    {"remux", "Remux", SOURCE},
    {"bluray", "Blu-ray", SOURCE},
    {"blu-ray", "Blu-ray", SOURCE},
    {"bdrip", "Blu-ray", SOURCE},
    {"brrip", "Blu-ray", SOURCE},
    {"bdremux", "Remux", SOURCE},
    {"web-dl", "WEB", SOURCE},
    {"webdl", "WEB", SOURCE},
    {"webrip", "WEB", SOURCE},
    {"web", "WEB", SOURCE},
    {"dvd", "DVD", SOURCE},
    {"dvdrip", "DVD", SOURCE},
    {"hdtv", "HDTV", SOURCE},
    {"x264", "H.264", CODEC},
    {"h264", "H.264", CODEC},
    {"h.264", "H.264", CODEC},
    {"avc", "H.264", CODEC},
    {"x265", "HEVC", CODEC},
    {"h265", "HEVC", CODEC},
    {"h.265", "HEVC", CODEC},
    {"hevc", "HEVC", CODEC},
    {"av1", "AV1", CODEC},
    {"vc-1", "VC-1", CODEC},
    {"mpeg2", "MPEG-2", CODEC},
    {"dts", "DTS", AUDIO},
    {"dts-hd", "DTS-HD", AUDIO},
    {"truehd", "TrueHD", AUDIO},
    {"atmos", "Atmos", AUDIO},
    {"remastered", "Remastered", REMASTER},
    {"remaster", "Remastered", REMASTER},
};

static const release_word *release_word_of(const char *norm)
{
    for (size_t i = 0; i < sizeof release_words / sizeof *release_words; i++)
        if (!strcmp(norm, release_words[i].norm))
            return &release_words[i];
    return NULL;
}

/* "Dolby Vision" is two words: folded into one recognised word. */
static bool dolby_vision_at(const word *words, size_t count, size_t k)
{
    return k + 1 < count && !strcmp(words[k].norm, "dolby") && !strcmp(words[k + 1].norm, "vision");
}

/* ---- building the result ---------------------------------------------- */

static void append_text(char *dst, size_t dstsize, const char *sep, const char *src, size_t len)
{
    size_t used = strlen(dst);
    char tmp[CL_EDITION_MAX];
    cl_name_copy_display(tmp, sizeof tmp, src, len);
    cu_str_trim(tmp);
    if (!tmp[0])
        return;
    size_t need = (used ? strlen(sep) : 0) + strlen(tmp);
    if (used + need + 1 > dstsize)
        return; /* would not fit whole: left out rather than cut mid-word */
    if (used)
        strcat(dst, sep);
    strcat(dst, tmp);
}

static void set_edition(cl_edition *out, const char *s, size_t len)
{
    if (out->edition[0])
        return;
    append_text(out->edition, sizeof out->edition, "", s, len);
}

/* A part token alone ("Part 1", "cd2", "Disc 3"): its number, else 0. */
static int part_of(const char *s, size_t len)
{
    char buf[64], base[16];
    if (len + 3 > sizeof buf)
        return 0;
    snprintf(buf, sizeof buf, "x %.*s", (int)len, s);
    int part = 0;
    if (cl_name_part(buf, &part, base, sizeof base) && !strcmp(base, "x"))
        return part;
    return 0;
}

/* One label segment ("Director's Cut", "2160p HDR", "Criterion"). In
 * release mode (the dotted tail of a release name) unknown words are junk
 * (a release group) and dropped; in label mode they are the user's words. */
static void read_segment(const char *s, size_t len, bool release_mode, cl_edition *out)
{
    while (len && (s[0] == ' ' || s[0] == '-'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '-'))
        len--;
    if (!len)
        return;
    int part = part_of(s, len);
    if (part) {
        out->part = part;
        return;
    }
    word words[MAX_WORDS];
    size_t count = split_words(s, len, release_mode ? " ._" : " ", words);
    if (!count)
        return;
    /* A label ending in "Cut" or "Edition" is a cut, as written unless
     * it is one of the known phrases ("25th Anniversary Edition",
     * "Alan Smithee Cut"). */
    if (!release_mode && count >= 2 &&
        (!strcmp(words[count - 1].norm, "cut") || !strcmp(words[count - 1].norm, "edition"))) {
        const char *display;
        if (cut_at(words, count, 0, &display) == count)
            set_edition(out, display, strlen(display));
        else
            set_edition(out, s, len);
        return;
    }
    for (size_t k = 0; k < count; k++) {
        const char *display;
        size_t n = cut_at(words, count, k, &display);
        if (n) {
            set_edition(out, display, strlen(display));
            for (size_t j = k; j < k + n; j++)
                words[j].used = true;
            k += n - 1;
        }
    }
    /* What is left: all release words, or the user's own text. */
    const char *found[CATEGORIES][MAX_WORDS];
    size_t found_count[CATEGORIES] = {0};
    bool all_known = true, any_left = false;
    for (size_t k = 0; k < count; k++) {
        if (words[k].used)
            continue;
        any_left = true;
        const char *display = NULL;
        int category = 0;
        if (dolby_vision_at(words, count, k)) {
            display = "Dolby Vision";
            category = HDR;
            words[k + 1].used = true;
        } else {
            const release_word *rw = release_word_of(words[k].norm);
            /* "x264-GROUP": a release group hangs off the last word. */
            char *dash = release_mode && !rw ? strchr(words[k].norm, '-') : NULL;
            if (dash) {
                *dash = '\0';
                rw = release_word_of(words[k].norm);
            }
            if (rw) {
                display = rw->display;
                category = rw->category;
            }
        }
        if (!display) {
            all_known = false;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < found_count[category]; j++)
            dup = dup || !strcmp(found[category][j], display);
        if (!dup)
            found[category][found_count[category]++] = display;
    }
    if (!any_left)
        return;
    if (all_known || release_mode) {
        for (int c = 0; c < CATEGORIES; c++)
            for (size_t j = 0; j < found_count[c]; j++)
                append_text(out->version, sizeof out->version, " ", found[c][j],
                            strlen(found[c][j]));
        return;
    }
    /* The user's words as written, without the cut phrase taken out. */
    char rest[CL_EDITION_MAX] = "";
    for (size_t k = 0; k < count; k++)
        if (!words[k].used)
            append_text(rest, sizeof rest, " ", words[k].s, words[k].len);
    append_text(out->version, sizeof out->version, " ", rest, strlen(rest));
}

/* Splits a label at " - " and reads each segment. */
static void read_label(const char *s, size_t len, cl_edition *out)
{
    size_t start = 0;
    for (size_t i = 0; i + 3 <= len; i++) {
        if (s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == ' ') {
            read_segment(s + start, i - start, false, out);
            start = i + 3;
            i += 2;
        }
    }
    read_segment(s + start, len - start, false, out);
}

/* Removes the first "{edition-X}" from s (in place), copying X to edition.
 * Returns whether one was found. */
static bool take_edition_tag(char *s, char *edition, size_t editionsize)
{
    for (char *p = s; (p = strchr(p, '{')) != NULL; p++) {
        if (strncasecmp(p + 1, "edition-", 8))
            continue;
        char *close = strchr(p + 9, '}');
        if (!close)
            return false;
        if (!edition[0]) {
            cl_name_copy_display(edition, editionsize, p + 9, (size_t)(close - (p + 9)));
            cu_str_trim(edition);
        }
        memmove(p, close + 1, strlen(close + 1) + 1);
        /* "Film (2001) {edition-X} - 4K" leaves a double space behind. */
        for (char *q = s; (q = strstr(q, "  ")) != NULL;)
            memmove(q, q + 1, strlen(q + 1) + 1);
        cu_str_trim(s);
        return true;
    }
    return false;
}

static bool is_year_at(const char *s, size_t len, size_t i)
{
    if (i + 4 > len)
        return false;
    for (int k = 0; k < 4; k++)
        if (s[i + k] < '0' || s[i + k] > '9')
            return false;
    int year =
        (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    return year >= CU_YEAR_MIN && year <= CU_YEAR_NAME_MAX;
}

/* Where the film's name ends in a stem that does not start with its
 * folder's: after "(YYYY)", or after a year word of a dotted release name
 * (never the first word). Returns len when there is no year. */
static size_t after_year(const char *s, size_t len)
{
    for (size_t i = 0; i + 6 <= len; i++)
        if (s[i] == '(' && is_year_at(s, len, i + 1) && s[i + 5] == ')')
            return i + 6;
    size_t found = len;
    for (size_t i = 1; i + 4 <= len; i++) {
        bool before = s[i - 1] == '.' || s[i - 1] == ' ' || s[i - 1] == '_';
        bool after = i + 4 == len || s[i + 4] == '.' || s[i + 4] == ' ' || s[i + 4] == '_';
        if (before && after && is_year_at(s, len, i))
            found = i + 4; /* the last one: "2001.A.Space.Odyssey.1968" */
    }
    return found;
}

void cl_edition_from_name(const char *folder, const char *stem, cl_edition *out)
{
    memset(out, 0, sizeof *out);
    if (!stem)
        return;
    char work[WORK_MAX], dir[WORK_MAX] = "";
    cu_strlcpy(work, stem, sizeof work);
    if (folder)
        cu_strlcpy(dir, folder, sizeof dir);
    take_edition_tag(work, out->edition, sizeof out->edition);
    take_edition_tag(dir, out->edition, sizeof out->edition);

    size_t len = strlen(work), dirlen = strlen(dir);
    /* "<folder> - <label>", as cl_name_version reads it. */
    if (dirlen && len > dirlen && !strncmp(work, dir, dirlen)) {
        const char *rest = work + dirlen;
        if (!strncmp(rest, " - ", 3)) {
            read_label(rest + 3, strlen(rest + 3), out);
            return;
        }
        if ((rest[0] == '.' || rest[0] == '_' || rest[0] == ' ') && rest[1]) {
            read_segment(rest + 1, strlen(rest + 1), true, out);
            return;
        }
    }
    if (dirlen && len == dirlen && !strcmp(work, dir))
        return;
    size_t end = after_year(work, len);
    if (end < len) {
        const char *rest = work + end;
        while (*rest == ' ')
            rest++;
        if (!strncmp(rest, "- ", 2))
            read_label(rest + 2, strlen(rest + 2), out);
        else
            read_segment(rest, strlen(rest), true, out);
        return;
    }
    /* No year: only trailing " - " segments that are plainly labels (a
     * cut, a part, release words) count; "Mission: Impossible - Fallout"
     * keeps its subtitle. */
    for (;;) {
        char *dash = NULL;
        for (char *p = work; (p = strstr(p, " - ")) != NULL; p++)
            dash = p;
        if (!dash)
            return;
        cl_edition probe = {0};
        read_segment(dash + 3, strlen(dash + 3), false, &probe);
        word words[MAX_WORDS];
        size_t count = split_words(dash + 3, strlen(dash + 3), " ", words);
        bool all_release = count > 0;
        for (size_t k = 0; k < count; k++)
            all_release = all_release &&
                          (release_word_of(words[k].norm) || dolby_vision_at(words, count, k) ||
                           (k > 0 && dolby_vision_at(words, count, k - 1)));
        if (!(probe.part || probe.edition[0] || all_release))
            return;
        read_segment(dash + 3, strlen(dash + 3), false, out);
        *dash = '\0';
    }
}

void cl_edition_from_label(const char *label, cl_edition *out)
{
    memset(out, 0, sizeof *out);
    if (!label)
        return;
    char work[WORK_MAX];
    cu_strlcpy(work, label, sizeof work);
    take_edition_tag(work, out->edition, sizeof out->edition);
    read_label(work, strlen(work), out);
}

bool cl_edition_names_cut(const char *text)
{
    cl_edition e;
    cl_edition_from_label(text, &e);
    return e.edition[0] != '\0';
}

size_t cl_edition_display(const cl_edition *e, char *out, size_t outsize)
{
    if (!outsize)
        return 0;
    int n;
    if (e->edition[0] && e->version[0])
        n = snprintf(out, outsize, "%s \xc2\xb7 %s", e->edition, e->version);
    else
        n = snprintf(out, outsize, "%s", e->edition[0] ? e->edition : e->version);
    if (n < 0)
        n = 0;
    return (size_t)n < outsize ? (size_t)n : outsize - 1;
}
