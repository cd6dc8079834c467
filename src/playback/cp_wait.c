/* cp_wait: see cp_wait.h. A plain array (at most CP_WAIT_MAX) and one
 * polling thread: waiters are few, and a poll costs a lock per test. */
#include "playback/cp_wait.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/cu_str.h"
#include "util/cu_time.h"

typedef struct parked {
    char client[CP_WAIT_CLIENT_MAX];
    int64_t deadline_ms;
    bool (*ready)(void *ticket);
    void *ticket;
    void (*ticket_free)(void *ticket);
    void (*wake)(void *cls);
    void *cls;
} parked;

struct cp_waitlist {
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t changed;
    parked items[CP_WAIT_MAX];
    size_t count;
    bool stop;
    pthread_t thread;
};

static void parked_done(const parked *p)
{
    if (p->wake)
        p->wake(p->cls);
    if (p->ticket_free)
        p->ticket_free(p->ticket);
}

static void *poll_thread(void *arg)
{
    cp_waitlist *wl = arg;
    parked due[CP_WAIT_MAX];
    pthread_mutex_lock(&wl->lock);
    while (!wl->stop) {
        if (wl->count == 0) {
            pthread_cond_wait(&wl->changed, &wl->lock);
            continue;
        }
        size_t ndue = 0;
        int64_t now = cu_time_mono_ms();
        for (size_t i = 0; i < wl->count;) {
            parked *p = &wl->items[i];
            if (now >= p->deadline_ms || !p->ready || p->ready(p->ticket)) {
                due[ndue++] = *p;
                wl->items[i] = wl->items[--wl->count];
            } else {
                i++;
            }
        }
        pthread_mutex_unlock(&wl->lock);
        for (size_t i = 0; i < ndue; i++)
            parked_done(&due[i]);
        struct timespec pause = {0, CP_WAIT_POLL_MS * 1000000L};
        nanosleep(&pause, NULL);
        pthread_mutex_lock(&wl->lock);
    }
    pthread_mutex_unlock(&wl->lock);
    return NULL;
}

int cp_waitlist_new(cp_waitlist **out, cu_err *err)
{
    *out = NULL;
    cp_waitlist *wl = cu_xcalloc(1, sizeof *wl);
    pthread_mutex_init(&wl->lock, NULL);
    pthread_cond_init(&wl->changed, NULL);
    int rc = pthread_create(&wl->thread, NULL, poll_thread, wl);
    if (rc != 0) {
        pthread_cond_destroy(&wl->changed);
        pthread_mutex_destroy(&wl->lock);
        free(wl);
        return cu_err_set(err, -rc, "cannot start the waiting thread");
    }
    *out = wl;
    return 0;
}

void cp_waitlist_stop(cp_waitlist *wl)
{
    if (!wl)
        return;
    pthread_mutex_lock(&wl->lock);
    bool was_stopped = wl->stop;
    wl->stop = true;
    pthread_cond_broadcast(&wl->changed);
    pthread_mutex_unlock(&wl->lock);
    if (was_stopped)
        return;
    pthread_join(wl->thread, NULL);
    /* The thread is gone: nobody else touches the list now. */
    for (size_t i = 0; i < wl->count; i++)
        parked_done(&wl->items[i]);
    wl->count = 0;
}

void cp_waitlist_free(cp_waitlist *wl)
{
    if (!wl)
        return;
    cp_waitlist_stop(wl);
    pthread_cond_destroy(&wl->changed);
    pthread_mutex_destroy(&wl->lock);
    free(wl);
}

int cp_waitlist_add(cp_waitlist *wl, const cp_waiter *w, cu_err *err)
{
    int rc = 0;
    pthread_mutex_lock(&wl->lock);
    size_t same = 0;
    const char *client = w->client ? w->client : "";
    for (size_t i = 0; i < wl->count; i++)
        if (!strncmp(wl->items[i].client, client, CP_WAIT_CLIENT_MAX - 1))
            same++;
    if (wl->stop) {
        rc = cu_err_set(err, CU_ELIMIT, "the server is stopping");
    } else if (same >= CP_WAIT_PER_CLIENT) {
        rc = cu_err_set(err, CU_EBUSY, "this client already waits for %zu things; ask again soon",
                        same);
    } else if (wl->count >= CP_WAIT_MAX) {
        rc = cu_err_set(err, CU_EBUSY, "the server is busy; ask again soon");
    } else {
        parked *p = &wl->items[wl->count++];
        memset(p, 0, sizeof *p);
        cu_strlcpy(p->client, client, sizeof p->client);
        p->deadline_ms = w->deadline_ms;
        p->ready = w->ready;
        p->ticket = w->ticket;
        p->ticket_free = w->ticket_free;
        p->wake = w->wake;
        p->cls = w->cls;
        if (w->park)
            w->park(w->cls);
        pthread_cond_broadcast(&wl->changed);
    }
    pthread_mutex_unlock(&wl->lock);
    if (rc < 0 && w->ticket_free)
        w->ticket_free(w->ticket);
    return rc;
}

bool cp_waitlist_has_room(cp_waitlist *wl, const char *client)
{
    pthread_mutex_lock(&wl->lock);
    size_t same = 0;
    for (size_t i = 0; i < wl->count; i++)
        if (!strncmp(wl->items[i].client, client ? client : "", CP_WAIT_CLIENT_MAX - 1))
            same++;
    bool room = !wl->stop && same < CP_WAIT_PER_CLIENT && wl->count < CP_WAIT_MAX;
    pthread_mutex_unlock(&wl->lock);
    return room;
}

size_t cp_waitlist_count(cp_waitlist *wl)
{
    pthread_mutex_lock(&wl->lock);
    size_t n = wl->count;
    pthread_mutex_unlock(&wl->lock);
    return n;
}
