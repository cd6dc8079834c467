/* cl_background: the work a scan leaves for later so that films appear in
 * the catalog at once: posters cut from films that have none, and keyframe
 * indexes (media's serialized format, stored with cc_keyframes_put) for
 * files that have none, so the first playback of a film never reads the
 * whole file; and with those, trickplay sheets (media's cm_sprite, in
 * cache_dir/trickplay) for the seek bar's preview frames.
 *
 * Resumable: what is done is in the catalog, and every pass starts from
 * what is still missing, so a pass stopped halfway (cancel, kill, a new
 * scan) loses at most the file it was on. Throttled: one keyframe index at
 * a time with a pause after each, at the lowest CPU priority when asked. A
 * file that fails is recorded with its size and modification time
 * (cc_retry) and tried again only once it changed, or after a week; not
 * on every pass. */
#ifndef CL_BACKGROUND_H
#define CL_BACKGROUND_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "catalog/cc_db.h"

typedef struct cl_background_options {
    const char *cache_dir;         /* posters go to cache_dir/posters; NULL: no posters */
    bool keyframes;                /* build missing keyframe indexes */
    int threads;                   /* poster threads; <= 0: one per CPU */
    int pause_ms;                  /* pause after each keyframe index; <= 0: none */
    bool low_priority;             /* the calling thread goes to nice 19 (for good:
                                      give the pass a thread of its own) */
    volatile sig_atomic_t *cancel; /* may be NULL; non-zero stops at the next file */
    volatile sig_atomic_t *yield;  /* may be NULL; non-zero stops too (new work came) */
} cl_background_options;

typedef struct cl_background_report {
    size_t posters, keyframes; /* made and stored */
    size_t trickplay;          /* files given trickplay sheets (cache_dir/trickplay) */
    size_t failed;             /* files that could not give one */
    bool stopped;              /* cancel or yield stopped the pass early */
} cl_background_report;

int cl_background_run(cc_db *db, const cl_background_options *opt, cl_background_report *report,
                      cu_err *err);

#endif
