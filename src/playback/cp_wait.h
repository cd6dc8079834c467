/* cp_wait: where requests wait for work done in the background (a
 * keyframe index being built, a segment being transcoded): the list of
 * who waits for what, and who wakes them (the HTTP server blocks each
 * waiting request on its own connection's thread). A waiter is parked with a test ("is it ready?") and a
 * wake-up call; one thread polls the tests and calls wake exactly once per
 * waiter: when its test passes, when its deadline passes, or at shutdown.
 * Bounded per client address and in all, so one client's requests cannot
 * fill it for everyone else. */
#ifndef CP_WAIT_H
#define CP_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

/* How often the tests run: what a waiter may lose between ready and woken. */
#define CP_WAIT_POLL_MS 20
/* Waiters at once, per client address and in all. A player asks for one
 * or two segments at a time; more from one address is a client (or an
 * attack) asking for everything at once. */
#define CP_WAIT_PER_CLIENT 4
#define CP_WAIT_MAX 256
#define CP_WAIT_CLIENT_MAX 64 /* bytes of a client key, with its terminator */

typedef struct cp_waitlist cp_waitlist;

typedef struct cp_waiter {
    const char *client;  /* the client's address, copied */
    int64_t deadline_ms; /* cu_time_mono_ms() after which wake is called anyway */
    /* Polled from the waitlist's thread: true when what the waiter needs
     * is there (or failed). ticket is passed to it and freed with
     * ticket_free after wake (both may be NULL). */
    bool (*ready)(void *ticket);
    void *ticket;
    void (*ticket_free)(void *ticket);
    /* Called (once) under the waitlist's lock right before the waiter is
     * listed: the caller marks its request as waiting here (and takes
     * what wake will release), so no wake can come before it. May be
     * NULL. */
    void (*park)(void *cls);
    /* Called once from the waitlist's thread (or from cp_waitlist_stop),
     * not under the lock. */
    void (*wake)(void *cls);
    void *cls;
} cp_waiter;

int cp_waitlist_new(cp_waitlist **out, cu_err *err);
/* Wakes every waiter and refuses new ones; then free. */
void cp_waitlist_stop(cp_waitlist *wl);
void cp_waitlist_free(cp_waitlist *wl);

/* Parks a waiter (the fields are copied; ticket is owned from here on,
 * also on failure). CU_EBUSY when its client has CP_WAIT_PER_CLIENT
 * waiting or all of them CP_WAIT_MAX; CU_ELIMIT after stop. park is not
 * called on failure. */
int cp_waitlist_add(cp_waitlist *wl, const cp_waiter *w, cu_err *err);
/* Whether client may park one more waiter now (a caller checks before
 * starting work on its behalf, so a client over its bound moves nothing). */
bool cp_waitlist_has_room(cp_waitlist *wl, const char *client);
/* Waiters now parked (for tests and status). */
size_t cp_waitlist_count(cp_waitlist *wl);

#endif
