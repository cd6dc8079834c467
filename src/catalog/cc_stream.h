/* cc_stream: a file's streams (video, audio, subtitle, ...) and chapters,
 * as the scanner's probe described them. Plain structs of the catalog's
 * own: the library fills them from media's probe (cl_facts), so the
 * catalog needs nothing of media or libav*. */
#ifndef CC_STREAM_H
#define CC_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "util/cu_arena.h"

typedef enum {
    CC_STREAM_VIDEO,
    CC_STREAM_AUDIO,
    CC_STREAM_SUBTITLE,
    CC_STREAM_ATTACHMENT,
    CC_STREAM_DATA,
} cc_stream_type;

typedef struct cc_stream {
    int index; /* the stream's index in the container */
    cc_stream_type type;
    char codec[32];   /* libavcodec's short name: "h264", "aac", "subrip" */
    char profile[48]; /* "High", "Main 10", "LC"; "" when unknown */
    /* video */
    int width, height;
    double frame_rate; /* frames per second; 0 when unknown */
    int bit_depth;     /* 8, 10, 12; 0 when unknown */
    char pix_fmt[32];
    char hdr[16];      /* "", "HDR10", "HLG" */
    bool attached_pic; /* cover art stored as a video stream */
    /* audio */
    int channels;
    int sample_rate;
    char channel_layout[64];
    /* all types */
    int64_t bit_rate;  /* bits per second; 0 when unknown */
    char language[16]; /* ISO 639-2 as tagged ("spa", "eng"); "" when untagged */
    char title[256];
    bool is_default, is_forced, is_hearing_impaired;
} cc_stream;

typedef struct cc_chapter {
    double start, end; /* seconds */
    char title[256];
} cc_chapter;

/* Replaces the file's streams and chapters (count 0: none). */
int cc_stream_replace(cc_db *db, int64_t file_id, const cc_stream *streams, size_t stream_count,
                      const cc_chapter *chapters, size_t chapter_count, cu_err *err);
/* The file's streams by index, allocated from arena (NULL when none). */
int cc_stream_list(cc_db *db, cu_arena *arena, int64_t file_id, cc_stream **streams, size_t *count,
                   cu_err *err);

#endif
