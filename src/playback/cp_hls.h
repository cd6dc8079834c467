/* cp_hls: HLS of the library's files, from "this catalog file, for this
 * client" to bytes: the keyframe-index cache (built in the background),
 * segment plans (one per file and kind of rendition), the transcoding
 * workers of playbacks and their reaping, the disk cache of what took
 * work to make, and the waiting of requests for all of that without
 * holding a thread. URLs and replies are the server's; here are the
 * bodies.
 *
 * Calls that need something still being made answer CU_EPENDING; the
 * caller then either parks the request (cp_hls_park) and asks again when
 * woken, or answers "try again" itself. */
#ifndef CP_HLS_H
#define CP_HLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "playback/cp_media.h"
#include "playback/cp_variant.h"
#include "util/cu_err.h"

/* How long a parked request waits for an index or a segment before it is
 * answered "not ready" (503 with Retry-After): longer than a transcoded
 * segment takes on a small machine, so a player that does not retry
 * (ffmpeg) still plays. The wait holds only the request's own thread
 * (the HTTP server has one per connection). */
#define CP_HLS_WAIT_MS 30000
/* What a "not ready" or "busy" answer tells the client to wait, seconds. */
#define CP_HLS_RETRY_AFTER_S 2

typedef struct cp_hls cp_hls;

/* cache_dir (NULL: nothing on disk) holds the segment cache and saved
 * keyframe indexes. Limits from the environment: CINEMATECA_HLS_TRANSCODES
 * (transcodes at once), CINEMATECA_HLS_CACHE_MB. */
int cp_hls_new(const char *cache_dir, cp_hls **out, cu_err *err);
/* Wakes every parked request and refuses new ones (call before the HTTP
 * server stops, so no request stays parked). */
void cp_hls_stop(cp_hls *h);
void cp_hls_free(cp_hls *h);
/* Transcodes running now, and how many may run at once. */
void cp_hls_transcodes(cp_hls *h, int *running, int *max);

/* A body: bytes in memory, or (fd >= 0) a cached file to send. */
typedef struct cp_body {
    uint8_t *data;
    size_t len;
    int fd;
    uint64_t size;
} cp_body;
void cp_body_clear(cp_body *b);

/* The master playlist is written from what the catalog knows of the file
 * (its streams, its bit rate): no index, no probe, no encoder, and the
 * file itself is not opened. Its sidecar subtitles are the ones the
 * scanner stored (cc_subtitle): no folder is listed. */
typedef struct cp_master_query {
    struct cc_db *db; /* the calling thread's catalog (NULL: no sidecars) */
    int64_t file_id;
    const char *path, *root;  /* the file as the scanner found it; root real */
    const cc_stream *streams; /* as the catalog stores them */
    size_t stream_count;
    int64_t bit_rate; /* the container's, bits/s; 0: unknown */
    const char *caps; /* "h264,aac,..." (NULL: a browser's H.264 and AAC) */
    int audio;        /* container index, -1: by language or default */
    const char *lang; /* NULL: none */
    /* A clip (cp_variant.h): its rendition is transcoded whatever the
     * client plays; its subtitles are the file's text tracks, whose
     * WebVTT is cut to the clip when asked for with it (cp_hls_subtitle). */
    int64_t clip_from_ms, clip_to_ms;
    int height; /* a transcode's height cap (cp_variant_height_ok); 0: default */
    /* A picture subtitle stream to burn in: its container index + 1; 0:
     * none. The rendition is then transcoded; CU_EPARSE when the file
     * has no picture subtitles at that index. */
    int burn;
} cp_master_query;

int cp_hls_master(cp_hls *h, const cp_master_query *q, char **text, cu_err *err);
int cp_hls_media_playlist(cp_hls *h, const cp_media *m, const cp_variant *v, char **text,
                          cu_err *err);
int cp_hls_init(cp_hls *h, const cp_media *m, const cp_variant *v, cp_body *out, cu_err *err);
/* CU_ENOTFOUND past the last segment; CU_EBUSY when the transcode limit
 * is reached. */
int cp_hls_segment(cp_hls *h, const cp_media *m, const cp_variant *v, size_t n, cp_body *out,
                   cu_err *err);
/* The segments of rendition v that cover from_s..to_s (seconds from the
 * start; to_s < 0: to the end): first..last, the time the first starts
 * (<= from_s), the time the last ends, and the rendition's length.
 * CU_EPENDING while the file is indexed; CU_EINVAL when from_s lies past
 * the end or to_s before from_s. For a time seek into one continuous
 * stream (cp_ts). */
typedef struct cp_hls_span {
    size_t first, last;
    double start_s, end_s, total_s;
} cp_hls_span;
int cp_hls_span_of(cp_hls *h, const cp_media *m, const cp_variant *v, double from_s, double to_s,
                   cp_hls_span *out, cu_err *err);

/* Text subtitles as WebVTT: key "sN" (embedded stream N) or "xN" (the
 * N-th of the file's stored sidecars, by path). clip (NULL, or a variant
 * whose clip_to_ms > 0; only its clip is read): the playlist lasts the
 * clip, and the cues are cut to it with the clip's start as 0
 * (cm_subtitle_webvtt_clip). CU_ENOTFOUND for no such track. */
int cp_hls_subtitle_playlist(cp_hls *h, const cp_media *m, const char *key, const cp_variant *clip,
                             char **text, cu_err *err);
int cp_hls_subtitle(cp_hls *h, const cp_media *m, const char *key, const cp_variant *clip,
                    cp_body *out, cu_err *err);
/* The same track on the file's own timeline (cue times as in the file or
 * sidecar), for players of the file itself (the .srt form). */
int cp_hls_subtitle_own(cp_hls *h, const cp_media *m, const char *key, cp_body *out, cu_err *err);

/* Parks a request that got CU_EPENDING for (m, v, segment) (v NULL and
 * segment -1: it waits for the index only). park(cls) is called before
 * this returns 0 (the caller stops its request there); wake(cls) is
 * called exactly once later, from another thread, when what it waits for
 * is there, after CP_HLS_WAIT_MS, or at cp_hls_stop. CU_EBUSY when this
 * client (its address) has too many requests parked. */
typedef struct cp_hls_wait {
    const char *client;
    int64_t deadline_ms; /* cu_time_mono_ms(); 0: CP_HLS_WAIT_MS from now */
    void (*park)(void *cls);
    void (*wake)(void *cls);
    void *cls;
} cp_hls_wait;
/* Whether client may wait for one more thing: a transcoded segment asked
 * for by a client already at its bound is refused before its worker is
 * moved (151 requests at once must not drag the worker 151 ways). */
bool cp_hls_client_may_wait(cp_hls *h, const char *client);
int cp_hls_park(cp_hls *h, const cp_media *m, const cp_variant *v, long segment,
                const cp_hls_wait *w, cu_err *err);

#endif
