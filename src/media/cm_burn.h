/* cm_burn: picture subtitles (DVD VobSub, Blu-ray PGS, DVB) burned into the
 * frames of a transcode: a player cannot show them as WebVTT, so they
 * become part of the picture. The subtitles of one segment are read from
 * the file in a pass of their own (a subtitle shown at the cut was sent
 * before it), decoded with libavcodec, and painted over each frame in
 * their time. Internal to the media module (cm_hls_segment.c). */
#ifndef CM_BURN_H
#define CM_BURN_H

#include <stdint.h>

#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/rational.h>

#include "util/cu_err.h"

/* How long before a segment its subtitles are looked for: a DVD or
 * Blu-ray subtitle stays on screen a few seconds, rarely more. */
#define CM_BURN_LOOKBACK_S 15
/* Bounds on hostile streams: subtitles kept for one segment, their
 * rectangles, and the pixels of one rectangle. */
#define CM_BURN_MAX_SUBTITLES 256
#define CM_BURN_MAX_RECTS 16
#define CM_BURN_MAX_RECT_PIXELS (4096 * 4096)

typedef struct cm_burn cm_burn;

/* Whether stream `index` of fmt is a picture subtitle
 * stream; CU_ENOTFOUND (no such stream, not subtitles) or CU_EINVAL
 * (text subtitles: they are sent as WebVTT) otherwise. */
int cm_burn_check(const AVFormatContext *fmt, int index, cu_err *err);

/* Reads and decodes the subtitles of stream `index` shown between from
 * and to (time base tb, the video stream's; video_index names it for
 * seeking) from the file on fd (a duplicate is read; a disc title's
 * reference works too). */
int cm_burn_collect(int fd, int index, int video_index, AVRational tb, int64_t from, int64_t to,
                    cm_burn **out, cu_err *err);
/* Paints the subtitles shown at pts (tb) into pic (8-bit YUV 4:2:0, the
 * encoder's size), scaled from the source picture's src_w x src_h. */
void cm_burn_paint(const cm_burn *b, int64_t pts, AVFrame *pic, int src_w, int src_h);
/* How many subtitles were read (for tests and logs). */
size_t cm_burn_count(const cm_burn *b);
void cm_burn_free(cm_burn *b);

#endif
