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
    CP_HLS_MEDIA,          /* media.m3u8 of one rendition */
    CP_HLS_INIT,           /* init.mp4 of one rendition */
    CP_HLS_SEGMENT,        /* seg-N.m4s of one rendition */
    CP_HLS_SUBTITLES,      /* subs/K.m3u8 */
    CP_HLS_VTT,            /* subs/K.vtt */
    CP_HLS_SRT,            /* subs/K.srt: the same cues as SubRip */
} cp_hls_kind;

typedef struct cp_hls_name {
    cp_hls_kind kind;
    long segment;          /* CP_HLS_SEGMENT: N (no leading zeros, at most 9 digits) */
    char key[16];          /* subtitles: K */
} cp_hls_name;

/* False for a name that is none of these. */
bool cp_hls_name_parse(const char *name, cp_hls_name *out);
/* Whether a name is one rendition's (and so needs its o= variant). */
bool cp_hls_name_has_variant(const cp_hls_name *name);
/* The Content-Type of what the name is. */
const char *cp_hls_name_type(const cp_hls_name *name);

/* Makes what name asks for (not the master: cp_hls_master_of) in *text
 * (a playlist) or *body (bytes); v is the rendition for names that have
 * one; for subtitles NULL (the whole file's) or a clip's (only its clip is
 * read); else NULL. CU_EPENDING when it is still being made (park with
 * cp_hls_park), other errors as the cp_hls calls give them. */
int cp_hls_request_get(cp_hls *h, const cp_media *m, const cp_hls_name *name,
                       const cp_variant *v, char **text, cp_body *body, cu_err *err);

/* The master playlist of q's catalog file (q->db, q->file_id), with the
 * streams the catalog stores for it (q's own streams are not read; the
 * file is not opened). */
int cp_hls_master_of(cp_hls *h, const cp_master_query *q, char **text, cu_err *err);

#endif
