/* cm_hls_plan: segment plans cut from a keyframe index, the playlists that list
 * them, and what a client can play (the copy-or-encode decision) */
#ifndef CM_HLS_PLAN_H
#define CM_HLS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/cm_keyframes.h"
#include "media/cm_media.h"
#include "util/cu_err.h"

#define CM_HLS_DEFAULT_TARGET 6.0

typedef struct cm_hls_segment {
    int64_t start, end; /* in the keyframe time base; start is a keyframe, except
                         * in timed plans (cm_hls_plan_new_timed) */
    double start_s;     /* from the first keyframe, seconds */
    double duration_s;
} cm_hls_segment;

typedef struct cm_hls_plan {
    int tb_num, tb_den;
    size_t count;
    cm_hls_segment *segments;
    double max_duration_s;
    double total_s;
} cm_hls_plan;

/* Cuts on keyframes, each segment the first keyframe at least `target`
 * seconds after the previous cut (so a segment is >= target unless it is
 * the last, and longer when keyframes are sparse). target <= 0: default. */
int cm_hls_plan_new(const cm_keyframes *kf, double target, cm_hls_plan **out, cu_err *err);
/* The same, the first `short_count` segments cut at `short_target` instead
 * (a transcode starts playing after a short first segment, not a long one). */
int cm_hls_plan_new_ramp(const cm_keyframes *kf, double target, double short_target,
                         int short_count, cm_hls_plan **out, cu_err *err);
/* Cuts at times, not keyframes: every `target` seconds, the first
 * `short_count` at `short_target`. For transcoded renditions only (each
 * segment starts with a new IDR and is decoded from the keyframe before
 * it), so segments stay short in films whose keyframes are far apart. */
int cm_hls_plan_new_timed(const cm_keyframes *kf, double target, double short_target,
                          int short_count, cm_hls_plan **out, cu_err *err);
/* The same over one stretch of the file, a clip: from_s to to_s seconds
 * from the first keyframe (either < 0: the file's own start or end; to_s
 * past the end is cut there). Segment 0 starts exactly at from_s (to the
 * time base's unit), the last ends at to_s, and start_s counts from the
 * clip's start. CU_EINVAL when the stretch lies outside the file. */
int cm_hls_plan_new_timed_range(const cm_keyframes *kf, double target, double short_target,
                                int short_count, double from_s, double to_s, cm_hls_plan **out,
                                cu_err *err);
void cm_hls_plan_free(cm_hls_plan *plan);

/* The VOD media playlist (caller frees). Segment n is named
 * segment_prefix + n + segment_suffix ("seg-", ".m4s?a=1"), the init
 * segment init_uri. Names are written as given: the caller makes them safe
 * (no quotes, no line breaks; those are refused with NULL). */
char *cm_hls_media_playlist(const cm_hls_plan *plan, const char *init_uri,
                            const char *segment_prefix, const char *segment_suffix);

typedef struct cm_hls_subtitle_entry {
    const char *uri;      /* the WebVTT playlist of this track */
    const char *name;     /* shown to a person ("English (SDH)") */
    const char *language; /* BCP 47 or ISO 639 ("en", "spa"); may be NULL */
    bool is_default, is_forced;
} cm_hls_subtitle_entry;

typedef struct cm_hls_master {
    const char *media_uri; /* the media playlist */
    const char *codecs;    /* RFC 6381, "avc1.64001f,mp4a.40.2" */
    int64_t bandwidth;     /* peak bits per second, > 0 */
    int width, height;     /* 0 when unknown */
    double frame_rate;     /* 0 when unknown */
    size_t subtitle_count;
    const cm_hls_subtitle_entry *subtitles;
} cm_hls_master;

/* The master playlist (caller frees); NULL when a string is unsafe. */
char *cm_hls_master_playlist(const cm_hls_master *m);

typedef struct cm_client_caps {
    bool h264, hevc, vp9, av1;            /* video */
    bool aac, opus, mp3, ac3, eac3, flac; /* audio */
} cm_client_caps;

/* Parses a comma list ("h264,aac,vp9,opus"); unknown words are ignored.
 * NULL or "" is a browser that plays H.264 and AAC only. */
cm_client_caps cm_client_caps_parse(const char *list);

typedef struct cm_hls_decision {
    int video_index;  /* container index; -1 when none */
    int audio_index;  /* -1 when the film has no sound */
    bool copy_video;  /* remux as is; else transcode to H.264 */
    bool copy_audio;  /* remux as is; else AAC stereo */
    char reason[160]; /* why, for logs ("hevc not playable by client") */
} cm_hls_decision;

/* Picks the audio track (by container index when audio_index >= 0, else by
 * language when given, else the default-flagged one, else the first) and
 * says, per stream, whether the client can play it as is. */
int cm_hls_decide(const cm_media_info *info, const cm_client_caps *caps, int audio_index,
                  const char *language, cm_hls_decision *out, cu_err *err);

#endif
