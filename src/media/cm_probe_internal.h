/* cm_probe_internal: the probe's header-only path (cm_probe_header.c),
 * shared with cm_probe.c only. */
#ifndef CM_PROBE_INTERNAL_H
#define CM_PROBE_INTERNAL_H

#include <stdbool.h>

#include <libavformat/avformat.h>

/* True for the containers whose header may say enough (Matroska/WebM,
 * MP4/MOV). */
bool cm_probe_header_is_enough(const AVFormatContext *ctx);

/* Completes the streams' parameters of an opened ctx from its header and
 * each stream's first packet, without avformat_find_stream_info. Returns 0
 * when every field the probe records is known, -1 otherwise: then ctx has
 * read packets and must be closed and opened again for the full probe. */
int cm_probe_from_header(AVFormatContext *ctx);

#endif
