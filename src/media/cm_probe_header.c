/* cm_probe_header: completes a Matroska/WebM or MP4/MOV description from
 * what its header already says, without avformat_find_stream_info.
 * Those headers name every stream's codec, dimensions, rates, languages,
 * dispositions, chapters, tags and the duration. What they leave out
 * (profile, pixel format and bit depth of the video, its colour when only
 * the bitstream says it, the audio's channel layout and profile) comes
 * from each stream's first packet: H.264's decoder sees the parameter sets
 * and the first slice header only, HEVC's reads its extradata, AV1's
 * parser reads the sequence header, and the audio (and VP8/VP9) decoders
 * decode one frame. The full analysis decodes 7 H.264 frames instead.
 * Anything else (another codec, cover art, a field still unknown) is
 * refused and the caller probes the old way: the description must stay
 * exactly what find_stream_info gives (tests/unit/test_probe_header.c). */
#include "media/cm_probe_internal.h"

#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/pixdesc.h>

#include "media/cm_media.h"

/* Packets read looking for every stream's first one (interleaving puts
 * them near the start; a file that scatters them is probed the old way). */
#define HEADER_MAX_PACKETS 256
/* Packets one decoded stream may take before it gives its first frame. */
#define HEADER_MAX_DECODE_PACKETS 8

typedef enum { LOOK_NONE, LOOK_PARSE, LOOK_DECODE } look_kind;

typedef struct stream_look {
    look_kind kind;
    AVCodecContext *avctx;
    AVCodecParserContext *parser;
    AVFrame *frame;
    int packets;
    bool params_only; /* done when the decoder knows the pixel format */
    bool done;
} stream_look;

bool cm_probe_header_is_enough(const AVFormatContext *ctx)
{
    const char *name = ctx->iformat ? ctx->iformat->name : NULL;
    return name && (!strcmp(name, "matroska,webm") || !strcmp(name, "mov,mp4,m4a,3gp,3g2,mj2"));
}

/* Video codecs whose parser reads the sequence header (profile, level,
 * pixel format, colour) from the first packet, no decoder opened. */
static bool video_parses(enum AVCodecID id)
{
    return id == AV_CODEC_ID_AV1;
}

/* Video codecs whose decoder knows the stream's parameters once it has the
 * first packet (or, for HEVC, the extradata): the parsers of H.264 and HEVC
 * leave out the colour the bitstream's VUI says, their decoders do not.
 * No frame needs to come out: H.264 decodes its first picture, HEVC none
 * at all (skip_frame "all" still reads its parameter sets, which is what
 * find_stream_info does too). */
static bool video_decodes_parameters(enum AVCodecID id)
{
    return id == AV_CODEC_ID_H264 || id == AV_CODEC_ID_HEVC;
}

/* Codecs whose first decoded frame says all (tested against the full
 * probe): cheap to decode once, unlike the many frames find_stream_info
 * may ask of a video decoder. */
static bool decodes_cheaply(enum AVCodecID id)
{
    switch (id) {
    case AV_CODEC_ID_VP8:
    case AV_CODEC_ID_VP9:
    case AV_CODEC_ID_AAC:
    case AV_CODEC_ID_AC3:
    case AV_CODEC_ID_EAC3:
    case AV_CODEC_ID_OPUS:
    case AV_CODEC_ID_MP3:
    case AV_CODEC_ID_MP2:
    case AV_CODEC_ID_FLAC:
    case AV_CODEC_ID_VORBIS:
    case AV_CODEC_ID_DTS:
    case AV_CODEC_ID_ALAC:
    case AV_CODEC_ID_PCM_S16LE:
    case AV_CODEC_ID_PCM_S24LE:
    case AV_CODEC_ID_PCM_S16BE:
    case AV_CODEC_ID_PCM_S24BE:
    case AV_CODEC_ID_PCM_F32LE: return true;
    default: return false;
    }
}

static void look_free(stream_look *look)
{
    av_parser_close(look->parser);
    avcodec_free_context(&look->avctx);
    av_frame_free(&look->frame);
}

