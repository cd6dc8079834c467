/* cm_probe: describes one media file with libavformat, in-process.
 * Files are hostile: the file is read through our own descriptor (so a path
 * is never taken for a URL or protocol), nothing else may be opened on its
 * behalf, and reading is bounded in bytes, media time and wall-clock time. */
#include "media/cm_media.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>

#include "media/cm_probe_internal.h"
#include "util/cu_str.h"

/* Limits for one probe. The deadline is wall-clock (a slow disk, a network
 * mount or a pathological file must not hold a scanner thread for long). */
#define PROBE_DEADLINE_US (10 * 1000 * 1000)
#define PROBE_SIZE_BYTES (5 * 1024 * 1024)
#define PROBE_ANALYZE_US (5 * 1000 * 1000)
#define PROBE_IO_BUFFER 32768

/* State shared by the I/O callbacks and the interrupt callback. */
typedef struct probe_io {
    int fd;
    int64_t pos;         /* ours, read with pread: a shared descriptor's offset is never moved */
    int64_t size;        /* file size at open time */
    int64_t deadline_us; /* av_gettime_relative() value after which we stop */
    bool timed_out;
} probe_io;

void cm_media_init(void)
{
    /* Idempotent, so calling it more than once is harmless. */
    av_log_set_level(AV_LOG_QUIET);
}

static bool past_deadline(probe_io *io)
{
    if (av_gettime_relative() > io->deadline_us)
        io->timed_out = true;
    return io->timed_out;
}

static int interrupt_cb(void *opaque)
{
    return past_deadline(opaque) ? 1 : 0;
}

