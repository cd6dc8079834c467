/* cp_variant: one rendition of a film for a client (which audio stream,
 * video and sound copied or encoded), its name in URLs ("1-ct", "n-t"),
 * and the policies that go with it: how its segments are cut, the bit
 * rate and picture size a master playlist announces. */
#ifndef CP_VARIANT_H
#define CP_VARIANT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_stream.h"
#include "media/cm_hls_segment.h"

/* Segments of a copied rendition: cut on keyframes, at least this long. */
#define CP_COPY_TARGET_S CM_HLS_DEFAULT_TARGET
/* Transcoded renditions: shorter segments (a seek waits for one to be
 * encoded), the first two shorter still (playback starts after the first),
 * cut at times rather than keyframes so long GOPs do not make long ones. */
#define CP_TRANSCODE_TARGET_S 4.0
#define CP_TRANSCODE_FIRST_S 2.0
#define CP_TRANSCODE_FIRST_COUNT 2
/* What a transcoded rendition announces (CRF 23 at 720p peaks near it). */
#define CP_TRANSCODE_BANDWIDTH 5000000
/* A copied rendition whose bit rate the container does not say. */
#define CP_UNKNOWN_BANDWIDTH 8000000

typedef struct cp_variant {
    int audio; /* container index, -1: none */
    bool copy_video, copy_audio;
    /* A transcode's height cap, one of CP_VARIANT_HEIGHTS ("1-tt-h480");
     * 0: CM_HLS_DEFAULT_MAX_HEIGHT. Always 0 when the video is copied. */
    int height;
    /* A picture subtitle stream burned into the picture: its container
     * index + 1; 0: none. Named by the index ("1-tt-b2" burns stream 2).
     * Only with the video encoded. */
    int burn;
    char text[32]; /* "1-ct", "n-c", "1-tt-h480", "1-tt-b2": the o= of its URLs */
    /* A clip (a share of a stretch of a film): milliseconds from the first
     * keyframe; both 0: the whole file. Never read from a URL: the server
     * sets it from the share, and a clip is always transcoded (its first
     * frame is the clip's, not the keyframe's before it). */
    int64_t clip_from_ms, clip_to_ms;
    /* MPEG-TS segments for one continuous stream (cp_ts): "-ts" after the
     * name, so they are cached and made apart from the fMP4 ones. Never
     * read from a URL either (cp_variant_parse refuses it), and always
     * transcoded. */
    bool mpegts;
} cp_variant;

/* The heights a client may ask a transcode for (a player's quality menu):
 * a short list, so a client cannot fill the segment cache with sizes. */
#define CP_VARIANT_HEIGHTS                                                                         \
    {                                                                                              \
        360, 480, 720, 1080                                                                        \
    }
/* The highest stream index a name may burn (three digits: more than any
 * file the catalog takes has, CM_MEDIA_MAX_STREAMS). */
#define CP_VARIANT_MAX_BURN 999
/* Whether h is one of them. */
bool cp_variant_height_ok(int h);

/* Fills v->text from the other fields. */
void cp_variant_format(cp_variant *v);
/* Parses an o= value; false for anything cp_variant_format would not
 * write (so one rendition has one name). */
bool cp_variant_parse(const char *s, cp_variant *v);
/* The variant a decision names. */
cp_variant cp_variant_of(const cm_hls_decision *d);
cm_hls_output cp_variant_output(const cp_variant *v);
/* The segment plan of the rendition (caller frees); a clip's covers the
 * clip only. */
int cp_variant_plan(const cm_keyframes *kf, const cp_variant *v, cm_hls_plan **plan, cu_err *err);
/* The peak bit rate a master playlist announces, from the file's own
 * (0: unknown); and the picture size after a transcode's height cap. */
int64_t cp_variant_bandwidth(const cp_variant *v, int64_t file_bit_rate);
void cp_variant_size(const cp_variant *v, int *width, int *height);

/* The RFC 6381 codecs of the rendition ("avc1.64001f,mp4a.40.2") from the
 * streams as the catalog stores them: profile by name, level the lowest
 * that holds the picture size and frame rate (the catalog keeps no level;
 * players read the real one from the init segment). No file is opened. */
void cp_variant_codecs(const cp_variant *v, const cc_stream *video, const cc_stream *audio,
                       char *buf, size_t size);

#endif