/* Sets up what a stream needs; false when this probe cannot describe it. */
static bool look_init(stream_look *look, const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    if (par->codec_type != AVMEDIA_TYPE_VIDEO && par->codec_type != AVMEDIA_TYPE_AUDIO) {
        look->kind = LOOK_NONE; /* subtitles, attachments, data: the header is all */
        look->done = true;
        return true;
    }
    if (st->disposition & AV_DISPOSITION_ATTACHED_PIC)
        return false; /* cover art is one picture to decode: the old way */
    if (par->codec_type == AVMEDIA_TYPE_VIDEO && video_parses(par->codec_id)) {
        look->kind = LOOK_PARSE;
        look->parser = av_parser_init(par->codec_id);
        look->avctx = avcodec_alloc_context3(NULL);
        if (!look->parser || !look->avctx || avcodec_parameters_to_context(look->avctx, par) < 0)
            return false;
        /* Demuxed Matroska and MP4 packets are whole frames. */
        look->parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;
        return true;
    }
    bool params_only =
        par->codec_type == AVMEDIA_TYPE_VIDEO && video_decodes_parameters(par->codec_id);
    if (!params_only && !decodes_cheaply(par->codec_id))
        return false;
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        return false;
    look->kind = LOOK_DECODE;
    look->avctx = avcodec_alloc_context3(codec);
    look->frame = av_frame_alloc();
    if (!look->avctx || !look->frame || avcodec_parameters_to_context(look->avctx, par) < 0)
        return false;
    /* One thread: a scanner thread decodes one frame here. */
    look->avctx->thread_count = 1;
    look->params_only = params_only;
    /* The cut first slice (below) is not to be mended into a picture. */
    if (params_only)
        look->avctx->error_concealment = 0;
    if (par->codec_id == AV_CODEC_ID_HEVC)
        look->avctx->skip_frame = AVDISCARD_ALL;
    return avcodec_open2(look->avctx, codec, NULL) == 0;
}

/* For H.264 in avcC form (length-prefixed NAL units, as in Matroska and
 * MP4): a copy of pkt that ends SLICE_HEADER_BYTES into its first slice.
 * The decoder sets the stream's parameters from the parameter sets and
 * that slice's header, before it decodes a macroblock; the rest of the
 * picture (most of the cost of the first frame) is of no use to a probe.
 * NULL when the packet is not laid out so (then it is decoded whole). */
#define SLICE_HEADER_BYTES 256
static AVPacket *h264_first_slice_header(const AVCodecContext *avctx, const AVPacket *pkt)
{
    if (avctx->codec_id != AV_CODEC_ID_H264 || avctx->extradata_size < 7 ||
        avctx->extradata[0] != 1)
        return NULL;
    int length_size = (avctx->extradata[4] & 3) + 1;
    int pos = 0;
    while (pos + length_size < pkt->size) {
        uint32_t len = 0;
        for (int k = 0; k < length_size; k++)
            len = len << 8 | pkt->data[pos + k];
        if (len == 0 || len > (uint32_t)(pkt->size - pos - length_size))
            return NULL;
        int type = pkt->data[pos + length_size] & 0x1f;
        if (type == 1 || type == 5) { /* a coded slice: non-IDR or IDR */
            uint32_t keep = len < SLICE_HEADER_BYTES ? len : SLICE_HEADER_BYTES;
            if (keep == len)
                return NULL; /* short already: nothing to save */
            AVPacket *cut = av_packet_alloc();
            if (!cut || av_new_packet(cut, pos + length_size + (int)keep) < 0) {
                av_packet_free(&cut);
                return NULL;
            }
            memcpy(cut->data, pkt->data, (size_t)cut->size);
            for (int k = 0; k < length_size; k++)
                cut->data[pos + k] = (uint8_t)(keep >> (8 * (length_size - 1 - k)));
            cut->pts = pkt->pts;
            cut->dts = pkt->dts;
            cut->flags = pkt->flags;
            return cut;
        }
        pos += length_size + (int)len;
    }
    return NULL;
}

