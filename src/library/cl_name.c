/* cl_name: film title, year, ID hints, parts and versions from file and
 * folder names. Input is hostile: every function looks at a bounded prefix
 * of its string, writes only within the sizes it was given, and replaces
 * invalid UTF-8 by U+FFFD in what it hands back for display. */
#include "library/cl_name.h"
#include "util/cu_str.h"
#include "util/cu_year.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* How much of a stem we look at. Real names are far shorter; anything past
 * this is ignored rather than failing. */
#define NAME_INPUT_MAX (4 * CL_NAME_MAX)
/* Words and bracket groups per name. Every unit but the last takes at
 * least two bytes with what follows it, so this is never reached; the
 * split still stops there. */
#define NAME_UNITS_MAX (NAME_INPUT_MAX / 2 + 2)
#define YEAR_MIN CU_YEAR_MIN
#define YEAR_MAX CU_YEAR_NAME_MAX

/* ---- small helpers ------------------------------------------------------ */

/* strnlen bounded to limit, backed off so no UTF-8 sequence is cut. */
static size_t bounded_len(const char *s, size_t limit)
{
    size_t len = strnlen(s, limit);
    if (len == limit)
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    return len;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ascii_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

size_t cl_name_copy_display(char *dst, size_t dstsize, const char *src, size_t len)
{
    if (dstsize == 0)
        return 0;
    size_t o = 0;
    const char *p = src, *end = src + len;
    while (p < end) {
        const char *start = p;
        int32_t cp = cu_utf8_next(&p, end);
        char enc[4];
        size_t n;
        if (cp < 0) {
            n = cu_utf8_put(enc, 0xFFFD);
        } else if (cp < 0x20 || cp == 0x7F) {
            enc[0] = ' ';
            n = 1;
        } else {
            n = (size_t)(p - start);
            memcpy(enc, start, n);
        }
        if (o + n >= dstsize)
            break;
        memcpy(dst + o, enc, n);
        o += n;
    }
    dst[o] = '\0';
    return o;
}

/* Case-insensitive comparison of a counted string with a C string. */
static bool eq_ci(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

static bool in_list_ci(const char *s, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (eq_ci(s, len, list[i]))
            return true;
    return false;
}

/* ---- release tags ------------------------------------------------------- */

/* Strong tags never start a real title word, so the title cannot go past
 * them. Compared case-insensitively. */
/* clang-format off */
static const char *const strong_tags[] = {
    /* resolution */
    "4k", "8k", "uhd", "fhd", "qhd",
    /* source */
    "bluray", "blu-ray", "bdrip", "brrip", "bdremux", "bd25", "bd50", "remux",
    "web-dl", "webdl", "webrip", "web-rip", "hdtv", "pdtv", "dvdrip", "dvdscr",
    "dvd5", "dvd9", "hdrip", "hdcam", "telesync", "amzn", "dsnp", "hmax",
    /* codec and video */
    "x264", "x265", "h264", "h265", "h.264", "h.265", "hevc", "avc", "xvid",
    "divx", "av1", "vp9", "8bit", "10bit", "12bit", "hi10p", "hdr10",
    "hdr10+", "dolbyvision",
    /* audio */
    "dts", "dts-hd", "dtshd", "dts-x", "dts-ma", "dts-es", "ac3", "eac3",
    "dd5.1", "dd7.1", "dd2.0", "ddp5.1", "ddp7.1", "ddp2.0", "dd+", "ddp",
    "aac", "aac2.0", "aac5.1", "truehd", "flac", "mp3", "lpcm",
    NULL,
};
/* clang-format on */

/* Weak tags are also ordinary words ("Limited", "Proper", "Uncut"), so they
 * only end a title when they sit right before the year or a strong tag. */
/* clang-format off */
static const char *const weak_tags[] = {
    "remastered", "extended", "unrated", "uncut", "proper", "repack",
    "rerip", "limited", "imax", "theatrical", "criterion", "internal",
    "dubbed", "subbed", "multi", "dc", "hdr", "dv", "dovi", "sdr", "atmos",
    "restored", "hybrid", NULL,
};
/* clang-format on */

/* Words that make an edition when followed by "Cut". */
/* clang-format off */
static const char *const cut_prefixes[] = {
    "directors", "director's", "extended", "theatrical", "final", "ultimate",
    "special", "producers", "producer's", NULL,
};
/* clang-format on */

/* 480p, 720p, 1080p, 2160p, 1080i, 576p... */
static bool is_resolution(const char *s, size_t len)
{
    if (len < 4 || len > 5)
        return false;
    for (size_t i = 0; i + 1 < len; i++)
        if (!is_digit(s[i]))
            return false;
    char last = s[len - 1];
    return last == 'p' || last == 'P' || last == 'i' || last == 'I';
}

static bool is_strong_word(const char *s, size_t len)
{
    return is_resolution(s, len) || in_list_ci(s, len, strong_tags);
}

/* A strong tag, also when glued to a release group or a second tag by a
 * hyphen: "x264-GROUP", "WEB-DL-GROUP", "DTS-HD.MA". */
static bool is_strong_tag(const char *s, size_t len)
{
    if (is_strong_word(s, len))
        return true;
    const char *first = memchr(s, '-', len);
    if (!first)
        return false;
    if (is_strong_word(s, (size_t)(first - s)))
        return true;
    size_t last = len;
    while (last > 0 && s[last - 1] != '-')
        last--;
    return last > 1 && is_strong_word(s, last - 1);
}

static bool is_upper_word(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (is_ascii_lower(s[i]))
            return false;
    return true;
}

/* ---- units: words and bracket groups ------------------------------------ */

enum unit_kind { UNIT_WORD, UNIT_PAREN, UNIT_SQUARE, UNIT_CURLY };

/* Small, since a name may have a thousand of them on the stack. */
typedef struct unit {
    uint16_t start, len; /* in the work buffer; groups include brackets */
    int16_t year;        /* the year this unit is, or 0 */
    uint8_t kind;        /* enum unit_kind */
    bool strong;         /* a strong release tag (or a group of them) */
    bool removed;        /* never part of a title (ID hints, [junk]) */
} unit;
_Static_assert(NAME_INPUT_MAX <= UINT16_MAX, "unit offsets are 16-bit");

static char closer_of(char c)
{
    return c == '(' ? ')' : c == '[' ? ']' : c == '{' ? '}' : 0;
}

/* The index of the bracket closing the group opened at s[i], or 0 if the
 * opener is unmatched (groups do not nest). */
static size_t group_end(const char *s, size_t len, size_t i)
{
    const char *close = memchr(s + i + 1, closer_of(s[i]), len - i - 1);
    return close ? (size_t)(close - s) : 0;
}

static bool is_bracket(char c)
{
    return strchr("()[]{}", c) != NULL && c != '\0';
}

/* Dots are word separators in scene names ("The.Matrix.1999") but part of
 * a word in ordinary ones ("Mr. Nobody (2009)"). Counted outside brackets
 * so "[YTS.MX]" does not vote. */
static bool dots_separate(const char *s, size_t len)
{
    size_t dots = 0, spaces = 0;
    for (size_t i = 0; i < len; i++) {
        if (closer_of(s[i])) {
            size_t e = group_end(s, len, i);
            if (e) {
                i = e;
                continue;
            }
        }
        if (s[i] == '.')
            dots++;
        else if (s[i] == ' ')
            spaces++;
    }
    return dots > spaces;
}

static bool is_separator(char c, bool dotmode)
{
    return c == ' ' || c == '_' || (dotmode && c == '.');
}

/* 4 ASCII digits making a year in range; returns it or 0. */
static int year_of(const char *s, size_t len)
{
    if (len != 4)
        return 0;
    int y = 0;
    for (size_t i = 0; i < 4; i++) {
        if (!is_digit(s[i]))
            return 0;
        y = y * 10 + (s[i] - '0');
    }
    return y >= YEAR_MIN && y <= YEAR_MAX ? y : 0;
}

/* Copies a run of at most max digits (after an optional prefix) into dst
 * (size dstsize) when s[0..len) is exactly prefix + digits. */
static bool take_digits(const char *s, size_t len, const char *prefix, char *dst, size_t dstsize)
{
    size_t plen = strlen(prefix);
    if (len <= plen || len >= dstsize || strncasecmp(s, prefix, plen) != 0)
        return false;
    for (size_t i = plen; i < len; i++)
        if (!is_digit(s[i]))
            return false;
    memcpy(dst, prefix, plen);
    memcpy(dst + plen, s + plen, len - plen);
    dst[len] = '\0';
    return true;
}

/* ID hints inside a bracket group: tmdbid-N, tmdb-N, imdbid-ttN, imdb-ttN
 * ('=' also accepted as the separator). The first hint of each kind wins. */
static bool parse_id_hint(const char *s, size_t len, cl_name *out)
{
    static const char *const keys[] = {"tmdbid", "tmdb", "imdbid", "imdb"};
    for (size_t k = 0; k < 4; k++) {
        size_t klen = strlen(keys[k]);
        if (len <= klen + 1 || strncasecmp(s, keys[k], klen) != 0)
            continue;
        if (s[klen] != '-' && s[klen] != '=')
            continue;
        const char *v = s + klen + 1;
        size_t vlen = len - klen - 1;
        char id[sizeof out->tmdb_id];
        if (k < 2) {
            if (!take_digits(v, vlen, "", id, sizeof id))
                return false;
            if (!out->tmdb_id[0])
                memcpy(out->tmdb_id, id, strlen(id) + 1);
        } else {
            if (!take_digits(v, vlen, "tt", id, sizeof id))
                return false;
            if (!out->imdb_id[0])
                memcpy(out->imdb_id, id, strlen(id) + 1);
        }
        return true;
    }
    return false;
}

/* The first word of a group's content, for "(1080p BluRay)". */
static size_t first_word_len(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] != ' ' && s[i] != '.' && s[i] != '_' && s[i] != ',')
        i++;
    return i;
}

