/* cm_source: opens a film for the HLS code with the bounds every reader
 * here needs: a deadline checked by libavformat's interrupt callback, our
 * own I/O on a descriptor the caller opened and checked (no protocol at
 * all), and no nested opens (hls, concat, dash references). */
#include "media/cm_hls_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/time.h>

#include "media/cm_disc.h"

#define SOURCE_PROBE_BYTES (5 * 1024 * 1024)
#define SOURCE_ANALYZE_US (5 * 1000 * 1000)
#define SOURCE_IO_BUFFER (64 * 1024)

static int interrupt_cb(void *opaque)
{
    const cm_source *src = opaque;
    return av_gettime_relative() > src->deadline_us;
}

static int refuse_io_open(struct AVFormatContext *s, AVIOContext **pb, const char *url, int flags,
                          AVDictionary **options)
{
    (void)s, (void)pb, (void)url, (void)flags, (void)options;
    return AVERROR(EPERM);
}

int cm_av_error(cu_err *err, int averr, const char *what)
{
    if (averr == AVERROR_EXIT)
        return cu_err_set(err, CU_ELIMIT, "%s: took too long", what);
    if (averr == AVERROR(ENOMEM))
        return cu_err_set(err, -ENOMEM, "%s: out of memory", what);
    if (averr == AVERROR(ENOENT) || averr == AVERROR(EACCES))
        return cu_err_set(err, averr, "%s: %s", what, strerror(-averr));
    char reason[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(averr, reason, sizeof reason);
    return cu_err_set(err, CU_EMEDIA, "%s: %s", what, reason);
}

/* The custom I/O on our own duplicate of the checked descriptor: pread at
 * our own position, so sources opened on one descriptor by several
 * threads never move each other's offset. */
static int read_cb(void *opaque, uint8_t *buf, int size)
{
    cm_source *src = opaque;
    for (;;) {
        ssize_t n = pread(src->fd, buf, (size_t)size, (off_t)src->pos);
        if (n > 0) {
            src->pos += n;
            return (int)n;
        }
        if (n == 0)
            return AVERROR_EOF;
        if (errno != EINTR)
            return AVERROR(errno);
    }
}

static int64_t seek_cb(void *opaque, int64_t offset, int whence)
{
    cm_source *src = opaque;
    whence &= ~AVSEEK_FORCE;
    int64_t to;
    if (whence == AVSEEK_SIZE)
        return src->size;
    if (whence == SEEK_SET)
        to = offset;
    else if (whence == SEEK_CUR)
        to = src->pos + offset;
    else if (whence == SEEK_END)
        to = src->size + offset;
    else
        return AVERROR(EINVAL);
    if (to < 0)
        return AVERROR(EINVAL);
    src->pos = to;
    return to;
}

/* A disc title's bytes: the disc reader's own position, moved on seeks. */
static int disc_read_cb(void *opaque, uint8_t *buf, int size)
{
    cm_source *src = opaque;
    int n = cm_disc_stream_read(src->disc, buf, size);
    if (n > 0)
        src->pos += n;
    return n > 0 ? n : n == 0 ? AVERROR_EOF : AVERROR(EIO);
}

static int64_t disc_seek_cb(void *opaque, int64_t offset, int whence)
{
    cm_source *src = opaque;
    whence &= ~AVSEEK_FORCE;
    if (whence == AVSEEK_SIZE)
        return src->size;
    int64_t to = whence == SEEK_SET   ? offset
                 : whence == SEEK_CUR ? src->pos + offset
                 : whence == SEEK_END ? src->size + offset
                                      : -1;
    if (to < 0 || to > src->size)
        return AVERROR(EINVAL);
    int64_t at = cm_disc_stream_seek(src->disc, to);
    if (at < 0)
        return AVERROR(EIO);
    src->pos = at;
    return at;
}

/* Puts a disc title's streams in the order the catalog numbers them
 * (cm_disc_title_info): the demuxers find them in the order packets
 * arrive (MPEG-PS) or the PMT lists them. The demuxers refer to a stream
 * through its AVStream (and give packets its index), so renumbering the
 * array keeps them consistent. */
static void order_disc_streams(cm_source *src)
{
    int ids[128];
    size_t n = cm_disc_stream_order(src->disc, ids, sizeof ids / sizeof *ids);
    AVFormatContext *fmt = src->fmt;
    unsigned next = 0;
    for (size_t k = 0; k < n && next < fmt->nb_streams; k++) {
        for (unsigned i = next; i < fmt->nb_streams; i++) {
            if (fmt->streams[i]->id != ids[k])
                continue;
            AVStream *st = fmt->streams[i];
            memmove(&fmt->streams[next + 1], &fmt->streams[next],
                    (i - next) * sizeof *fmt->streams);
            fmt->streams[next++] = st;
            break;
        }
    }
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        fmt->streams[i]->index = (int)i;
}

int cm_source_open(cm_source *src, int fd, const char *name, int64_t budget_us, bool find_info,
                   cu_err *err)
{
    memset(src, 0, sizeof *src);
    src->fd = -1;
    src->deadline_us = av_gettime_relative() + budget_us;
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0)
        return cu_err_set(err, CU_EINVAL, "no open file given");
    if (!S_ISREG(sb.st_mode))
        return cu_err_set(err, CU_EMEDIA, "not a regular file");
    char disc_path[4096];
    int title = -1;
    bool is_disc = cm_disc_ref_read(fd, disc_path, sizeof disc_path, &title);
    if (is_disc) {
        int rc = cm_disc_stream_open(disc_path, title, &src->disc, err);
        if (rc < 0)
            return rc;
        src->size = cm_disc_stream_size(src->disc);
    } else {
        src->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (src->fd < 0)
            return cu_err_set(err, -errno, "%s", strerror(errno));
        src->size = (int64_t)sb.st_size;
    }
    AVFormatContext *fmt = avformat_alloc_context();
    uint8_t *buffer = av_malloc(SOURCE_IO_BUFFER);
    if (fmt && buffer)
        src->pb =
            avio_alloc_context(buffer, SOURCE_IO_BUFFER, 0, src, is_disc ? disc_read_cb : read_cb,
                               NULL, is_disc ? disc_seek_cb : seek_cb);
    if (!src->pb) {
        av_free(buffer);
        avformat_free_context(fmt);
        cm_source_close(src);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    fmt->interrupt_callback = (AVIOInterruptCB){.callback = interrupt_cb, .opaque = src};
    fmt->probesize = SOURCE_PROBE_BYTES;
    fmt->max_analyze_duration = SOURCE_ANALYZE_US;
    /* Our I/O reads the one descriptor; every other open (playlists,
     * references, a concat list naming other files) is refused. The name
     * only lets the probe weigh the extension: nothing opens it. */
    fmt->pb = src->pb;
    fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    fmt->io_open = refuse_io_open;
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "protocol_whitelist", "none", 0);
    int rc = avformat_open_input(&fmt, name ? name : "", NULL, &opts);
    av_dict_free(&opts);
    if (rc < 0) {
        cm_source_close(src);
        return cm_av_error(err, rc, "cannot open");
    }
    src->fmt = fmt;
    /* A container without a header (MPEG program streams: DVD titles,
     * .mpg, .vob) names its streams only as packets arrive: they must be
     * found before anyone picks one by number. */
    if (find_info || (fmt->ctx_flags & AVFMTCTX_NOHEADER)) {
        /* Streams found while reading (MPEG-PS adds them) get no options:
         * the array covers the streams known now, and only those are freed. */
        unsigned opt_count = fmt->nb_streams;
        AVDictionary **stream_opts = av_calloc(opt_count ? opt_count : 1, sizeof *stream_opts);
        for (unsigned i = 0; stream_opts && i < opt_count; i++)
            av_dict_set(&stream_opts[i], "threads", "1", 0);
        rc = avformat_find_stream_info(fmt, stream_opts);
        for (unsigned i = 0; stream_opts && i < opt_count; i++)
            av_dict_free(&stream_opts[i]);
        av_freep(&stream_opts);
        if (rc < 0) {
            cm_source_close(src);
            return cm_av_error(err, rc, "cannot read streams");
        }
    }
    if (src->disc)
        order_disc_streams(src);
    return 0;
}

void cm_source_close(cm_source *src)
{
    avformat_close_input(&src->fmt);
    if (src->pb) {
        av_freep(&src->pb->buffer);
        avio_context_free(&src->pb);
    }
    if (src->fd >= 0)
        close(src->fd);
    src->fd = -1;
    cm_disc_stream_free(src->disc);
    src->disc = NULL;
}
