/* cm_subtitle: text subtitles as WebVTT for HLS players. Tracks inside a
 * film or sidecar files beside it (Film.en.srt, Film.es.forced.ass) are
 * decoded with libavcodec's subtitle decoders, which give every format as
 * ASS events; the styling is dropped and the text escaped for WebVTT.
 * Image subtitles (PGS, DVB, DVD) are only recognised: they need burn-in. */
#include "media/cm_subtitle.h"
#include "media/cm_hls_segment.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "media/cm_hls_internal.h"
#include "util/cu_buf.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#define SUB_BUDGET_US (60LL * 1000 * 1000)
#define SUB_MAX_CUES 100000
#define SUB_MAX_BYTES (16 * 1024 * 1024)
#define SUB_MAX_EVENT 16384 /* bytes of one event's text we look at */

cm_sub_kind cm_subtitle_kind(const char *codec)
{
    static const char *const text[] = {"subrip",   "srt",    "ass",  "ssa",
                                       "mov_text", "webvtt", "text", NULL};
    /* "pgs" and "vobsub": a disc's index names them so (cm_disc). */
    static const char *const image[] = {
        "hdmv_pgs_subtitle", "dvb_subtitle", "dvd_subtitle", "xsub", "pgs", "vobsub", NULL};
    if (!codec)
        return CM_SUB_UNKNOWN;
    for (size_t i = 0; text[i]; i++)
        if (!strcmp(codec, text[i]))
            return CM_SUB_TEXT;
    for (size_t i = 0; image[i]; i++)
        if (!strcmp(codec, image[i]))
            return CM_SUB_IMAGE;
    return CM_SUB_UNKNOWN;
}

/* ---- ASS event text to WebVTT cue text ---- */

/* Ends the current line: trimmed, and only when not empty (an empty line
 * would end the cue). */
static void flush_line(cu_buf *line, cu_buf *out, size_t *written, bool *any)
{
    char *s = line->data ? line->data : "";
    size_t len = line->len;
    size_t a = 0;
    while (a < len && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (len > a && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len > a) {
        if (*any) {
            cu_buf_putc(out, '\n');
            (*written)++;
        }
        cu_buf_append(out, s + a, len - a);
        *written += len - a;
        *any = true;
    }
    cu_buf_reset(line);
}

size_t cm_subtitle_ass_to_vtt(const char *text, size_t len, bool is_ass_event, cu_buf *out)
{
    if (!text)
        return 0;
    if (len > SUB_MAX_EVENT)
        len = SUB_MAX_EVENT;
    const char *p = text, *end = text + len;
    if (is_ass_event) {
        /* ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text */
        int commas = 0;
        const char *q = p;
        while (q < end && commas < 8)
            if (*q++ == ',')
                commas++;
        if (commas == 8)
            p = q;
    }
    cu_buf line = CU_BUF_INIT;
    size_t written = 0;
    bool any = false, drawing = false;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '{') {
            const char *close = memchr(p, '}', (size_t)(end - p));
            if (close) {
                /* An override block: dropped, but \p1..\pN starts a vector
                 * drawing (not text) and \p0 ends it. */
                for (const char *q = p; q + 2 < close; q++)
                    if (q[0] == '\\' && q[1] == 'p' && isdigit((unsigned char)q[2]))
                        drawing = q[2] != '0';
                p = close + 1;
                continue;
            }
        }
        if (c == '\\' && p + 1 < end && (p[1] == 'N' || p[1] == 'n')) {
            flush_line(&line, out, &written, &any);
            p += 2;
            continue;
        }
        if (c == '\\' && p + 1 < end && p[1] == 'h') {
            if (!drawing)
                cu_buf_putc(&line, ' ');
            p += 2;
            continue;
        }
        if (c == '\n') {
            flush_line(&line, out, &written, &any);
            p++;
            continue;
        }
        const char *start = p;
        int32_t cp = cu_utf8_next(&p, end);
        if (drawing)
            continue;
        if (cp < 0)
            cu_buf_puts(&line, "\xEF\xBF\xBD"); /* U+FFFD for a broken byte */
        else if (cp == '&')
            cu_buf_puts(&line, "&amp;");
        else if (cp == '<')
            cu_buf_puts(&line, "&lt;");
        else if (cp == '>')
            cu_buf_puts(&line, "&gt;");
        else if (cp == '\t')
            cu_buf_putc(&line, ' ');
        else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            ; /* control characters: dropped */
        else
            cu_buf_append(&line, start, (size_t)(p - start));
    }
    flush_line(&line, out, &written, &any);
    cu_buf_free(&line);
    return written;
}

