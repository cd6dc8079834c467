/* cp_disc: a disc title of the catalog (a BDMV or VIDEO_TS folder or an
 * .iso, the main title at the disc's own path, the others at
 * "<disc>#NNNNN") opened for playing: the disc checked as cp_file checks
 * a file, then handed on as a cm_disc_ref descriptor that the HLS readers
 * read as the title's stream. */
#ifndef CP_DISC_H
#define CP_DISC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "util/cu_err.h"

/* Splits "<disc>#NNNNN" (five digits) into the disc's path and the title
 * number: true when path has that form. */
bool cp_disc_title_path(const char *path, char *disc, size_t size, int *number);

/* Whether path (as the catalog holds it) is a disc or a disc's title. */
bool cp_disc_is(const char *path);

/* Opens title `number` of the disc at path (number <= 0: the title the
 * "#NNNNN" suffix names, else the disc's main title as cm_disc chooses
 * it). The disc (folder or image) is opened without following a link as
 * its last component and its real location must lie inside one of roots.
 * Returns a cm_disc_ref descriptor, or CU_ENOTFOUND (missing, a link,
 * outside every root), CU_EMEDIA, CM_DISC_EENCRYPTED. st_out (may be NULL)
 * gets the disc's fstat; *title_out (may be NULL) the title played. */
int cp_disc_open(const char *path, int number, const char *const *roots, size_t root_count,
                 struct stat *st_out, int *title_out, cu_err *err);

/* The disc at path (a folder or an image as the catalog holds it, no
 * "#NNNNN"), checked as cp_disc_open checks it: opened without following
 * a link, its real location inside one of roots, a Blu-ray or DVD. Its
 * real path into real (size bytes), for reading its index (cm_disc_open).
 * CU_ENOTFOUND otherwise. */
int cp_disc_real_path(const char *path, const char *const *roots, size_t root_count, char *real,
                      size_t size, cu_err *err);

#endif
