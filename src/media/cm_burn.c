/* cm_burn: picture subtitles decoded and painted into transcoded frames
 * (see cm_burn.h). */
#include "media/cm_burn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/time.h>

#include "media/cm_disc.h"
#include "media/cm_hls_internal.h"
#include "media/cm_subtitle.h"
#include "util/cu_str.h"

#define COLLECT_BUDGET_US (20LL * 1000 * 1000)
/* Packets read past the segment's end looking for its last subtitles. */
#define COLLECT_MAX_PACKETS 200000

typedef struct burn_rect {
    int x, y, w, h;
    uint32_t *argb; /* w * h pixels, 0xAARRGGBB */
} burn_rect;

typedef struct burn_sub {
    int64_t start, end; /* tb; end INT64_MAX until the next one says */
    size_t rect_count;
    burn_rect rects[CM_BURN_MAX_RECTS];
} burn_sub;

struct cm_burn {
    size_t count;
    burn_sub subs[CM_BURN_MAX_SUBTITLES];
};

int cm_burn_check(const AVFormatContext *fmt, int index, cu_err *err)
{
    if (index < 0 || (unsigned)index >= fmt->nb_streams ||
        fmt->streams[index]->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE)
        return cu_err_set(err, CU_ENOTFOUND, "no subtitle stream %d to burn in", index);
    const char *codec = avcodec_get_name(fmt->streams[index]->codecpar->codec_id);
    if (cm_subtitle_kind(codec) != CM_SUB_IMAGE)
        return cu_err_set(err, CU_EINVAL,
                          "stream %d has %s subtitles: text is sent as WebVTT, not burned in",
                          index, codec);
    return 0;
}

static void sub_clear(burn_sub *s)
{
    for (size_t i = 0; i < s->rect_count; i++)
        free(s->rects[i].argb);
    s->rect_count = 0;
}

void cm_burn_free(cm_burn *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->count; i++)
        sub_clear(&b->subs[i]);
    free(b);
}

size_t cm_burn_count(const cm_burn *b)
{
    return b ? b->count : 0;
}

/* Keeps one decoded subtitle: its bitmaps as ARGB, its times in tb. A
 * subtitle without an end of its own ends where the next one starts (PGS
 * sends an empty one to clear the screen). */
static void keep(cm_burn *b, const AVSubtitle *sub, int64_t base, AVRational tb)
{
    int64_t start = base + av_rescale_q(sub->start_display_time, (AVRational){1, 1000}, tb);
    int64_t end =
        sub->end_display_time > sub->start_display_time && sub->end_display_time != UINT32_MAX
            ? base + av_rescale_q(sub->end_display_time, (AVRational){1, 1000}, tb)
            : INT64_MAX;
    for (size_t i = 0; i < b->count; i++)
        if (b->subs[i].end == INT64_MAX && b->subs[i].start < start)
            b->subs[i].end = start;
    if (sub->format != 0 || sub->num_rects == 0 || b->count >= CM_BURN_MAX_SUBTITLES)
        return;
    burn_sub *s = &b->subs[b->count];
    memset(s, 0, sizeof *s);
    s->start = start;
    s->end = end;
    for (unsigned r = 0; r < sub->num_rects && s->rect_count < CM_BURN_MAX_RECTS; r++) {
        const AVSubtitleRect *rect = sub->rects[r];
        if (rect->type != SUBTITLE_BITMAP || rect->w <= 0 || rect->h <= 0 || rect->x < 0 ||
            rect->y < 0 || (int64_t)rect->w * rect->h > CM_BURN_MAX_RECT_PIXELS || !rect->data[0] ||
            !rect->data[1] || rect->nb_colors <= 0 || rect->nb_colors > 256)
            continue;
        const uint32_t *palette = (const uint32_t *)rect->data[1];
        burn_rect *out = &s->rects[s->rect_count];
        out->argb = malloc((size_t)rect->w * (size_t)rect->h * sizeof *out->argb);
        if (!out->argb)
            continue;
        out->x = rect->x;
        out->y = rect->y;
        out->w = rect->w;
        out->h = rect->h;
        for (int y = 0; y < rect->h; y++) {
            const uint8_t *line = rect->data[0] + (size_t)y * (size_t)rect->linesize[0];
            for (int x = 0; x < rect->w; x++) {
                uint8_t k = line[x];
                out->argb[(size_t)y * (size_t)rect->w + (size_t)x] =
                    k < rect->nb_colors ? palette[k] : 0;
            }
        }
        s->rect_count++;
    }
    if (s->rect_count)
        b->count++;
}

