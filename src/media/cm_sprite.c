/* cm_sprite: trickplay sheets (see cm_sprite.h). Every tile is a seek to
 * its time and a decode up to the first frame at or after it, scaled
 * straight into its cell of a YUV sheet that is JPEG-encoded when full. */
#include "media/cm_sprite.h"
#include "media/cm_hls_internal.h"
#include "util/cu_str.h"

#include <errno.h>
#include <fcntl.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/time.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TILE_DEADLINE_US (20 * 1000000LL) /* one tile: seek, decode, scale */
#define OPEN_DEADLINE_US (15 * 1000000LL)
#define MAX_SOURCE_PIXELS (16384LL * 16384LL)
#define MAX_DECODED 300 /* frames decoded to reach one tile's time */
#define MANIFEST_MAGIC "cinemateca-trickplay 1"

typedef struct sprite_source {
    cm_source io;
    AVCodecContext *dec;
    int stream;
    bool open;
} sprite_source;

static int av_fail(cu_err *err, int averr, const char *what)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(averr, buf, sizeof buf);
    return cu_err_set(err, CU_EMEDIA, "%s: %s", what, buf);
}

static void source_close(sprite_source *s)
{
    avcodec_free_context(&s->dec);
    if (s->open)
        cm_source_close(&s->io);
    s->open = false;
}

/* The first video stream that is not cover art, and a decoder for it. */
static int source_open(sprite_source *s, int fd, const char *name, cu_err *err)
{
    memset(s, 0, sizeof *s);
    int rc = cm_source_open(&s->io, fd, name, OPEN_DEADLINE_US, true, err);
    if (rc < 0)
        return rc;
    s->open = true;
    AVFormatContext *fmt = s->io.fmt;
    int chosen = -1;
    for (unsigned i = 0; i < fmt->nb_streams && chosen < 0; i++) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            chosen = (int)i;
    }
    if (chosen < 0) {
        source_close(s);
        return cu_err_set(err, CU_EMEDIA, "no video stream");
    }
    const AVCodecParameters *par = fmt->streams[chosen]->codecpar;
    if (par->width <= 0 || par->height <= 0 ||
        (long long)par->width * par->height > MAX_SOURCE_PIXELS) {
        source_close(s);
        return cu_err_set(err, CU_EMEDIA, "unusable picture size %dx%d", par->width, par->height);
    }
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    if (!codec) {
        source_close(s);
        return cu_err_set(err, CU_EMEDIA, "no decoder for %s", avcodec_get_name(par->codec_id));
    }
    s->dec = avcodec_alloc_context3(codec);
    if (!s->dec || avcodec_parameters_to_context(s->dec, par) < 0) {
        source_close(s);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    s->dec->thread_count = 1;
    if ((rc = avcodec_open2(s->dec, codec, NULL)) < 0) {
        source_close(s);
        return av_fail(err, rc, "cannot open decoder");
    }
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        fmt->streams[i]->discard = (int)i == chosen ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    s->stream = chosen;
    return 0;
}

/* The first frame at or after `at` seconds (or the last one decoded when
 * the bound runs out first). 1 when the stream ended before any frame. */
