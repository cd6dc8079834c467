/* dl_srt: WebVTT (as cm_subtitle_webvtt makes it) to SubRip, the one
 * subtitle format every DLNA renderer that takes external subtitles reads.
 * Pure; malformed cues are skipped. */
#ifndef DL_SRT_H
#define DL_SRT_H

#include <stddef.h>

#include "util/cu_buf.h"

void dl_srt_from_webvtt(const char *vtt, size_t len, cu_buf *out);

#endif
