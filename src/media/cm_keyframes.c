/* cm_keyframes: where a film's video may be cut. One pass over the video
 * packets (no decoding) records every keyframe's presentation time, the
 * deepest frame reordering and the end; the result is saved beside the
 * catalog as a small versioned binary file so the scan is paid once. */
#include "media/cm_keyframes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavformat/avformat.h>

#include "media/cm_hls_internal.h"
#include "util/cu_str.h"

#define KF_BUDGET_US (300LL * 1000 * 1000) /* reading a 50 GB remux off a slow disk */
#define KF_GOP_MAX 4096                    /* frames per GOP whose reordering we measure */
#define KF_MAGIC "CMKF"
#define KF_VERSION 1
#define KF_HEADER_SIZE (4 + 4 + 4 * 4 + 8 * 6)

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Reordering depth of one GOP in decode order: how far a frame's pts lies
 * after the pts it would have if frames were shown in decode order. A
 * decode timestamp of sorted_pts[i] - depth never passes pts[i]. */
static int64_t gop_reorder(const int64_t *pts, size_t n)
{
    if (n < 2)
        return 0;
    int64_t *sorted = cu_xmalloc(n * sizeof *sorted);
    memcpy(sorted, pts, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_i64);
    int64_t depth = 0;
    for (size_t i = 0; i < n; i++)
        if (sorted[i] - pts[i] > depth)
            depth = sorted[i] - pts[i];
    free(sorted);
    return depth;
}

static int video_stream(const AVFormatContext *fmt)
{
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
            !(st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            return (int)i;
    }
    return -1;
}

/* Keyframes from the container's own index (Matroska cues, MP4 sync
 * samples), which libavformat read with the header: no need to read the
 * whole file. The index gives decode times for MP4; its keyframes' pts lie
 * a constant composition delay later (measured on the first one). False
 * when there is no usable index (no cues, or cues that stop well before
 * the end: a file cut short, a live recording). */
#define INDEX_GOPS_MEASURED 3 /* GOPs read for the reordering depth */
#define INDEX_MAX_GAP_S 60    /* last keyframe to the end, at most */

static bool from_container_index(AVFormatContext *fmt, AVStream *st, cm_keyframes *kf,
                                 int64_t delay)
{
    int n = avformat_index_get_entries_count(st);
    if (n < 2 || n > CM_KEYFRAMES_MAX || fmt->duration <= 0)
        return false;
    int64_t *pts = cu_xmalloc((size_t)n * sizeof *pts);
    size_t count = 0;
    for (int i = 0; i < n; i++) {
        const AVIndexEntry *e = avformat_index_get_entry(st, i);
        if (!e || !(e->flags & AVINDEX_KEYFRAME) || e->timestamp == AV_NOPTS_VALUE)
            continue;
        int64_t t = e->timestamp + delay;
        if (count && t <= pts[count - 1])
            continue;
        pts[count++] = t;
    }
    int64_t start = fmt->start_time != AV_NOPTS_VALUE
                        ? av_rescale_q(fmt->start_time, AV_TIME_BASE_Q, st->time_base)
                        : 0;
    int64_t end = start + av_rescale_q(fmt->duration, AV_TIME_BASE_Q, st->time_base);
    int64_t max_gap = av_rescale_q(INDEX_MAX_GAP_S, (AVRational){1, 1}, st->time_base);
    if (count < 2 || end <= pts[count - 1] || end - pts[count - 1] > max_gap ||
        (kf->count && pts[0] > kf->pts[0])) {
        free(pts);
        return false;
    }
    free(kf->pts);
    kf->pts = pts;
    kf->count = count;
    kf->end = end;
    return true;
}

int cm_keyframes_build(int fd, cm_keyframes **out, cu_err *err)
{
    return cm_keyframes_build_full(fd, true, out, err);
}

