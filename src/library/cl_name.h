/* cl_name: what a file or folder name says about a film. Pure string work
 * on hostile input: bounded, never reads past the string, never fails. */
#ifndef CL_NAME_H
#define CL_NAME_H

#include <stdbool.h>
#include <stddef.h>

#define CL_NAME_MAX 512

typedef struct cl_name {
    char title[CL_NAME_MAX]; /* cleaned title, "" if nothing is left */
    int year;                /* CU_YEAR_MIN..CU_YEAR_NAME_MAX, or 0 when none */
    char tmdb_id[32];        /* digits from [tmdbid-N] or {tmdb-N}, else "" */
    char imdb_id[32];        /* "tt..." from [imdbid-tt..] or {imdb-tt..}, else "" */
} cl_name;

/* Parses a name without its extension: a folder name or a file stem.
 * "Blade.Runner.2049.2017.2160p.UHD.BluRay.x265-GROUP" gives title
 * "Blade Runner 2049", year 2017; "1917 (2019)" gives "1917", 2019;
 * "Amélie (2001) [imdbid-tt0211915]" gives "Amélie", 2001, imdb tt0211915.
 * Release tags (resolution, source, codec, audio, group, edition words) and
 * [bracketed junk] are stripped; Unicode is kept exactly, invalid UTF-8
 * becomes U+FFFD. The year is the last plausible one before the first
 * release tag, and never the first word: "1917" alone is a title, year 0.
 * Dots are word separators when they outnumber spaces ("The.Matrix.1999"),
 * otherwise kept ("Mr. Nobody (2009)"); underscores always separate.
 * Looks at most 4 * CL_NAME_MAX bytes of stem. */
void cl_name_parse(const char *stem, cl_name *out);

/* Multi-part detection: when stem ends with a part token (cd1, cd 2, part1,
 * pt2, disc1, disk1, dvd1, also "part.2"; 1..99, case-insensitive, preceded
 * by space, '-', '.' or '_'), stores the part number in *part, the stem
 * without the token (and its separators) in base (size basesize) and returns
 * true. Returns false when the base would be empty or does not fit whole.
 * Only the last token counts, so "Harry Potter Part 2" does match (base
 * "Harry Potter"): callers must treat a file as a part only when a sibling
 * has the same base. */
bool cl_name_part(const char *stem, int *part, char *base, int basesize);

/* Version detection inside a film folder: when stem is "<folder> - <label>"
 * (the folder name compared exactly, also with '.' or '_' variants of the
 * separator), copies the label into label and returns true. In the '.' and
 * '_' variants those characters become spaces in the label. A label that is
 * only a part token ("cd1", "Part 2") is not a version: false. The label is
 * made display-safe like cl_name_copy_display and cut if it does not fit. */
bool cl_name_version(const char *folder, const char *stem, char *label, int labelsize);

/* Video files by extension (case-insensitive): mkv mp4 m4v avi mov webm ts
 * m2ts mts wmv mpg mpeg ogv flv. */
bool cl_name_is_video(const char *filename);

/* Folders never to descend into (case-sensitive): hidden ones (so also
 * .Trash-*), @eaDir, #recycle, #snapshot, @Recycle, lost+found,
 * $RECYCLE.BIN, System Volume Information. Hidden files are skipped by
 * cl_name_is_hidden (a leading dot). */
bool cl_name_is_ignored_dir(const char *dirname);
bool cl_name_is_hidden(const char *name);

/* Copies len bytes of src into dst (size dstsize, always terminated) for
 * display: invalid UTF-8 becomes U+FFFD, control characters become spaces,
 * and a code point that does not fit whole is dropped with all after it.
 * Returns the length written. */
size_t cl_name_copy_display(char *dst, size_t dstsize, const char *src, size_t len);

#endif
