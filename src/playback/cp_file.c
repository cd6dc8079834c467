/* cp_file: open, then ask the descriptor what it is and where it really
 * leads (the kernel resolved every folder link during the open; the last
 * component may not be a link at all). */
#include "playback/cp_file.h"
#include "util/cu_path.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The one check behind both openers: a directory is taken too when dirs
 * (a disc folder); the real path goes to real (size bytes). */
static int open_checked(const char *path, const char *const *roots, size_t root_count, bool dirs,
                        struct stat *st_out, char *real, size_t size, cu_err *err)
{
    if (!path || !*path)
        return cu_err_set(err, CU_ENOTFOUND, "no file");
    /* O_NONBLOCK only guards the open itself against a FIFO swapped in
     * (it would wait for a writer); it is cleared before any read. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR || e == ELOOP)
            return cu_err_set(err, CU_ENOTFOUND, "%s: %s", path,
                              e == ELOOP ? "a symbolic link; refused" : strerror(e));
        return cu_err_set(err, -e, "%s: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return cu_err_set(err, -e, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode) && !(dirs && S_ISDIR(st.st_mode))) {
        close(fd);
        return cu_err_set(err, CU_ENOTFOUND, "%s: %s", path,
                          dirs ? "not a disc folder or image" : "not a regular file");
    }
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(proc, real, size - 1);
    if (n <= 0 || (size_t)n >= size - 1) {
        close(fd);
        return cu_err_set(err, CU_ENOTFOUND, "%s: its real location cannot be read", path);
    }
    real[n] = '\0';
    /* A file deleted after the open reads back as "... (deleted)": not a
     * canonical path, so it is inside no root and refused. */
    size_t i = 0;
    while (i < root_count && !(roots[i] && cu_path_is_within(roots[i], real)))
        i++;
    if (i == root_count) {
        close(fd);
        return cu_err_set(err, CU_ENOTFOUND, "%s: leads outside the folders it is served from",
                          path);
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        int e = errno;
        close(fd);
        return cu_err_set(err, -e, "%s: %s", path, strerror(e));
    }
    if (st_out)
        *st_out = st;
    return fd;
}

int cp_file_open(const char *path, const char *const *roots, size_t root_count, struct stat *st_out,
                 cu_err *err)
{
    char real[PATH_MAX];
    return open_checked(path, roots, root_count, false, st_out, real, sizeof real, err);
}

int cp_file_open_disc(const char *path, const char *const *roots, size_t root_count,
                      struct stat *st_out, char *real, size_t size, cu_err *err)
{
    return open_checked(path, roots, root_count, true, st_out, real, size, err);
}
