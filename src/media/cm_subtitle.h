/* cm_subtitle: text subtitles (embedded or sidecar) as WebVTT on the segments'
 * timeline (what a sidecar's name says: library/cl_sidecar) */
#ifndef CM_SUBTITLE_H
#define CM_SUBTITLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/cm_keyframes.h"
#include "util/cu_err.h"

typedef enum {
    CM_SUB_TEXT,  /* converted to WebVTT */
    CM_SUB_IMAGE, /* PGS, DVB, DVD: needs burn-in */
    CM_SUB_UNKNOWN,
} cm_sub_kind;

/* Text codecs we convert: subrip, ass, ssa, mov_text, webvtt, text. */
cm_sub_kind cm_subtitle_kind(const char *codec);

/* Converts a text subtitle stream (stream_index in the open file fd;
 * -1 for the first subtitle stream, as for a sidecar .srt/.ass/.vtt file) to
 * a WebVTT document (caller frees). With kf (the film's index), cue times
 * count from the film's first keyframe, the playlists' time 0, and an
 * X-TIMESTAMP-MAP header ties them to the segments' timeline; with NULL
 * they are the file's own. Bounded in time, cues and size. CU_EMEDIA for
 * picture subtitles (they need burn-in). */
int cm_subtitle_webvtt(int fd, int stream_index, const cm_keyframes *kf, char **vtt, cu_err *err);

/* The same for a clip of the film, [from_ms, to_ms) on the cues' timeline
 * (from the first keyframe with kf, else the file's own): cues cut to the
 * clip and shifted so the clip's start is 0, cues outside it dropped, and
 * the X-TIMESTAMP-MAP tying 0 to the clip's first segment (the clip's
 * segments keep the file's timeline, cm_hls_plan_new_timed_range). A clip
 * without a cue gives a document with no cue. to_ms <= from_ms: CU_EINVAL. */
int cm_subtitle_webvtt_clip(int fd, int stream_index, const cm_keyframes *kf, int64_t from_ms,
                            int64_t to_ms, char **vtt, cu_err *err);

/* Cuts one cue [*start_ms, *end_ms) to the clip [from_ms, to_ms) and
 * shifts it so from_ms is 0. False when nothing of it lies inside (a cue
 * ending at from_ms or starting at to_ms shows no frame of the clip); the
 * times are left as they were then. */
bool cm_subtitle_cue_clip(int64_t from_ms, int64_t to_ms, int64_t *start_ms, int64_t *end_ms);

/* A one-segment VOD playlist for a WebVTT file lasting total_s (caller
 * frees; NULL for an unsafe URI). */
char *cm_hls_subtitle_playlist(double total_s, const char *vtt_uri);

/* One cue's text in WebVTT from an ASS event line ("ReadOrder,Layer,Style,
 * Name,MarginL,MarginR,MarginV,Effect,Text" as libavcodec's decoders give
 * it, or plain text when plain): styling overrides dropped, \N as a line
 * break, &, <, > escaped, no empty lines, valid UTF-8. Appends to out
 * (a cu_buf); returns the bytes appended. */
struct cu_buf;
size_t cm_subtitle_ass_to_vtt(const char *text, size_t len, bool is_ass_event, struct cu_buf *out);

#endif