int cm_burn_collect(int fd, int index, int video_index, AVRational tb, int64_t from, int64_t to,
                    cm_burn **out, cu_err *err)
{
    *out = NULL;
    cm_source src;
    int rc = cm_source_open(&src, fd, NULL, COLLECT_BUDGET_US, false, err);
    if (rc < 0)
        return rc;
    AVFormatContext *fmt = src.fmt;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    cm_burn *b = calloc(1, sizeof *b);
    if (!pkt || !b) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = cm_burn_check(fmt, index, err)) < 0)
        goto done;
    AVStream *st = fmt->streams[index];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    dec = codec ? avcodec_alloc_context3(codec) : NULL;
    if (!dec || avcodec_parameters_to_context(dec, st->codecpar) < 0) {
        rc = cu_err_set(err, CU_EMEDIA, "no decoder for %s subtitles",
                        avcodec_get_name(st->codecpar->codec_id));
        goto done;
    }
    dec->pkt_timebase = st->time_base;
    /* A DVD's subpicture colours are in its IFO, not in the stream:
     * without them the decoder can only guess (greys). */
    AVDictionary *opts = NULL;
    uint32_t palette[16];
    if (src.disc && st->codecpar->codec_id == AV_CODEC_ID_DVD_SUBTITLE &&
        cm_disc_stream_palette(src.disc, palette)) {
        char text[16 * 8];
        size_t used = 0;
        for (int i = 0; i < 16; i++)
            used += (size_t)snprintf(text + used, sizeof text - used, "%s%06x", i ? "," : "",
                                     (unsigned)palette[i] & 0xffffffu);
        av_dict_set(&opts, "palette", text, 0);
    }
    rc = avcodec_open2(dec, codec, &opts);
    av_dict_free(&opts);
    if (rc < 0) {
        rc = cm_av_error(err, rc, "cannot open the subtitle decoder");
        goto done;
    }
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        fmt->streams[i]->discard = (int)i == index ? AVDISCARD_DEFAULT : AVDISCARD_ALL;
    /* From a little before: a subtitle on screen at `from` was sent
     * before it. A seek that fails reads from the start (bounded). */
    if (from > 0 && video_index >= 0 && (unsigned)video_index < fmt->nb_streams)
        av_seek_frame(fmt, video_index, from, AVSEEK_FLAG_BACKWARD);
    for (long n = 0; n < COLLECT_MAX_PACKETS; n++) {
        int got_pkt = av_read_frame(fmt, pkt);
        if (got_pkt < 0)
            break; /* the end, or the deadline: what was read is kept */
        if (pkt->stream_index != index || pkt->pts == AV_NOPTS_VALUE) {
            av_packet_unref(pkt);
            continue;
        }
        int64_t at = av_rescale_q(pkt->pts, st->time_base, tb);
        if (at > to) {
            av_packet_unref(pkt);
            break;
        }
        AVSubtitle sub;
        int got = 0;
        if (avcodec_decode_subtitle2(dec, &sub, &got, pkt) >= 0 && got) {
            int64_t base =
                sub.pts != AV_NOPTS_VALUE ? av_rescale_q(sub.pts, AV_TIME_BASE_Q, tb) : at;
            keep(b, &sub, base, tb);
            avsubtitle_free(&sub);
        }
        av_packet_unref(pkt);
    }
    *out = b;
    b = NULL;
    rc = 0;
done:
    cm_burn_free(b);
    avcodec_free_context(&dec);
    av_packet_free(&pkt);
    cm_source_close(&src);
    return rc;
}

static inline uint8_t blend(uint8_t under, int over, int alpha)
{
    return (uint8_t)((over * alpha + under * (255 - alpha) + 127) / 255);
}

/* One rectangle over pic, scaled from the source picture's size to pic's
 * (nearest pixel); BT.601 limited-range colours. */
static void paint_rect(const burn_rect *r, AVFrame *pic, int src_w, int src_h)
{
    int64_t x0 = (int64_t)r->x * pic->width / src_w, y0 = (int64_t)r->y * pic->height / src_h;
    int64_t x1 = (int64_t)(r->x + r->w) * pic->width / src_w;
    int64_t y1 = (int64_t)(r->y + r->h) * pic->height / src_h;
    if (x1 > pic->width)
        x1 = pic->width;
    if (y1 > pic->height)
        y1 = pic->height;
    if (x1 <= x0 || y1 <= y0)
        return;
    int64_t ow = (int64_t)r->w * pic->width / src_w, oh = (int64_t)r->h * pic->height / src_h;
    if (ow <= 0 || oh <= 0)
        return;
    for (int64_t oy = y0; oy < y1; oy++) {
        int64_t sy = (oy - y0) * r->h / oh;
        if (sy >= r->h)
            sy = r->h - 1;
        uint8_t *luma = pic->data[0] + oy * pic->linesize[0];
        bool chroma_row = (oy & 1) == 0;
        uint8_t *cb = pic->data[1] + (oy / 2) * pic->linesize[1];
        uint8_t *cr = pic->data[2] + (oy / 2) * pic->linesize[2];
        for (int64_t ox = x0; ox < x1; ox++) {
            int64_t sx = (ox - x0) * r->w / ow;
            if (sx >= r->w)
                sx = r->w - 1;
            uint32_t c = r->argb[sy * r->w + sx];
            int a = (int)(c >> 24);
            if (!a)
                continue;
            int red = (int)(c >> 16) & 255, green = (int)(c >> 8) & 255, blue = (int)c & 255;
            int y = ((66 * red + 129 * green + 25 * blue + 128) >> 8) + 16;
            luma[ox] = blend(luma[ox], y, a);
            if (chroma_row && (ox & 1) == 0) {
                int u = ((-38 * red - 74 * green + 112 * blue + 128) >> 8) + 128;
                int v = ((112 * red - 94 * green - 18 * blue + 128) >> 8) + 128;
                cb[ox / 2] = blend(cb[ox / 2], u, a);
                cr[ox / 2] = blend(cr[ox / 2], v, a);
            }
        }
    }
}

void cm_burn_paint(const cm_burn *b, int64_t pts, AVFrame *pic, int src_w, int src_h)
{
    if (!b || !pic || src_w <= 0 || src_h <= 0 || pic->format != AV_PIX_FMT_YUV420P)
        return;
    for (size_t i = 0; i < b->count; i++) {
        const burn_sub *s = &b->subs[i];
        if (pts < s->start || pts >= s->end)
            continue;
        for (size_t r = 0; r < s->rect_count; r++)
            paint_rect(&s->rects[r], pic, src_w, src_h);
    }
}
