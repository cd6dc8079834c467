/* cl_sidecar: what a sidecar subtitle's name says about it. The scanner
 * finds them beside each video file and stores them in the catalog
 * (cc_subtitle); nothing else lists a folder for them. Bounded: names are
 * file names (at most NAME_MAX), no allocation. */
#ifndef CL_SIDECAR_H
#define CL_SIDECAR_H

#include <stdbool.h>

typedef struct cl_sidecar_info {
    char language[16]; /* "es", "eng", "pt-br"; "" when the name has none */
    char format[8];    /* "srt", "ass", "ssa", "vtt", "sup", "sub" */
    bool is_forced, is_default, is_sdh;
} cl_sidecar_info;

/* "Film.es.forced.srt" next to "Film.mkv": true, with what the name says.
 * False when sub_name is not a subtitle of that film ("Film 2.en.srt",
 * "Other.en.srt", "Film.en.txt"). Either may be a path; only the last
 * component counts. */
bool cl_sidecar_parse(const char *video_name, const char *sub_name, cl_sidecar_info *out);

#endif
