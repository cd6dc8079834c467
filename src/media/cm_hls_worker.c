/* cm_hls_worker: the transcoding workers of playbacks (two threads each)
 * that make segments ahead of the one the player asked for last, and a
 * shared limit on how many playbacks transcode at once. Each segment is
 * made on its own (see cm_hls_segment.c), so a far seek needs no restart:
 * the next job is simply the first missing segment from the new position,
 * and a segment being made outside the new window is cancelled. Segments
 * made are kept in memory inside a small window around the playhead; the
 * caller caches what it serves. */
#include "media/cm_transcode.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "media/cm_hls_internal.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#define BEHIND_KEPT 2 /* segments kept before the playhead (a small seek back) */
#define MAX_AHEAD 32
/* Segments made at once per playback. One segment's decoder and encoder
 * drain at its end (the encoder's lookahead empties, its threads idle);
 * two in flight keep both cores of a small machine busy through that. */
#define WORKER_THREADS 2

struct cm_transcode_limit {
    pthread_mutex_t lock; /* guards running */
    int max_running, running;
};

cm_transcode_limit *cm_transcode_limit_new(int max_running)
{
    cm_transcode_limit *l = cu_xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->max_running = max_running > 0 ? max_running : 1;
    return l;
}

void cm_transcode_limit_free(cm_transcode_limit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

int cm_transcode_limit_running(cm_transcode_limit *l)
{
    pthread_mutex_lock(&l->lock);
    int n = l->running;
    pthread_mutex_unlock(&l->lock);
    return n;
}

typedef struct slot {
    cm_hls_bytes bytes;
    bool ready;
    bool busy; /* a thread is making it */
    int error; /* when making it failed */
    cu_err err;
} slot;

struct cm_transcode {
    cm_transcode_limit *limit;
    int fd; /* our duplicate of the checked descriptor */
    cm_keyframes kf;
    cm_hls_plan plan;
    cm_hls_output out;
    size_t ahead;

    struct maker {
        cm_transcode *tc;
        pthread_t thread;
        bool started;
        long making;        /* the segment being made, or -1 (under lock) */
        atomic_bool cancel; /* set: drop it (a far seek, or stopping) */
    } makers[WORKER_THREADS];
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t changed;
    bool stop;
    size_t want; /* the segment the player asked for last */
    slot *slots; /* plan.count of them */
    int64_t last_get_ms;
};

/* The first segment in [want, want + ahead] not made yet, or -1. While
 * the segment the player waits for is being made, nothing else starts:
 * work ahead would halve the machine for the one segment that matters
 * (after a seek, or at the start). */
static long next_job(const cm_transcode *tc)
{
    if (tc->want < tc->plan.count) {
        const slot *w = &tc->slots[tc->want];
        if (w->busy && !w->ready && !w->error)
            return -1;
    }
    for (size_t n = tc->want; n < tc->plan.count && n <= tc->want + tc->ahead; n++)
        if (!tc->slots[n].ready && !tc->slots[n].error && !tc->slots[n].busy)
            return (long)n;
    return -1;
}

/* Frees what lies outside the window around the playhead. Lock held. */
static void trim_window(cm_transcode *tc)
{
    size_t lo = tc->want > BEHIND_KEPT ? tc->want - BEHIND_KEPT : 0;
    size_t hi = tc->want + tc->ahead;
    for (size_t n = 0; n < tc->plan.count; n++) {
        if ((n < lo || n > hi) && (tc->slots[n].ready || tc->slots[n].error)) {
            cm_hls_bytes_free(&tc->slots[n].bytes);
            tc->slots[n].ready = false;
            tc->slots[n].error = 0;
        }
    }
}

static void *worker(void *arg)
{
    struct maker *me = arg;
    cm_transcode *tc = me->tc;
    pthread_mutex_lock(&tc->lock);
    while (!tc->stop) {
        long n = next_job(tc);
        if (n < 0) {
            pthread_cond_wait(&tc->changed, &tc->lock);
            continue;
        }
        me->making = n;
        tc->slots[n].busy = true;
        atomic_store(&me->cancel, false);
        pthread_mutex_unlock(&tc->lock);
        cm_hls_bytes bytes = {0};
        cu_err err = {0};
        int rc = cm_hls_media_segment_until(tc->fd, &tc->kf, &tc->plan, &tc->out, (size_t)n,
                                            &me->cancel, &bytes, &err);
        pthread_mutex_lock(&tc->lock);
        me->making = -1;
        slot *s = &tc->slots[n];
        s->busy = false;
        cm_hls_bytes_free(&s->bytes);
        if (rc == -ECANCELED) {
            /* Sought away: the next job is picked from the new place. */
        } else if (rc == 0) {
            s->bytes = bytes;
            s->ready = true;
        } else {
            s->error = rc;
            s->err = err;
        }
        trim_window(tc);
        pthread_cond_broadcast(&tc->changed);
    }
    pthread_mutex_unlock(&tc->lock);
    return NULL;
}

int cm_transcode_new(cm_transcode_limit *limit, int fd, const cm_keyframes *kf,
                     const cm_hls_plan *plan, const cm_hls_output *out, int ahead,
                     cm_transcode **result, cu_err *err)
{
    *result = NULL;
    if (!limit || fd < 0 || !kf || !plan || !out || plan->count == 0 || kf->count == 0)
        return cu_err_set(err, CU_EINVAL, "missing argument");
    pthread_mutex_lock(&limit->lock);
    bool full = limit->running >= limit->max_running;
    if (!full)
        limit->running++;
    pthread_mutex_unlock(&limit->lock);
    if (full)
        return cu_err_set(err, CU_EBUSY,
                          "the server is already converting %d films for playback; "
                          "try again in a moment",
                          limit->max_running);

    cm_transcode *tc = cu_xcalloc(1, sizeof *tc);
    tc->limit = limit;
    tc->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    tc->kf = *kf;
    tc->kf.pts = cu_xmalloc(kf->count * sizeof *kf->pts);
    memcpy(tc->kf.pts, kf->pts, kf->count * sizeof *kf->pts);
    tc->plan = *plan;
    tc->plan.segments = cu_xmalloc(plan->count * sizeof *plan->segments);
    memcpy(tc->plan.segments, plan->segments, plan->count * sizeof *plan->segments);
    tc->out = *out;
    tc->ahead = ahead <= 0 ? 3 : ahead > MAX_AHEAD ? MAX_AHEAD : (size_t)ahead;
    tc->slots = cu_xcalloc(plan->count, sizeof *tc->slots);
    tc->last_get_ms = cu_time_mono_ms();
    pthread_mutex_init(&tc->lock, NULL);
    pthread_cond_init(&tc->changed, NULL);
    if (tc->fd < 0) {
        int e = errno;
        cm_transcode_free(tc);
        return cu_err_set(err, -e, "%s", strerror(e));
    }
    for (int i = 0; i < WORKER_THREADS; i++) {
        struct maker *m = &tc->makers[i];
        m->tc = tc;
        m->making = -1;
        atomic_init(&m->cancel, false);
        int rc = pthread_create(&m->thread, NULL, worker, m);
        if (rc != 0) {
            cm_transcode_free(tc); /* stops the threads started, frees the rest */
            return cu_err_set(err, -rc, "cannot start a transcoding thread");
        }
        m->started = true;
    }
    *result = tc;
    return 0;
}

int cm_transcode_get(cm_transcode *tc, size_t n, int timeout_ms, cm_hls_bytes *seg, cu_err *err)
{
    memset(seg, 0, sizeof *seg);
    if (n >= tc->plan.count)
        return cu_err_set(err, CU_ENOTFOUND, "no segment %zu", n);
    struct timespec until;
    cu_time_deadline(CLOCK_REALTIME, timeout_ms, &until);
    pthread_mutex_lock(&tc->lock);
    tc->last_get_ms = cu_time_mono_ms();
    if (tc->want != n) {
        tc->want = n;
        /* The segment in the making is of no use outside the new window:
         * drop it rather than make the player wait for it. */
        for (int i = 0; i < WORKER_THREADS; i++) {
            long m = tc->makers[i].making;
            if (m >= 0 && ((size_t)m < n || (size_t)m > n + tc->ahead))
                atomic_store(&tc->makers[i].cancel, true);
        }
        trim_window(tc);
        pthread_cond_broadcast(&tc->changed);
    }
    int rc = 0;
    while (!tc->slots[n].ready && !tc->slots[n].error) {
        if (pthread_cond_timedwait(&tc->changed, &tc->lock, &until) == ETIMEDOUT) {
            rc = cu_err_set(err, CU_ELIMIT, "segment %zu not ready after %d ms", n, timeout_ms);
            break;
        }
    }
    if (rc == 0 && tc->slots[n].error) {
        rc = cu_err_set(err, tc->slots[n].error, "%s", tc->slots[n].err.msg);
        tc->slots[n].error = 0; /* a later request tries again */
    } else if (rc == 0) {
        const cm_hls_bytes *b = &tc->slots[n].bytes;
        seg->data = cu_xmalloc(b->len ? b->len : 1);
        memcpy(seg->data, b->data, b->len);
        seg->len = b->len;
    }
    pthread_mutex_unlock(&tc->lock);
    return rc;
}

bool cm_transcode_ready(cm_transcode *tc, size_t n)
{
    if (n >= tc->plan.count)
        return true;
    pthread_mutex_lock(&tc->lock);
    bool done = tc->slots[n].ready || tc->slots[n].error;
    pthread_mutex_unlock(&tc->lock);
    return done;
}

void cm_transcode_nudge(cm_transcode *tc, size_t n)
{
    pthread_mutex_lock(&tc->lock);
    bool idle = true;
    for (int i = 0; i < WORKER_THREADS; i++)
        if (tc->makers[i].making >= 0)
            idle = false;
    if (idle && next_job(tc) < 0 && n < tc->plan.count && !tc->slots[n].ready &&
        !tc->slots[n].error && tc->want != n) {
        tc->want = n;
        trim_window(tc);
        pthread_cond_broadcast(&tc->changed);
    }
    pthread_mutex_unlock(&tc->lock);
}

int64_t cm_transcode_idle_ms(cm_transcode *tc)
{
    pthread_mutex_lock(&tc->lock);
    int64_t idle = cu_time_mono_ms() - tc->last_get_ms;
    pthread_mutex_unlock(&tc->lock);
    return idle;
}

void cm_transcode_touch(cm_transcode *tc)
{
    pthread_mutex_lock(&tc->lock);
    tc->last_get_ms = cu_time_mono_ms();
    pthread_mutex_unlock(&tc->lock);
}

void cm_transcode_free(cm_transcode *tc)
{
    if (!tc)
        return;
    pthread_mutex_lock(&tc->lock);
    tc->stop = true;
    for (int i = 0; i < WORKER_THREADS; i++)
        atomic_store(&tc->makers[i].cancel, true);
    pthread_cond_broadcast(&tc->changed);
    pthread_mutex_unlock(&tc->lock);
    for (int i = 0; i < WORKER_THREADS; i++)
        if (tc->makers[i].started)
            pthread_join(tc->makers[i].thread, NULL);
    for (size_t n = 0; n < tc->plan.count; n++)
        cm_hls_bytes_free(&tc->slots[n].bytes);
    pthread_mutex_lock(&tc->limit->lock);
    tc->limit->running--;
    pthread_mutex_unlock(&tc->limit->lock);
    pthread_cond_destroy(&tc->changed);
    pthread_mutex_destroy(&tc->lock);
    free(tc->slots);
    free(tc->plan.segments);
    free(tc->kf.pts);
    if (tc->fd >= 0)
        close(tc->fd);
    free(tc);
}
