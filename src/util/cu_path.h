/* cu_path: file path helpers. Pure string work; nothing here touches disk
 * except cu_path_real. */
#ifndef CU_PATH_H
#define CU_PATH_H

#include <stdbool.h>

/* "a" + "/" + "b", without doubling the slash. Caller frees. */
char *cu_path_join(const char *a, const char *b);
/* The last component (a pointer into path). */
const char *cu_path_basename(const char *path);
/* Everything before the last slash ("." when none). Caller frees. */
char *cu_path_dirname(const char *path);
/* Extension of the last component without the dot ("" when none; a leading
 * dot of a hidden file is not an extension). A pointer into path. */
const char *cu_path_ext(const char *path);
/* The last component without its extension. Caller frees. */
char *cu_path_stem(const char *path);
/* True when path is root itself or lies beneath it. Both must be absolute
 * and canonical (no "." or ".." components, no trailing slash). */
bool cu_path_is_within(const char *root, const char *path);
/* realpath() into a new string, or NULL with errno set. */
char *cu_path_real(const char *path);
/* An absolute form of path that need not exist yet: its folder resolved
 * with realpath() when it exists, else path joined to the working
 * directory. Caller frees; NULL with errno set on failure. */
char *cu_path_absolute(const char *path);

#endif