static void classify_group(const char *s, unit *u, cl_name *out)
{
    const char *in = s + u->start + 1;
    size_t inlen = u->len - 2;
    while (inlen > 0 && *in == ' ')
        in++, inlen--;
    while (inlen > 0 && in[inlen - 1] == ' ')
        inlen--;
    u->year = (int16_t)year_of(in, inlen);
    if (u->year)
        return;
    if (parse_id_hint(in, inlen, out)) {
        u->removed = true;
        return;
    }
    /* Square and curly groups are release junk ("[YTS.MX]", "{edition}");
     * parentheses may belong to a title ("Léon (The Professional)"). */
    if (u->kind != UNIT_PAREN) {
        u->removed = true;
        return;
    }
    u->strong = is_strong_tag(in, first_word_len(in, inlen));
}

static void classify_word(const char *s, unit *u, bool dotmode)
{
    const char *w = s + u->start;
    u->year = (int16_t)year_of(w, u->len);
    /* "Title.2019-GROUP": a scene year glued to the release group. */
    if (!u->year && dotmode && u->len > 5 && w[4] == '-')
        u->year = (int16_t)year_of(w, 4);
    if (!u->year)
        u->strong = is_strong_tag(w, u->len);
}

/* Splits s into words and bracket groups. Returns the unit count. */
static size_t split_units(const char *s, size_t len, bool dotmode, unit *units, cl_name *out)
{
    size_t n = 0;
    size_t i = 0;
    while (i < len && n < NAME_UNITS_MAX) {
        char c = s[i];
        if (closer_of(c)) {
            size_t e = group_end(s, len, i);
            if (e) {
                unit *u = &units[n++];
                *u = (unit){.start = (uint16_t)i,
                            .len = (uint16_t)(e - i + 1),
                            .kind = c == '('   ? UNIT_PAREN
                                    : c == '[' ? UNIT_SQUARE
                                               : UNIT_CURLY};
                classify_group(s, u, out);
                i = e + 1;
                continue;
            }
        }
        if (is_bracket(c) || is_separator(c, dotmode)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && !is_bracket(s[i]) && !is_separator(s[i], dotmode))
            i++;
        unit *u = &units[n++];
        *u = (unit){.start = (uint16_t)start, .len = (uint16_t)(i - start), .kind = UNIT_WORD};
        classify_word(s, u, dotmode);
    }
    return n;
}

