/* cc_subtitle: sidecar subtitle files found beside a video file by the
 * scanner (Film.en.srt, Film.es.forced.ass), with what their names say.
 * Subtitles inside a file are its streams (cc_stream). */
#ifndef CC_SUBTITLE_H
#define CC_SUBTITLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_subtitle {
    int64_t id;
    int64_t file_id;   /* the video file it belongs to */
    char *path;        /* absolute, as found under the file's root */
    char format[8];    /* srt ass ssa vtt sup sub */
    char language[16]; /* "" when the name says none */
    bool is_forced, is_hearing_impaired, is_default;
    int64_t size, mtime_ns;
} cc_subtitle;

/* Replaces file_id's sidecars with these (count 0: none any more). */
int cc_subtitle_replace(cc_db *db, int64_t file_id, const cc_subtitle *subs, size_t count,
                        cu_err *err);
/* file_id's sidecars by path; free with cc_subtitle_list_free. */
int cc_subtitle_list(cc_db *db, int64_t file_id, cc_subtitle **out, size_t *count, cu_err *err);
void cc_subtitle_list_free(cc_subtitle *subs, size_t count);

#endif
