/* cm_disc_internal: what cm_disc.c shares with its two readers
 * (cm_disc_bluray.c, cm_disc_dvd.c). Not part of the module's face. */
#ifndef CM_DISC_INTERNAL_H
#define CM_DISC_INTERNAL_H

#include <stdbool.h>

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

/* Appends a zeroed title; NULL once CM_DISC_MAX_TITLES are there. */
cm_disc_title *cm_disc_add_title(cm_disc *disc);
/* Appends one line to disc->warnings (cut when full). */
void cm_disc_warn(cm_disc *disc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
