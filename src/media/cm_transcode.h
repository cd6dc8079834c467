/* cm_transcode: the transcoding workers of playbacks and the shared limit on how
 * many run at once */
#ifndef CM_TRANSCODE_H
#define CM_TRANSCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "media/cm_hls_segment.h"
#include "util/cu_err.h"

/* A limit on how many transcodes run at once, shared by all playbacks. */
typedef struct cm_transcode_limit cm_transcode_limit;
cm_transcode_limit *cm_transcode_limit_new(int max_running);
void cm_transcode_limit_free(cm_transcode_limit *limit);
int cm_transcode_limit_running(cm_transcode_limit *limit);

/* One playback's worker: threads that make segments ahead of the last one
 * asked for (a window of `ahead`), and move there at a far seek. */
typedef struct cm_transcode cm_transcode;

/* CU_EBUSY (with a message for a person) when the limit is reached. The
 * worker keeps its own copies of kf, plan and out, and of the descriptor fd. */
int cm_transcode_new(cm_transcode_limit *limit, int fd, const cm_keyframes *kf,
                     const cm_hls_plan *plan, const cm_hls_output *out, int ahead,
                     cm_transcode **tc, cu_err *err);
/* Segment n, waiting at most timeout_ms for the worker to make it (a far n
 * moves the worker there). CU_ELIMIT on timeout. */
int cm_transcode_get(cm_transcode *tc, size_t n, int timeout_ms, cm_hls_bytes *seg, cu_err *err);
/* Whether segment n is made (or failed): cm_transcode_get would answer at
 * once. Does not move the worker. */
bool cm_transcode_ready(cm_transcode *tc, size_t n);
/* Moves the worker to segment n only when it has nothing to do (every
 * segment of its window made): one waiting for a segment that fell out of
 * the window gets it in turn, without taking a busy worker away. */
void cm_transcode_nudge(cm_transcode *tc, size_t n);
/* Milliseconds since the last cm_transcode_get or touch, for reaping idle
 * workers; touch marks it used now (a caller about to wait on it, so a
 * reaper that frees workers idle longer than any wait cannot free it). */
int64_t cm_transcode_idle_ms(cm_transcode *tc);
void cm_transcode_touch(cm_transcode *tc);
/* Stops the thread and frees everything. */
void cm_transcode_free(cm_transcode *tc);

#endif
