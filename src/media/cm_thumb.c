/* cm_thumb: still images with libav*: a poster cut from a frame of a film
 * (not a black one) and resized copies of artwork, both written as JPEG.
 * Bounded in time (an interrupt callback) and in size (dimensions capped);
 * written to a temporary name and renamed, so a reader never sees half. */
#include "media/cm_hls_internal.h"
#include "media/cm_media.h"
#include "media/cm_type.h"
#include "util/cu_log.h"
#include "util/cu_str.h"

#include <errno.h>
#include <fcntl.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/time.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define THUMB_DEADLINE_US (15 * 1000000LL)
#define MAX_SOURCE_PIXELS (16384LL * 16384LL)
#define MAX_OUT_WIDTH 4096
#define BLACK_LUMA 24  /* mean luma (0..255) under which a frame counts as black */
#define MAX_DECODED 48 /* frames decoded per attempted position */

typedef struct source {
    cm_source io; /* films: the hardened source (our I/O, no nested opens) */
    bool own_io;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    int stream;
    int64_t deadline_us;
} source;

static int interrupt_cb(void *opaque)
{
    const source *s = opaque;
    return av_gettime_relative() > s->deadline_us;
}

static void source_close(source *s)
{
    avcodec_free_context(&s->dec);
    if (s->own_io) {
        cm_source_close(&s->io); /* closes fmt too */
        s->fmt = NULL;
        s->own_io = false;
    } else {
        avformat_close_input(&s->fmt);
    }
}

static int av_fail(cu_err *err, int averr, const char *what)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(averr, buf, sizeof buf);
    return cu_err_set(err, CU_EMEDIA, "%s: %s", what, buf);
}

/* Opens path and a decoder for its first video stream (cover art only when
 * want_cover, or when there is nothing else). */
