/* cp_file: the house's one checked opener. Every file served to a client
 * (direct play, artwork, the bytes behind HLS) is opened here, so the rule
 * "a regular file, reached without a symbolic link as its last component,
 * whose real location lies inside a folder we serve from" has one
 * function and is checked on the descriptor, with no window between the
 * check and the use. */
#ifndef CP_FILE_H
#define CP_FILE_H

#include <stddef.h>
#include <sys/stat.h>

#include "util/cu_err.h"

/* Opens path read-only for serving: O_RDONLY|O_CLOEXEC|O_NOFOLLOW (a
 * symlink as last component is refused), then checks the DESCRIPTOR: fstat
 * says regular file, and its real path (/proc/self/fd/N via readlink) lies
 * inside one of roots[0..root_count) (canonical folders). Returns a
 * descriptor >= 0, or a negative code: CU_ENOTFOUND for missing / symlink /
 * outside every root / not a regular file (callers answer 404), another
 * negative code for I/O errors (-EACCES: callers answer 403). st_out (may
 * be NULL) gets the fstat. The descriptor is blocking (a FIFO cannot hold
 * the open: it is opened non-blocking, then refused). */
int cp_file_open(const char *path, const char *const *roots, size_t root_count, struct stat *st_out,
                 cu_err *err);

/* The same check for a disc, which its reader opens by path (a BDMV or
 * VIDEO_TS folder, or an image): a directory is taken as well as a
 * regular file, and real (size bytes) receives where the descriptor
 * really leads (the path to hand the reader). Errors as cp_file_open. */
int cp_file_open_disc(const char *path, const char *const *roots, size_t root_count,
                      struct stat *st_out, char *real, size_t size, cu_err *err);

#endif
