/* cl_name: what a file or folder name says about a film. Pure string work
 * on hostile input: bounded, never reads past the string, never fails. */
#ifndef CL_NAME_H
#define CL_NAME_H

#include <stdbool.h>

#define CL_NAME_MAX 512

typedef struct cl_name {
    char title[CL_NAME_MAX];  /* cleaned title, "" if nothing is left */
    int year;                 /* 1870..2100, or 0 when none */
    char tmdb_id[32];         /* digits from [tmdbid-N] or {tmdb-N}, else "" */
    char imdb_id[32];         /* "tt..." from [imdbid-tt..] or {imdb-tt..}, else "" */
} cl_name;

/* Parses a name without its extension: a folder name or a file stem.
 * "Blade.Runner.2049.2017.2160p.UHD.BluRay.x265-GROUP" gives title
 * "Blade Runner 2049", year 2017; "1917 (2019)" gives "1917", 2019;
 * "Amélie (2001) [imdbid-tt0211915]" gives "Amélie", 2001, imdb tt0211915.
 * Release tags (resolution, source, codec, audio, group, edition words) are
 * stripped; Unicode is kept exactly. */
void cl_name_parse(const char *stem, cl_name *out);

/* Multi-part detection: when stem ends with a part token (cd1, cd 2, part1,
 * pt2, disc1, dvd1, preceded by space, '-', '.' or '_'), stores the part
 * number in *part, the stem without the token (and its separators) in base
 * (size basesize) and returns true. */
bool cl_name_part(const char *stem, int *part, char *base, int basesize);

/* Version detection inside a film folder: when stem is "<folder> - <label>"
 * (the folder name compared exactly, also with '.' or '_' variants of the
 * separator), copies the label into label and returns true. */
bool cl_name_version(const char *folder, const char *stem, char *label, int labelsize);

/* Video files by extension (case-insensitive): mkv mp4 m4v avi mov webm ts
 * m2ts mts wmv mpg mpeg ogv flv. */
bool cl_name_is_video(const char *filename);

/* Folders never to descend into: hidden ones, @eaDir, #recycle, .Trash-*,
 * lost+found. Hidden files are skipped by cl_name_is_hidden. */
bool cl_name_is_ignored_dir(const char *dirname);
bool cl_name_is_hidden(const char *name);

#endif