static int source_open(source *s, const char *path, cu_err *err)
{
    memset(s, 0, sizeof *s);
    /* Through the hardened source, as every other reader of films: our own
     * I/O on one descriptor, nothing opened on the file's behalf (a file
     * in the library that is really an HLS or concat playlist must not
     * make the poster code read the files it names), a deadline. The
     * scanner found path; O_NONBLOCK so a FIFO cannot hang the open. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return cu_err_set(err, -errno, "cannot open: %s", strerror(errno));
    int rc = cm_source_open(&s->io, fd, path, THUMB_DEADLINE_US, true, err);
    close(fd);
    if (rc < 0)
        return rc;
    s->own_io = true;
    s->fmt = s->io.fmt;
    int chosen = -1, cover = -1;
    for (unsigned i = 0; i < s->fmt->nb_streams; i++) {
        const AVStream *st = s->fmt->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO)
            continue;
        if (st->disposition & AV_DISPOSITION_ATTACHED_PIC) {
            if (cover < 0)
                cover = (int)i;
        } else if (chosen < 0) {
            chosen = (int)i;
        }
    }
    if (chosen < 0)
        chosen = cover;
    if (chosen < 0) {
        source_close(s);
        return cu_err_set(err, CU_EMEDIA, "no video stream");
    }
    AVStream *st = s->fmt->streams[chosen];
    int width = st->codecpar->width, height = st->codecpar->height;
    enum AVCodecID codec_id = st->codecpar->codec_id;
    if (width <= 0 || height <= 0 || (long long)width * height > MAX_SOURCE_PIXELS) {
        source_close(s);
        return cu_err_set(err, CU_EMEDIA, "unusable picture size %dx%d", width, height);
    }
    const AVCodec *codec = avcodec_find_decoder(codec_id);
    if (!codec) {
        source_close(s);
        return cu_err_set(err, CU_EMEDIA, "no decoder for %s", avcodec_get_name(codec_id));
    }
    s->dec = avcodec_alloc_context3(codec);
    if (!s->dec || avcodec_parameters_to_context(s->dec, st->codecpar) < 0) {
        source_close(s);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    s->dec->thread_count = 1;
    rc = avcodec_open2(s->dec, codec, NULL);
    if (rc < 0) {
        source_close(s);
        return av_fail(err, rc, "cannot open decoder");
    }
    for (unsigned i = 0; i < s->fmt->nb_streams; i++)
        s->fmt->streams[i]->discard = (int)i == chosen ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    s->stream = chosen;
    return 0;
}

/* Decodes the first frame at or after `at` seconds (negative: from the
 * current position). Returns 0 with *frame filled, or a negative code. */
static int decode_at(source *s, double at, AVFrame *frame, cu_err *err)
{
    AVStream *st = s->fmt->streams[s->stream];
    int64_t target = AV_NOPTS_VALUE;
    if (at > 0 && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
        target = av_rescale_q((int64_t)(at * AV_TIME_BASE), AV_TIME_BASE_Q, st->time_base);
        if (st->start_time != AV_NOPTS_VALUE)
            target += st->start_time;
        if (av_seek_frame(s->fmt, s->stream, target, AVSEEK_FLAG_BACKWARD) < 0)
            target = AV_NOPTS_VALUE; /* unseekable: take what comes */
        avcodec_flush_buffers(s->dec);
    }
    AVPacket *pkt = av_packet_alloc();
    if (!pkt)
        return cu_err_set(err, -ENOMEM, "out of memory");
    int decoded = 0, rc = 0;
    bool draining = false, have = false;
    while (!have && decoded < MAX_DECODED) {
        if (!draining) {
            rc = av_read_frame(s->fmt, pkt);
            if (rc == AVERROR_EOF || rc == AVERROR(EIO)) {
                draining = true;
                avcodec_send_packet(s->dec, NULL);
            } else if (rc < 0) {
                break;
            } else {
                if (pkt->stream_index == s->stream)
                    avcodec_send_packet(s->dec, pkt); /* a damaged packet is skipped */
                av_packet_unref(pkt);
            }
        }
        for (;;) {
            int r = avcodec_receive_frame(s->dec, frame);
            if (r == AVERROR(EAGAIN))
                break;
            if (r < 0) {
                if (draining)
                    decoded = MAX_DECODED;
                break;
            }
            decoded++;
            int64_t pts = frame->best_effort_timestamp;
            /* Frames before the target (the seek lands on the keyframe
             * before it) are skipped, within reason. */
            if (target != AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE && pts < target &&
                decoded < MAX_DECODED / 2) {
                av_frame_unref(frame);
                continue;
            }
            have = true;
            break;
        }
        if (rc < 0 && rc != AVERROR_EOF && rc != AVERROR(EIO))
            break;
    }
    av_packet_free(&pkt);
    if (!have) {
        if (rc == AVERROR_EXIT)
            return cu_err_set(err, CU_ELIMIT, "took too long");
        return cu_err_set(err, CU_EMEDIA, "no picture could be decoded");
    }
    return 0;
}

/* Mean luma of a frame, 0..255, from a small grey copy. */
static int mean_luma(const AVFrame *f)
{
    struct SwsContext *sws = sws_getContext(f->width, f->height, f->format, 64, 36,
                                            AV_PIX_FMT_GRAY8, SWS_FAST_BILINEAR, NULL, NULL, NULL);
    if (!sws)
        return 255;
    uint8_t grey[64 * 36];
    uint8_t *dst[4] = {grey};
    int stride[4] = {64};
    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst, stride);
    sws_freeContext(sws);
    long sum = 0;
    for (size_t i = 0; i < sizeof grey; i++)
        sum += grey[i];
    return (int)(sum / (long)sizeof grey);
}

/* Scales f to width (never up, keeping the display aspect) and writes it
 * as JPEG to out, atomically. */
static int write_jpeg(const AVFrame *f, int width, const char *out, cu_err *err)
{
    double sar = 1.0;
    if (f->sample_aspect_ratio.num > 0 && f->sample_aspect_ratio.den > 0)
        sar = av_q2d(f->sample_aspect_ratio);
    double display_w = f->width * sar;
    if (width <= 0 || width > display_w)
        width = (int)display_w;
    if (width > MAX_OUT_WIDTH)
        width = MAX_OUT_WIDTH;
    width &= ~1;
    int height = (int)(width * f->height / display_w + 0.5) & ~1;
    if (width < 2)
        width = 2;
    if (height < 2)
        height = 2;

    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec)
        return cu_err_set(err, CU_EMEDIA, "no JPEG encoder");
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    AVFrame *pic = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    struct SwsContext *sws = NULL;
    int rc = 0;
    if (!enc || !pic || !pkt) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    enc->width = width;
    enc->height = height;
    enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    enc->time_base = (AVRational){1, 25};
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * 3;
    enc->thread_count = 1;
    int r = avcodec_open2(enc, codec, NULL);
    if (r < 0) {
        rc = av_fail(err, r, "cannot open JPEG encoder");
        goto done;
    }
    pic->format = enc->pix_fmt;
    pic->width = width;
    pic->height = height;
    if (av_frame_get_buffer(pic, 0) < 0) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    sws = sws_getContext(f->width, f->height, f->format, width, height, enc->pix_fmt, SWS_BICUBIC,
                         NULL, NULL, NULL);
    if (!sws) {
        rc = cu_err_set(err, CU_EMEDIA, "cannot convert pixel format");
        goto done;
    }
    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, pic->data,
              pic->linesize);
    pic->quality = enc->global_quality;
    pic->pts = 0;
    if ((r = avcodec_send_frame(enc, pic)) < 0 || (r = avcodec_send_frame(enc, NULL)) < 0 ||
        (r = avcodec_receive_packet(enc, pkt)) < 0) {
        rc = av_fail(err, r, "cannot encode JPEG");
        goto done;
    }

    char *tmp = cu_xasprintf("%s.tmp.%d", out, (int)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        rc = cu_err_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
        free(tmp);
        goto done;
    }
    bool ok = fwrite(pkt->data, 1, (size_t)pkt->size, fp) == (size_t)pkt->size;
    ok = (fflush(fp) == 0) && ok;
    ok = (fclose(fp) == 0) && ok;
    if (!ok || rename(tmp, out) != 0) {
        rc = cu_err_set(err, -EIO, "cannot write %s", out);
        unlink(tmp);
    }
    free(tmp);
