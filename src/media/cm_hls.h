/* cm_hls: HLS from any film, in-process with libav*: a keyframe index per
 * file, a segment plan cut on keyframes, playlists, and fMP4 (CMAF) init and
 * media segments produced on demand, copied from the source packets (remux)
 * or re-encoded to H.264/AAC (transcode). Any segment N is produced on its
 * own, without 0..N-1, which is what makes seeking instant.
 *
 * Knows nothing of the catalog or HTTP: URLs are the caller's, passed in as
 * base names.
 *
 * One header per concern; this one gathers them: cm_keyframes.h (the
 * index), cm_hls_plan.h (plans, playlists, the client's codecs),
 * cm_hls_segment.h (init and media segments), cm_transcode.h (workers),
 * cm_subtitle.h (WebVTT). */
#ifndef CM_HLS_H
#define CM_HLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/cm_hls_plan.h"
#include "media/cm_hls_segment.h"
#include "media/cm_keyframes.h"
#include "media/cm_media.h"
#include "media/cm_subtitle.h"
#include "media/cm_transcode.h"

#endif