static int read_cb(void *opaque, uint8_t *buf, int buf_size)
{
    probe_io *io = opaque;
    if (past_deadline(io))
        return AVERROR_EXIT;
    for (;;) {
        ssize_t n = pread(io->fd, buf, (size_t)buf_size, (off_t)io->pos);
        if (n > 0) {
            io->pos += n;
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
    probe_io *io = opaque;
    whence &= ~AVSEEK_FORCE;
    if (whence == AVSEEK_SIZE)
        return io->size;
    int64_t to = whence == SEEK_SET   ? offset
                 : whence == SEEK_CUR ? io->pos + offset
                 : whence == SEEK_END ? io->size + offset
                                      : -1;
    if (to < 0)
        return AVERROR(EINVAL);
    io->pos = to;
    return to;
}

/* Demuxers such as hls, concat or dash open further files named inside the
 * one being probed; a probe reads exactly one file, so refuse them all. */
static int refuse_io_open(struct AVFormatContext *s, AVIOContext **pb, const char *url, int flags,
                          AVDictionary **options)
{
    (void)s, (void)pb, (void)url, (void)flags, (void)options;
    return AVERROR(EPERM);
}

/* Length of the longest prefix of s[0..len) that is at most max bytes and
 * does not end inside a UTF-8 sequence. */
static size_t utf8_prefix_len(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t cut = max;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

/* A container tag as a new string: valid UTF-8, at most CM_MEDIA_MAX_TAG
 * bytes with its terminator. Returns NULL when the tag is absent. */
static char *tag_dup(AVDictionary *meta, const char *const *keys)
{
    for (size_t k = 0; keys[k]; k++) {
        const AVDictionaryEntry *e = av_dict_get(meta, keys[k], NULL, 0);
        if (!e || !e->value || !e->value[0])
            continue;
        const size_t max = CM_MEDIA_MAX_TAG - 1;
        size_t len = strnlen(e->value, max + 1);
        char *repaired = cu_utf8_repair(e->value, utf8_prefix_len(e->value, len, max));
        /* Repair can grow the text (one bad byte becomes three), so cut again. */
        size_t kept = utf8_prefix_len(repaired, strlen(repaired), max);
        repaired[kept] = '\0';
        return cu_xrealloc(repaired, kept + 1);
    }
    return NULL;
}

/* Copies a tag into a fixed field, repaired and cut at a character edge. */
static void tag_copy(char *dst, size_t dstsize, AVDictionary *meta, const char *key)
{
    const AVDictionaryEntry *e = av_dict_get(meta, key, NULL, 0);
    dst[0] = '\0';
    if (!e || !e->value)
        return;
    size_t len = strnlen(e->value, dstsize);
    char *repaired = cu_utf8_repair(e->value, utf8_prefix_len(e->value, len, dstsize - 1));
    cu_strlcpy(dst, repaired, dstsize);
    free(repaired);
}

/* Our short container name: what a person calls the file type, refined by
 * the extension where one libavformat demuxer reads several kinds. */
static void container_name(char *dst, size_t dstsize, const char *format, const char *path)
{
    const char *name;
    if (!strcmp(format, "matroska,webm"))
        name = cu_str_has_suffix_ci(path, ".webm") ? "webm" : "mkv";
    else if (cu_str_has_prefix(format, "mov,mp4"))
        name = cu_str_has_suffix_ci(path, ".mov")   ? "mov"
               : cu_str_has_suffix_ci(path, ".m4v") ? "m4v"
                                                    : "mp4";
    else if (!strcmp(format, "mpegts"))
        name = cu_str_has_suffix_ci(path, ".m2ts") || cu_str_has_suffix_ci(path, ".mts") ? "m2ts"
                                                                                         : "ts";
    else if (!strcmp(format, "asf"))
        name = "wmv";
    else if (!strcmp(format, "mpeg"))
        name = "mpg";
    else if (!strcmp(format, "ogg"))
        name = "ogv";
    else
        name = NULL;

    if (name) {
        cu_strlcpy(dst, name, dstsize);
        return;
    }
    size_t len = strcspn(format, ",");
    if (len >= dstsize)
        len = dstsize - 1;
    memcpy(dst, format, len);
    dst[len] = '\0';
}

static cm_stream_type stream_type(enum AVMediaType type)
{
    switch (type) {
    case AVMEDIA_TYPE_VIDEO: return CM_STREAM_VIDEO;
    case AVMEDIA_TYPE_AUDIO: return CM_STREAM_AUDIO;
    case AVMEDIA_TYPE_SUBTITLE: return CM_STREAM_SUBTITLE;
    case AVMEDIA_TYPE_ATTACHMENT: return CM_STREAM_ATTACHMENT;
    default: return CM_STREAM_DATA;
    }
}

static double rational_or_zero(AVRational r)
{
    return r.num > 0 && r.den > 0 ? av_q2d(r) : 0.0;
}

static void describe_stream(cm_media_stream *out, const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;

    out->index = st->index;
    out->type = stream_type(par->codec_type);
    cu_strlcpy(out->codec, avcodec_get_name(par->codec_id), sizeof out->codec);
    const char *profile = avcodec_profile_name(par->codec_id, par->profile);
    cu_strlcpy(out->profile, profile ? profile : "", sizeof out->profile);

    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
        out->width = par->width > 0 ? par->width : 0;
        out->height = par->height > 0 ? par->height : 0;
        out->frame_rate = rational_or_zero(st->avg_frame_rate);
        if (out->frame_rate == 0.0)
            out->frame_rate = rational_or_zero(st->r_frame_rate);
        const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get((enum AVPixelFormat)par->format);
        if (desc) {
            cu_strlcpy(out->pix_fmt, desc->name, sizeof out->pix_fmt);
            if (desc->nb_components > 0)
                out->bit_depth = desc->comp[0].depth;
        }
        if (out->bit_depth == 0 && par->bits_per_raw_sample > 0)
            out->bit_depth = par->bits_per_raw_sample;
        if (par->color_trc == AVCOL_TRC_SMPTE2084)
            cu_strlcpy(out->hdr, "HDR10", sizeof out->hdr);
        else if (par->color_trc == AVCOL_TRC_ARIB_STD_B67)
            cu_strlcpy(out->hdr, "HLG", sizeof out->hdr);
        out->attached_pic = (st->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
        if (out->attached_pic) /* one still picture: its "rate" is a timebase */
            out->frame_rate = 0.0;
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
        out->channels = par->ch_layout.nb_channels > 0 ? par->ch_layout.nb_channels : 0;
        out->sample_rate = par->sample_rate > 0 ? par->sample_rate : 0;
        if (out->channels > 0 && av_channel_layout_describe(&par->ch_layout, out->channel_layout,
                                                            sizeof out->channel_layout) < 0)
            out->channel_layout[0] = '\0';
    }

    out->bit_rate = par->bit_rate > 0 ? par->bit_rate : 0;
    if (out->bit_rate == 0) {
        /* Matroska files made by mkvmerge carry the rate as a statistics tag. */
        const AVDictionaryEntry *bps = av_dict_get(st->metadata, "BPS", NULL, 0);
        if (bps && bps->value) {
            char *end;
            long long v = strtoll(bps->value, &end, 10);
            if (end != bps->value && *end == '\0' && v > 0)
                out->bit_rate = v;
        }
    }
    tag_copy(out->language, sizeof out->language, st->metadata, "language");
    if (!strcmp(out->language, "und")) /* ISO 639-2 "undetermined": untagged */
        out->language[0] = '\0';
    tag_copy(out->title, sizeof out->title, st->metadata, "title");
    out->is_default = (st->disposition & AV_DISPOSITION_DEFAULT) != 0;
    out->is_forced = (st->disposition & AV_DISPOSITION_FORCED) != 0;
    out->is_hearing_impaired = (st->disposition & AV_DISPOSITION_HEARING_IMPAIRED) != 0;
}

static void describe_chapter(cm_media_chapter *out, const AVChapter *ch)
{
    double unit = rational_or_zero(ch->time_base);
    out->start = ch->start != AV_NOPTS_VALUE ? (double)ch->start * unit : 0.0;
    out->end = ch->end != AV_NOPTS_VALUE ? (double)ch->end * unit : out->start;
    if (out->start < 0)
        out->start = 0;
    if (out->end < out->start)
        out->end = out->start;
    tag_copy(out->title, sizeof out->title, ch->metadata, "title");
}

static cm_media_info *describe_file(const AVFormatContext *ctx, const char *path)
{
    static const char *const title_keys[] = {"title", NULL};
    static const char *const date_keys[] = {"date", "date_released", "creation_time", "year", NULL};
    static const char *const description_keys[] = {"description", NULL};
    static const char *const comment_keys[] = {"comment", "synopsis", NULL};

    cm_media_info *info = cu_xcalloc(1, sizeof *info);
    const char *format = ctx->iformat && ctx->iformat->name ? ctx->iformat->name : "";
    cu_strlcpy(info->format_name, format, sizeof info->format_name);
    container_name(info->container, sizeof info->container, format, path);
    if (ctx->duration != AV_NOPTS_VALUE && ctx->duration > 0)
        info->duration = (double)ctx->duration / AV_TIME_BASE;
    info->bit_rate = ctx->bit_rate > 0 ? ctx->bit_rate : 0;

    info->tag_title = tag_dup(ctx->metadata, title_keys);
    info->tag_date = tag_dup(ctx->metadata, date_keys);
    info->tag_description = tag_dup(ctx->metadata, description_keys);
    info->tag_comment = tag_dup(ctx->metadata, comment_keys);

    size_t nstreams = ctx->nb_streams;
    if (nstreams > CM_MEDIA_MAX_STREAMS)
        nstreams = CM_MEDIA_MAX_STREAMS;
    if (nstreams) {
        info->streams = cu_xcalloc(nstreams, sizeof *info->streams);
        for (size_t i = 0; i < nstreams; i++)
            describe_stream(&info->streams[i], ctx->streams[i]);
        info->stream_count = nstreams;
    }

    size_t nchapters = ctx->nb_chapters;
    if (nchapters > CM_MEDIA_MAX_CHAPTERS)
        nchapters = CM_MEDIA_MAX_CHAPTERS;
    if (nchapters) {
        info->chapters = cu_xcalloc(nchapters, sizeof *info->chapters);
        for (size_t i = 0; i < nchapters; i++)
            describe_chapter(&info->chapters[i], ctx->chapters[i]);
        info->chapter_count = nchapters;
    }
    return info;
}

/* Demuxers that turn any bytes into "video" (text art, chosen by extension
 * alone: .bin, .nfo, .txt...) or that describe nothing a person would play. */
static bool format_is_not_media(const char *name)
{
    static const char *const not_media[] = {"tty", "bin", "xbin", "adf", "idf", NULL};
    for (size_t i = 0; not_media[i]; i++)
        if (!strcmp(name, not_media[i]))
            return true;
    return false;
}

/* True when at least one stream is sound or moving picture. A text file can
 * pass for a subtitle or ANSI-art "format"; that is not a film. */
static bool has_audio_or_video(const AVFormatContext *ctx)
{
    for (unsigned i = 0; i < ctx->nb_streams; i++) {
        enum AVMediaType t = ctx->streams[i]->codecpar->codec_type;
        if (t == AVMEDIA_TYPE_VIDEO || t == AVMEDIA_TYPE_AUDIO)
            return true;
    }
    return false;
}

/* Maps a libav* failure to our code and reason. */
static int av_failure(cu_err *err, const probe_io *io, int averr, const char *what)
{
    if (io->timed_out)
        return cu_err_set(err, CU_ELIMIT, "took longer than %d s to read",
                          PROBE_DEADLINE_US / 1000000);
    if (averr == AVERROR_EOF)
        return cu_err_set(err, CU_EMEDIA, "truncated");
    if (averr == AVERROR(ENOMEM))
        return cu_err_set(err, -ENOMEM, "out of memory");
    char reason[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(averr, reason, sizeof reason);
    /* Reading errors (EIO and friends) keep their errno; the rest is ours. */
    int code = averr < 0 && averr > -4096 ? averr : CU_EMEDIA;
    return cu_err_set(err, code, "%s: %s", what, reason);
}

int cm_media_probe(const char *path, cm_media_info **out, cu_err *err)
{
    if (out)
        *out = NULL;
    if (!path || !out || !path[0])
        return cu_err_set(err, CU_EINVAL, "no path or output given");
    /* O_NONBLOCK so a FIFO cannot hang the open; it is refused after. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        return cu_err_set(err, -e, "%s", e == EACCES ? "permission denied" : strerror(e));
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    int rc = cm_media_probe_fd(fd, path, out, err);
    close(fd);
    return rc;
}

/* Matroska/WebM and MP4/MOV, most of a film library, told by their first
 * bytes (the EBML magic; an "ftyp" box first) as libavformat's own probe
 * tells them, which runs every demuxer's test on the file's start and
 * cost a tenth of a probe. NULL for anything else (then that probe runs).
 * The demuxer still reads and checks the whole header. */
static const AVInputFormat *common_format(const probe_io *io)
{
    unsigned char head[8];
    ssize_t n;
    do
        n = pread(io->fd, head, sizeof head, 0);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof head)
        return NULL;
    if (!memcmp(head, "\x1A\x45\xDF\xA3", 4))
        return av_find_input_format("matroska");
    if (!memcmp(head + 4, "ftyp", 4))
        return av_find_input_format("mp4");
    return NULL;
}

/* Opens fd's format for probing through our own I/O: *ctx and *pb are set
 * on success, and both are NULL on failure (err filled). */
static int open_input(probe_io *io, const char *path, AVFormatContext **ctxp, AVIOContext **pbp,
                      cu_err *err)
{
    AVFormatContext *ctx = NULL;
    AVIOContext *pb = NULL;
    unsigned char *buffer = NULL;
    int rc;

    *ctxp = NULL;
    *pbp = NULL;
    io->pos = 0;
    buffer = av_malloc(PROBE_IO_BUFFER);
    if (!buffer) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto fail;
    }
    pb = avio_alloc_context(buffer, PROBE_IO_BUFFER, 0, io, read_cb, NULL, seek_cb);
    if (!pb) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto fail;
    }
    buffer = NULL; /* owned by pb now (and possibly reallocated by it) */

    ctx = avformat_alloc_context();
    if (!ctx) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto fail;
    }
    ctx->pb = pb;
    /* Ours to free, whatever happens (also if ctx is closed unopened). */
    ctx->flags |= AVFMT_FLAG_CUSTOM_IO;
    ctx->interrupt_callback = (AVIOInterruptCB){.callback = interrupt_cb, .opaque = io};
    ctx->io_open = refuse_io_open;
    ctx->probesize = PROBE_SIZE_BYTES;
    ctx->max_analyze_duration = PROBE_ANALYZE_US;

    /* Recognising the format first tells "not media at all" apart from
     * "media, but damaged or cut short". The path is passed only so the
     * probe can weigh the extension; nothing is opened by that name. */
    const AVInputFormat *format = common_format(io);
    int averr = format ? AVPROBE_SCORE_MAX : av_probe_input_buffer2(pb, &format, path, NULL, 0, 0);
    if (averr < 0 && averr != AVERROR_INVALIDDATA) {
        rc = av_failure(err, io, averr, "cannot read");
        goto fail;
    }
    if (averr < 0 || !format || !format->name || format_is_not_media(format->name)) {
        rc = cu_err_set(err, CU_EMEDIA, "not a media file");
        goto fail;
    }
    int probe_score = averr;
    averr = avformat_open_input(&ctx, path, format, NULL);
    if (averr < 0) {
        /* avformat_open_input freed ctx (but not our pb) on failure. */
        if (averr == AVERROR_INVALIDDATA && probe_score < AVPROBE_SCORE_EXTENSION / 2) {
            /* Only the extension pointed at this format: any file can be
             * named .mkv. */
            rc = cu_err_set(err, CU_EMEDIA, "not a media file");
        } else if (averr == AVERROR_INVALIDDATA && !io->timed_out) {
            char name[32];
            container_name(name, sizeof name, format->name, path);
            rc = cu_err_set(err, CU_EMEDIA, "damaged or truncated %s file", name);
        } else
            rc = av_failure(err, io, averr, "cannot open");
        goto fail;
    }
    *ctxp = ctx;
    *pbp = pb;
    return 0;

fail:
    avformat_close_input(&ctx);
    if (pb) {
        av_freep(&pb->buffer);
        avio_context_free(&pb);
    }
    av_free(buffer);
    return rc;
}

static void close_input(AVFormatContext **ctx, AVIOContext **pb)
{
    avformat_close_input(ctx);
    if (*pb) {
        av_freep(&(*pb)->buffer);
        avio_context_free(pb);
    }
}

/* The full probe: libavformat reads and decodes the first packets of every
 * stream (several frames of H.264) until it knows each stream. */
static int find_stream_info(AVFormatContext *ctx, const probe_io *io, cu_err *err)
{
    /* One decoding thread per stream: probing runs on the scanner's own
     * pool, and libavcodec's default (a thread per CPU for every decoder
     * opened here) costs more than the few frames it decodes. */
    /* Streams found while reading (MPEG-PS adds them) get no options: the
     * array covers the streams known now, and only those are freed. */
    unsigned opt_count = ctx->nb_streams;
    AVDictionary **stream_opts = av_calloc(opt_count ? opt_count : 1, sizeof *stream_opts);
    for (unsigned i = 0; stream_opts && i < opt_count; i++)
        av_dict_set(&stream_opts[i], "threads", "1", 0);
    int averr = avformat_find_stream_info(ctx, stream_opts);
    for (unsigned i = 0; stream_opts && i < opt_count; i++)
        av_dict_free(&stream_opts[i]);
    av_freep(&stream_opts);
    if (averr < 0)
        return av_failure(err, io, averr, "cannot read streams");
    return 0;
}

/* The container's overall bit rate as find_stream_info sets it when the
 * header gives none: the file's size over its duration. */
static void header_bit_rate(AVFormatContext *ctx, const probe_io *io)
{
    if (ctx->bit_rate > 0 || ctx->duration == AV_NOPTS_VALUE || ctx->duration <= 0)
        return;
    double rate = (double)io->size * 8.0 * AV_TIME_BASE / (double)ctx->duration;
    if (rate >= 0 && rate <= (double)INT64_MAX)
        ctx->bit_rate = (int64_t)rate;
}

int cm_media_probe_fd(int fd, const char *path, cm_media_info **out, cu_err *err)
{
    return cm_media_probe_fd_mode(fd, path, CM_PROBE_AUTO, out, err);
}

int cm_media_probe_fd_mode(int fd, const char *path, cm_probe_mode mode, cm_media_info **out,
                           cu_err *err)
{
    probe_io io = {.fd = fd};
    AVFormatContext *ctx = NULL;
    AVIOContext *pb = NULL;
    int rc;

    if (out)
        *out = NULL;
    if (fd < 0 || !out || !path) {
        rc = cu_err_set(err, CU_EINVAL, "no file or output given");
        goto fail;
    }
    struct stat sb;
    if (fstat(io.fd, &sb) < 0) {
        int e = errno;
        rc = cu_err_set(err, -e, "%s", strerror(e));
        goto fail;
    }
    if (S_ISDIR(sb.st_mode)) {
        rc = cu_err_set(err, -EISDIR, "is a directory");
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = cu_err_set(err, CU_EMEDIA, "not a regular file");
        goto fail;
    }
    if (sb.st_size == 0) {
        rc = cu_err_set(err, CU_EMEDIA, "empty file");
        goto fail;
    }
    io.size = (int64_t)sb.st_size;
    io.deadline_us = av_gettime_relative() + PROBE_DEADLINE_US;

    if ((rc = open_input(&io, path, &ctx, &pb, err)) < 0)
        goto fail;
    bool from_header = false;
    if (mode == CM_PROBE_AUTO && cm_probe_header_is_enough(ctx)) {
        from_header = cm_probe_from_header(ctx) == 0;
        if (!from_header) {
            /* Packets were read: start again for the full probe. */
            close_input(&ctx, &pb);
            if ((rc = open_input(&io, path, &ctx, &pb, err)) < 0)
                goto fail;
        }
    }
    if (from_header)
        header_bit_rate(ctx, &io);
    else if ((rc = find_stream_info(ctx, &io, err)) < 0)
        goto fail;
    if (!has_audio_or_video(ctx)) {
        rc = cu_err_set(err, CU_EMEDIA, "not a media file");
        goto fail;
    }

    *out = describe_file(ctx, path);
    (*out)->from_header = from_header;
    rc = 0;

fail:
    close_input(&ctx, &pb);
    return rc;
}

void cm_media_info_free(cm_media_info *info)
{
    if (!info)
        return;
    free(info->tag_title);
    free(info->tag_date);
    free(info->tag_description);
    free(info->tag_comment);
    free(info->streams);
    free(info->chapters);
    free(info);
}

const cm_media_stream *cm_media_info_video(const cm_media_info *info)
{
    if (!info)
        return NULL;
    for (size_t i = 0; i < info->stream_count; i++) {
        const cm_media_stream *s = &info->streams[i];
        if (s->type == CM_STREAM_VIDEO && !s->attached_pic)
            return s;
    }
    return NULL;
}