done:
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_frame_free(&pic);
    avcodec_free_context(&enc);
    return rc;
}

/* The frame at about position (0..1) of the way in, or a brighter one at
 * a few other positions when it is black (a fade, a title card); the
 * brightest frame wins if all are dark. Into best. */
static int pick_frame(source *s, double position, AVFrame *best, cu_err *err)
{
    double duration = s->fmt->duration > 0 ? s->fmt->duration / (double)AV_TIME_BASE : 0;
    if (position < 0 || position > 1)
        position = 0.10;
    const double tries[] = {position, position + 0.10, position + 0.25, 0.5, 0.65, 0.8, 0.05};
    AVFrame *frame = av_frame_alloc();
    if (!frame)
        return cu_err_set(err, -ENOMEM, "out of memory");
    int best_luma = -1;
    cu_err last = {0};
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        double at = duration > 0 ? duration * (tries[i] > 0.95 ? 0.95 : tries[i]) : 0;
        if (decode_at(s, at, frame, &last) < 0) {
            if (last.code == CU_ELIMIT)
                break;
            continue;
        }
        int luma = mean_luma(frame);
        if (luma > best_luma) {
            best_luma = luma;
            av_frame_unref(best);
            av_frame_move_ref(best, frame);
        } else {
            av_frame_unref(frame);
        }
        if (best_luma >= BLACK_LUMA || duration <= 0)
            break;
    }
    av_frame_free(&frame);
    if (best_luma < 0)
        return cu_err_set(err, last.code ? last.code : CU_EMEDIA, "%s",
                          last.msg[0] ? last.msg : "no picture could be decoded");
    return 0;
}

int cm_media_thumbnail(const char *path, double position, int width, const char *out, cu_err *err)
{
    source s;
    int rc = source_open(&s, path, err);
    if (rc < 0)
        return rc;
    AVFrame *best = av_frame_alloc();
    if (!best) {
        source_close(&s);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    rc = pick_frame(&s, position, best, err);
    if (rc == 0)
        rc = write_jpeg(best, width, out, err);
    av_frame_free(&best);
    source_close(&s);
    return rc;
}

/* The frame scaled to cover a w x h RGB24 picture (the middle of it kept,
 * as a cinema poster crops a still), into pic. */
static int cover(const AVFrame *f, AVFrame *pic, cu_err *err)
{
    int w = pic->width, h = pic->height;
    double sar = 1.0;
    if (f->sample_aspect_ratio.num > 0 && f->sample_aspect_ratio.den > 0)
        sar = av_q2d(f->sample_aspect_ratio);
    double aspect = f->width * sar / f->height;
    int sw = w, sh = h;
    if (aspect * h >= w)
        sw = (int)(aspect * h + 0.5);
    else
        sh = (int)(w / aspect + 0.5);
    if (sw > MAX_OUT_WIDTH * 4 || sh > MAX_OUT_WIDTH * 4)
        return cu_err_set(err, CU_ELIMIT, "a frame of an absurd shape");
    AVFrame *big = av_frame_alloc();
    struct SwsContext *sws = NULL;
    int rc = 0;
    if (!big) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    big->format = AV_PIX_FMT_RGB24;
    big->width = sw;
    big->height = sh;
    if (av_frame_get_buffer(big, 0) < 0) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    sws = sws_getContext(f->width, f->height, f->format, sw, sh, AV_PIX_FMT_RGB24, SWS_BICUBIC,
                         NULL, NULL, NULL);
    if (!sws) {
        rc = cu_err_set(err, CU_EMEDIA, "cannot convert pixel format");
        goto done;
    }
    sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, big->data,
              big->linesize);
    int x0 = (sw - w) / 2, y0 = (sh - h) / 2;
    for (int y = 0; y < h; y++)
        memcpy(pic->data[0] + (size_t)y * (size_t)pic->linesize[0],
               big->data[0] + (size_t)(y + y0) * (size_t)big->linesize[0] + (size_t)x0 * 3,
               (size_t)w * 3);
done:
    sws_freeContext(sws);
    av_frame_free(&big);
    return rc;
}