int cm_keyframes_build_full(int fd, bool use_index, cm_keyframes **out, cu_err *err)
{
    cm_source src;
    AVPacket *pkt = NULL;
    cm_keyframes *kf = NULL;
    int64_t *gop = NULL;
    size_t gop_len = 0, cap = 0;
    int rc;

    *out = NULL;
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return cu_err_set(err, -errno, "%s", strerror(errno));
    rc = cm_source_open(&src, fd, NULL, KF_BUDGET_US, true, err);
    if (rc < 0)
        return rc;
    int vs = video_stream(src.fmt);
    if (vs < 0) {
        rc = cu_err_set(err, CU_EMEDIA, "no video stream");
        goto fail;
    }
    AVStream *st = src.fmt->streams[vs];
    const char *format = src.fmt->iformat->name;
    bool is_mov = !strncmp(format, "mov,mp4", 7), is_mkv = !strcmp(format, "matroska,webm");
    /* The Matroska demuxer reads its cues at the first seek: seek to the
     * start (where the scan begins anyway). */
    if (use_index && is_mkv)
        av_seek_frame(src.fmt, vs, st->start_time != AV_NOPTS_VALUE ? st->start_time : 0,
                      AVSEEK_FLAG_BACKWARD);
    use_index = use_index && (is_mov || is_mkv) && avformat_index_get_entries_count(st) >= 2;
    int64_t key_delay = 0; /* pts - dts of the first keyframe */
    for (unsigned i = 0; i < src.fmt->nb_streams; i++)
        src.fmt->streams[i]->discard = (int)i == vs ? AVDISCARD_DEFAULT : AVDISCARD_ALL;

    kf = cu_xcalloc(1, sizeof *kf);
    kf->stream_index = vs;
    kf->tb_num = st->time_base.num;
    kf->tb_den = st->time_base.den;
    kf->end = INT64_MIN;
    kf->source_size = (uint64_t)sb.st_size;
    kf->source_mtime = (int64_t)sb.st_mtime;
    gop = cu_xmalloc(KF_GOP_MAX * sizeof *gop);
    pkt = av_packet_alloc();
    if (!pkt) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto fail;
    }
    int64_t shortest_step = INT64_MAX, last_pts = AV_NOPTS_VALUE;
    bool gop_valid = false;
    for (;;) {
        int r = av_read_frame(src.fmt, pkt);
        if (r == AVERROR_EOF)
            break;
        if (r < 0) {
            if (r == AVERROR_EXIT || kf->count == 0) {
                rc = cm_av_error(err, r, "cannot read");
                goto fail;
            }
            break; /* a damaged tail: keep what was indexed */
        }
        if (pkt->stream_index != vs) {
            av_packet_unref(pkt);
            continue;
        }
        int64_t pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
        if (pts == AV_NOPTS_VALUE) {
            av_packet_unref(pkt);
            continue;
        }
        if (pkt->flags & AV_PKT_FLAG_KEY && (kf->count == 0 || pts > kf->pts[kf->count - 1])) {
            if (kf->count == 0 && pkt->pts != AV_NOPTS_VALUE && pkt->dts != AV_NOPTS_VALUE)
                key_delay = pkt->pts - pkt->dts;
            if (use_index && kf->count == INDEX_GOPS_MEASURED) {
                av_packet_unref(pkt);
                break; /* the rest comes from the index */
            }
            if (gop_valid) {
                int64_t depth = gop_reorder(gop, gop_len);
                if (depth > kf->reorder)
                    kf->reorder = depth;
            }
            gop_len = 0;
            gop_valid = true;
            if (kf->count == CM_KEYFRAMES_MAX) {
                rc = cu_err_set(err, CU_ELIMIT, "more than %d keyframes", CM_KEYFRAMES_MAX);
                goto fail;
            }
            if (kf->count == cap) {
                cap = cap ? cap * 2 : 256;
                kf->pts = cu_xreallocarray(kf->pts, cap, sizeof *kf->pts);
            }
            kf->pts[kf->count++] = pts;
        }
        if (gop_valid) {
            if (gop_len < KF_GOP_MAX)
                gop[gop_len++] = pts;
            else
                gop_valid = false;
        }
        if (last_pts != AV_NOPTS_VALUE && pts != last_pts) {
            int64_t step = pts > last_pts ? pts - last_pts : last_pts - pts;
            if (step < shortest_step)
                shortest_step = step;
        }
        last_pts = pts;
        int64_t end = pts + (pkt->duration > 0 ? pkt->duration : 0);
        if (end > kf->end)
            kf->end = end;
        av_packet_unref(pkt);
    }
    if (gop_valid) {
        int64_t depth = gop_reorder(gop, gop_len);
        if (depth > kf->reorder)
            kf->reorder = depth;
    }
    if (use_index && kf->count > 0 &&
        !from_container_index(src.fmt, st, kf, is_mov ? key_delay : 0)) {
        /* No usable index after all: read the whole file. */
        av_packet_free(&pkt);
        free(gop);
        cm_keyframes_free(kf);
        cm_source_close(&src);
        return cm_keyframes_build_full(fd, false, out, err);
    }
    if (kf->count == 0) {
        rc = cu_err_set(err, CU_EMEDIA, "no keyframe in the video stream");
        goto fail;
    }
    /* The frame duration: the container's rate when it has one, else the
     * shortest step between two frames. */
    AVRational rate = st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate;
    if (rate.num > 0 && rate.den > 0)
        kf->frame_duration = av_rescale_q(1, av_inv_q(rate), st->time_base);
    if (kf->frame_duration <= 0)
        kf->frame_duration = shortest_step != INT64_MAX ? shortest_step : 1;
    /* A last frame without a duration still lasts one frame. */
    if (kf->end <= last_pts)
        kf->end = last_pts + kf->frame_duration;
    if (kf->end <= kf->pts[kf->count - 1])
        kf->end = kf->pts[kf->count - 1] + kf->frame_duration;
    *out = kf;
    kf = NULL;
    rc = 0;
