/* cm_subtitle_srt: a WebVTT document (as cm_subtitle_webvtt writes it, or
 * any WebVTT) as SubRip, for players that ask for .srt (the Jellyfin
 * API's Stream.srt). Cue times are kept as they are (make the WebVTT on
 * the file's own timeline for a player of the file); identifiers, cue
 * settings, NOTE/STYLE/REGION blocks and the header are dropped; the
 * entities WebVTT needs (&amp; &lt; &gt; &nbsp;) become characters. */
#ifndef CM_SUBTITLE_SRT_H
#define CM_SUBTITLE_SRT_H

#include <stddef.h>

#include "util/cu_err.h"

#define CM_SRT_MAX_INPUT (64u << 20) /* larger documents are refused */

/* 0 and *srt (caller frees, NUL-terminated); CU_EPARSE when vtt does not
 * start with "WEBVTT", CU_ELIMIT when it is larger than CM_SRT_MAX_INPUT.
 * A cue whose timing line does not parse is skipped. */
int cm_subtitle_vtt_to_srt(const char *vtt, size_t len, char **srt, cu_err *err);

#endif
