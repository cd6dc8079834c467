/* cm_hls_internal: helpers shared by the HLS files of the media module
 * (opening a source with bounds). Not part of the module's face. */
#ifndef CM_HLS_INTERNAL_H
#define CM_HLS_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>

#include <libavformat/avformat.h>

#include "media/cm_hls_segment.h"
#include "media/cm_keyframes.h"
#include "util/cu_err.h"

/* A source opened for reading with a wall-clock deadline, through our own
 * I/O on a duplicate of a descriptor the caller opened (and checked):
 * nothing is opened by name, nothing on the file's behalf (playlists,
 * references). */
typedef struct cm_source {
    AVFormatContext *fmt;
    AVIOContext *pb;             /* ours: fmt uses it as custom I/O */
    int fd;                      /* our duplicate, read with pread */
    int64_t pos, size;           /* the I/O's position; the file's size when opened */
    int64_t deadline_us;         /* av_gettime_relative() bound; the interrupt cb reads it */
    struct cm_disc_stream *disc; /* a disc title (fd was a cm_disc_ref): read through it */
} cm_source;

/* fd is borrowed (duplicated); a disc title's reference (cm_disc_ref_new)
 * is read as the title's stream. name (may be NULL) only lets the format
 * probe weigh an extension. */
int cm_source_open(cm_source *src, int fd, const char *name, int64_t budget_us, bool find_info,
                   cu_err *err);
void cm_source_close(cm_source *src);
/* The constant S added to every output time, in the keyframe time base:
 * at least the deepest reordering and four frames. */
static inline int64_t cm_timeline_shift_ticks(const cm_keyframes *kf)
{
    return kf->reorder > 4 * kf->frame_duration ? kf->reorder : 4 * kf->frame_duration;
}

/* cm_hls_media_segment that gives up with -ECANCELED as soon as *cancel
 * is set (a worker whose player sought far away). cancel may be NULL. */
int cm_hls_media_segment_until(int fd, const cm_keyframes *kf, const cm_hls_plan *plan,
                               const cm_hls_output *out, size_t n, const atomic_bool *cancel,
                               cm_hls_bytes *seg, cu_err *err);

/* cm_keyframes_build, with use_index false to read every packet even
 * where the container has an index (tests compare the two). */
int cm_keyframes_build_full(int fd, bool use_index, cm_keyframes **out, cu_err *err);

/* Maps a libav* error to our code with a reason. */
int cm_av_error(cu_err *err, int averr, const char *what);

#endif