fail:
    av_packet_free(&pkt);
    free(gop);
    cm_keyframes_free(kf);
    cm_source_close(&src);
    return rc;
}

void cm_keyframes_free(cm_keyframes *kf)
{
    if (!kf)
        return;
    free(kf->pts);
    free(kf);
}

/* ---- The file: little-endian, "CMKF", version, then fixed fields, then
 * count keyframes as deltas from the previous one (first from 0). ---- */

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_u32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int cm_keyframes_serialize(const cm_keyframes *kf, uint8_t **out, size_t *len)
{
    if (!kf || kf->count == 0 || kf->count > CM_KEYFRAMES_MAX)
        return CU_EINVAL;
    size_t size = KF_HEADER_SIZE + kf->count * 8;
    uint8_t *b = cu_xmalloc(size);
    memcpy(b, KF_MAGIC, 4);
    put_u32(b + 4, KF_VERSION);
    put_u32(b + 8, (uint32_t)kf->stream_index);
    put_u32(b + 12, (uint32_t)kf->tb_num);
    put_u32(b + 16, (uint32_t)kf->tb_den);
    put_u32(b + 20, (uint32_t)kf->count);
    put_u64(b + 24, (uint64_t)kf->end);
    put_u64(b + 32, (uint64_t)kf->reorder);
    put_u64(b + 40, (uint64_t)kf->frame_duration);
    put_u64(b + 48, kf->source_size);
    put_u64(b + 56, (uint64_t)kf->source_mtime);
    put_u64(b + 64, 0); /* reserved */
    uint8_t *p = b + KF_HEADER_SIZE;
    int64_t prev = 0;
    for (size_t i = 0; i < kf->count; i++, p += 8) {
        put_u64(p, (uint64_t)kf->pts[i] - (uint64_t)prev);
        prev = kf->pts[i];
    }
    *out = b;
    *len = size;
    return 0;
}

