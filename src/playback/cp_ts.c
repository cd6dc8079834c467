/* cp_ts: see cp_ts.h. */
#include "playback/cp_ts.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cu_str.h"

struct cp_ts {
    cp_hls *h;
    cp_media m;
    cp_variant v;
    bool spanned;
    size_t next, last; /* the next segment to load; the last to send */
    uint8_t *data;     /* the segment being sent */
    size_t len, pos;
    cp_ts_counters cc;
};

cp_ts *cp_ts_new(cp_hls *h, cp_media *m, int audio)
{
    cp_ts *t = cu_xcalloc(1, sizeof *t);
    t->h = h;
    t->m = *m;
    m->fd = -1;
    m->path = m->root = NULL;
    t->v = (cp_variant){.audio = audio, .mpegts = true};
    cp_variant_format(&t->v);
    return t;
}

void cp_ts_free(cp_ts *t)
{
    if (!t)
        return;
    free(t->data);
    cp_media_close(&t->m);
    free(t);
}

int cp_ts_seek(cp_ts *t, double from_s, double to_s, cp_hls_span *span, cu_err *err)
{
    int rc = cp_hls_span_of(t->h, &t->m, &t->v, from_s, to_s, span, err);
    if (rc < 0)
        return rc;
    t->next = span->first;
    t->last = span->last;
    t->spanned = true;
    /* Reads may run on other threads than the one whose catalog this is;
     * the index is in memory now. */
    t->m.db = NULL;
    return 0;
}

/* A cached segment (a file) into memory, bounded. */
static int load_fd(cp_body *b, uint8_t **out, size_t *len, cu_err *err)
{
    if (b->size > CP_TS_SEGMENT_MAX)
        return cu_err_set(err, CU_ELIMIT, "a segment of %llu bytes", (unsigned long long)b->size);
    uint8_t *data = cu_xmalloc(b->size ? (size_t)b->size : 1);
    size_t got = 0;
    while (got < b->size) {
        ssize_t n = pread(b->fd, data + got, (size_t)b->size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(data);
            return cu_err_set(err, n < 0 ? -errno : CU_EMEDIA, "cannot read a cached segment");
        }
        got += (size_t)n;
    }
    *out = data;
    *len = got;
    return 0;
}

long cp_ts_read(cp_ts *t, uint8_t *buf, size_t max, cu_err *err)
{
    if (!t->spanned) {
        cp_hls_span span;
        int rc = cp_ts_seek(t, 0, -1, &span, err);
        if (rc < 0)
            return rc;
    }
    while (t->pos >= t->len) {
        free(t->data);
        t->data = NULL;
        t->len = t->pos = 0;
        if (t->next > t->last)
            return 0;
        cp_body b;
        int rc = cp_hls_segment(t->h, &t->m, &t->v, t->next, &b, err);
        if (rc < 0)
            return rc;
        if (b.fd >= 0) {
            rc = load_fd(&b, &t->data, &t->len, err);
        } else if (b.len > CP_TS_SEGMENT_MAX) {
            rc = cu_err_set(err, CU_ELIMIT, "a segment of %zu bytes", b.len);
        } else {
            t->data = b.data;
            t->len = b.len;
            b.data = NULL;
        }
        cp_body_clear(&b);
        if (rc < 0)
            return rc;
        cp_ts_renumber(&t->cc, t->data, t->len);
        t->next++;
    }
    size_t n = t->len - t->pos < max ? t->len - t->pos : max;
    if (n > (size_t)LONG_MAX)
        n = (size_t)LONG_MAX;
    memcpy(buf, t->data + t->pos, n);
    t->pos += n;
    return (long)n;
}

int cp_ts_park(cp_ts *t, const cp_hls_wait *w, cu_err *err)
{
    /* Before a seek it waits for the index; after, for the next segment. */
    return cp_hls_park(t->h, &t->m, t->spanned ? &t->v : NULL, t->spanned ? (long)t->next : -1, w,
                       err);
}

void cp_ts_renumber(cp_ts_counters *cc, uint8_t *data, size_t len)
{
    for (size_t at = 0; at + CP_TS_PACKET <= len; at += CP_TS_PACKET) {
        uint8_t *p = data + at;
        if (p[0] != 0x47)
            return; /* not a packet boundary: touch nothing more */
        unsigned pid = ((unsigned)(p[1] & 0x1f) << 8) | p[2];
        if (pid == 0x1fff)
            continue; /* null packets carry no counter that matters */
        bool payload = (p[3] & 0x10) != 0;
        bool seen = cc->seen[pid / 8] & (1u << (pid % 8));
        unsigned counter;
        if (payload) {
            counter = seen ? cc->next[pid] : (p[3] & 0x0f);
            cc->next[pid] = (uint8_t)((counter + 1) & 0x0f);
        } else {
            /* Adaptation field only: repeats the last counter. */
            counter = seen ? (unsigned)((cc->next[pid] + 15) & 0x0f) : (p[3] & 0x0f);
            if (!seen)
                cc->next[pid] = (uint8_t)counter;
        }
        cc->seen[pid / 8] |= (uint8_t)(1u << (pid % 8));
        p[3] = (uint8_t)((p[3] & 0xf0) | counter);
    }
}
