/* cm_disc_stream: a disc title's bytes for the player, and the small
 * in-memory reference that carries a title through descriptor-based code
 * (the HLS readers take an open file; a title is not one). */
#include "media/cm_disc.h"
#include "media/cm_disc_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cu_str.h"

/* "cinemateca disc title" then the number, a newline and the path. */
#define REF_MAGIC "CMDISCREF1\n"
#define REF_MAX_BYTES 4200

struct cm_disc_stream {
    const cm_disc_stream_ops *ops;
    void *impl;
    int64_t size;
    cm_disc_order order;
};

int cm_disc_stream_open(const char *path, int number, cm_disc_stream **out, cu_err *err)
{
    *out = NULL;
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return cu_err_set(err, CU_ENOTFOUND, "the disc is not there");
    if (number < 0)
        return cu_err_set(err, CU_ENOTFOUND, "no title %d on the disc", number);
    bool image = S_ISREG(st.st_mode);
    const cm_disc_stream_ops *ops = NULL;
    void *impl = NULL;
    int64_t size = 0;
    cm_disc_order order = {0};
    int rc;
    switch (cm_disc_detect(path)) {
    case CM_DISC_BLURAY:
        rc = cm_disc_bluray_stream(path, image, number, &ops, &impl, &size, &order, err);
        break;
    case CM_DISC_DVD: rc = cm_disc_dvd_stream(path, number, &ops, &impl, &size, &order, err); break;
    default: rc = cu_err_set(err, CU_EMEDIA, "not a Blu-ray or DVD"); break;
    }
    if (rc < 0)
        return rc;
    cm_disc_stream *s = cu_xcalloc(1, sizeof *s);
    s->ops = ops;
    s->impl = impl;
    s->size = size;
    s->order = order;
    *out = s;
    return 0;
}

int cm_disc_stream_read(cm_disc_stream *s, uint8_t *buf, int size)
{
    return size <= 0 ? 0 : s->ops->read(s->impl, buf, size);
}

int64_t cm_disc_stream_seek(cm_disc_stream *s, int64_t pos)
{
    if (pos < 0 || pos > s->size)
        return -EINVAL;
    return s->ops->seek(s->impl, pos);
}

int64_t cm_disc_stream_size(const cm_disc_stream *s)
{
    return s->size;
}

size_t cm_disc_stream_order(const cm_disc_stream *s, int *ids, size_t max)
{
    size_t n = s->order.count < max ? s->order.count : max;
    memcpy(ids, s->order.ids, n * sizeof *ids);
    return n;
}

static uint8_t clamp255(double v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)(v + 0.5);
}

bool cm_disc_stream_palette(const cm_disc_stream *s, uint32_t rgb[16])
{
    if (!s->order.palette_set)
        return false;
    for (int i = 0; i < 16; i++) {
        uint32_t c = s->order.palette[i];
        /* BT.601, video range (Y 16-235), as DVD players read it. */
        double y = 1.164 * ((double)((c >> 16) & 0xff) - 16), cr = (double)((c >> 8) & 0xff) - 128,
               cb = (double)(c & 0xff) - 128;
        rgb[i] = (uint32_t)clamp255(y + 1.596 * cr) << 16 |
                 (uint32_t)clamp255(y - 0.391 * cb - 0.813 * cr) << 8 | clamp255(y + 2.018 * cb);
    }
    return true;
}

void cm_disc_stream_free(cm_disc_stream *s)
{
    if (!s)
        return;
    s->ops->free(s->impl);
    free(s);
}

/* ---- the reference ---- */

int cm_disc_ref_new(const char *real_path, int number, cu_err *err)
{
    if (!real_path || real_path[0] != '/' || strchr(real_path, '\n') || number < 0)
        return cu_err_set(err, CU_EINVAL, "not a disc title");
    char text[REF_MAX_BYTES];
    int len = snprintf(text, sizeof text, REF_MAGIC "%d\n%s", number, real_path);
    if (len < 0 || (size_t)len >= sizeof text)
        return cu_err_set(err, CU_ELIMIT, "the disc's path is too long");
    int fd = memfd_create("cinemateca-disc-title", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return cu_err_set(err, -errno, "memfd: %s", strerror(errno));
    /* Sealed: nothing (no other holder of a duplicate) can change what it
     * names, and only a sealed memory file is taken for a reference. */
    if (pwrite(fd, text, (size_t)len, 0) != len ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
        int e = errno;
        close(fd);
        return cu_err_set(err, -e, "memfd: %s", strerror(e));
    }
    return fd;
}

bool cm_disc_ref_read(int fd, char *path, size_t size, int *number)
{
    int seals = fcntl(fd, F_GET_SEALS);
    if (seals < 0 || !(seals & F_SEAL_WRITE))
        return false;
    char text[REF_MAX_BYTES + 1];
    ssize_t n = pread(fd, text, REF_MAX_BYTES, 0);
    if (n <= (ssize_t)strlen(REF_MAGIC) || memcmp(text, REF_MAGIC, strlen(REF_MAGIC)) != 0)
        return false;
    text[n] = '\0';
    char *p = text + strlen(REF_MAGIC), *nl = strchr(p, '\n');
    if (!nl || nl == p || nl - p > 9)
        return false;
    int value = 0;
    for (char *d = p; d < nl; d++) {
        if (*d < '0' || *d > '9')
            return false;
        value = value * 10 + (*d - '0');
    }
    if (nl[1] != '/' || strlen(nl + 1) >= size)
        return false;
    cu_strlcpy(path, nl + 1, size);
    *number = value;
    return true;
}
