/* cm_hls: HLS from any film, in-process with libav*: a keyframe index per
 * file, a segment plan cut on keyframes, playlists, and fMP4 (CMAF) init and
 * media segments produced on demand, copied from the source packets (remux)
 * or re-encoded to H.264/AAC (transcode). Any segment N is produced on its
 * own, without 0..N-1, which is what makes seeking instant.
 *
 * Knows nothing of the catalog or HTTP: URLs are the caller's, passed in as
 * base names. */
#ifndef CM_HLS_H
#define CM_HLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/cm_media.h"
#include "util/cu_err.h"

/* ---- Keyframe index -------------------------------------------------- */

/* Bounds on one index: a three-hour film with a keyframe every half second
 * has ~22,000; a hostile file cannot make us hold more than this. */
#define CM_KEYFRAMES_MAX (1 << 20)

/* Where the video stream of one file may be cut. Plain data. */
typedef struct cm_keyframes {
    int stream_index;   /* the video stream in the container */
    int tb_num, tb_den; /* time base of every time below */
    int64_t end;        /* end of the last video frame */
    int64_t reorder;    /* deepest decode-order delay seen (max over GOPs of
                         * sorted pts - pts), >= 0 */
    int64_t frame_duration; /* typical frame duration, > 0 */
    uint64_t source_size;   /* size and mtime (s) of the file when indexed, */
    int64_t source_mtime;   /* so a cached index can be checked for staleness */
    size_t count;       /* >= 1 */
    int64_t *pts;       /* keyframe presentation times, strictly ascending */
} cm_keyframes;

/* Reads every packet of the video stream of path once (no decoding) and
 * records its keyframes. Bounded in time (a few minutes for a huge file) and
 * memory (CM_KEYFRAMES_MAX). CU_EMEDIA when there is no video stream or no
 * keyframe. */
int cm_keyframes_build(const char *path, cm_keyframes **out, cu_err *err);
/* A small binary file (atomic write); load checks magic, version, bounds. */
int cm_keyframes_save(const cm_keyframes *kf, const char *path, cu_err *err);
int cm_keyframes_load(const char *path, cm_keyframes **out, cu_err *err);
/* The same as a blob (caller frees) and back, for callers that store it
 * elsewhere. */
int cm_keyframes_serialize(const cm_keyframes *kf, uint8_t **out, size_t *len);
int cm_keyframes_parse(const uint8_t *data, size_t len, cm_keyframes **out, cu_err *err);
void cm_keyframes_free(cm_keyframes *kf);

/* ---- Segment plan and playlists -------------------------------------- */

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

/* ---- What the client can play ---------------------------------------- */

