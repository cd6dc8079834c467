/* cm_type: a title set in type on a picture, with FreeType and the DejaVu
 * fonts Debian ships (fonts-dejavu-core): what a generated poster says.
 * Internal to media (cm_thumb.c); bounded: at most CM_TYPE_MAX_LINES
 * lines, the title cut at CM_TYPE_MAX_BYTES. */
#ifndef CM_TYPE_H
#define CM_TYPE_H

#include <stdint.h>

#include "util/cu_err.h"

#define CM_TYPE_SERIF_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
#define CM_TYPE_SANS "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define CM_TYPE_MAX_LINES 4
#define CM_TYPE_MAX_BYTES 400

/* Darkens the lower part of the RGB24 picture (w x h, stride bytes a row)
 * and sets title (UTF-8; invalid bytes skipped), wrapped and as large as
 * fits, above the year (0: none) near its foot, in white. CU_ENOTFOUND
 * when a font file is missing, CU_EMEDIA when FreeType fails. */
int cm_type_title(uint8_t *rgb, int w, int h, int stride, const char *title, int year, cu_err *err);

#endif
