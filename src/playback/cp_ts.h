/* cp_ts: one continuous MPEG-TS (H.264/AAC) of a library file, for players
 * that take a single stream rather than a playlist (DLNA TVs). It is the
 * file's transcoded HLS rendition in MPEG-TS form: the same segment plan,
 * made by the same workers (cm_transcode) and kept in the same segment
 * cache, sent end to end with the continuity counters renumbered, so the
 * joins between segments are invisible to a demuxer. A time seek starts at
 * the segment holding the time (segments of a transcode are cut at times,
 * each starting on its own IDR).
 *
 * Everything that may take time answers CU_EPENDING; the caller parks with
 * cp_ts_park (no thread waits) and asks again when woken. */
#ifndef CP_TS_H
#define CP_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "playback/cp_hls.h"
#include "util/cu_err.h"

/* The largest segment taken into memory (a 4 s segment of 720p is a few
 * MB; anything near this is not ours). */
#define CP_TS_SEGMENT_MAX (64u * 1024 * 1024)
#define CP_TS_PACKET 188

typedef struct cp_ts cp_ts;

/* m is taken (closed by cp_ts_free) whatever is returned. audio: the
 * container index of the sound to keep, -1 for none. */
cp_ts *cp_ts_new(cp_hls *h, cp_media *m, int audio);
void cp_ts_free(cp_ts *t);

/* Chooses the stretch to send: from_s .. to_s (seconds from the start;
 * to_s < 0: the end). *span says where it really starts (<= from_s), ends
 * and the film's length. CU_EPENDING while the file is indexed; CU_EINVAL
 * for a time past the end. Reading before a seek sends the whole film. */
int cp_ts_seek(cp_ts *t, double from_s, double to_s, cp_hls_span *span, cu_err *err);

/* Up to max bytes of the stream into buf: the count, 0 at its end,
 * CU_EPENDING when the next segment is still being made (park, then read
 * again), other negative codes when it cannot go on. */
long cp_ts_read(cp_ts *t, uint8_t *buf, size_t max, cu_err *err);

/* Parks for what the last CU_EPENDING waited for (see cp_hls_park). */
int cp_ts_park(cp_ts *t, const cp_hls_wait *w, cu_err *err);

/* Renumbers the continuity counters of whole 188-byte packets so that a
 * stream joined from separately muxed pieces counts on without a break
 * (ISO 13818-1 2.4.3.3: +1 per packet with payload, the same for a packet
 * with none). A piece that does not start on a sync byte is left alone;
 * a trailing partial packet is not touched. Pure; the state lives in cc. */
typedef struct cp_ts_counters {
    uint8_t next[8192];     /* per PID: the counter the next payload gets */
    uint8_t seen[8192 / 8]; /* per PID: counted before */
} cp_ts_counters;
void cp_ts_renumber(cp_ts_counters *cc, uint8_t *data, size_t len);

#endif