/* True when the word units[k] is a weak tag; "Cut" counts with its prefix
 * ("Directors Cut"), and *span tells how many units the tag covers. */
static bool is_weak_at(const char *s, const unit *units, size_t k, bool need_upper, size_t *span)
{
    const unit *u = &units[k];
    if (u->kind != UNIT_WORD || u->removed)
        return false;
    const char *w = s + u->start;
    if (need_upper && !is_upper_word(w, u->len))
        return false;
    *span = 1;
    if (in_list_ci(w, u->len, weak_tags))
        return true;
    if (eq_ci(w, u->len, "cut") && k > 0 && units[k - 1].kind == UNIT_WORD) {
        const unit *p = &units[k - 1];
        if (in_list_ci(s + p->start, p->len, cut_prefixes)) {
            *span = 2;
            return true;
        }
    }
    return false;
}

/* Appends src (len bytes) to dst of size dstsize at *o, dropping what does
 * not fit. */
static void append(char *dst, size_t dstsize, size_t *o, const char *src, size_t len)
{
    if (*o >= dstsize - 1)
        return;
    if (len > dstsize - 1 - *o)
        len = dstsize - 1 - *o;
    memcpy(dst + *o, src, len);
    *o += len;
    dst[*o] = '\0';
}

static bool is_single_letter(const char *s, const unit *u)
{
    return u->kind == UNIT_WORD && u->len == 1 && is_ascii_alpha(s[u->start]);
}