int cm_media_poster(const char *path, double position, int width, const char *title, int year,
                    const char *out, cu_err *err)
{
    if (width < 60 || width > MAX_OUT_WIDTH)
        width = 480;
    width &= ~1;
    int height = (width * 3 / 2) & ~1;
    source s;
    int rc = source_open(&s, path, err);
    if (rc < 0)
        return rc;
    AVFrame *best = av_frame_alloc(), *pic = av_frame_alloc();
    if (!best || !pic) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = pick_frame(&s, position, best, err)) < 0)
        goto done;
    pic->format = AV_PIX_FMT_RGB24;
    pic->width = width;
    pic->height = height;
    if (av_frame_get_buffer(pic, 0) < 0) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = cover(best, pic, err)) < 0)
        goto done;
    /* Without the fonts the frame alone still makes a poster; the reason
     * goes to the caller's log through err only when nothing is written. */
    cu_err type_err = {0};
    if (title && title[0] &&
        cm_type_title(pic->data[0], width, height, pic->linesize[0], title, year, &type_err) < 0)
        cu_log(CU_LOG_DEBUG, "poster of %s without its title: %s", path, type_err.msg);
    rc = write_jpeg(pic, width, out, err);
done:
    av_frame_free(&pic);
    av_frame_free(&best);
    source_close(&s);
    return rc;
}

int cm_media_frame_at(const char *path, double seconds, int width, const char *out, cu_err *err)
{
    source s;
    int rc = source_open(&s, path, err);
    if (rc < 0)
        return rc;
    double duration = s.fmt->duration > 0 ? s.fmt->duration / (double)AV_TIME_BASE : 0;
    if (!(seconds >= 0) || (duration > 0 && seconds > duration)) {
        source_close(&s);
        return cu_err_set(err, CU_EINVAL, "%.3f s is not within the film (0 to %.3f s)", seconds,
                          duration);
    }
    AVFrame *frame = av_frame_alloc();
    if (!frame) {
        source_close(&s);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    rc = decode_at(&s, seconds, frame, err);
    if (rc == 0)
        rc = write_jpeg(frame, width, out, err);
    av_frame_free(&frame);
    source_close(&s);
    return rc;
}

/* Reading an image through a descriptor the caller opened (and checked):
 * pread from our own position, so the descriptor's offset is not ours to
 * move and nothing is opened again by name. */
typedef struct fd_reader {
    int fd;
    int64_t pos, size;
} fd_reader;

static int fd_read(void *opaque, uint8_t *buf, int size)
{
    fd_reader *r = opaque;
    ssize_t n;
    do
        n = pread(r->fd, buf, (size_t)size, (off_t)r->pos);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return AVERROR(errno);
    if (n == 0)
        return AVERROR_EOF;
    r->pos += n;
    return (int)n;
}

static int64_t fd_seek(void *opaque, int64_t offset, int whence)
{
    fd_reader *r = opaque;
    int64_t to;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return r->size;
    case SEEK_SET: to = offset; break;
    case SEEK_CUR: to = r->pos + offset; break;
    case SEEK_END: to = r->size + offset; break;
    default: return AVERROR(EINVAL);
    }
    if (to < 0)
        return AVERROR(EINVAL);
    r->pos = to;
    return to;
}

static int refuse_io_open(struct AVFormatContext *s, AVIOContext **pb, const char *url, int flags,
                          AVDictionary **options)
{
    (void)s, (void)pb, (void)url, (void)flags, (void)options;
    return AVERROR(EPERM);
}

/* The one demuxer an image may be read with, by its magic bytes (the
 * header check has already accepted one of these three). */
static const AVInputFormat *image_format(int fd)
{
    uint8_t head[12] = {0};
    if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head)
        return NULL;
    if (head[0] == 0xFF && head[1] == 0xD8)
        return av_find_input_format("jpeg_pipe");
    if (head[0] == 0x89 && head[1] == 'P')
        return av_find_input_format("png_pipe");
    if (!memcmp(head, "RIFF", 4) && !memcmp(head + 8, "WEBP", 4))
        return av_find_input_format("webp_pipe");
    return NULL;
}