/* Feeds one of the stream's packets; true once the stream is described. */
static bool look_feed(stream_look *look, const AVPacket *pkt)
{
    look->packets++;
    if (look->kind == LOOK_PARSE) {
        uint8_t *out = NULL;
        int out_size = 0;
        av_parser_parse2(look->parser, look->avctx, &out, &out_size, pkt->data, pkt->size, pkt->pts,
                         pkt->dts, pkt->pos);
        return look->parser->format != AV_PIX_FMT_NONE;
    }
    if (look->params_only) {
        AVPacket *cut = h264_first_slice_header(look->avctx, pkt);
        /* A cut slice is an error to the decoder, and expected. */
        int rc = avcodec_send_packet(look->avctx, cut ? cut : pkt);
        av_packet_free(&cut);
        if (rc < 0 && rc != AVERROR_INVALIDDATA)
            return false;
        return look->avctx->pix_fmt != AV_PIX_FMT_NONE;
    }
    if (avcodec_send_packet(look->avctx, pkt) < 0)
        return false;
    int rc = avcodec_receive_frame(look->avctx, look->frame);
    av_frame_unref(look->frame);
    return rc == 0;
}

/* Moves what the packet told into the stream's parameters, as
 * find_stream_info does at its end; false if a field is still unknown. */
static bool look_finish(stream_look *look, AVStream *st)
{
    AVCodecParameters *par = st->codecpar;
    if (look->kind == LOOK_PARSE) {
        const AVCodecParserContext *p = look->parser;
        if (par->profile == FF_PROFILE_UNKNOWN)
            par->profile = look->avctx->profile;
        if (par->level == FF_LEVEL_UNKNOWN)
            par->level = look->avctx->level;
        par->format = p->format;
        if (par->width <= 0 || par->height <= 0) {
            par->width = p->width;
            par->height = p->height;
        }
        if (par->color_trc == AVCOL_TRC_UNSPECIFIED)
            par->color_trc = look->avctx->color_trc;
        if (par->color_primaries == AVCOL_PRI_UNSPECIFIED)
            par->color_primaries = look->avctx->color_primaries;
        if (par->color_space == AVCOL_SPC_UNSPECIFIED)
            par->color_space = look->avctx->colorspace;
    } else if (look->kind == LOOK_DECODE) {
        if (avcodec_parameters_from_context(par, look->avctx) < 0)
            return false;
    }
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
        bool has_rate = (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0) ||
                        (st->r_frame_rate.num > 0 && st->r_frame_rate.den > 0);
        return par->width > 0 && par->height > 0 && par->format != AV_PIX_FMT_NONE && has_rate;
    }
    if (par->codec_type == AVMEDIA_TYPE_AUDIO)
        return par->sample_rate > 0 && par->ch_layout.nb_channels > 0;
    return true;
}

int cm_probe_from_header(AVFormatContext *ctx)
{
    unsigned n = ctx->nb_streams;
    if (!cm_probe_header_is_enough(ctx) || n == 0 || n > CM_MEDIA_MAX_STREAMS)
        return -1;
    /* No duration in the header (a fragmented MP4, a live Matroska
     * recording): the full analysis estimates one from the streams. */
    if (ctx->duration == AV_NOPTS_VALUE || ctx->duration <= 0)
        return -1;
    stream_look *looks = av_calloc(n, sizeof *looks);
    AVPacket *pkt = av_packet_alloc();
    int rc = -1;
    unsigned waiting = 0;
    if (!looks || !pkt)
        goto done;
    for (unsigned i = 0; i < n; i++) {
        if (!look_init(&looks[i], ctx->streams[i]))
            goto done;
        waiting += !looks[i].done;
    }
    /* Our parsers and decoders read the packets as the demuxer gives them;
     * libavformat's own would do the same work a second time. */
    ctx->flags |= AVFMT_FLAG_NOPARSE | AVFMT_FLAG_NOFILLIN;
    for (int read = 0; waiting > 0 && read < HEADER_MAX_PACKETS; read++) {
        if (av_read_frame(ctx, pkt) < 0)
            break;
        unsigned i = (unsigned)pkt->stream_index;
        if (i < n && !looks[i].done) {
            if (look_feed(&looks[i], pkt)) {
                looks[i].done = true;
                waiting--;
            } else if (looks[i].kind == LOOK_DECODE &&
                       looks[i].packets >= HEADER_MAX_DECODE_PACKETS) {
                av_packet_unref(pkt);
                goto done;
            }
        }
        av_packet_unref(pkt);
    }
    if (waiting > 0)
        goto done;
    for (unsigned i = 0; i < n; i++)
        if (!look_finish(&looks[i], ctx->streams[i]))
            goto done;
    rc = 0;

done:
    for (unsigned i = 0; looks && i < n; i++)
        look_free(&looks[i]);
    av_free(looks);
    av_packet_free(&pkt);
    return rc;
}
