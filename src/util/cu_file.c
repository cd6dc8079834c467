/* cu_file: whole-file replacement (temporary, fsync, rename) with the
 * previous version kept aside. */
#include "util/cu_file.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *cu_file_temp_name(const char *path)
{
    static atomic_uint counter;
    unsigned n = atomic_fetch_add(&counter, 1) + 1;
    return cu_xasprintf("%s.tmp.%d.%u", path, (int)getpid(), n);
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes data to a new file at tmp (which must not exist) and syncs it. */
static int write_new(const char *tmp, const void *data, size_t len, mode_t mode, cu_err *err)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return cu_err_set(err, -errno, "cannot create %s: %s", tmp, strerror(errno));
    int rc = write_all(fd, data, len);
    if (rc == 0 && fsync(fd) != 0)
        rc = -errno;
    if (close(fd) != 0 && rc == 0)
        rc = -errno;
    if (rc < 0) {
        unlink(tmp);
        return cu_err_set(err, rc, "cannot write %s: %s", tmp, strerror(-rc));
    }
    return 0;
}

/* The folder's entry changes (rename) survive a power loss only once the
 * folder itself is synced. */
static void sync_dir_of(const char *path)
{
    char *dir = cu_path_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Keeps the file at path as bak: a hard link when the file system has
 * them (no copy, and the old file stays whole however large), else a
 * copy. Through a temporary, so an older bak is replaced whole too. */
static int keep_previous(const char *path, const char *bak, cu_err *err)
{
    char *tmp = cu_file_temp_name(bak);
    int rc = 0;
    if (link(path, tmp) != 0) {
        char *data = NULL;
        size_t len = 0;
        struct stat st;
        rc = cu_file_read(path, (size_t)1 << 30, &data, &len, err);
        if (rc == 0)
            rc = write_new(tmp, data, len, stat(path, &st) == 0 ? (st.st_mode & 0777) : 0644, err);
        free(data);
    }
    if (rc == 0 && rename(tmp, bak) != 0) {
        rc = cu_err_set(err, -errno, "cannot keep %s: %s", bak, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

int cu_file_replace(const char *path, const void *data, size_t len, const char *bak, cu_err *err)
{
    struct stat st;
    bool exists = lstat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        return cu_err_set(err, CU_EINVAL, "%s is not a regular file", path);
    char *tmp = cu_file_temp_name(path);
    int rc = write_new(tmp, data, len, exists ? (st.st_mode & 0777) : 0644, err);
    if (rc == 0 && exists && bak)
        rc = keep_previous(path, bak, err);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = cu_err_set(err, -errno, "cannot replace %s: %s", path, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    else
        sync_dir_of(path);
    free(tmp);
    return rc;
}

int cu_file_read(const char *path, size_t max, char **data, size_t *len, cu_err *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0)
        return cu_err_set(err, -errno, "cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cu_err_set(err, CU_EINVAL, "%s is not a regular file", path);
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return cu_err_set(err, CU_ELIMIT, "%s is larger than %zu bytes", path, max);
    }
    size_t cap = (size_t)st.st_size + 1, got = 0;
    char *buf = cu_xmalloc(cap + 1);
    for (;;) {
        if (got == cap) {
            if (cap > max) {
                free(buf);
                close(fd);
                return cu_err_set(err, CU_ELIMIT, "%s is larger than %zu bytes", path, max);
            }
            cap *= 2;
            buf = cu_xrealloc(buf, cap + 1);
        }
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return cu_err_set(err, -e, "cannot read %s: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}
