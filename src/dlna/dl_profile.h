/* dl_profile: a catalog file's DLNA media format: the MIME type, the
 * DLNA.ORG_PN profile where one of the common ones fits (none is better
 * than a wrong one: TVs refuse a file whose profile lies), and the
 * protocolInfo / contentFeatures strings built from them. */
#ifndef DL_PROFILE_H
#define DL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/cc_film.h"

/* Byte seeking (OP=01: Range, no time seek) and the DLNA 1.5 flags for a
 * streamed, stallable, background-capable transfer. */
#define DL_OP_FLAGS "DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS=01700000000000000000000000000000"

typedef struct dl_profile {
    const char *mime; /* "video/mp4" */
    const char *pn;   /* "AVC_MP4_MP_SD_AAC_MULT5", or NULL */
} dl_profile;

void dl_profile_of(const char *container, const cc_stream *streams, size_t count, dl_profile *out);
/* The fourth field of protocolInfo ("DLNA.ORG_PN=...;DLNA.ORG_OP=01;..."). */
void dl_profile_features(const dl_profile *p, char *out, size_t size);

/* The transcoded MPEG-TS of a file (/dlna/ts/FILE, playback's cp_ts):
 * H.264 Main profile at most 720 lines and AAC stereo in 188-byte packets
 * (DLNA's _ISO profiles, video/mpeg). OP=10: time seeking
 * (TimeSeekRange.dlna.org), no byte ranges; CI=1: converted content. */
#define DL_TS_MIME "video/mpeg"
#define DL_TS_OP_FLAGS                                                                             \
    "DLNA.ORG_OP=10;DLNA.ORG_CI=1;DLNA.ORG_FLAGS=01700000000000000000000000000000"

/* Whether a file gets a transcoded res besides its own: it has a picture
 * and no DLNA profile fits it (a TV may not be able to play it as is).
 * *audio: the container index of the sound the transcode keeps (the
 * default-flagged one, else the first; -1: none). */
bool dl_profile_wants_ts(const dl_profile *p, const cc_stream *streams, size_t count, int *audio);
/* The fourth field of the transcode's protocolInfo, for a picture of
 * width x height before the transcode's 720-line cap. */
void dl_profile_ts_features(int width, int height, char *out, size_t size);
/* The picture a transcode of width x height makes (720 lines at most). */
void dl_profile_ts_size(int *width, int *height);

/* Subtitle codecs that convert to SRT (text, not pictures). */
bool dl_text_subtitle(const char *codec);

#endif
