/* cl_watch: noticing that something changed under the library roots
 * (inotify, every folder), so the server can rescan without a restart.
 * It only says "something changed"; the incremental rescan finds what. */
#ifndef CL_WATCH_H
#define CL_WATCH_H

#include <stddef.h>

#include "util/cu_err.h"

typedef struct cl_watch cl_watch;

/* Watches every folder under the roots (new folders are added as they
 * appear). When the kernel's watch limit is reached the watch degrades to
 * "changed" every poll interval, and says so through cl_watch_degraded. */
int cl_watch_new(const char *const *roots, size_t root_count, cl_watch **out, cu_err *err);
void cl_watch_free(cl_watch *watch);

/* Waits until a change is seen and then nothing more happens for
 * quiet_ms (debounce), or timeout_ms pass (-1: forever), or cl_watch_stop
 * is called. Returns 1 for a change, 0 otherwise. */
int cl_watch_wait(cl_watch *watch, int quiet_ms, int timeout_ms);
/* Makes the current (or next) cl_watch_wait return 0 at once; callable
 * from another thread or a signal handler. */
void cl_watch_stop(cl_watch *watch);
int cl_watch_degraded(const cl_watch *watch);

#endif
