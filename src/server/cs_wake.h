/* cs_wake: a request that waits, on its own connection's thread, for
 * work done on another thread (an HLS index or segment, a watch-state
 * commit), and the other thread's call that ends the wait.
 *
 * Each connection has a thread of its own (cs_server.c), so a request
 * waits by blocking there; there is no suspend and resume. The waiter's
 * wait is bounded, so it may give up before the waker calls: the object
 * is therefore counted, one reference for the waiter and one for the
 * waker, and lives until both have let go. What the waker leaves for the
 * waiter (a result, a record) goes into the object's own bytes
 * (cs_wake_data), never into the request, which may be gone by then. */
#ifndef CS_WAKE_H
#define CS_WAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cs_wake cs_wake;

/* A new wait with `data_size` zeroed bytes for the waker's answer, and
 * one reference: the waiter's. owner is whatever the waiter wants a
 * callback made on its own thread to find (cs_wake_owner); it is never
 * touched from the waker's side. */
cs_wake *cs_wake_new(size_t data_size, void *owner);
void *cs_wake_data(cs_wake *w);
void *cs_wake_owner(const cs_wake *w);
/* The waker's reference, taken before anyone may call cs_wake_signal. */
void cs_wake_hold(cs_wake *w);
/* The waker: wakes the waiter (once; later calls only drop) and drops
 * the waker's reference. Whatever it wrote into the data before this is
 * seen by a waiter that returns true from cs_wake_wait. */
void cs_wake_signal(cs_wake *w);
/* The waiter: blocks until signalled (true) or until deadline_ms
 * (cu_time_mono_ms(); false). */
bool cs_wake_wait(cs_wake *w, int64_t deadline_ms);
/* Whether it was signalled already (no wait). */
bool cs_wake_signalled(cs_wake *w);
/* Drops a reference (the waiter's, or a waker's that will never call). */
void cs_wake_drop(cs_wake *w);

#endif