int cm_keyframes_parse(const uint8_t *b, size_t len, cm_keyframes **out, cu_err *err)
{
    *out = NULL;
    if (len < KF_HEADER_SIZE || memcmp(b, KF_MAGIC, 4) != 0)
        return cu_err_set(err, CU_EPARSE, "not a keyframe index");
    if (get_u32(b + 4) != KF_VERSION)
        return cu_err_set(err, CU_EPARSE, "keyframe index version %u", get_u32(b + 4));
    uint32_t count = get_u32(b + 20);
    if (count == 0 || count > CM_KEYFRAMES_MAX || (len - KF_HEADER_SIZE) / 8 != count ||
        (len - KF_HEADER_SIZE) % 8 != 0)
        return cu_err_set(err, CU_EPARSE, "keyframe index of the wrong size");
    cm_keyframes kf = {
        .stream_index = (int)get_u32(b + 8),
        .tb_num = (int)get_u32(b + 12),
        .tb_den = (int)get_u32(b + 16),
        .count = count,
        .end = (int64_t)get_u64(b + 24),
        .reorder = (int64_t)get_u64(b + 32),
        .frame_duration = (int64_t)get_u64(b + 40),
        .source_size = get_u64(b + 48),
        .source_mtime = (int64_t)get_u64(b + 56),
    };
    /* Times within +-2^62 and durations under 2^40 ticks: differences and
     * rescaling later can never overflow. */
    const int64_t max_time = INT64_C(1) << 62, max_span = INT64_C(1) << 40;
    if (kf.stream_index < 0 || kf.stream_index > 4096 || kf.tb_num <= 0 || kf.tb_den <= 0 ||
        kf.reorder < 0 || kf.reorder > max_span || kf.frame_duration <= 0 ||
        kf.frame_duration > max_span || kf.end > max_time || kf.end < -max_time ||
        get_u64(b + 64) != 0)
        return cu_err_set(err, CU_EPARSE, "keyframe index with bad fields");
    kf.pts = cu_xmalloc(count * sizeof *kf.pts);
    const uint8_t *p = b + KF_HEADER_SIZE;
    uint64_t acc = 0;
    for (uint32_t i = 0; i < count; i++, p += 8) {
        acc += get_u64(p);
        kf.pts[i] = (int64_t)acc;
        if (kf.pts[i] > max_time || kf.pts[i] < -max_time ||
            (i > 0 && kf.pts[i] <= kf.pts[i - 1])) {
            free(kf.pts);
            return cu_err_set(err, CU_EPARSE, "keyframe index out of order");
        }
    }
    if (kf.end <= kf.pts[count - 1]) {
        free(kf.pts);
        return cu_err_set(err, CU_EPARSE, "keyframe index ends before its last keyframe");
    }
    *out = cu_xmalloc(sizeof **out);
    **out = kf;
    return 0;
}

int cm_keyframes_save(const cm_keyframes *kf, const char *path, cu_err *err)
{
    uint8_t *blob;
    size_t len;
    if (cm_keyframes_serialize(kf, &blob, &len) < 0)
        return cu_err_set(err, CU_EINVAL, "empty keyframe index");
    char *tmp = cu_xasprintf("%s.tmp.%d", path, (int)getpid());
    int rc = 0;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        rc = cu_err_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
        goto done;
    }
    bool ok = fwrite(blob, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        rc = cu_err_set(err, -EIO, "cannot write %s", path);
        unlink(tmp);
    }
done:
    free(tmp);
    free(blob);
    return rc;
}

int cm_keyframes_load(const char *path, cm_keyframes **out, cu_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return cu_err_set(err, -errno, "cannot read %s: %s", path, strerror(errno));
    const size_t max = KF_HEADER_SIZE + (size_t)CM_KEYFRAMES_MAX * 8;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size < 0 || (uint64_t)sb.st_size > max) {
        fclose(f);
        return cu_err_set(err, CU_EPARSE, "keyframe index too large");
    }
    size_t want = (size_t)sb.st_size;
    uint8_t *b = cu_xmalloc(want + 1);
    size_t len = fread(b, 1, want + 1, f);
    fclose(f);
    int rc = len != want ? cu_err_set(err, CU_EPARSE, "keyframe index changed while read")
                         : cm_keyframes_parse(b, len, out, err);
    free(b);
    return rc;
}
