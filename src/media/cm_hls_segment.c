/* cm_hls_segment: one fMP4 (CMAF) init or media segment, made on its own
 * from the source file. A segment is the packets from its cut keyframe to
 * the next cut, copied (remux) or decoded and re-encoded (H.264 / AAC), and
 * written by libavformat's mp4 muxer into memory as one fragment.
 *
 * The timeline: every output time is the source time minus the first
 * keyframe plus a constant shift S per file (a few frames, at least the
 * deepest frame reordering). Decode times are the sorted presentation
 * times minus S, so they are never negative and never pass a presentation
 * time, and each fragment's baseMediaDecodeTime (tfdt) is its first decode
 * time: segments made in any order line up into one continuous timeline. */
#include "media/cm_hls_segment.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "media/cm_burn.h"

#include "media/cm_hls_internal.h"
#include "util/cu_str.h"

#define SEG_BUDGET_US (60LL * 1000 * 1000)
#define SEG_MAX_PACKETS 100000
#define SEG_MAX_BYTES (512LL * 1024 * 1024)
/* Packets read past the end of the video part while looking for audio. */
#define SEG_AUDIO_SLACK_PACKETS 4000
#define VIDEO_TIMESCALE 90000
#define AAC_RATE 48000
#define AAC_FRAME 1024
#define AAC_BITRATE 160000
#define MAX_SILENCE_PAD (10 * AAC_RATE)

typedef struct pkt_list {
    AVPacket **items;
    size_t count, cap;
    int64_t bytes;
} pkt_list;

/* Where the muxer writes: one buffer, sized up front from the packets
 * (a segment of 1080p is ~10 MB; growing a buffer by doubling and copying
 * it out again cost more than cutting the segment). The header is dropped
 * unless wanted (the init segment is the header). */
#define SINK_IO_BUFFER (64 * 1024)
typedef struct sink {
    uint8_t *data;
    size_t len, cap;
    bool keep; /* false while the header of a media segment is written */
} sink;

typedef struct job {
    cm_source src;
    int fd;        /* the caller's, borrowed: a second read for burned subtitles */
    cm_burn *burn; /* the segment's picture subtitles; NULL: none burned */
    const cm_keyframes *kf;
    cm_hls_output opt;
    AVRational kf_tb;
    AVStream *vst, *ast; /* source streams; ast NULL without sound */
    int64_t origin;      /* first keyframe, kf time base */
    int64_t shift;       /* S, kf time base */
    AVRational vout_tb, aout_tb;

    /* transcoding */
    AVCodecContext *vdec, *venc, *adec, *aenc;
    struct SwsContext *sws;
    SwrContext *swr;
    AVAudioFifo *fifo;
    int64_t fifo_pos; /* output sample position of the fifo's first sample */
    bool fifo_started;
    int64_t audio_from, audio_to; /* samples wanted in the fifo, [from, to) */
    int64_t keep_from, keep_to;   /* encoded packets kept, output samples */
    AVFrame *frame, *picture, *sound;
    int64_t last_video_pts;
    bool first_picture;

    pkt_list vout, aout;
    struct sink *sink;         /* where the muxer writes */
    const atomic_bool *cancel; /* NULL, or set when the segment is no longer wanted */
} job;

/* ---- packet lists ---- */

static int list_take(pkt_list *l, AVPacket *pkt, cu_err *err)
{
    if (l->count >= SEG_MAX_PACKETS || l->bytes + pkt->size > SEG_MAX_BYTES) {
        av_packet_free(&pkt);
        return cu_err_set(err, CU_ELIMIT, "segment too large");
    }
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->items = cu_xreallocarray(l->items, l->cap, sizeof *l->items);
    }
    l->items[l->count++] = pkt;
    l->bytes += pkt->size;
    return 0;
}

static void list_clear(pkt_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        av_packet_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

void cm_hls_bytes_free(cm_hls_bytes *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

/* ---- opening ---- */

static bool needs_stream_info(const AVStream *st)
{
    const AVCodecParameters *p = st->codecpar;
    if (p->codec_type == AVMEDIA_TYPE_VIDEO)
        return p->width <= 0 || p->height <= 0 ||
               ((p->codec_id == AV_CODEC_ID_H264 || p->codec_id == AV_CODEC_ID_HEVC) &&
                p->extradata_size == 0) ||
               /* the mp4 muxer's vpcC / av1C boxes need the bit depth */
               ((p->codec_id == AV_CODEC_ID_VP9 || p->codec_id == AV_CODEC_ID_AV1) &&
                p->format == AV_PIX_FMT_NONE);
    /* Not the sample format: only a decoder needs it, and it finds it. A
     * needless avformat_find_stream_info decodes frames of every stream:
     * for a 1080p film that cost more than the cut itself. */
    if (p->codec_type == AVMEDIA_TYPE_AUDIO)
        return p->sample_rate <= 0 || p->ch_layout.nb_channels <= 0;
    return false;
}

static void job_close(job *j)
{
    if (j->sink)
        free(j->sink->data);
    free(j->sink);
    j->sink = NULL;
    list_clear(&j->vout);
    list_clear(&j->aout);
    avcodec_free_context(&j->vdec);
    avcodec_free_context(&j->venc);
    avcodec_free_context(&j->adec);
    avcodec_free_context(&j->aenc);
    sws_freeContext(j->sws);
    j->sws = NULL;
    swr_free(&j->swr);
    if (j->fifo)
        av_audio_fifo_free(j->fifo);
    j->fifo = NULL;
    av_frame_free(&j->frame);
    av_frame_free(&j->picture);
    av_frame_free(&j->sound);
    cm_burn_free(j->burn);
    j->burn = NULL;
    cm_source_close(&j->src);
}

static int open_decoder(AVStream *st, AVCodecContext **out, int threads, cu_err *err)
{
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        return cu_err_set(err, CU_EMEDIA, "no decoder for %s",
                          avcodec_get_name(st->codecpar->codec_id));
    AVCodecContext *c = avcodec_alloc_context3(codec);
    if (!c || avcodec_parameters_to_context(c, st->codecpar) < 0) {
        avcodec_free_context(&c);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    c->pkt_timebase = st->time_base;
    c->thread_count = threads;
    int rc = avcodec_open2(c, codec, NULL);
    if (rc < 0) {
        avcodec_free_context(&c);
        return cm_av_error(err, rc, "cannot open decoder");
    }
    *out = c;
    return 0;
}

/* The H.264 encoder, the same settings every time so every segment fits
 * the one init segment (its SPS/PPS). */
static int open_video_encoder(job *j, cu_err *err)
{
    const AVCodecParameters *p = j->vst->codecpar;
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        return cu_err_set(err, CU_EMEDIA, "no libx264 encoder");
    int max_h = j->opt.max_height > 0 ? j->opt.max_height : CM_HLS_DEFAULT_MAX_HEIGHT;
    int h = p->height < max_h ? p->height : max_h;
    h &= ~1;
    int w = (int)(((int64_t)p->width * h + p->height / 2) / p->height) & ~1;
    if (w < 2 || h < 2 || w > 8192 || h > 8192)
        return cu_err_set(err, CU_EMEDIA, "unusable picture size %dx%d", p->width, p->height);
    AVCodecContext *c = avcodec_alloc_context3(codec);
    if (!c)
        return cu_err_set(err, -ENOMEM, "out of memory");
    c->width = w;
    c->height = h;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = j->vout_tb;
    AVRational rate =
        j->vst->avg_frame_rate.num > 0 ? j->vst->avg_frame_rate : j->vst->r_frame_rate;
    if (rate.num > 0 && rate.den > 0)
        c->framerate = rate;
    c->sample_aspect_ratio = p->sample_aspect_ratio;
    /* fMP4 keeps SPS/PPS in the init segment; MPEG-TS has none, so the
     * encoder repeats them in-band before each IDR. */
    if (!j->opt.mpegts)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    c->gop_size = 100000; /* one IDR per segment, at its start */
    c->thread_count = 0;
    char crf[16];
    snprintf(crf, sizeof crf, "%d", j->opt.crf > 0 && j->opt.crf <= 51 ? j->opt.crf : 23);
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "preset", "veryfast", 0);
    /* TVs' DLNA profiles for MPEG-TS (AVC_TS_MP_*) name Main profile. */
    av_dict_set(&opts, "profile", j->opt.mpegts ? "main" : "high", 0);
    av_dict_set(&opts, "crf", crf, 0);
    av_dict_set(&opts, "forced-idr", "1", 0);
    av_dict_set(&opts, "x264-params", "scenecut=0:log=-1", 0);
    int rc = avcodec_open2(c, codec, &opts);
    av_dict_free(&opts);
    if (rc < 0) {
        avcodec_free_context(&c);
        return cm_av_error(err, rc, "cannot open H.264 encoder");
    }
    j->venc = c;
    return 0;
}

static int open_audio_encoder(job *j, cu_err *err)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!codec)
        return cu_err_set(err, CU_EMEDIA, "no AAC encoder");
    AVCodecContext *c = avcodec_alloc_context3(codec);
    if (!c)
        return cu_err_set(err, -ENOMEM, "out of memory");
    c->sample_fmt = AV_SAMPLE_FMT_FLTP;
    c->sample_rate = AAC_RATE;
    c->bit_rate = AAC_BITRATE;
    c->time_base = (AVRational){1, AAC_RATE};
    av_channel_layout_default(&c->ch_layout, 2);
    c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    c->thread_count = 1;
    int rc = avcodec_open2(c, codec, NULL);
    if (rc < 0) {
        avcodec_free_context(&c);
        return cm_av_error(err, rc, "cannot open AAC encoder");
    }
    j->aenc = c;
    return 0;
}

