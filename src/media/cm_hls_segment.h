/* cm_hls_segment: fMP4 (CMAF) init and media segments made on their own from the
 * source, copied or re-encoded, on one timeline */
#ifndef CM_HLS_SEGMENT_H
#define CM_HLS_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/cm_hls_plan.h"
#include "util/cu_err.h"

#define CM_HLS_DEFAULT_MAX_HEIGHT 720

/* What goes into the segments of one playback. */
typedef struct cm_hls_output {
    int audio_index; /* container index of the audio stream; -1: no sound */
    bool copy_video; /* else H.264 (libx264, veryfast) */
    bool copy_audio; /* else AAC-LC stereo 48 kHz */
    int max_height;  /* transcode only; <= 0: CM_HLS_DEFAULT_MAX_HEIGHT */
    int crf;         /* transcode only; <= 0: 23 */
    /* Transcode only: the container index + 1 of a picture subtitle
     * stream (VobSub, PGS, DVB) painted into the picture; 0: none. */
    int burn_stream;
    /* MPEG-TS media segments instead of fMP4 (no init segment): for
     * players that take one continuous stream (DLNA TVs, playback's
     * cp_ts). Transcoded video is Main profile with its SPS/PPS before
     * every IDR, so a stream joined from any segment on decodes. */
    bool mpegts;
} cm_hls_output;

/* A produced file in memory (caller frees data). */
typedef struct cm_hls_bytes {
    uint8_t *data;
    size_t len;
} cm_hls_bytes;
void cm_hls_bytes_free(cm_hls_bytes *b);

/* The fMP4 init segment (ftyp + moov) for out; the same bytes each time. */
int cm_hls_init_segment(int fd, const cm_keyframes *kf, const cm_hls_output *out,
                        cm_hls_bytes *init, cu_err *err);
/* Media segment n of plan (moof + mdat), made directly from the source:
 * seek to its keyframe, copy (or decode and encode) until the next cut.
 * Timestamps are the source's, shifted by one constant per file, so
 * segments made separately play end to end. */
int cm_hls_media_segment(int fd, const cm_keyframes *kf, const cm_hls_plan *plan,
                         const cm_hls_output *out, size_t n, cm_hls_bytes *seg, cu_err *err);
/* RFC 6381 codecs of what cm_hls_media_segment writes for out
 * ("avc1.64001f,mp4a.40.2"), into buf. */
int cm_hls_codecs(int fd, const cm_keyframes *kf, const cm_hls_output *out, char *buf, size_t size,
                  cu_err *err);

/* The segments' timeline: a time t of the playlist (seconds from the first
 * keyframe) is presentation time t + cm_hls_timeline_start(kf) in the
 * segments (a few frames, so decode times are never negative). */
double cm_hls_timeline_start(const cm_keyframes *kf);

#endif
