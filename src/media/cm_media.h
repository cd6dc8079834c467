/* cm_media: everything cinemateca asks of libav*. Knows nothing of the
 * catalog or HTTP. This header covers probing; segmenting, transcoding,
 * subtitles and thumbnails join it as they are written. */
#ifndef CM_MEDIA_H
#define CM_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

/* Bounds on what a probe records from one file (hostile files may claim
 * thousands of streams or megabyte-long tags). */
#define CM_MEDIA_MAX_STREAMS 64
#define CM_MEDIA_MAX_CHAPTERS 256
#define CM_MEDIA_MAX_TAG 8192

typedef enum {
    CM_STREAM_VIDEO,
    CM_STREAM_AUDIO,
    CM_STREAM_SUBTITLE,
    CM_STREAM_ATTACHMENT,
    CM_STREAM_DATA,
} cm_stream_type;

typedef struct cm_media_stream {
    int index; /* the stream's index in the container */
    cm_stream_type type;
    char codec[32];   /* libavcodec's short name: "h264", "aac", "subrip" */
    char profile[48]; /* "High", "Main 10", "LC"; "" when unknown */
    /* video */
    int width, height;
    double frame_rate; /* frames per second; 0 when unknown */
    int bit_depth;     /* 8, 10, 12; 0 when unknown */
    char pix_fmt[32];
    char hdr[16];      /* "", "HDR10", "HLG" (from the transfer characteristics) */
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
} cm_media_stream;

typedef struct cm_media_chapter {
    double start, end; /* seconds */
    char title[256];
} cm_media_chapter;

typedef struct cm_media_info {
    char container[32];   /* "mkv", "webm", "mp4", "mov", "m4v", "avi", "ts", "m2ts",
                             * "wmv", "mpg", "ogv", "flv", else the format's first name */
    char format_name[64]; /* libavformat's own name ("matroska,webm") */
    double duration;      /* seconds; 0 when unknown */
    int64_t bit_rate;
    /* Container tags (UTF-8, repaired if invalid; NULL when absent, at most
     * CM_MEDIA_MAX_TAG bytes). */
    char *tag_title, *tag_date, *tag_description, *tag_comment;
    size_t stream_count;
    cm_media_stream *streams;
    size_t chapter_count;
    cm_media_chapter *chapters;
    /* Described from the container's header and each stream's first packet
     * (Matroska, MP4), without libavformat's full stream analysis. */
    bool from_header;
} cm_media_info;

/* Silences libav*'s own logging (call once from main). */
void cm_media_init(void);

/* Opens path with libavformat and describes it. Bounded in time (a few
 * seconds of reading at most) and memory. On failure returns a negative code
 * with a human reason in err ("not a media file", "truncated", "empty file",
 * "permission denied") and *out is NULL: -ENOENT, -EACCES, -EISDIR from
 * opening the file, CU_ELIMIT when the time bound ran out, CU_EMEDIA for the
 * rest. A file with neither an audio nor a video stream (a subtitle file, a
 * text file) counts as "not a media file". A damaged file may still succeed
 * with a partial description (dimensions or profile unknown). */
int cm_media_probe(const char *path, cm_media_info **out, cu_err *err);
/* The same for a file the caller opened (and checked); fd is borrowed and
 * read with pread (its offset is not moved). path names it in messages
 * and lets the probe weigh its extension: nothing is opened by it. */
int cm_media_probe_fd(int fd, const char *path, cm_media_info **out, cu_err *err);

/* How a probe reads a file. AUTO (what cm_media_probe does): a Matroska or
 * MP4 file is described from its header and each stream's first packet
 * when that says every field, else (and for other containers) as FULL:
 * libavformat's own analysis, which decodes the first frames of every
 * stream. Both give the same description; FULL is kept to prove it. */
typedef enum { CM_PROBE_AUTO, CM_PROBE_FULL } cm_probe_mode;
int cm_media_probe_fd_mode(int fd, const char *path, cm_probe_mode mode, cm_media_info **out,
                           cu_err *err);
void cm_media_info_free(cm_media_info *info);

/* The first video stream that is not cover art, or NULL. */
const cm_media_stream *cm_media_info_video(const cm_media_info *info);

/* Writes a JPEG still of the video at path to out (atomically): a frame
 * from about `position` (0..1) of the way in, skipping black frames (a fade,
 * a title card) by trying a few other positions; `width` pixels wide (never
 * upscaled), height from the display aspect. Bounded in time. */
int cm_media_thumbnail(const char *path, double position, int width, const char *out, cu_err *err);

/* Writes a generated poster to out (JPEG, atomically): a frame chosen as
 * cm_media_thumbnail does, cropped to 2:3 at `width` pixels wide, with the
 * title and year (0: none) set in type at its foot (cm_type). Without the
 * fonts (fonts-dejavu-core) the poster is the frame alone. */
int cm_media_poster(const char *path, double position, int width, const char *title, int year,
                    const char *out, cu_err *err);

/* Writes a JPEG of the frame at `seconds` into the video at path (the one
 * shown then, not a brighter one nearby) to out, atomically, at most
 * `width` pixels wide. CU_EINVAL when seconds lies outside the video. */
int cm_media_frame_at(const char *path, double seconds, int width, const char *out, cu_err *err);

/* Artwork images (cm_image.c). An image's header may claim any size: a
 * 750 KB PNG of 16000x16000 pixels is a gigabyte once decoded. Nothing
 * larger than CM_IMAGE_MAX_PIXELS is decoded; its dimensions are read
 * from the header first (at most CM_IMAGE_HEADER_BYTES of the file). */
#define CM_IMAGE_MAX_PIXELS (40LL * 1000 * 1000)
#define CM_IMAGE_HEADER_BYTES (1024 * 1024)

/* Width and height from a JPEG (SOF), PNG (IHDR) or WebP (VP8, VP8L,
 * VP8X) header in data[0..size): no allocation, bounded (fuzz target
 * image). CU_EPARSE when it is none of those or names no size. */
int cm_image_dimensions(const uint8_t *data, size_t size, int *width, int *height, cu_err *err);
/* The same for an open file (its first 64 KiB, a JPEG's first
 * CM_IMAGE_HEADER_BYTES at most, read with pread: the offset is kept). */
int cm_image_fd_dimensions(int fd, int *width, int *height, cu_err *err);
/* cm_image_fd_dimensions, then CU_ELIMIT (with the size in err) when the
 * image has more than CM_IMAGE_MAX_PIXELS pixels. width/height may be NULL. */
int cm_image_check_size(int fd, int *width, int *height, cu_err *err);

/* Decodes the image open on fd (JPEG, PNG, WebP; read from offset 0
 * through the descriptor, never reopened by name) and writes a copy at
 * most `width` pixels wide to out as JPEG (atomically, via out.tmp.PID).
 * Refuses, before decoding, an image whose header names more than
 * CM_IMAGE_MAX_PIXELS (CU_ELIMIT). Bounded in time. */
int cm_media_image_resize_fd(int fd, int width, const char *out, cu_err *err);
/* The same checks and limits, cutting out the w x h rectangle at (x, y)
 * of the picture (one tile of a trickplay sheet, cm_sprite.h) to out as
 * JPEG. CU_EINVAL when the rectangle is not within the picture. */
int cm_media_image_cut_fd(int fd, int x, int y, int w, int h, const char *out, cu_err *err);

#endif
