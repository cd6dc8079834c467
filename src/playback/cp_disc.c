/* cp_disc: the checked opener for disc titles (see cp_disc.h). */
#include "playback/cp_disc.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "media/cm_disc.h"
#include "playback/cp_file.h"
#include "util/cu_str.h"

bool cp_disc_title_path(const char *path, char *disc, size_t size, int *number)
{
    const char *hash = path ? strrchr(path, '#') : NULL;
    if (!hash || hash == path || strlen(hash) != 6)
        return false;
    int n = 0;
    for (const char *p = hash + 1; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        n = n * 10 + (*p - '0');
    }
    size_t len = (size_t)(hash - path);
    if (len >= size)
        return false;
    memcpy(disc, path, len);
    disc[len] = '\0';
    *number = n;
    return true;
}

bool cp_disc_is(const char *path)
{
    char disc[PATH_MAX];
    int number;
    if (!path)
        return false;
    if (cp_disc_title_path(path, disc, sizeof disc, &number))
        return cm_disc_detect(disc) != CM_DISC_NONE;
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    return (S_ISDIR(st.st_mode) || cu_str_has_suffix_ci(path, ".iso")) &&
           cm_disc_detect(path) != CM_DISC_NONE;
}

/* The disc's real path, checked on a descriptor by the house's opener. */
static int checked_real_path(const char *path, const char *const *roots, size_t root_count,
                             struct stat *st, char *real, size_t size, cu_err *err)
{
    int fd = cp_file_open_disc(path, roots, root_count, st, real, size, err);
    if (fd < 0)
        return fd;
    close(fd);
    return 0;
}

int cp_disc_real_path(const char *path, const char *const *roots, size_t root_count, char *real,
                      size_t size, cu_err *err)
{
    struct stat st;
    if (!path || !*path)
        return cu_err_set(err, CU_ENOTFOUND, "no file");
    int rc = checked_real_path(path, roots, root_count, &st, real, size, err);
    if (rc < 0)
        return rc;
    if (cm_disc_detect(real) == CM_DISC_NONE)
        return cu_err_set(err, CU_ENOTFOUND, "%s: not a Blu-ray or DVD", path);
    return 0;
}

int cp_disc_open(const char *path, int number, const char *const *roots, size_t root_count,
                 struct stat *st_out, int *title_out, cu_err *err)
{
    char disc[PATH_MAX], real[PATH_MAX];
    int suffix = 0;
    if (!path || !*path)
        return cu_err_set(err, CU_ENOTFOUND, "no file");
    if (!cp_disc_title_path(path, disc, sizeof disc, &suffix))
        cu_strlcpy(disc, path, sizeof disc);
    else if (number <= 0)
        number = suffix;
    struct stat st;
    int rc = checked_real_path(disc, roots, root_count, &st, real, sizeof real, err);
    if (rc < 0)
        return rc;
    if (cm_disc_detect(real) == CM_DISC_NONE)
        return cu_err_set(err, CU_ENOTFOUND, "%s: not a Blu-ray or DVD", path);
    if (number <= 0) {
        /* The main title as the disc reader chooses it (index files only). */
        cm_disc *d = NULL;
        if ((rc = cm_disc_open(real, &d, err)) < 0)
            return rc;
        number = d->titles[d->main_title].number;
        cm_disc_free(d);
    }
    int fd = cm_disc_ref_new(real, number, err);
    if (fd < 0)
        return fd;
    if (st_out)
        *st_out = st;
    if (title_out)
        *title_out = number;
    return fd;
}
