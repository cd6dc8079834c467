/* cs_wake: see cs_wake.h. */
#include "server/cs_wake.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct cs_wake {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* on CLOCK_MONOTONIC, like cu_time_mono_ms */
    unsigned refs;       /* guarded by lock, as is signalled */
    bool signalled;
    void *owner;
    max_align_t data[]; /* the waker's answer */
};

cs_wake *cs_wake_new(size_t data_size, void *owner)
{
    cs_wake *w = cu_xcalloc(1, sizeof *w + data_size);
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &ca);
    pthread_condattr_destroy(&ca);
    w->refs = 1;
    w->owner = owner;
    return w;
}

void *cs_wake_data(cs_wake *w)
{
    return w->data;
}

void *cs_wake_owner(const cs_wake *w)
{
    return w->owner;
}

void cs_wake_hold(cs_wake *w)
{
    pthread_mutex_lock(&w->lock);
    w->refs++;
    pthread_mutex_unlock(&w->lock);
}

void cs_wake_drop(cs_wake *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    bool last = --w->refs == 0;
    pthread_mutex_unlock(&w->lock);
    if (!last)
        return;
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

void cs_wake_signal(cs_wake *w)
{
    pthread_mutex_lock(&w->lock);
    w->signalled = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    cs_wake_drop(w);
}

bool cs_wake_wait(cs_wake *w, int64_t deadline_ms)
{
    struct timespec until;
    cu_time_deadline(CLOCK_MONOTONIC, deadline_ms - cu_time_mono_ms(), &until);
    pthread_mutex_lock(&w->lock);
    while (!w->signalled && pthread_cond_timedwait(&w->cond, &w->lock, &until) == 0)
        ;
    bool signalled = w->signalled;
    pthread_mutex_unlock(&w->lock);
    return signalled;
}

bool cs_wake_signalled(cs_wake *w)
{
    pthread_mutex_lock(&w->lock);
    bool signalled = w->signalled;
    pthread_mutex_unlock(&w->lock);
    return signalled;
}
