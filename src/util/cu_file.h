/* cu_file: replacing a file whole, so that a reader, a full disk or a crash
 * never leaves half of it where the whole one was. */
#ifndef CU_FILE_H
#define CU_FILE_H

#include <stddef.h>

#include "util/cu_err.h"

/* Writes data[0..len) to path: first to a temporary beside it
 * (cu_file_temp_name), synced, then renamed
 * over path, and the folder synced. When path exists and bak is not NULL,
 * the previous file is kept at bak first (a hard link to it, or a copy
 * where links are not possible), replacing an older bak. On any failure
 * path is as it was and no temporary is left; err says what failed. */
int cu_file_replace(const char *path, const void *data, size_t len, const char *bak, cu_err *err);

/* A fresh temporary name beside path, "path.tmp.PID.N" (N counts the
 * process's calls, so two threads writing the same file never share one;
 * cu_tmp_sweep recognises it). malloc'd. */
char *cu_file_temp_name(const char *path);

/* Reads the regular file at path whole (at most max bytes, else CU_ELIMIT)
 * into a malloc'd buffer with a NUL after its len bytes. */
int cu_file_read(const char *path, size_t max, char **data, size_t *len, cu_err *err);

#endif