/* Joins the kept units before end with single spaces. In scene names a run
 * of single letters is an acronym and keeps its dots ("S.W.A.T."). */
static size_t join_title(const char *s, const unit *units, size_t end, bool dotmode, char *dst,
                         size_t dstsize)
{
    size_t o = 0;
    dst[0] = '\0';
    for (size_t k = 0; k < end; k++) {
        const unit *u = &units[k];
        if (u->removed)
            continue;
        if (o > 0)
            append(dst, dstsize, &o, " ", 1);
        if (dotmode && is_single_letter(s, u) && k + 1 < end &&
            is_single_letter(s, &units[k + 1])) {
            while (k < end && is_single_letter(s, &units[k])) {
                append(dst, dstsize, &o, s + units[k].start, 1);
                append(dst, dstsize, &o, ".", 1);
                k++;
            }
            k--;
            continue;
        }
        append(dst, dstsize, &o, s + u->start, u->len);
    }
    return o;
}

static bool is_title_edge_junk(char c)
{
    return c == ' ' || c == '-' || c == '_' || c == ',' || c == ':' || c == ';';
}

void cl_name_parse(const char *stem, cl_name *out)
{
    memset(out, 0, sizeof *out);
    if (!stem)
        return;

    char work[NAME_INPUT_MAX + 1];
    size_t len = bounded_len(stem, NAME_INPUT_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)stem[i];
        work[i] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
    }
    work[len] = '\0';

    bool dotmode = dots_separate(work, len);
    unit units[NAME_UNITS_MAX];
    size_t n = split_units(work, len, dotmode, units, out);

    /* A unit only ends the title when something is kept before it: a name
     * that starts with "1917" or "4K" is a title, not a year or a tag. */
    size_t first_kept = n;
    for (size_t k = 0; k < n; k++)
        if (!units[k].removed) {
            first_kept = k;
            break;
        }

    size_t first_strong = n;
    for (size_t k = first_kept + 1; k < n; k++)
        if (units[k].strong) {
            first_strong = k;
            break;
        }

    /* The year is the last plausible one before the tags: "Blade Runner
     * 2049 2017 2160p" is Blade Runner 2049 from 2017. */
    size_t year_at = n;
    for (size_t k = first_kept + 1; k < first_strong; k++)
        if (units[k].year && !units[k].removed)
            year_at = k;

    size_t end = year_at < n ? year_at : first_strong;
    if (year_at < n)
        out->year = units[year_at].year;

    /* Edition words right before the year or the tags are tags too. Before
     * a year they must be written in capitals as scene names do, since
     * "The Limited (2019)" may be a title. */
    bool need_upper = year_at < n;
    while (end > first_kept + 1) {
        size_t span = 0;
        size_t k = end - 1;
        while (k > first_kept && units[k].removed)
            k--;
        if (!is_weak_at(work, units, k, need_upper, &span) || k + 1 < first_kept + 1 + span)
            break;
        end = k + 1 - span;
    }

    char joined[NAME_INPUT_MAX + NAME_UNITS_MAX + 1];
    size_t jlen = join_title(work, units, end, dotmode, joined, sizeof joined);
    size_t a = 0;
    while (a < jlen && is_title_edge_junk(joined[a]))
        a++;
    while (jlen > a && is_title_edge_junk(joined[jlen - 1]))
        jlen--;
    size_t tlen = cl_name_copy_display(out->title, sizeof out->title, joined + a, jlen - a);
    /* A title cut to fit may end between words. */
    while (tlen > 0 && is_title_edge_junk(out->title[tlen - 1]))
        out->title[--tlen] = '\0';
}

/* ---- parts -------------------------------------------------------------- */

static bool is_part_separator(char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '_';
}

/* When s[0..len) ends with a part token, returns true with the part number
 * and the length of what precedes the token (its separator included).
 * With whole, the token must be all of s ("cd1", "Part 2"). */