static int decode_at(sprite_source *s, double at, AVFrame *frame, cu_err *err)
{
    AVFormatContext *fmt = s->io.fmt;
    AVStream *st = fmt->streams[s->stream];
    int64_t target = av_rescale_q((int64_t)(at * AV_TIME_BASE), AV_TIME_BASE_Q, st->time_base);
    if (st->start_time != AV_NOPTS_VALUE)
        target += st->start_time;
    if (av_seek_frame(fmt, s->stream, target, AVSEEK_FLAG_BACKWARD) < 0)
        target = AV_NOPTS_VALUE;
    avcodec_flush_buffers(s->dec);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *got = av_frame_alloc();
    if (!pkt || !got) {
        av_packet_free(&pkt);
        av_frame_free(&got);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    bool have = false, done = false, draining = false;
    int decoded = 0, rc = 0;
    while (!done && decoded < MAX_DECODED) {
        if (!draining) {
            rc = av_read_frame(fmt, pkt);
            if (rc == AVERROR_EXIT)
                break;
            if (rc < 0) {
                draining = true;
                avcodec_send_packet(s->dec, NULL);
            } else {
                if (pkt->stream_index == s->stream)
                    avcodec_send_packet(s->dec, pkt); /* a damaged packet is skipped */
                av_packet_unref(pkt);
            }
        }
        for (;;) {
            int r = avcodec_receive_frame(s->dec, got);
            if (r == AVERROR(EAGAIN))
                break;
            if (r < 0) {
                if (draining)
                    done = true;
                break;
            }
            decoded++;
            av_frame_unref(frame);
            av_frame_move_ref(frame, got);
            have = true;
            int64_t pts = frame->best_effort_timestamp;
            if (target == AV_NOPTS_VALUE || pts == AV_NOPTS_VALUE || pts >= target) {
                done = true;
                break;
            }
        }
    }
    av_packet_free(&pkt);
    av_frame_free(&got);
    if (rc == AVERROR_EXIT && !have)
        return cu_err_set(err, CU_ELIMIT, "took too long");
    return have ? 0 : 1;
}

/* Encodes sheet as JPEG into base-index.jpg, atomically. */
static int write_sheet(const AVFrame *sheet, const char *base, int index, cu_err *err)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec)
        return cu_err_set(err, CU_EMEDIA, "no JPEG encoder");
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *pic = av_frame_clone(sheet);
    char *out = NULL, *tmp = NULL;
    int rc = 0, r;
    if (!enc || !pkt || !pic) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    enc->width = sheet->width;
    enc->height = sheet->height;
    enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    enc->time_base = (AVRational){1, 25};
    enc->flags |= AV_CODEC_FLAG_QSCALE;
    enc->global_quality = FF_QP2LAMBDA * 5; /* small tiles: size over finesse */
    enc->thread_count = 1;
    if ((r = avcodec_open2(enc, codec, NULL)) < 0) {
        rc = av_fail(err, r, "cannot open JPEG encoder");
        goto done;
    }
    pic->quality = enc->global_quality;
    pic->pts = 0;
    if ((r = avcodec_send_frame(enc, pic)) < 0 || (r = avcodec_send_frame(enc, NULL)) < 0 ||
        (r = avcodec_receive_packet(enc, pkt)) < 0) {
        rc = av_fail(err, r, "cannot encode JPEG");
        goto done;
    }
    out = cu_xasprintf("%s-%d.jpg", base, index);
    tmp = cu_xasprintf("%s.tmp.%d", out, (int)getpid());
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        rc = cu_err_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
        goto done;
    }
    bool ok = fwrite(pkt->data, 1, (size_t)pkt->size, fp) == (size_t)pkt->size;
    ok = fflush(fp) == 0 && ok;
    ok = fclose(fp) == 0 && ok;
    if (!ok || rename(tmp, out) != 0) {
        rc = cu_err_set(err, -EIO, "cannot write %s", out);
        unlink(tmp);
    }
done:
    free(tmp);
    free(out);
    av_frame_free(&pic);
    av_packet_free(&pkt);
    avcodec_free_context(&enc);
    return rc;
}

/* A black sheet: cells a frame never reaches stay black. */
static AVFrame *sheet_new(int width, int height)
{
    AVFrame *f = av_frame_alloc();
    if (!f)
        return NULL;
    f->format = AV_PIX_FMT_YUVJ420P;
    f->width = width;
    f->height = height;
    if (av_frame_get_buffer(f, 0) < 0) {
        av_frame_free(&f);
        return NULL;
    }
    for (int y = 0; y < height; y++)
        memset(f->data[0] + (size_t)y * f->linesize[0], 0, (size_t)width);
    for (int p = 1; p < 3; p++)
        for (int y = 0; y < height / 2; y++)
            memset(f->data[p] + (size_t)y * f->linesize[p], 128, (size_t)width / 2);
    return f;
}

/* Scales frame into the cell at (x, y) of sheet (both even). */
static int put_tile(AVFrame *sheet, const AVFrame *frame, int x, int y, int w, int h)
{
    struct SwsContext *sws = sws_getContext(frame->width, frame->height, frame->format, w, h,
                                            AV_PIX_FMT_YUVJ420P, SWS_BILINEAR, NULL, NULL, NULL);
    if (!sws)
        return CU_EMEDIA;
    uint8_t *dst[4] = {
        sheet->data[0] + (size_t)y * sheet->linesize[0] + x,
        sheet->data[1] + (size_t)(y / 2) * sheet->linesize[1] + x / 2,
        sheet->data[2] + (size_t)(y / 2) * sheet->linesize[2] + x / 2,
        NULL,
    };
    int stride[4] = {sheet->linesize[0], sheet->linesize[1], sheet->linesize[2], 0};
    sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, dst,
              stride);
    sws_freeContext(sws);
    return 0;
}

