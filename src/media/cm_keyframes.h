/* cm_keyframes: where a film's video may be cut: one pass over the video packets (or
 * the container's own index), saved as a small versioned blob */
#ifndef CM_KEYFRAMES_H
#define CM_KEYFRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

/* Bounds on one index: a three-hour film with a keyframe every half second
 * has ~22,000; a hostile file cannot make us hold more than this. */
#define CM_KEYFRAMES_MAX (1 << 20)

/* Where the video stream of one file may be cut. Plain data. */
typedef struct cm_keyframes {
    int stream_index;       /* the video stream in the container */
    int tb_num, tb_den;     /* time base of every time below */
    int64_t end;            /* end of the last video frame */
    int64_t reorder;        /* deepest decode-order delay seen (max over GOPs of
                         * sorted pts - pts), >= 0 */
    int64_t frame_duration; /* typical frame duration, > 0 */
    uint64_t source_size;   /* size and mtime (s) of the file when indexed, */
    int64_t source_mtime;   /* so a cached index can be checked for staleness */
    size_t count;           /* >= 1 */
    int64_t *pts;           /* keyframe presentation times, strictly ascending */
} cm_keyframes;

/* Reads every packet of the video stream of the open file fd once (no decoding) and
 * records its keyframes. Bounded in time (a few minutes for a huge file) and
 * memory (CM_KEYFRAMES_MAX). CU_EMEDIA when there is no video stream or no
 * keyframe. */
int cm_keyframes_build(int fd, cm_keyframes **out, cu_err *err);
/* A small binary file (atomic write); load checks magic, version, bounds. */
int cm_keyframes_save(const cm_keyframes *kf, const char *path, cu_err *err);
int cm_keyframes_load(const char *path, cm_keyframes **out, cu_err *err);
/* The same as a blob (caller frees) and back, for callers that store it
 * elsewhere. */
int cm_keyframes_serialize(const cm_keyframes *kf, uint8_t **out, size_t *len);
int cm_keyframes_parse(const uint8_t *data, size_t len, cm_keyframes **out, cu_err *err);
void cm_keyframes_free(cm_keyframes *kf);

#endif