/* Opens the source and, when transcoding, the encoders (which the init
 * segment needs too: their global headers go into it). */
static int job_open(job *j, int fd, const cm_keyframes *kf, const cm_hls_output *opt, cu_err *err)
{
    memset(j, 0, sizeof *j);
    if (fd < 0 || !kf || kf->count == 0 || !opt)
        return cu_err_set(err, CU_EINVAL, "no file, index or output given");
    j->kf = kf;
    j->opt = *opt;
    j->fd = fd;
    if (opt->burn_stream > 0 && opt->copy_video)
        return cu_err_set(err, CU_EINVAL, "subtitles are burned in only when the video is encoded");
    j->kf_tb = (AVRational){kf->tb_num, kf->tb_den};
    int rc = cm_source_open(&j->src, fd, NULL, SEG_BUDGET_US, false, err);
    if (rc < 0)
        return rc;
    AVFormatContext *fmt = j->src.fmt;
    if (kf->stream_index < 0 || (unsigned)kf->stream_index >= fmt->nb_streams ||
        fmt->streams[kf->stream_index]->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) {
        job_close(j);
        return cu_err_set(err, CU_EMEDIA, "the file changed since it was indexed");
    }
    j->vst = fmt->streams[kf->stream_index];
    if (av_cmp_q(j->vst->time_base, j->kf_tb) != 0) {
        job_close(j);
        return cu_err_set(err, CU_EMEDIA, "the file changed since it was indexed");
    }
    if (opt->audio_index >= 0) {
        if ((unsigned)opt->audio_index >= fmt->nb_streams ||
            fmt->streams[opt->audio_index]->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) {
            job_close(j);
            return cu_err_set(err, CU_ENOTFOUND, "no audio stream %d", opt->audio_index);
        }
        j->ast = fmt->streams[opt->audio_index];
    }
    if (opt->burn_stream > 0 && (rc = cm_burn_check(fmt, opt->burn_stream - 1, err)) < 0) {
        job_close(j);
        return rc;
    }
    if (needs_stream_info(j->vst) || (j->ast && needs_stream_info(j->ast))) {
        unsigned opt_count = fmt->nb_streams; /* streams found later get none */
        AVDictionary **so = av_calloc(opt_count ? opt_count : 1, sizeof *so);
        for (unsigned i = 0; so && i < opt_count; i++)
            av_dict_set(&so[i], "threads", "1", 0);
        rc = avformat_find_stream_info(fmt, so);
        for (unsigned i = 0; so && i < opt_count; i++)
            av_dict_free(&so[i]);
        av_freep(&so);
        if (rc < 0) {
            job_close(j);
            return cm_av_error(err, rc, "cannot read streams");
        }
    }
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        fmt->streams[i]->discard = fmt->streams[i] == j->vst || fmt->streams[i] == j->ast
                                       ? AVDISCARD_DEFAULT
                                       : AVDISCARD_ALL;
    /* Copying from Matroska needs nothing libavformat's parsers would add:
     * its blocks are whole frames with their keyframe flag and time, and
     * decode times are ours. Skipping the parsers (and the guessing of
     * missing times) halves the work of a cut. Audio frames of a lace
     * without a time of their own get one from the frame before. */
    if (opt->copy_video && (!j->ast || opt->copy_audio) &&
        !strcmp(fmt->iformat->name, "matroska,webm") && !needs_stream_info(j->vst))
        fmt->flags |= AVFMT_FLAG_NOPARSE | AVFMT_FLAG_NOFILLIN;
    j->origin = kf->pts[0];
    j->shift = cm_timeline_shift_ticks(kf);
    j->vout_tb = (AVRational){1, VIDEO_TIMESCALE};
    if (j->ast)
        j->aout_tb = (AVRational){1, opt->copy_audio ? j->ast->codecpar->sample_rate : AAC_RATE};
    if (j->ast && opt->copy_audio && j->ast->codecpar->sample_rate <= 0) {
        job_close(j);
        return cu_err_set(err, CU_EMEDIA, "audio without a sample rate");
    }
    if (!opt->copy_video && (rc = open_video_encoder(j, err)) < 0) {
        job_close(j);
        return rc;
    }
    if (j->ast && !opt->copy_audio && (rc = open_audio_encoder(j, err)) < 0) {
        job_close(j);
        return rc;
    }
    return 0;
}