static int write_manifest(const char *base, const cm_sprite_info *info, cu_err *err)
{
    char *out = cu_xasprintf("%s.txt", base);
    char *tmp = cu_xasprintf("%s.tmp.%d", out, (int)getpid());
    int rc = 0;
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        rc = cu_err_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
        goto done;
    }
    fprintf(fp, MANIFEST_MAGIC "\ninterval %.3f\ntile %d %d\ngrid %d %d\ntiles %d\nsheets %d\n",
            info->interval, info->tile_width, info->tile_height, info->columns, info->rows,
            info->tiles, info->sheets);
    bool ok = fflush(fp) == 0;
    ok = fclose(fp) == 0 && ok;
    if (!ok || rename(tmp, out) != 0) {
        rc = cu_err_set(err, -EIO, "cannot write %s", out);
        unlink(tmp);
    }
done:
    free(tmp);
    free(out);
    return rc;
}

int cm_sprite_make(int fd, const char *name, const cm_sprite_options *opt, const char *base,
                   cm_sprite_info *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    double interval = opt && opt->interval > 0 ? opt->interval : 10.0;
    int tile_width = opt && opt->tile_width > 0 ? opt->tile_width : 160;
    int columns = opt && opt->columns > 0 ? opt->columns : 10;
    int rows = opt && opt->rows > 0 ? opt->rows : 10;
    if (tile_width > CM_SPRITE_MAX_TILE_WIDTH || columns > 32 || rows > 32 || interval > 3600)
        return cu_err_set(err, CU_EINVAL, "trickplay layout out of range");
    tile_width &= ~1;
    if (tile_width < 16)
        tile_width = 16;

    sprite_source s;
    int rc = source_open(&s, fd, name, err);
    if (rc < 0)
        return rc;
    AVFormatContext *fmt = s.io.fmt;
    AVStream *st = fmt->streams[s.stream];
    double duration = fmt->duration > 0 ? fmt->duration / (double)AV_TIME_BASE : 0;
    if (duration <= 0 && st->duration > 0)
        duration = (double)st->duration * av_q2d(st->time_base);
    if (duration <= 0) {
        source_close(&s);
        return cu_err_set(err, CU_EMEDIA, "unknown duration");
    }
    /* A very long file gets a longer interval, never more tiles. */
    if (duration / interval > CM_SPRITE_MAX_TILES)
        interval = duration / CM_SPRITE_MAX_TILES;
    int tiles = (int)(duration / interval);
    if (tiles < 1)
        tiles = 1;
    if (tiles > CM_SPRITE_MAX_TILES)
        tiles = CM_SPRITE_MAX_TILES;
    int per_sheet = columns * rows;
    int sheets = (tiles + per_sheet - 1) / per_sheet;
    if (sheets > CM_SPRITE_MAX_SHEETS) {
        source_close(&s);
        return cu_err_set(err, CU_ELIMIT, "too many trickplay sheets");
    }
    /* Tile height from the display aspect (pixels may be non-square). */
    double sar = 1.0;
    AVRational r = av_guess_sample_aspect_ratio(fmt, st, NULL);
    if (r.num > 0 && r.den > 0)
        sar = av_q2d(r);
    double display_w = st->codecpar->width * sar;
    int tile_height = (int)(tile_width * st->codecpar->height / display_w + 0.5) & ~1;
    if (tile_height < 2)
        tile_height = 2;
    if (tile_height > 4 * tile_width) {
        source_close(&s);
        return cu_err_set(err, CU_EMEDIA, "unusable picture shape");
    }

    AVFrame *frame = av_frame_alloc();
    AVFrame *sheet = NULL;
    int decoded_any = 0;
    if (!frame) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    for (int sheet_index = 0; sheet_index < sheets && rc == 0; sheet_index++) {
        int first = sheet_index * per_sheet;
        int count = tiles - first < per_sheet ? tiles - first : per_sheet;
        int sheet_rows = (count + columns - 1) / columns;
        av_frame_free(&sheet);
        sheet = sheet_new(columns * tile_width, sheet_rows * tile_height);
        if (!sheet) {
            rc = cu_err_set(err, -ENOMEM, "out of memory");
            break;
        }
        for (int k = 0; k < count; k++) {
            if (opt && ((opt->cancel && *opt->cancel) || (opt->yield && *opt->yield))) {
                rc = cu_err_set(err, CU_ELIMIT, "stopped");
                break;
            }
            s.io.deadline_us = av_gettime_relative() + TILE_DEADLINE_US;
            /* The middle of each interval: the tile stands for the span. */
            double at = ((first + k) + 0.5) * interval;
            if (at > duration)
                at = duration;
            cu_err terr = {0};
            int d = decode_at(&s, at, frame, &terr);
            if (d < 0 && terr.code == CU_ELIMIT) {
                rc = cu_err_set(err, CU_ELIMIT, "%s", terr.msg);
                break;
            }
            if (d != 0)
                continue; /* a hole stays black */
            if (frame->width > 0 && frame->height > 0 &&
                put_tile(sheet, frame, (k % columns) * tile_width, (k / columns) * tile_height,
                         tile_width, tile_height) == 0)
                decoded_any++;
            av_frame_unref(frame);
        }
        if (rc == 0)
            rc = write_sheet(sheet, base, sheet_index, err);
    }
    if (rc == 0 && decoded_any == 0)
        rc = cu_err_set(err, CU_EMEDIA, "no picture could be decoded");
    if (rc == 0) {
        *out = (cm_sprite_info){.interval = interval,
                                .tile_width = tile_width,
                                .tile_height = tile_height,
                                .columns = columns,
                                .rows = rows,
                                .tiles = tiles,
                                .sheets = sheets};
        rc = write_manifest(base, out, err);
    }
done:
    av_frame_free(&sheet);
    av_frame_free(&frame);
    source_close(&s);
    return rc;
}

