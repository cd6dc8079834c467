/* cm_image: an image's dimensions from its header (JPEG, PNG, WebP),
 * read before anything is decoded: a 750 KB PNG can claim 16000x16000
 * pixels, a gigabyte once decoded. Only the first bytes are read. */
#include "media/cm_media.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

/* Markers a JPEG may carry before its frame header (APPn, comments,
 * tables): enough for any real file, bounded for a hostile one. */
#define JPEG_MAX_SEGMENTS 256

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}
static uint32_t be32(const uint8_t *p)
{
    return be16(p) << 16 | be16(p + 2);
}
static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}
static uint32_t le24(const uint8_t *p)
{
    return (uint32_t)p[2] << 16 | le16(p);
}

static int jpeg_size(const uint8_t *d, size_t n, int *w, int *h)
{
    size_t pos = 2;
    for (int seg = 0; seg < JPEG_MAX_SEGMENTS; seg++) {
        while (pos < n && d[pos] == 0xFF && pos + 1 < n && d[pos + 1] == 0xFF)
            pos++; /* fill bytes */
        if (pos + 4 > n || d[pos] != 0xFF)
            return CU_EPARSE;
        uint8_t marker = d[pos + 1];
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
            pos += 2; /* no length */
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA)
            return CU_EPARSE; /* end or scan data before any frame header */
        size_t len = be16(d + pos + 2);
        if (len < 2)
            return CU_EPARSE;
        bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (len < 7 || pos + 9 > n)
                return CU_EPARSE;
            *h = (int)be16(d + pos + 5);
            *w = (int)be16(d + pos + 7);
            return 0;
        }
        pos += 2 + len;
    }
    return CU_ELIMIT;
}

int cm_image_dimensions(const uint8_t *d, size_t n, int *width, int *height, cu_err *err)
{
    int w = 0, h = 0, rc = CU_EPARSE;
    if (n >= 24 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8) && !memcmp(d + 12, "IHDR", 4)) {
        uint32_t pw = be32(d + 16), ph = be32(d + 20);
        if (pw <= INT32_MAX && ph <= INT32_MAX) {
            w = (int)pw;
            h = (int)ph;
            rc = 0;
        }
    } else if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        rc = jpeg_size(d, n, &w, &h);
    } else if (n >= 30 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4)) {
        if (!memcmp(d + 12, "VP8 ", 4) && d[23] == 0x9d && d[24] == 0x01 && d[25] == 0x2a) {
            w = (int)(le16(d + 26) & 0x3fff);
            h = (int)(le16(d + 28) & 0x3fff);
            rc = 0;
        } else if (!memcmp(d + 12, "VP8L", 4) && d[20] == 0x2f) {
            uint32_t bits = le16(d + 21) | (uint32_t)le16(d + 23) << 16;
            w = (int)(bits & 0x3fff) + 1;
            h = (int)((bits >> 14) & 0x3fff) + 1;
            rc = 0;
        } else if (!memcmp(d + 12, "VP8X", 4)) {
            w = (int)le24(d + 24) + 1;
            h = (int)le24(d + 27) + 1;
            rc = 0;
        }
    }
    if (rc == CU_ELIMIT)
        return cu_err_set(err, CU_EPARSE, "no JPEG frame header in its first %d segments",
                          JPEG_MAX_SEGMENTS);
    if (rc < 0 || w <= 0 || h <= 0)
        return cu_err_set(err, CU_EPARSE, "not a JPEG, PNG or WebP image with a size");
    *width = w;
    *height = h;
    return 0;
}

/* Reads up to len bytes from the start of fd; the count read, or -errno. */
static ssize_t read_head(int fd, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int cm_image_fd_dimensions(int fd, int *width, int *height, cu_err *err)
{
    /* Read, not mapped: a file truncated by someone else while we look
     * would turn a mapped read into SIGBUS. Most headers sit in the first
     * 64 KiB; a JPEG with large metadata blocks before its frame header
     * gets up to CM_IMAGE_HEADER_BYTES. */
    size_t len = 64 * 1024;
    uint8_t *buf = malloc(len);
    if (!buf)
        return cu_err_set(err, -ENOMEM, "out of memory");
    ssize_t n = read_head(fd, buf, len);
    int rc;
    if (n < 0) {
        rc = cu_err_set(err, (int)n, "cannot read the image: %s", strerror((int)-n));
        goto done;
    }
    rc = cm_image_dimensions(buf, (size_t)n, width, height, err);
    if (rc < 0 && (size_t)n == len && buf[0] == 0xFF && buf[1] == 0xD8) {
        uint8_t *more = realloc(buf, CM_IMAGE_HEADER_BYTES);
        if (!more) {
            rc = cu_err_set(err, -ENOMEM, "out of memory");
            goto done;
        }
        buf = more;
        n = read_head(fd, buf, CM_IMAGE_HEADER_BYTES);
        if (n < 0) {
            rc = cu_err_set(err, (int)n, "cannot read the image: %s", strerror((int)-n));
            goto done;
        }
        rc = cm_image_dimensions(buf, (size_t)n, width, height, err);
    }
done:
    free(buf);
    return rc;
}

int cm_image_check_size(int fd, int *width, int *height, cu_err *err)
{
    int w = 0, h = 0;
    int rc = cm_image_fd_dimensions(fd, &w, &h, err);
    if (rc < 0)
        return rc;
    if (width)
        *width = w;
    if (height)
        *height = h;
    if ((int64_t)w * h > CM_IMAGE_MAX_PIXELS)
        return cu_err_set(err, CU_ELIMIT,
                          "image of %dx%d pixels is larger than the limit of %lld megapixels", w, h,
                          (long long)(CM_IMAGE_MAX_PIXELS / 1000000));
    return 0;
}
