/* cp_hls_request: one HLS file asked for by its name, as the master and
 * media playlists name them (master.m3u8, media.m3u8, init.mp4, seg-N.m4s,
 * subs/K.m3u8, subs/K.vtt): which it is, what type it has, and the
 * cp_hls call that makes it. A front door maps its URL to a name, calls
 * cp_hls_request_get and replies; nothing of HLS is left to it. */
#ifndef CP_HLS_REQUEST_H
#define CP_HLS_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "playback/cp_hls.h"

typedef enum {
    CP_HLS_MASTER,
    CP_HLS_MEDIA,     /* media.m3u8 of one rendition */
    CP_HLS_INIT,      /* init.mp4 of one rendition */
    CP_HLS_SEGMENT,   /* seg-N.m4s of one rendition */
    CP_HLS_SUBTITLES, /* subs/K.m3u8 */
    CP_HLS_VTT,       /* subs/K.vtt */
    CP_HLS_SRT,       /* subs/K.srt: the same cues as SubRip */
} cp_hls_kind;

typedef struct cp_hls_name {
    cp_hls_kind kind;
    long segment; /* CP_HLS_SEGMENT: N (no leading zeros, at most 9 digits) */
    char key[16]; /* subtitles: K */
} cp_hls_name;

/* False for a name that is none of these. */
bool cp_hls_name_parse(const char *name, cp_hls_name *out);
/* Whether a name is one rendition's (and so needs its o= variant). */
bool cp_hls_name_has_variant(const cp_hls_name *name);
/* The Content-Type of what the name is. */
const char *cp_hls_name_type(const cp_hls_name *name);

/* Whether what name is may be kept by the client (a day: segments and
 * init) or must be asked again (playlists, subtitles): its Cache-Control. */
const char *cp_hls_name_cache(const cp_hls_name *name);

/* One request of a front door, besides the file: the name, the rendition
 * its o= named (for names that have one), the clip a share limits it to,
 * and who asks (for the bound on what one client may wait for). */
typedef struct cp_hls_ask {
    cp_hls_name name;
    cp_variant variant;               /* cp_variant_parse of o=; unused when the name has none */
    int64_t clip_from_ms, clip_to_ms; /* clip_to_ms 0: the whole file */
    const char *client;               /* its address */
    bool again;                       /* asked again after a wait (already counted) */
} cp_hls_ask;

/* Makes what ask names (not the master: cp_hls_master_of) in *text (a
 * playlist; the caller frees it) or *body (bytes). A clip is transcoded
 * only (a copied rendition would start on a keyframe): CU_ENOTFOUND for a
 * copied rendition of one; a clip's subtitles are cut to it. CU_EBUSY when
 * the client already waits for as much as it may and asks for a
 * transcoded segment (refused before the worker is moved). CU_EPENDING
 * when it is still being made (cp_hls_request_park), other errors as the
 * cp_hls calls give them. */
int cp_hls_request_get(cp_hls *h, const cp_media *m, const cp_hls_ask *ask, char **text,
                       cp_body *body, cu_err *err);
/* Parks ask after CU_EPENDING (cp_hls_park, for the same rendition). */
int cp_hls_request_park(cp_hls *h, const cp_media *m, const cp_hls_ask *ask, const cp_hls_wait *w,
                        cu_err *err);

/* The master playlist of a located catalog file, with the streams the
 * catalog stores for it (q's own streams, db, file, path, root and bit
 * rate are taken from place; the file is not opened). */
int cp_hls_master_of(cp_hls *h, struct cc_db *db, const cp_place *place, const cp_master_query *q,
                     char **text, cu_err *err);

#endif