/* ---- the muxer ---- */

/* An AudioSpecificConfig for AAC that came without one (ADTS in MPEG-TS). */
static int aac_config_from_params(AVCodecParameters *p)
{
    static const int rates[] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                22050, 16000, 12000, 11025, 8000,  7350};
    int index = -1;
    for (int i = 0; i < 13; i++)
        if (rates[i] == p->sample_rate)
            index = i;
    int channels = p->ch_layout.nb_channels;
    if (index < 0 || channels < 1 || channels > 7)
        return AVERROR(EINVAL);
    int object = p->profile >= 0 ? p->profile + 1 : 2;
    if (object < 1 || object > 31)
        object = 2;
    uint8_t *cfg = av_mallocz(2 + AV_INPUT_BUFFER_PADDING_SIZE);
    if (!cfg)
        return AVERROR(ENOMEM);
    cfg[0] = (uint8_t)(object << 3 | index >> 1);
    cfg[1] = (uint8_t)((index & 1) << 7 | channels << 3);
    av_freep(&p->extradata);
    p->extradata = cfg;
    p->extradata_size = 2;
    return 0;
}

/* MPEG-TS carries AAC with an ADTS header on every frame; MP4 wants the
 * raw frame. Strips the header in place (the packet data is our own
 * reference). False for a frame we cannot copy (several raw blocks). */
static bool strip_adts(AVPacket *pkt)
{
    const uint8_t *d = pkt->data;
    if (pkt->size < 7 || d[0] != 0xFF || (d[1] & 0xF6) != 0xF0)
        return true;                 /* not ADTS: leave it */
    int header = (d[1] & 1) ? 7 : 9; /* protection_absent: no CRC */
    int frame_length = ((d[3] & 3) << 11) | (d[4] << 3) | (d[5] >> 5);
    if ((d[6] & 3) != 0 || frame_length < header || frame_length > pkt->size)
        return false;
    pkt->data += header;
    pkt->size = frame_length - header;
    return true;
}

static int sink_write(void *opaque, uint8_t *buf, int size)
{
    sink *o = opaque;
    if (!o->keep || size <= 0)
        return size;
    if (o->len + (size_t)size > o->cap) {
        o->cap = (o->len + (size_t)size) * 3 / 2;
        o->data = cu_xrealloc(o->data, o->cap);
    }
    memcpy(o->data + o->len, buf, (size_t)size);
    o->len += (size_t)size;
    return size;
}

static void mux_free(AVFormatContext *mux)
{
    if (!mux)
        return;
    if (mux->pb) {
        av_freep(&mux->pb->buffer);
        avio_context_free(&mux->pb);
    }
    avformat_free_context(mux);
}

/* Starts an mp4 muxer writing into j->sink (sized for `expected` bytes);
 * the header (ftyp + moov) is written, and kept only when keep_header. */
static int mux_begin(job *j, bool keep_header, size_t expected, AVFormatContext **out, cu_err *err)
{
    AVFormatContext *mux = NULL;
    free(j->sink ? j->sink->data : NULL);
    free(j->sink);
    j->sink = cu_xcalloc(1, sizeof *j->sink);
    j->sink->cap = expected + SINK_IO_BUFFER;
    j->sink->data = cu_xmalloc(j->sink->cap);
    j->sink->keep = keep_header;
    int rc = avformat_alloc_output_context2(&mux, NULL, j->opt.mpegts ? "mpegts" : "mp4", NULL);
    if (rc < 0 || !mux)
        return cu_err_set(err, -ENOMEM, "out of memory");
    AVStream *vs = avformat_new_stream(mux, NULL);
    AVStream *as = j->ast ? avformat_new_stream(mux, NULL) : NULL;
    if (!vs || (j->ast && !as)) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto fail;
    }
    if (j->opt.copy_video) {
        rc = avcodec_parameters_copy(vs->codecpar, j->vst->codecpar);
        /* hvc1 (parameter sets in the init segment) is what Safari plays. */
        vs->codecpar->codec_tag =
            vs->codecpar->codec_id == AV_CODEC_ID_HEVC ? MKTAG('h', 'v', 'c', '1') : 0;
    } else
        rc = avcodec_parameters_from_context(vs->codecpar, j->venc);
    if (rc < 0) {
        rc = cm_av_error(err, rc, "video parameters");
        goto fail;
    }
    vs->time_base = j->vout_tb;
    if (as) {
        if (j->opt.copy_audio) {
            rc = avcodec_parameters_copy(as->codecpar, j->ast->codecpar);
            as->codecpar->codec_tag = 0;
            if (rc >= 0 && as->codecpar->codec_id == AV_CODEC_ID_AAC &&
                as->codecpar->extradata_size == 0)
                rc = aac_config_from_params(as->codecpar);
        } else
            rc = avcodec_parameters_from_context(as->codecpar, j->aenc);
        if (rc < 0) {
            rc = cm_av_error(err, rc, "audio parameters");
            goto fail;
        }
        as->time_base = j->aout_tb;
    }
    /* Our timestamps are final: no shifting to zero, no edit list; each
     * fragment's tfdt is its first decode time (frag_discont); the moov is
     * empty so the header is the same bytes whatever segment follows. */
    mux->avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED;
    mux->flags |= AVFMT_FLAG_BITEXACT;
    AVDictionary *opts = NULL;
    if (!j->opt.mpegts) {
        av_dict_set(&opts, "movflags",
                    "frag_custom+empty_moov+default_base_moof+frag_discont+skip_trailer", 0);
        av_dict_set(&opts, "use_editlist", "0", 0);
    }
    uint8_t *io_buffer = av_malloc(SINK_IO_BUFFER);
    mux->pb = io_buffer ? avio_alloc_context(io_buffer, SINK_IO_BUFFER, 1, j->sink, NULL,
                                             sink_write, NULL)
                        : NULL;
    if (!mux->pb) {
        av_free(io_buffer);
        av_dict_free(&opts);
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto fail;
    }
    mux->flags |= AVFMT_FLAG_CUSTOM_IO;
    rc = avformat_write_header(mux, &opts);
    av_dict_free(&opts);
    if (rc < 0) {
        rc = cm_av_error(err, rc, "cannot start the muxer");
        goto fail;
    }
    avio_flush(mux->pb);
    j->sink->keep = true;
    *out = mux;
    return 0;
fail:
    mux_free(mux);
    return rc;
}