int cm_sprite_manifest_parse(const char *text, size_t len, cm_sprite_info *out, cu_err *err)
{
    char buf[1025];
    if (len > 1024)
        len = 1024;
    memcpy(buf, text, len);
    buf[len] = '\0';
    memset(out, 0, sizeof *out);
    cm_sprite_info i = {0};
    int used = 0;
    if (sscanf(buf,
               MANIFEST_MAGIC "\ninterval %lf\ntile %d %d\ngrid %d %d\ntiles %d\nsheets %d\n%n",
               &i.interval, &i.tile_width, &i.tile_height, &i.columns, &i.rows, &i.tiles, &i.sheets,
               &used) != 7)
        return cu_err_set(err, CU_EPARSE, "not a trickplay manifest");
    if (!(i.interval > 0 && i.interval <= 3600) || i.tile_width < 2 ||
        i.tile_width > CM_SPRITE_MAX_TILE_WIDTH || i.tile_height < 2 ||
        i.tile_height > 4 * CM_SPRITE_MAX_TILE_WIDTH || i.columns < 1 || i.columns > 32 ||
        i.rows < 1 || i.rows > 32 || i.tiles < 1 || i.tiles > CM_SPRITE_MAX_TILES || i.sheets < 1 ||
        i.sheets > CM_SPRITE_MAX_SHEETS ||
        i.sheets != (i.tiles + i.columns * i.rows - 1) / (i.columns * i.rows))
        return cu_err_set(err, CU_EPARSE, "trickplay manifest out of range");
    *out = i;
    return 0;
}

int cm_sprite_manifest_read(const char *base, cm_sprite_info *out, cu_err *err)
{
    char *path = cu_xasprintf("%s.txt", base);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    free(path);
    if (fd < 0)
        return cu_err_set(err, -errno, "no trickplay manifest");
    char buf[1024];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0)
        return cu_err_set(err, -EIO, "cannot read the trickplay manifest");
    return cm_sprite_manifest_parse(buf, (size_t)n, out, err);
}

char *cm_sprite_base(const char *dir, int64_t file_id, int64_t size, int64_t mtime_ns)
{
    return cu_xasprintf("%s/%lld-%lld-%lld", dir, (long long)file_id, (long long)size,
                        (long long)mtime_ns);
}