typedef struct cm_client_caps {
    bool h264, hevc, vp9, av1; /* video */
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

/* ---- Producing segments ---------------------------------------------- */

#define CM_HLS_DEFAULT_MAX_HEIGHT 720

/* What goes into the segments of one playback. */
typedef struct cm_hls_output {
    int audio_index;  /* container index of the audio stream; -1: no sound */
    bool copy_video;  /* else H.264 (libx264, veryfast) */
    bool copy_audio;  /* else AAC-LC stereo 48 kHz */
    int max_height;   /* transcode only; <= 0: CM_HLS_DEFAULT_MAX_HEIGHT */
    int crf;          /* transcode only; <= 0: 23 */
} cm_hls_output;

/* A produced file in memory (caller frees data). */
typedef struct cm_hls_bytes {
    uint8_t *data;
    size_t len;
} cm_hls_bytes;
void cm_hls_bytes_free(cm_hls_bytes *b);

/* The fMP4 init segment (ftyp + moov) for out; the same bytes each time. */
int cm_hls_init_segment(const char *path, const cm_keyframes *kf, const cm_hls_output *out,
                        cm_hls_bytes *init, cu_err *err);
/* Media segment n of plan (moof + mdat), made directly from the source:
 * seek to its keyframe, copy (or decode and encode) until the next cut.
 * Timestamps are the source's, shifted by one constant per file, so
 * segments made separately play end to end. */
int cm_hls_media_segment(const char *path, const cm_keyframes *kf, const cm_hls_plan *plan,
                         const cm_hls_output *out, size_t n, cm_hls_bytes *seg, cu_err *err);
/* RFC 6381 codecs of what cm_hls_media_segment writes for out
 * ("avc1.64001f,mp4a.40.2"), into buf. */
int cm_hls_codecs(const char *path, const cm_keyframes *kf, const cm_hls_output *out, char *buf,
                  size_t size, cu_err *err);

/* ---- Transcoding workers --------------------------------------------- */

/* A limit on how many transcodes run at once, shared by all playbacks. */
typedef struct cm_transcode_limit cm_transcode_limit;
cm_transcode_limit *cm_transcode_limit_new(int max_running);
void cm_transcode_limit_free(cm_transcode_limit *limit);
int cm_transcode_limit_running(cm_transcode_limit *limit);

/* One playback's worker: threads that make segments ahead of the last one
 * asked for (a window of `ahead`), and move there at a far seek. */
typedef struct cm_transcode cm_transcode;

/* CU_EBUSY (with a message for a person) when the limit is reached. The
 * worker keeps its own copies of kf, plan and out; path is copied. */
int cm_transcode_new(cm_transcode_limit *limit, const char *path, const cm_keyframes *kf,
                     const cm_hls_plan *plan, const cm_hls_output *out, int ahead,
                     cm_transcode **tc, cu_err *err);
/* Segment n, waiting at most timeout_ms for the worker to make it (a far n
 * moves the worker there). CU_ELIMIT on timeout. */
int cm_transcode_get(cm_transcode *tc, size_t n, int timeout_ms, cm_hls_bytes *seg, cu_err *err);
/* Milliseconds since the last cm_transcode_get or touch, for reaping idle
 * workers; touch marks it used now (a caller about to wait on it, so a
 * reaper that frees workers idle longer than any wait cannot free it). */
int64_t cm_transcode_idle_ms(cm_transcode *tc);
void cm_transcode_touch(cm_transcode *tc);
/* Stops the thread and frees everything. */
void cm_transcode_free(cm_transcode *tc);

/* ---- Subtitles ------------------------------------------------------- */

typedef enum {
    CM_SUB_TEXT,     /* converted to WebVTT */
    CM_SUB_IMAGE,    /* PGS, DVB, DVD: needs burn-in */
    CM_SUB_UNKNOWN,
} cm_sub_kind;

/* Text codecs we convert: subrip, ass, ssa, mov_text, webvtt, text. */
cm_sub_kind cm_subtitle_kind(const char *codec);

/* Converts a text subtitle stream (stream_index in the container at path;
 * -1 for the first subtitle stream, as for a sidecar .srt/.ass/.vtt file) to
 * a WebVTT document (caller frees). With kf (the film's index), cue times
 * count from the film's first keyframe, the playlists' time 0, and an
 * X-TIMESTAMP-MAP header ties them to the segments' timeline; with NULL
 * they are the file's own. Bounded in time, cues and size. CU_EMEDIA for
 * picture subtitles (they need burn-in). */
int cm_subtitle_webvtt(const char *path, int stream_index, const cm_keyframes *kf, char **vtt,
                       cu_err *err);

/* A one-segment VOD playlist for a WebVTT file lasting total_s (caller
 * frees; NULL for an unsafe URI). */
char *cm_hls_subtitle_playlist(double total_s, const char *vtt_uri);

/* The segments' timeline: a time t of the playlist (seconds from the first
 * keyframe) is presentation time t + cm_hls_timeline_start(kf) in the
 * segments (a few frames, so decode times are never negative). */
double cm_hls_timeline_start(const cm_keyframes *kf);

/* One cue's text in WebVTT from an ASS event line ("ReadOrder,Layer,Style,
 * Name,MarginL,MarginR,MarginV,Effect,Text" as libavcodec's decoders give
 * it, or plain text when plain): styling overrides dropped, \N as a line
 * break, &, <, > escaped, no empty lines, valid UTF-8. Appends to out
 * (a cu_buf); returns the bytes appended. */
struct cu_buf;
size_t cm_subtitle_ass_to_vtt(const char *text, size_t len, bool is_ass_event,
                              struct cu_buf *out);

#endif