/* Ends the muxer and hands over what it wrote (after the header). */
static int mux_end(job *j, AVFormatContext *mux, cm_hls_bytes *out, cu_err *err)
{
    int rc = av_write_trailer(mux);
    if (rc >= 0)
        avio_flush(mux->pb);
    if (rc >= 0 && mux->pb->error < 0)
        rc = mux->pb->error;
    mux_free(mux);
    if (rc < 0)
        return cm_av_error(err, rc, "cannot finish the segment");
    out->data = j->sink->data;
    out->len = j->sink->len;
    j->sink->data = NULL;
    return 0;
}

/* ---- times ---- */

static int64_t video_out(const job *j, int64_t pts)
{
    return av_rescale_q(pts - j->origin + j->shift, j->kf_tb, j->vout_tb);
}

static int64_t audio_out(const job *j, int64_t pts)
{
    return av_rescale_q(pts, j->ast->time_base, j->aout_tb) -
           av_rescale_q(j->origin - j->shift, j->kf_tb, j->aout_tb);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Decode times and durations. Every segment of a file uses the one shift
 * S (decode time = sorted presentation time - S), so the first decode time
 * of segment n+1 is where segment n's last frame ends, whichever was made
 * first. A segment that reorders deeper than S (the index measures the
 * first GOPs only; a later scene, or a later part at a lower frame rate,
 * can reorder deeper) keeps S: only the decode times that would pass a
 * presentation time are pulled under it (each at most the smallest
 * presentation time still to come in decode order, and strictly rising).
 * Moving the whole segment's decode times earlier instead, as this did
 * once, started it before the previous segment ended: "non monotonically
 * increasing dts" at that boundary. */
static int finish_video(job *j, const cm_hls_segment *seg, bool last, cu_err *err)
{
    pkt_list *l = &j->vout;
    if (l->count == 0)
        return cu_err_set(err, CU_EMEDIA, "no video in segment");
    int64_t *sorted = cu_xmalloc(l->count * sizeof *sorted);
    for (size_t i = 0; i < l->count; i++)
        sorted[i] = l->items[i]->pts;
    qsort(sorted, l->count, sizeof *sorted, cmp_i64);
    const int64_t shift = av_rescale_q(j->shift, j->kf_tb, j->vout_tb);
    int64_t later_min = INT64_MAX; /* smallest pts from i on, in decode order */
    for (size_t k = l->count; k-- > 0;) {
        AVPacket *p = l->items[k];
        if (p->pts < later_min)
            later_min = p->pts;
        int64_t dts = sorted[k] - shift;
        if (dts > later_min)
            dts = later_min;
        if (k + 1 < l->count && dts >= l->items[k + 1]->dts)
            dts = l->items[k + 1]->dts - 1;
        p->dts = dts;
    }
    free(sorted);
    if (l->items[0]->dts < 0)
        return cu_err_set(err, CU_EMEDIA, "frames reordered deeper than indexed");
    int64_t frame = av_rescale_q(j->kf->frame_duration, j->kf_tb, j->vout_tb);
    if (frame <= 0)
        frame = 1;
    for (size_t i = 0; i + 1 < l->count; i++)
        l->items[i]->duration = l->items[i + 1]->dts - l->items[i]->dts;
    AVPacket *tail = l->items[l->count - 1];
    int64_t to_next = last ? 0 : video_out(j, seg->end) - shift - tail->dts;
    tail->duration = to_next > 0 ? to_next : frame;
    return 0;
}

/* Copied audio: timestamps rebuilt from packet durations so the ms
 * rounding of containers like Matroska does not jitter sample durations;
 * a real gap (over half a packet) is kept. */
static void finish_copied_audio(job *j)
{
    pkt_list *l = &j->aout;
    int64_t expected = AV_NOPTS_VALUE;
    int frame = j->ast->codecpar->frame_size;
    for (size_t i = 0; i < l->count; i++) {
        AVPacket *p = l->items[i];
        /* A fixed frame size (AAC 1024, Opus 960...) is exact where the
         * container's duration was rounded. */
        int64_t d = frame > 0 ? frame : p->duration > 0 ? p->duration : 1;
        if (expected != AV_NOPTS_VALUE && llabs(p->pts - expected) <= d / 2)
            p->pts = expected;
        p->dts = p->pts;
        p->duration = d;
        expected = p->pts + d;
    }
}

/* ---- video ---- */

/* Sends one frame (NULL: drain) to an encoder and moves every packet it
 * gives back into out. With a keep range (audio), only packets starting
 * inside [keep_from, keep_to) are kept, with dts = pts. */
static int encode_into(AVCodecContext *enc, AVFrame *in, pkt_list *out, const char *what,
                       bool keep_range, int64_t keep_from, int64_t keep_to, cu_err *err)
{
    int rc = avcodec_send_frame(enc, in);
    if (rc < 0 && rc != AVERROR_EOF)
        return cm_av_error(err, rc, what);
    for (;;) {
        AVPacket *pkt = av_packet_alloc();
        if (!pkt)
            return cu_err_set(err, -ENOMEM, "out of memory");
        rc = avcodec_receive_packet(enc, pkt);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            av_packet_free(&pkt);
            return 0;
        }
        if (rc < 0) {
            av_packet_free(&pkt);
            return cm_av_error(err, rc, what);
        }
        if (keep_range) {
            if (pkt->pts < keep_from || pkt->pts >= keep_to) {
                av_packet_free(&pkt);
                continue;
            }
            pkt->dts = pkt->pts;
        }
        if ((rc = list_take(out, pkt, err)) < 0)
            return rc;
    }
}

static int encode_picture(job *j, AVFrame *in, cu_err *err)
{
    return encode_into(j->venc, in, &j->vout, "cannot encode video", false, 0, 0, err);
}

static int scale_and_encode(job *j, AVFrame *f, const cm_hls_segment *seg, cu_err *err)
{
    int64_t pts = f->best_effort_timestamp;
    if (pts == AV_NOPTS_VALUE || pts < seg->start || pts >= seg->end)
        return 0;
    AVFrame *pic = f;
    /* Already the encoder's size and format (a small 8-bit 4:2:0 film):
     * handed over as it is, unless subtitles are painted on it. Else
     * scaled (bilinear: downscaling for a stream, where speed matters more
     * than the last bit of sharpness). */
    if (j->burn || f->format != AV_PIX_FMT_YUV420P || f->width != j->venc->width ||
        f->height != j->venc->height) {
        j->sws = sws_getCachedContext(j->sws, f->width, f->height, f->format, j->venc->width,
                                      j->venc->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, NULL, NULL,
                                      NULL);
        if (!j->sws)
            return cu_err_set(err, CU_EMEDIA, "cannot convert the picture");
        if (!j->picture) {
            j->picture = av_frame_alloc();
            if (!j->picture)
                return cu_err_set(err, -ENOMEM, "out of memory");
            j->picture->format = AV_PIX_FMT_YUV420P;
            j->picture->width = j->venc->width;
            j->picture->height = j->venc->height;
            if (av_frame_get_buffer(j->picture, 0) < 0)
                return cu_err_set(err, -ENOMEM, "out of memory");
        }
        if (av_frame_make_writable(j->picture) < 0)
            return cu_err_set(err, -ENOMEM, "out of memory");
        sws_scale(j->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height,
                  j->picture->data, j->picture->linesize);
        j->picture->sample_aspect_ratio = f->sample_aspect_ratio;
        pic = j->picture;
        cm_burn_paint(j->burn, pts, pic, f->width, f->height);
    }
    int64_t out = video_out(j, pts);
    if (j->last_video_pts != AV_NOPTS_VALUE && out <= j->last_video_pts)
        out = j->last_video_pts + 1; /* the encoder wants strictly rising times */
    j->last_video_pts = out;
    pic->pts = out;
    pic->pict_type = j->first_picture ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    j->first_picture = false;
    return encode_picture(j, pic, err);
}