/* The image open on fd, cut to crop (x, y, w, h; NULL: whole), at most
 * width wide, to out as JPEG. */
static int image_to_jpeg(int fd, const int *crop, int width, const char *out, cu_err *err)
{
    /* The pixel limit comes first: decoding is what costs the memory. */
    int rc = cm_image_check_size(fd, NULL, NULL, err);
    if (rc < 0)
        return rc;
    struct stat st;
    if (fstat(fd, &st) < 0)
        return cu_err_set(err, -errno, "cannot read the image: %s", strerror(errno));
    const AVInputFormat *format = image_format(fd);
    if (!format)
        return cu_err_set(err, CU_EMEDIA, "not a JPEG, PNG or WebP image");
    fd_reader reader = {.fd = fd, .pos = 0, .size = st.st_size};
    source s;
    memset(&s, 0, sizeof s);
    s.deadline_us = av_gettime_relative() + THUMB_DEADLINE_US;
    AVFrame *frame = NULL;
    AVIOContext *pb = NULL;
    unsigned char *buffer = av_malloc(64 * 1024);
    s.fmt = avformat_alloc_context();
    if (buffer)
        pb = avio_alloc_context(buffer, 64 * 1024, 0, &reader, fd_read, NULL, fd_seek);
    if (!s.fmt || !pb) {
        if (!pb)
            av_free(buffer);
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    s.fmt->pb = pb;
    s.fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    s.fmt->io_open = refuse_io_open;
    s.fmt->interrupt_callback = (AVIOInterruptCB){.callback = interrupt_cb, .opaque = &s};
    rc = avformat_open_input(&s.fmt, "", format, NULL);
    if (rc < 0) {
        s.fmt = NULL; /* freed by the failed open */
        rc = av_fail(err, rc, "cannot open");
        goto done;
    }
    /* No avformat_find_stream_info: for an image it decodes the whole
     * picture just to learn what the header already said. */
    if (s.fmt->nb_streams < 1 || s.fmt->streams[0]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) {
        rc = cu_err_set(err, CU_EMEDIA, "no picture");
        goto done;
    }
    AVStream *stream = s.fmt->streams[0];
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec) {
        rc = cu_err_set(err, CU_EMEDIA, "no decoder for %s",
                        avcodec_get_name(stream->codecpar->codec_id));
        goto done;
    }
    s.dec = avcodec_alloc_context3(codec);
    if (!s.dec || avcodec_parameters_to_context(s.dec, stream->codecpar) < 0) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    /* The decoder's own limit too, should the header have lied. */
    s.dec->max_pixels = CM_IMAGE_MAX_PIXELS;
    s.dec->thread_count = 1;
    if ((rc = avcodec_open2(s.dec, codec, NULL)) < 0) {
        rc = av_fail(err, rc, "cannot open decoder");
        goto done;
    }
    s.stream = 0;
    frame = av_frame_alloc();
    if (!frame) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    rc = decode_at(&s, -1, frame, err);
    if (rc == 0 && crop) {
        if (crop[0] < 0 || crop[1] < 0 || crop[2] < 2 || crop[3] < 2 ||
            crop[0] > frame->width - crop[2] || crop[1] > frame->height - crop[3]) {
            rc = cu_err_set(err, CU_EINVAL, "the cut is not within the %dx%d picture", frame->width,
                            frame->height);
            goto done;
        }
        frame->crop_left = (size_t)crop[0];
        frame->crop_top = (size_t)crop[1];
        frame->crop_right = (size_t)(frame->width - crop[0] - crop[2]);
        frame->crop_bottom = (size_t)(frame->height - crop[1] - crop[3]);
        int r = av_frame_apply_cropping(frame, AV_FRAME_CROP_UNALIGNED);
        if (r < 0) {
            rc = av_fail(err, r, "cannot cut the picture");
            goto done;
        }
    }
    if (rc == 0)
        rc = write_jpeg(frame, width, out, err);
done:
    av_frame_free(&frame);
    source_close(&s);
    if (pb) {
        av_freep(&pb->buffer);
        avio_context_free(&pb);
    }
    return rc;
}

int cm_media_image_resize_fd(int fd, int width, const char *out, cu_err *err)
{
    return image_to_jpeg(fd, NULL, width, out, err);
}

int cm_media_image_cut_fd(int fd, int x, int y, int w, int h, const char *out, cu_err *err)
{
    const int crop[4] = {x, y, w, h};
    return image_to_jpeg(fd, crop, 0, out, err);
}
