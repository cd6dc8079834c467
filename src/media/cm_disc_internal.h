/* cm_disc_internal: what cm_disc.c shares with its two readers
 * (cm_disc_bluray.c, cm_disc_dvd.c). Not part of the module's face. */
#ifndef CM_DISC_INTERNAL_H
#define CM_DISC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "media/cm_disc.h"

/* Bytes the readers let the libraries read from one disc before refusing
 * more: index files of the largest real discs stay far below it. */
#define CM_DISC_MAX_INDEX_BYTES (64 * 1024 * 1024)

/* Each reader fills disc (titles, name, bytes_read, warnings) from path,
 * a folder holding BDMV or VIDEO_TS, or an image file (image true). */
int cm_disc_bluray_read(const char *path, bool image, cm_disc *disc, cu_err *err);
int cm_disc_dvd_read(const char *path, bool image, cm_disc *disc, cu_err *err);
/* Whether the image file at path holds a Blu-ray (resp. DVD) file system. */
bool cm_disc_bluray_image_is(const char *path);
bool cm_disc_dvd_image_is(const char *path);

/* What a reader gives cm_disc_stream: its own state and how to read it. */
typedef struct cm_disc_stream_ops {
    int (*read)(void *impl, uint8_t *buf, int size);
    int64_t (*seek)(void *impl, int64_t pos);
    void (*free)(void *impl);
} cm_disc_stream_ops;

/* The stream ids (MPEG-TS PIDs; MPEG-PS stream ids as libavformat
 * numbers them: 0x1e0 video, 0x80+n AC-3, 0x20+n subpictures...) of a
 * title's video, audio and subtitle tracks in the order cm_disc_title
 * lists them. */
#define CM_DISC_ORDER_MAX (1 + 2 * CM_DISC_MAX_TRACKS)
typedef struct cm_disc_order {
    int ids[CM_DISC_ORDER_MAX];
    size_t count;
    /* A DVD title's subpicture colours (its programme chain's table, as
     * the IFO holds it: 0x00YYCrCb); palette_set false when none. */
    uint32_t palette[16];
    bool palette_set;
} cm_disc_order;

/* Each reader opens title number for playing: *impl, *size and *order on
 * success. */
int cm_disc_bluray_stream(const char *path, bool image, int number, const cm_disc_stream_ops **ops,
                          void **impl, int64_t *size, cm_disc_order *order, cu_err *err);
int cm_disc_dvd_stream(const char *path, int number, const cm_disc_stream_ops **ops, void **impl,
                       int64_t *size, cm_disc_order *order, cu_err *err);

/* Appends a zeroed title; NULL once CM_DISC_MAX_TITLES are there. */
cm_disc_title *cm_disc_add_title(cm_disc *disc);
/* Appends one line to disc->warnings (cut when full). */
void cm_disc_warn(cm_disc *disc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