static int decode_video(job *j, const AVPacket *pkt, const cm_hls_segment *seg, cu_err *err)
{
    int rc = avcodec_send_packet(j->vdec, pkt);
    if (rc < 0 && rc != AVERROR_EOF && rc != AVERROR_INVALIDDATA)
        return cm_av_error(err, rc, "cannot decode video");
    for (;;) {
        rc = avcodec_receive_frame(j->vdec, j->frame);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return 0;
        if (rc < 0) /* a damaged frame: go on with the next */
            return 0;
        rc = scale_and_encode(j, j->frame, seg, err);
        av_frame_unref(j->frame);
        if (rc < 0)
            return rc;
    }
}

/* ---- audio ---- */

static int encode_sound(job *j, AVFrame *in, cu_err *err)
{
    /* Encoder output is on the absolute AAC frame grid; a segment keeps
     * the frames that start inside its own range. */
    return encode_into(j->aenc, in, &j->aout, "cannot encode audio", true, j->keep_from, j->keep_to,
                       err);
}

/* Encodes whole frames from the fifo up to audio_to (all of it, the last
 * frame short, when draining at the end of the file). */
static int encode_fifo(job *j, bool drain, cu_err *err)
{
    if (!j->sound) {
        j->sound = av_frame_alloc();
        if (!j->sound)
            return cu_err_set(err, -ENOMEM, "out of memory");
    }
    while (j->fifo_pos < j->audio_to) {
        int have = av_audio_fifo_size(j->fifo);
        if (have <= 0 || (have < AAC_FRAME && !drain))
            break;
        int n = have < AAC_FRAME ? have : AAC_FRAME;
        AVFrame *f = j->sound;
        av_frame_unref(f);
        f->format = AV_SAMPLE_FMT_FLTP;
        f->sample_rate = AAC_RATE;
        av_channel_layout_default(&f->ch_layout, 2);
        f->nb_samples = n;
        if (av_frame_get_buffer(f, 0) < 0)
            return cu_err_set(err, -ENOMEM, "out of memory");
        if (av_audio_fifo_read(j->fifo, (void **)f->data, n) != n)
            return cu_err_set(err, CU_EMEDIA, "audio fifo");
        f->pts = j->fifo_pos;
        j->fifo_pos += n;
        int rc = encode_sound(j, f, err);
        if (rc < 0)
            return rc;
        if (n < AAC_FRAME)
            break;
    }
    return 0;
}

/* Resamples a decoded frame into the fifo, placed on the output sample
 * grid; samples before audio_from are dropped, silence fills a late start. */
static int queue_sound(job *j, AVFrame *f, cu_err *err)
{
    if (!j->swr) {
        AVChannelLayout in_layout = {0};
        if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f->ch_layout.nb_channels <= 0)
            av_channel_layout_default(&in_layout,
                                      f->ch_layout.nb_channels > 0 ? f->ch_layout.nb_channels : 2);
        else if (av_channel_layout_copy(&in_layout, &f->ch_layout) < 0)
            return cu_err_set(err, -ENOMEM, "out of memory");
        AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
        int rc = swr_alloc_set_opts2(&j->swr, &stereo, AV_SAMPLE_FMT_FLTP, AAC_RATE, &in_layout,
                                     f->format, f->sample_rate, 0, NULL);
        av_channel_layout_uninit(&in_layout);
        if (rc < 0 || swr_init(j->swr) < 0)
            return cu_err_set(err, CU_EMEDIA, "cannot convert this audio");
        j->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, AAC_FRAME * 4);
        if (!j->fifo)
            return cu_err_set(err, -ENOMEM, "out of memory");
    }
    if (!j->fifo_started) {
        int64_t pts = f->best_effort_timestamp;
        int64_t pos = pts != AV_NOPTS_VALUE ? audio_out(j, pts) : j->audio_from;
        j->fifo_started = true;
        j->fifo_pos = pos;
        if (pos > j->audio_from && pos - j->audio_from <= MAX_SILENCE_PAD) {
            int gap = (int)(pos - j->audio_from);
            float *zero = calloc((size_t)gap, sizeof *zero);
            if (!zero)
                return cu_err_set(err, -ENOMEM, "out of memory");
            void *planes[2] = {zero, zero};
            av_audio_fifo_write(j->fifo, planes, gap);
            free(zero);
            j->fifo_pos = j->audio_from;
        }
    }
    int room = swr_get_out_samples(j->swr, f->nb_samples);
    if (room <= 0)
        return 0;
    uint8_t *planes[2] = {NULL, NULL};
    if (av_samples_alloc(planes, NULL, 2, room, AV_SAMPLE_FMT_FLTP, 0) < 0)
        return cu_err_set(err, -ENOMEM, "out of memory");
    int got = swr_convert(j->swr, planes, room, (const uint8_t **)f->extended_data, f->nb_samples);
    if (got > 0 && av_audio_fifo_write(j->fifo, (void **)planes, got) < got) {
        av_freep(&planes[0]);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    av_freep(&planes[0]);
    /* Drop what lies before the samples this segment encodes. */
    if (j->fifo_pos < j->audio_from) {
        int64_t drop = j->audio_from - j->fifo_pos;
        int have = av_audio_fifo_size(j->fifo);
        if (drop > have)
            drop = have;
        av_audio_fifo_drain(j->fifo, (int)drop);
        j->fifo_pos += drop;
    }
    return encode_fifo(j, false, err);
}

static int decode_audio(job *j, const AVPacket *pkt, cu_err *err)
{
    int rc = avcodec_send_packet(j->adec, pkt);
    if (rc < 0 && rc != AVERROR_EOF && rc != AVERROR_INVALIDDATA)
        return cm_av_error(err, rc, "cannot decode audio");
    for (;;) {
        rc = avcodec_receive_frame(j->adec, j->frame);
        if (rc < 0)
            return 0;
        rc = queue_sound(j, j->frame, err);
        av_frame_unref(j->frame);
        if (rc < 0)
            return rc;
    }
}