/* ---- decoding a track ---- */

typedef struct cue {
    int64_t start_ms, end_ms;
    char *text;
    size_t order; /* for a stable sort */
} cue;

static int cmp_cue(const void *a, const void *b)
{
    const cue *x = a, *y = b;
    if (x->start_ms != y->start_ms)
        return x->start_ms < y->start_ms ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static void put_time(cu_buf *b, int64_t ms)
{
    if (ms < 0)
        ms = 0;
    cu_buf_printf(b, "%02lld:%02lld:%02lld.%03lld", (long long)(ms / 3600000),
                  (long long)(ms / 60000 % 60), (long long)(ms / 1000 % 60),
                  (long long)(ms % 1000));
}

bool cm_subtitle_cue_clip(int64_t from_ms, int64_t to_ms, int64_t *start_ms, int64_t *end_ms)
{
    if (*end_ms <= from_ms || *start_ms >= to_ms || *end_ms <= *start_ms)
        return false;
    *start_ms = (*start_ms > from_ms ? *start_ms : from_ms) - from_ms;
    *end_ms = (*end_ms < to_ms ? *end_ms : to_ms) - from_ms;
    return true;
}

/* A clip of the cues' timeline; to_ms 0: the whole of it. */
typedef struct cue_window {
    int64_t from_ms, to_ms;
} cue_window;

static int webvtt(int fd, int stream_index, const cm_keyframes *kf, cue_window win, char **vtt,
                  cu_err *err)
{
    cm_source src;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = NULL;
    cue *cues = NULL;
    size_t count = 0, cap = 0, bytes = 0;
    int rc;

    *vtt = NULL;
    rc = cm_source_open(&src, fd, NULL, SUB_BUDGET_US, false, err);
    if (rc < 0)
        return rc;
    AVStream *st = NULL;
    for (unsigned i = 0; i < src.fmt->nb_streams; i++) {
        AVStream *s = src.fmt->streams[i];
        bool wanted = stream_index >= 0 ? (int)i == stream_index
                                        : s->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE;
        if (wanted && !st)
            st = s;
        else
            s->discard = AVDISCARD_ALL;
    }
    if (!st || st->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no subtitle stream");
        goto done;
    }
    const char *codec_name = avcodec_get_name(st->codecpar->codec_id);
    if (cm_subtitle_kind(codec_name) != CM_SUB_TEXT) {
        rc = cu_err_set(err, CU_EMEDIA, "%s subtitles are pictures: they need burn-in", codec_name);
        goto done;
    }
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) {
        rc = cu_err_set(err, CU_EMEDIA, "no decoder for %s", codec_name);
        goto done;
    }
    dec = avcodec_alloc_context3(codec);
    if (!dec || avcodec_parameters_to_context(dec, st->codecpar) < 0) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    dec->pkt_timebase = st->time_base;
    rc = avcodec_open2(dec, codec, NULL);
    if (rc < 0) {
        rc = cm_av_error(err, rc, "cannot open subtitle decoder");
        goto done;
    }
    pkt = av_packet_alloc();
    if (!pkt) {
        rc = cu_err_set(err, -ENOMEM, "out of memory");
        goto done;
    }
    /* Playlist time 0 is the first keyframe of the film. */
    const int64_t shift_ms =
        kf && kf->count
            ? -av_rescale_q(kf->pts[0], (AVRational){kf->tb_num, kf->tb_den}, (AVRational){1, 1000})
            : 0;
    rc = 0;
    for (;;) {
        int r = av_read_frame(src.fmt, pkt);
        if (r == AVERROR_EOF)
            break;
        if (r < 0) {
            if (r == AVERROR_EXIT)
                rc = cm_av_error(err, r, "cannot read");
            break; /* a damaged tail: keep the cues read so far */
        }
        if (pkt->stream_index != st->index || pkt->pts == AV_NOPTS_VALUE) {
            av_packet_unref(pkt);
            continue;
        }
        AVSubtitle sub;
        int got = 0;
        r = avcodec_decode_subtitle2(dec, &sub, &got, pkt);
        if (r >= 0 && got) {
            int64_t at = av_rescale_q(pkt->pts, st->time_base, (AVRational){1, 1000});
            int64_t start = at + sub.start_display_time;
            int64_t end;
            if (pkt->duration > 0)
                end = at + av_rescale_q(pkt->duration, st->time_base, (AVRational){1, 1000});
            else if (sub.end_display_time > sub.start_display_time &&
                     sub.end_display_time != UINT32_MAX)
                end = at + sub.end_display_time;
            else
                end = start + 3000;
            cu_buf text = CU_BUF_INIT;
            for (unsigned k = 0; k < sub.num_rects; k++) {
                const AVSubtitleRect *rect = sub.rects[k];
                const char *t = rect->type == SUBTITLE_ASS ? rect->ass : rect->text;
                if (!t)
                    continue;
                if (text.len)
                    cu_buf_putc(&text, '\n');
                cm_subtitle_ass_to_vtt(t, strlen(t), rect->type == SUBTITLE_ASS, &text);
            }
            avsubtitle_free(&sub);
            start += shift_ms;
            end += shift_ms;
            if (text.len == 0 || end <= start ||
                (win.to_ms > 0 && !cm_subtitle_cue_clip(win.from_ms, win.to_ms, &start, &end))) {
                cu_buf_free(&text);
            } else if (count >= SUB_MAX_CUES || bytes + text.len > SUB_MAX_BYTES) {
                cu_buf_free(&text);
                av_packet_unref(pkt);
                rc = cu_err_set(err, CU_ELIMIT, "too many subtitles");
                break;
            } else {
                if (count == cap) {
                    cap = cap ? cap * 2 : 256;
                    cues = cu_xreallocarray(cues, cap, sizeof *cues);
                }
                bytes += text.len;
                cues[count] = (cue){start, end, cu_buf_take(&text), count};
                count++;
            }
        }
        av_packet_unref(pkt);
    }
    if (rc < 0)
        goto done;
    if (count)
        qsort(cues, count, sizeof *cues, cmp_cue);
    cu_buf out = CU_BUF_INIT;
    cu_buf_puts(&out, "WEBVTT\n");
    /* The cues' 0 (the film's, or the clip's start) on the segments' timeline. */
    if (kf && kf->count)
        cu_buf_printf(
            &out, "X-TIMESTAMP-MAP=MPEGTS:%lld,LOCAL:00:00:00.000\n",
            (long long)llround((cm_hls_timeline_start(kf) + win.from_ms / 1000.0) * 90000.0));
    cu_buf_puts(&out, "\n");
    for (size_t i = 0; i < count; i++) {
        if (cues[i].end_ms <= 0)
            continue;
        put_time(&out, cues[i].start_ms);
        cu_buf_puts(&out, " --> ");
        put_time(&out, cues[i].end_ms);
        cu_buf_printf(&out, "\n%s\n\n", cues[i].text);
    }
    *vtt = cu_buf_take(&out);
done:
    for (size_t i = 0; i < count; i++)
        free(cues[i].text);
    free(cues);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    cm_source_close(&src);
    return rc;
}

int cm_subtitle_webvtt(int fd, int stream_index, const cm_keyframes *kf, char **vtt, cu_err *err)
{
    return webvtt(fd, stream_index, kf, (cue_window){0, 0}, vtt, err);
}

int cm_subtitle_webvtt_clip(int fd, int stream_index, const cm_keyframes *kf, int64_t from_ms,
                            int64_t to_ms, char **vtt, cu_err *err)
{
    *vtt = NULL;
    if (from_ms < 0 || to_ms <= from_ms)
        return cu_err_set(err, CU_EINVAL, "the clip ends before it starts");
    return webvtt(fd, stream_index, kf, (cue_window){from_ms, to_ms}, vtt, err);
}

char *cm_hls_subtitle_playlist(double total_s, const char *vtt_uri)
{
    if (!vtt_uri || !vtt_uri[0] || strpbrk(vtt_uri, "\"\r\n") || !(total_s > 0))
        return NULL;
    long target = (long)total_s + 1;
    return cu_xasprintf("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:%ld\n"
                        "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                        "#EXTINF:%.6f,\n%s\n#EXT-X-ENDLIST\n",
                        target, total_s, vtt_uri);
}
