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
    const char *mime;         /* "video/mp4" */
    const char *pn;           /* "AVC_MP4_MP_SD_AAC_MULT5", or NULL */
} dl_profile;

void dl_profile_of(const char *container, const cc_stream *streams, size_t count,
                   dl_profile *out);
/* The fourth field of protocolInfo ("DLNA.ORG_PN=...;DLNA.ORG_OP=01;..."). */
void dl_profile_features(const dl_profile *p, char *out, size_t size);

/* Subtitle codecs that convert to SRT (text, not pictures). */
bool dl_text_subtitle(const char *codec);

#endif