/* ---- one segment ---- */

/* The last keyframe at or before t (the first keyframe if none is). */
static int64_t keyframe_before(const cm_keyframes *kf, int64_t t)
{
    size_t lo = 0, hi = kf->count; /* answer in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (kf->pts[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return kf->pts[lo];
}

/* ---- the readers ----
 * One loop reads the source from the seek point; each video packet goes to
 * the copy reader (remux: packets from the cut keyframe to the next cut's)
 * or the decode reader (transcode: frames decoded from the keyframe before
 * the cut until none before the next cut can follow), each audio packet to
 * take_audio (copied or decoded, by time). */

typedef struct reader {
    job *j;
    const cm_hls_segment *seg;
    size_t n;
    bool last;
    AVPacket *pkt;
    bool video_started, video_done, audio_done;
    int64_t last_audio_end; /* source time base; AV_NOPTS_VALUE when unknown */
} reader;

/* An MP4 index gives decode times; its keyframes' pts were estimated with
 * one composition delay. A keyframe whose own delay is shorter shows up to
 * the reordering depth early: still the cut's keyframe. (Zero for
 * intra-only video, where every frame is a keyframe.) */
static int64_t key_slack(const job *j)
{
    return j->kf->reorder;
}

/* Copy reader: the cut's keyframe starts it, the next cut's keyframe ends
 * it; packets between are taken as they are, on our timeline. */
static int copy_video_packet(reader *r, int64_t pts, cu_err *err)
{
    job *j = r->j;
    bool key = r->pkt->flags & AV_PKT_FLAG_KEY;
    if (!r->video_started && key && pts >= r->seg->start - key_slack(j))
        r->video_started = true;
    if (!r->video_started)
        return 0;
    if (!r->last && key && pts >= r->seg->end - key_slack(j)) {
        r->video_done = true;
        return 0;
    }
    AVPacket *copy = av_packet_clone(r->pkt);
    if (!copy)
        return cu_err_set(err, -ENOMEM, "out of memory");
    copy->pts = video_out(j, pts);
    copy->stream_index = 0;
    return list_take(&j->vout, copy, err);
}

/* Decode reader: decoding starts at the last keyframe at or before the
 * cut (the read may start earlier for the sound: those packets are only
 * skipped) and ends once no frame before the cut can follow in decode
 * order: past the next cut by more than the deepest reordering. Frames
 * inside the segment are scaled and encoded (scale_and_encode). */
static int decode_video_packet(reader *r, int64_t pts, cu_err *err)
{
    job *j = r->j;
    bool key = r->pkt->flags & AV_PKT_FLAG_KEY;
    if (!r->video_started && key && pts >= keyframe_before(j->kf, r->seg->start))
        r->video_started = true;
    if (!r->video_started)
        return 0;
    if (!r->last && pts >= r->seg->end + j->kf->reorder + 2 * j->kf->frame_duration) {
        r->video_done = true;
        return 0;
    }
    return decode_video(j, r->pkt, r->seg, err);
}

/* Audio of the segment, by time: copied packets from the cut to the next
 * cut, or decoded from a little before the cut into the encoder's fifo. */
static int take_audio(reader *r, cu_err *err)
{
    job *j = r->j;
    AVPacket *pkt = r->pkt;
    const AVCodecParameters *par = j->ast->codecpar;
    if (pkt->pts == AV_NOPTS_VALUE) /* inside a lace, unparsed */
        pkt->pts = r->last_audio_end;
    int64_t frame =
        pkt->duration > 0 ? pkt->duration
        : par->frame_size > 0 && par->sample_rate > 0
            ? av_rescale_q(par->frame_size, (AVRational){1, par->sample_rate}, j->ast->time_base)
            : 0;
    r->last_audio_end = frame > 0 ? pkt->pts + frame : AV_NOPTS_VALUE;
    int64_t at = av_rescale_q(pkt->pts, j->ast->time_base, j->kf_tb);
    if (!j->opt.copy_audio) {
        const int64_t lead = av_rescale_q(1, (AVRational){1, 2}, j->kf_tb); /* 0.5 s */
        if (at < r->seg->start - lead)
            return 0;
        int rc = decode_audio(j, pkt, err);
        if (rc == 0 && j->fifo_started && j->fifo_pos >= j->audio_to)
            r->audio_done = true;
        return rc;
    }
    if (!r->last && at >= r->seg->end) {
        r->audio_done = true;
        return 0;
    }
    if (at < r->seg->start)
        return 0;
    AVPacket *copy = av_packet_clone(pkt);
    if (!copy)
        return cu_err_set(err, -ENOMEM, "out of memory");
    if (par->codec_id == AV_CODEC_ID_AAC && !strip_adts(copy)) {
        av_packet_free(&copy);
        return cu_err_set(err, CU_EMEDIA, "AAC frames this server cannot copy");
    }
    copy->pts = audio_out(j, pkt->pts);
    copy->duration = av_rescale_q(pkt->duration, j->ast->time_base, j->aout_tb);
    copy->stream_index = 1;
    return list_take(&j->aout, copy, err);
}

typedef int (*video_reader)(reader *r, int64_t pts, cu_err *err);

static int read_loop(reader *r, video_reader video, cu_err *err)
{
    job *j = r->j;
    AVFormatContext *fmt = j->src.fmt;
    const int vs = j->vst->index, as = j->ast ? j->ast->index : -1;
    long after_video = 0;
    int rc = 0;
    while (!(r->video_done && r->audio_done)) {
        if (j->cancel && atomic_load(j->cancel))
            return cu_err_set(err, -ECANCELED, "segment %zu no longer wanted", r->n);
        int got = av_read_frame(fmt, r->pkt);
        if (got == AVERROR_EOF || (got < 0 && got != AVERROR_EXIT && r->video_started))
            break;
        if (got < 0)
            return cm_av_error(err, got, "cannot read");
        AVPacket *pkt = r->pkt;
        int64_t pts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
        if (pkt->stream_index == vs && !r->video_done && pts != AV_NOPTS_VALUE)
            rc = video(r, pts, err);
        else if (pkt->stream_index == as && !r->audio_done &&
                 (pkt->pts != AV_NOPTS_VALUE || r->last_audio_end != AV_NOPTS_VALUE))
            rc = take_audio(r, err);
        av_packet_unref(pkt);
        if (rc < 0)
            return rc;
        if (r->video_done && ++after_video > SEG_AUDIO_SLACK_PACKETS)
            r->audio_done = true; /* no more sound near this segment */
    }
    return 0;
}

static int read_segment(job *j, const cm_hls_plan *plan, size_t n, cu_err *err)
{
    const cm_hls_segment *seg = &plan->segments[n];
    /* The file's last segment reads to its end. A clip's last segment ends
     * where the clip does, like any other cut. */
    const bool last = n + 1 == plan->count && seg->end >= j->kf->end;
    AVFormatContext *fmt = j->src.fmt;
    const int vs = j->vst->index;
    int rc;

    if (!j->opt.copy_video && (rc = open_decoder(j->vst, &j->vdec, 2, err)) < 0)
        return rc;
    if (j->ast && !j->opt.copy_audio && (rc = open_decoder(j->ast, &j->adec, 1, err)) < 0)
        return rc;
    j->frame = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    if (!j->frame || !pkt) {
        av_packet_free(&pkt);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    j->last_video_pts = AV_NOPTS_VALUE;
    j->first_picture = true;
    if (j->opt.burn_stream > 0) {
        /* The subtitles first, in a read of their own: one on screen at
         * the cut was sent before the point the video is read from. */
        int64_t lookback = av_rescale_q(CM_BURN_LOOKBACK_S, (AVRational){1, 1}, j->kf_tb);
        int64_t margin = av_rescale_q(1, (AVRational){1, 1}, j->kf_tb);
        rc = cm_burn_collect(j->fd, j->opt.burn_stream - 1, vs, j->kf_tb,
                             n > 0 ? seg->start - lookback : 0,
                             last ? INT64_MAX : seg->end + margin, &j->burn, err);
        if (rc < 0) {
            av_packet_free(&pkt);
            return rc;
        }
    }
    if (j->aenc) {
        int64_t start = av_rescale_q(seg->start - j->origin + j->shift, j->kf_tb, j->aout_tb);
        int64_t end = av_rescale_q(seg->end - j->origin + j->shift, j->kf_tb, j->aout_tb);
        int64_t k0 = (start + AAC_FRAME - 1) / AAC_FRAME;
        int64_t k1 = (end + AAC_FRAME - 1) / AAC_FRAME;
        j->keep_from = k0 * AAC_FRAME;
        j->keep_to = last ? INT64_MAX : k1 * AAC_FRAME;
        /* One frame before (the encoder's priming lands there) and two
         * after (so the kept frames come out before the flush). */
        j->audio_from = k0 > 0 ? (k0 - 1) * AAC_FRAME : 0;
        j->audio_to = last ? INT64_MAX : (k1 + 2) * AAC_FRAME;
    }

    /* Seek a second before the cut: the keyframe before it, so audio
     * stored just ahead of the cut keyframe is read too. Matroska needs no
     * margin when copying: its demuxer, seeking to a keyframe, drops the
     * blocks of every track that come before that keyframe's time and
     * keeps the rest. Decoding audio wants a little before the cut. */
    if (n > 0) {
        bool exact = j->opt.copy_audio && !strcmp(fmt->iformat->name, "matroska,webm");
        int64_t target =
            exact ? seg->start : seg->start - av_rescale_q(1, (AVRational){1, 1}, j->kf_tb);
        /* Decoding video: read from the last keyframe at least 0.1 s
         * before the cut (a timed cut may fall anywhere in a GOP; the audio
         * decoder wants a little before the cut too). */
        if (!j->opt.copy_video)
            target =
                keyframe_before(j->kf, seg->start - av_rescale_q(1, (AVRational){1, 10}, j->kf_tb));
        rc = av_seek_frame(fmt, vs, target, AVSEEK_FLAG_BACKWARD);
        if (rc < 0)
            rc = av_seek_frame(fmt, vs, seg->start, AVSEEK_FLAG_BACKWARD);
        if (rc < 0) {
            av_packet_free(&pkt);
            return cm_av_error(err, rc, "cannot seek");
        }
    }
    reader r = {.j = j,
                .seg = seg,
                .n = n,
                .last = last,
                .pkt = pkt,
                .audio_done = !j->ast,
                .last_audio_end = AV_NOPTS_VALUE};
    rc = read_loop(&r, j->opt.copy_video ? copy_video_packet : decode_video_packet, err);
    av_packet_unref(pkt);
    av_packet_free(&pkt);
    if (rc < 0)
        return rc;
    if (!r.video_started)
        return cu_err_set(err, CU_EMEDIA, "segment %zu: its keyframe was not found", n);
    if (!j->opt.copy_video) {
        if ((rc = decode_video(j, NULL, seg, err)) < 0 || (rc = encode_picture(j, NULL, err)) < 0)
            return rc;
    }
    if (j->aenc) {
        if (last && (rc = decode_audio(j, NULL, err)) < 0)
            return rc;
        if (j->fifo && (rc = encode_fifo(j, last, err)) < 0)
            return rc;
        if ((rc = encode_sound(j, NULL, err)) < 0)
            return rc;
    }
    if ((rc = finish_video(j, seg, last, err)) < 0)
        return rc;
    if (j->ast && j->opt.copy_audio)
        finish_copied_audio(j);
    return 0;
}

/* MPEG-TS carries no sample tables: packets go in decode order across
 * both streams, so a player's buffers hold sound and picture of the same
 * moment (fMP4 keeps one run per stream). */
static int write_interleaved(AVFormatContext *mux, job *j, cu_err *err)
{
    size_t vi = 0, ai = 0;
    size_t acount = j->ast ? j->aout.count : 0;
    while (vi < j->vout.count || ai < acount) {
        bool video = ai >= acount ||
                     (vi < j->vout.count && av_compare_ts(j->vout.items[vi]->dts, j->vout_tb,
                                                          j->aout.items[ai]->dts, j->aout_tb) <= 0);
        AVPacket *p = video ? j->vout.items[vi++] : j->aout.items[ai++];
        p->stream_index = video ? 0 : 1;
        av_packet_rescale_ts(p, video ? j->vout_tb : j->aout_tb,
                             mux->streams[p->stream_index]->time_base);
        int rc = av_write_frame(mux, p);
        if (rc < 0)
            return cm_av_error(err, rc, "cannot write the segment");
    }
    int rc = av_write_frame(mux, NULL); /* flushes the last PES */
    return rc < 0 ? cm_av_error(err, rc, "cannot write the segment") : 0;
}

static int write_lists(AVFormatContext *mux, job *j, cu_err *err)
{
    if (j->opt.mpegts)
        return write_interleaved(mux, j, err);
    pkt_list *lists[2] = {&j->vout, &j->aout};
    AVRational tbs[2] = {j->vout_tb, j->aout_tb};
    for (int s = 0; s < 2; s++) {
        if (s == 1 && !j->ast)
            break;
        for (size_t i = 0; i < lists[s]->count; i++) {
            AVPacket *p = lists[s]->items[i];
            p->stream_index = s;
            av_packet_rescale_ts(p, tbs[s], mux->streams[s]->time_base);
            int rc = av_write_frame(mux, p);
            if (rc < 0)
                return cm_av_error(err, rc, "cannot write the segment");
        }
    }
    int rc = av_write_frame(mux, NULL); /* ends the fragment */
    return rc < 0 ? cm_av_error(err, rc, "cannot write the segment") : 0;
}

int cm_hls_init_segment(int fd, const cm_keyframes *kf, const cm_hls_output *out,
                        cm_hls_bytes *init, cu_err *err)
{
    memset(init, 0, sizeof *init);
    job *j = cu_xcalloc(1, sizeof *j);
    int rc = job_open(j, fd, kf, out, err);
    if (rc < 0) {
        free(j);
        return rc;
    }
    AVFormatContext *mux = NULL;
    rc = mux_begin(j, true, 0, &mux, err);
    if (rc == 0) {
        /* The header alone (ftyp + moov): no trailer, no fragment. */
        mux_free(mux);
        init->data = j->sink->data;
        init->len = j->sink->len;
        j->sink->data = NULL;
    }
    job_close(j);
    free(j);
    return rc;
}

int cm_hls_media_segment(int fd, const cm_keyframes *kf, const cm_hls_plan *plan,
                         const cm_hls_output *out, size_t n, cm_hls_bytes *seg, cu_err *err)
{
    return cm_hls_media_segment_until(fd, kf, plan, out, n, NULL, seg, err);
}

int cm_hls_media_segment_until(int fd, const cm_keyframes *kf, const cm_hls_plan *plan,
                               const cm_hls_output *out, size_t n, const atomic_bool *cancel,
                               cm_hls_bytes *seg, cu_err *err)
{
    memset(seg, 0, sizeof *seg);
    if (!plan || n >= plan->count)
        return cu_err_set(err, CU_ENOTFOUND, "no segment %zu", n);
    if (plan->tb_num != kf->tb_num || plan->tb_den != kf->tb_den)
        return cu_err_set(err, CU_EINVAL, "plan and index disagree");
    job *j = cu_xcalloc(1, sizeof *j);
    int rc = job_open(j, fd, kf, out, err);
    if (rc < 0) {
        free(j);
        return rc;
    }
    AVFormatContext *mux = NULL;
    j->cancel = cancel;
    rc = read_segment(j, plan, n, err);
    /* moof + mdat: the packets and ~32 bytes of table per sample. */
    size_t expected =
        (size_t)(j->vout.bytes + j->aout.bytes) + (j->vout.count + j->aout.count) * 32 + 4096;
    if (rc == 0)
        rc = mux_begin(j, false, expected, &mux, err);
    if (rc == 0) {
        rc = write_lists(mux, j, err);
        if (rc == 0)
            rc = mux_end(j, mux, seg, err);
        else
            mux_free(mux);
    }
    job_close(j);
    free(j);
    return rc;
}

double cm_hls_timeline_start(const cm_keyframes *kf)
{
    if (!kf || kf->count == 0 || kf->tb_den <= 0)
        return 0;
    return (double)cm_timeline_shift_ticks(kf) * kf->tb_num / kf->tb_den;
}

/* ---- RFC 6381 codec names ---- */

/* profile_idc, constraint flags and level_idc of an H.264 stream, from an
 * avcC record or the first SPS of Annex B extradata. */
static bool h264_profile(const AVCodecParameters *p, uint8_t out[3])
{
    const uint8_t *d = p->extradata;
    int n = p->extradata_size;
    if (n >= 4 && d[0] == 1) {
        memcpy(out, d + 1, 3);
        return true;
    }
    for (int i = 0; i + 6 < n; i++) {
        if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1 && (d[i + 3] & 0x1f) == 7) {
            memcpy(out, d + i + 4, 3);
            return true;
        }
    }
    return false;
}

static void codec_string(const AVCodecParameters *p, char *buf, size_t size)
{
    switch (p->codec_id) {
    case AV_CODEC_ID_H264: {
        uint8_t pcl[3] = {100, 0, 40};
        h264_profile(p, pcl);
        snprintf(buf, size, "avc1.%02x%02x%02x", pcl[0], pcl[1], pcl[2]);
        break;
    }
    case AV_CODEC_ID_HEVC: {
        int profile = p->profile > 0 ? p->profile : 1;
        snprintf(buf, size, "hvc1.%d.%d.L%d.B0", profile, profile == 2 ? 4 : 6,
                 p->level > 0 ? p->level : 120);
        break;
    }
    case AV_CODEC_ID_VP9: {
        const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(p->format);
        int depth = d ? d->comp[0].depth : 8;
        snprintf(buf, size, "vp09.%02d.%02d.%02d", p->profile > 0 ? p->profile : 0,
                 p->level > 0 ? p->level : 40, depth);
        break;
    }
    case AV_CODEC_ID_AV1: {
        const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(p->format);
        int depth = d ? d->comp[0].depth : 8;
        snprintf(buf, size, "av01.%d.%02dM.%02d", p->profile > 0 ? p->profile : 0,
                 p->level > 0 ? p->level : 8, depth);
        break;
    }
    case AV_CODEC_ID_AAC:
        snprintf(buf, size, "mp4a.40.%d",
                 p->profile == FF_PROFILE_AAC_HE      ? 5
                 : p->profile == FF_PROFILE_AAC_HE_V2 ? 29
                                                      : 2);
        break;
    case AV_CODEC_ID_MP3: snprintf(buf, size, "mp4a.40.34"); break;
    case AV_CODEC_ID_AC3: snprintf(buf, size, "ac-3"); break;
    case AV_CODEC_ID_EAC3: snprintf(buf, size, "ec-3"); break;
    case AV_CODEC_ID_OPUS: snprintf(buf, size, "opus"); break;
    case AV_CODEC_ID_FLAC: snprintf(buf, size, "fLaC"); break;
    default: snprintf(buf, size, "%s", avcodec_get_name(p->codec_id)); break;
    }
}

int cm_hls_codecs(int fd, const cm_keyframes *kf, const cm_hls_output *out, char *buf, size_t size,
                  cu_err *err)
{
    if (size == 0)
        return cu_err_set(err, CU_EINVAL, "no room");
    buf[0] = '\0';
    job *j = cu_xcalloc(1, sizeof *j);
    int rc = job_open(j, fd, kf, out, err);
    if (rc < 0) {
        free(j);
        return rc;
    }
    AVCodecParameters *p = avcodec_parameters_alloc();
    if (!p) {
        job_close(j);
        free(j);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    char video[64], audio[32] = "";
    if (j->opt.copy_video)
        avcodec_parameters_copy(p, j->vst->codecpar);
    else
        avcodec_parameters_from_context(p, j->venc);
    codec_string(p, video, sizeof video);
    if (j->ast) {
        if (j->opt.copy_audio)
            avcodec_parameters_copy(p, j->ast->codecpar);
        else
            avcodec_parameters_from_context(p, j->aenc);
        codec_string(p, audio, sizeof audio);
    }
    snprintf(buf, size, "%s%s%s", video, audio[0] ? "," : "", audio);
    avcodec_parameters_free(&p);
    job_close(j);
    free(j);
    return 0;
}