static bool match_part(const char *s, size_t len, bool whole, int *part, size_t *before)
{
    static const char *const keys[] = {"part", "disc", "disk", "dvd", "cd", "pt", NULL};
    size_t d = len;
    while (d > 0 && is_digit(s[d - 1]) && len - d < 3)
        d--;
    size_t digits = len - d;
    if (digits == 0 || digits > 2 || (d > 0 && is_digit(s[d - 1])))
        return false;
    int value = 0;
    for (size_t i = d; i < len; i++)
        value = value * 10 + (s[i] - '0');
    if (value < 1)
        return false;
    size_t kend = d;
    if (kend > 0 && is_part_separator(s[kend - 1]))
        kend--;
    for (size_t k = 0; keys[k]; k++) {
        size_t klen = strlen(keys[k]);
        if (kend < klen || strncasecmp(s + kend - klen, keys[k], klen) != 0)
            continue;
        size_t kstart = kend - klen;
        if (whole ? kstart != 0 : (kstart < 2 || !is_part_separator(s[kstart - 1])))
            continue;
        *part = value;
        *before = kstart;
        return true;
    }
    return false;
}

bool cl_name_part(const char *stem, int *part, char *base, int basesize)
{
    if (!stem || basesize <= 0)
        return false;
    size_t len = strnlen(stem, NAME_INPUT_MAX + 1);
    if (len > NAME_INPUT_MAX)
        return false; /* its end is beyond what we look at */
    int value;
    size_t blen;
    if (!match_part(stem, len, false, &value, &blen))
        return false;
    while (blen > 0 && is_part_separator(stem[blen - 1]))
        blen--;
    /* The base is compared with its siblings' bases, so it must be whole. */
    if (blen == 0 || blen >= (size_t)basesize)
        return false;
    memcpy(base, stem, blen);
    base[blen] = '\0';
    if (part)
        *part = value;
    return true;
}

/* ---- versions ----------------------------------------------------------- */

static bool is_version_pad(char c)
{
    return c == ' ' || c == '.' || c == '_';
}

bool cl_name_version(const char *folder, const char *stem, char *label, int labelsize)
{
    if (!folder || !stem || !label || labelsize <= 0)
        return false;
    size_t flen = strnlen(folder, NAME_INPUT_MAX + 1);
    if (flen == 0 || flen > NAME_INPUT_MAX || strncmp(stem, folder, flen) != 0)
        return false;
    const char *p = stem + flen;
    /* " - ", ".-.", "_-_": padding, one hyphen, padding. */
    char pad = *p;
    if (!is_version_pad(pad))
        return false;
    while (is_version_pad(*p))
        p++;
    if (*p != '-')
        return false;
    p++;
    if (!is_version_pad(*p))
        return false;
    while (is_version_pad(*p))
        p++;
    size_t llen = bounded_len(p, NAME_INPUT_MAX);
    while (llen > 0 && is_version_pad(p[llen - 1]))
        llen--;
    if (llen == 0)
        return false;
    /* "Film (2019) - cd1" is a part of the film, not a version of it. */
    int part;
    size_t before;
    if (match_part(p, llen, true, &part, &before))
        return false;
    size_t o = cl_name_copy_display(label, (size_t)labelsize, p, llen);
    if (pad != ' ')
        for (size_t i = 0; i < o; i++)
            if (label[i] == pad)
                label[i] = ' ';
    return o > 0;
}

/* ---- file and folder kinds ---------------------------------------------- */

bool cl_name_is_video(const char *filename)
{
    /* clang-format off */
    static const char *const exts[] = {
        "mkv", "mp4", "m4v", "avi", "mov", "webm", "ts", "m2ts", "mts", "wmv", "mpg", "mpeg",
        "ogv", "flv", NULL,
    };
    /* clang-format on */
    if (!filename)
        return false;
    size_t len = strnlen(filename, NAME_INPUT_MAX + 1);
    if (len > NAME_INPUT_MAX)
        return false;
    const char *dot = memrchr(filename, '.', len);
    if (!dot || dot == filename)
        return false; /* no extension, or a hidden file with no stem */
    return in_list_ci(dot + 1, len - (size_t)(dot + 1 - filename), exts);
}

bool cl_name_is_hidden(const char *name)
{
    return name && name[0] == '.';
}

bool cl_name_is_ignored_dir(const char *dirname)
{
    /* NAS and OS housekeeping folders, compared exactly: Synology @eaDir and
     * #recycle/#snapshot, QNAP @Recycle, ext4 lost+found, Windows recycle
     * bin and system folder. ".Trash-1000" is caught as hidden. */
    /* clang-format off */
    static const char *const names[] = {
        "@eaDir", "#recycle", "#snapshot", "@Recycle", "lost+found", "$RECYCLE.BIN",
        "System Volume Information", NULL,
    };
    /* clang-format on */
    if (!dirname || !dirname[0])
        return false;
    if (cl_name_is_hidden(dirname))
        return true;
    for (size_t i = 0; names[i]; i++)
        if (strcmp(dirname, names[i]) == 0)
            return true;
    return false;
}
