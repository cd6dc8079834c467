/* cm_hls_plan: from a keyframe index to the segment list and the playlist
 * texts, and the per-playback choice of copying or re-encoding each stream.
 * Pure computation: no file is opened here. */
#include "media/cm_hls_plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stddef.h>

#include "util/cu_buf.h"
#include "util/cu_str.h"

int cm_hls_plan_new(const cm_keyframes *kf, double target, cm_hls_plan **out, cu_err *err)
{
    return cm_hls_plan_new_ramp(kf, target, target, 0, out, err);
}

int cm_hls_plan_new_ramp(const cm_keyframes *kf, double target, double short_target,
                         int short_count, cm_hls_plan **out, cu_err *err)
{
    *out = NULL;
    if (!kf || kf->count == 0 || kf->tb_num <= 0 || kf->tb_den <= 0)
        return cu_err_set(err, CU_EINVAL, "empty keyframe index");
    if (!(target > 0))
        target = CM_HLS_DEFAULT_TARGET;
    if (target > 60)
        target = 60;
    const double unit = (double)kf->tb_num / kf->tb_den;
    /* Half a millisecond of slack so a keyframe exactly `target` after the
     * cut is taken despite rounding of the time base. */
    if (!(short_target > 0) || short_target > target)
        short_target = target;
    const int64_t step = (int64_t)((target - 0.0005) / unit);
    const int64_t short_step = (int64_t)((short_target - 0.0005) / unit);
    cm_hls_plan *plan = cu_xcalloc(1, sizeof *plan);
    plan->tb_num = kf->tb_num;
    plan->tb_den = kf->tb_den;
    plan->segments = cu_xmalloc(kf->count * sizeof *plan->segments);
    const int64_t origin = kf->pts[0];
    int64_t cut = origin;
    for (size_t i = 1; i <= kf->count; i++) {
        bool last = i == kf->count;
        int64_t need = (int64_t)plan->count < short_count ? short_step : step;
        if (!last && kf->pts[i] - cut < need)
            continue;
        cm_hls_segment *s = &plan->segments[plan->count++];
        s->start = cut;
        s->end = last ? kf->end : kf->pts[i];
        s->start_s = (double)(s->start - origin) * unit;
        s->duration_s = (double)(s->end - s->start) * unit;
        if (s->duration_s > plan->max_duration_s)
            plan->max_duration_s = s->duration_s;
        if (!last)
            cut = kf->pts[i];
    }
    /* A tail shorter than a frame (end rounding) merges into the segment
     * before it rather than standing alone. */
    if (plan->count > 1 &&
        plan->segments[plan->count - 1].end - plan->segments[plan->count - 1].start <
            kf->frame_duration) {
        cm_hls_segment *prev = &plan->segments[plan->count - 2];
        prev->end = plan->segments[plan->count - 1].end;
        prev->duration_s = (double)(prev->end - prev->start) * unit;
        if (prev->duration_s > plan->max_duration_s)
            plan->max_duration_s = prev->duration_s;
        plan->count--;
    }
    plan->total_s = (double)(kf->end - origin) * unit;
    *out = plan;
    return 0;
}

int cm_hls_plan_new_timed(const cm_keyframes *kf, double target, double short_target,
                          int short_count, cm_hls_plan **out, cu_err *err)
{
    return cm_hls_plan_new_timed_range(kf, target, short_target, short_count, -1, -1, out, err);
}

int cm_hls_plan_new_timed_range(const cm_keyframes *kf, double target, double short_target,
                                int short_count, double from_s, double to_s, cm_hls_plan **out,
                                cu_err *err)
{
    *out = NULL;
    if (!kf || kf->count == 0 || kf->tb_num <= 0 || kf->tb_den <= 0 || kf->end <= kf->pts[0])
        return cu_err_set(err, CU_EINVAL, "empty keyframe index");
    if (!(target > 0))
        target = CM_HLS_DEFAULT_TARGET;
    if (target > 60)
        target = 60;
    if (!(short_target > 0.5) || short_target > target)
        short_target = target;
    const double unit = (double)kf->tb_num / kf->tb_den;
    const int64_t step = (int64_t)(target / unit), short_step = (int64_t)(short_target / unit);
    if (step <= 0 || short_step <= 0)
        return cu_err_set(err, CU_EINVAL, "time base too coarse");
    int64_t origin = kf->pts[0], end = kf->end;
    if (from_s >= 0 || to_s >= 0) {
        /* A clip: the plan starts and ends where it does, not on keyframes
         * (each segment of a timed plan is decoded from the keyframe
         * before it), and its timeline starts at the clip. */
        int64_t from = origin + (int64_t)((from_s > 0 ? from_s : 0) / unit + 0.5);
        int64_t to = to_s > 0 ? origin + (int64_t)(to_s / unit + 0.5) : end;
        if (to > end)
            to = end;
        if (from >= to)
            return cu_err_set(err, CU_EINVAL, "the clip lies outside the file");
        origin = from;
        end = to;
    }
    /* A tail under half a segment joins the segment before it. */
    const int64_t min_tail = step / 2;
    size_t cap = (size_t)((end - origin) / (short_step < step ? short_step : step)) + 2;
    if (cap > CM_KEYFRAMES_MAX)
        return cu_err_set(err, CU_ELIMIT, "too many segments");
    cm_hls_plan *plan = cu_xcalloc(1, sizeof *plan);
    plan->tb_num = kf->tb_num;
    plan->tb_den = kf->tb_den;
    plan->segments = cu_xmalloc(cap * sizeof *plan->segments);
    for (int64_t t = origin; t < end && plan->count < cap;) {
        int64_t next = t + ((int64_t)plan->count < short_count ? short_step : step);
        if (next > end || end - next < min_tail)
            next = end;
        cm_hls_segment *s = &plan->segments[plan->count++];
        s->start = t;
        s->end = next;
        s->start_s = (double)(t - origin) * unit;
        s->duration_s = (double)(next - t) * unit;
        if (s->duration_s > plan->max_duration_s)
            plan->max_duration_s = s->duration_s;
        t = next;
    }
    plan->total_s = (double)(end - origin) * unit;
    *out = plan;
    return 0;
}

void cm_hls_plan_free(cm_hls_plan *plan)
{
    if (!plan)
        return;
    free(plan->segments);
    free(plan);
}

/* A string that can stand inside a quoted playlist attribute or on a URI
 * line: no quote, no control character. */
static bool playlist_safe(const char *s)
{
    if (!s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == '"' || *p == 0x7f)
            return false;
    return true;
}

char *cm_hls_media_playlist(const cm_hls_plan *plan, const char *init_uri,
                            const char *segment_prefix, const char *segment_suffix)
{
    if (!plan || plan->count == 0 || !playlist_safe(init_uri) || !playlist_safe(segment_prefix) ||
        !playlist_safe(segment_suffix))
        return NULL;
    /* EXTINF rounded to the nearest integer must not exceed the target. */
    long target = lround(plan->max_duration_s);
    if (target < 1)
        target = 1;
    cu_buf b = CU_BUF_INIT;
    cu_buf_printf(&b,
                  "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:%ld\n"
                  "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
                  "#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"%s\"\n",
                  target, init_uri);
    for (size_t i = 0; i < plan->count; i++)
        cu_buf_printf(&b, "#EXTINF:%.6f,\n%s%zu%s\n", plan->segments[i].duration_s, segment_prefix,
                      i, segment_suffix);
    cu_buf_puts(&b, "#EXT-X-ENDLIST\n");
    return cu_buf_take(&b);
}

char *cm_hls_master_playlist(const cm_hls_master *m)
{
    if (!m || !playlist_safe(m->media_uri) || !playlist_safe(m->codecs) || m->bandwidth <= 0)
        return NULL;
    for (size_t i = 0; i < m->subtitle_count; i++) {
        const cm_hls_subtitle_entry *s = &m->subtitles[i];
        if (!playlist_safe(s->uri) || !playlist_safe(s->name) ||
            (s->language && !playlist_safe(s->language)))
            return NULL;
    }
    cu_buf b = CU_BUF_INIT;
    cu_buf_puts(&b, "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (size_t i = 0; i < m->subtitle_count; i++) {
        const cm_hls_subtitle_entry *s = &m->subtitles[i];
        cu_buf_printf(&b, "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"%s\"", s->name);
        if (s->language && s->language[0])
            cu_buf_printf(&b, ",LANGUAGE=\"%s\"", s->language);
        /* A forced track shows by itself only when it is the default. */
        cu_buf_printf(&b, ",DEFAULT=%s,AUTOSELECT=YES,FORCED=%s,URI=\"%s\"\n",
                      s->is_default ? "YES" : "NO", s->is_forced ? "YES" : "NO", s->uri);
    }
    cu_buf_printf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%lld,CODECS=\"%s\"", (long long)m->bandwidth,
                  m->codecs);
    if (m->width > 0 && m->height > 0)
        cu_buf_printf(&b, ",RESOLUTION=%dx%d", m->width, m->height);
    if (m->frame_rate > 0 && m->frame_rate < 1000)
        cu_buf_printf(&b, ",FRAME-RATE=%.3f", m->frame_rate);
    if (m->subtitle_count)
        cu_buf_puts(&b, ",SUBTITLES=\"subs\"");
    cu_buf_printf(&b, "\n%s\n", m->media_uri);
    return cu_buf_take(&b);
}

/* ---- Client capabilities and the copy/encode decision ---------------- */

cm_client_caps cm_client_caps_parse(const char *list)
{
    cm_client_caps caps = {0};
    if (!list || !list[0]) {
        caps.h264 = caps.aac = true;
        return caps;
    }
    static const struct {
        const char *word;
        size_t offset;
    } words[] = {
        {"h264", offsetof(cm_client_caps, h264)}, {"avc", offsetof(cm_client_caps, h264)},
        {"hevc", offsetof(cm_client_caps, hevc)}, {"h265", offsetof(cm_client_caps, hevc)},
        {"vp9", offsetof(cm_client_caps, vp9)},   {"av1", offsetof(cm_client_caps, av1)},
        {"aac", offsetof(cm_client_caps, aac)},   {"opus", offsetof(cm_client_caps, opus)},
        {"mp3", offsetof(cm_client_caps, mp3)},   {"ac3", offsetof(cm_client_caps, ac3)},
        {"eac3", offsetof(cm_client_caps, eac3)}, {"flac", offsetof(cm_client_caps, flac)},
    };
    const char *p = list;
    /* At most 64 words: a list is a short query parameter. */
    for (int n = 0; *p && n < 64; n++) {
        size_t len = strcspn(p, ",");
        for (size_t w = 0; w < sizeof words / sizeof *words; w++)
            if (strlen(words[w].word) == len && !strncasecmp(p, words[w].word, len))
                *(bool *)((char *)&caps + words[w].offset) = true;
        p += len;
        if (*p == ',')
            p++;
    }
    return caps;
}

/* ISO 639-1 codes and their 639-2 forms (bibliographic and terminology),
 * for matching "es" against a track tagged "spa". */
static const char *const language_pairs[][3] = {
    {"en", "eng", "eng"}, {"es", "spa", "spa"}, {"fr", "fre", "fra"}, {"de", "ger", "deu"},
    {"it", "ita", "ita"}, {"pt", "por", "por"}, {"ja", "jpn", "jpn"}, {"zh", "chi", "zho"},
    {"ko", "kor", "kor"}, {"ru", "rus", "rus"}, {"nl", "dut", "nld"}, {"sv", "swe", "swe"},
    {"da", "dan", "dan"}, {"no", "nor", "nor"}, {"fi", "fin", "fin"}, {"pl", "pol", "pol"},
    {"cs", "cze", "ces"}, {"el", "gre", "ell"}, {"tr", "tur", "tur"}, {"ar", "ara", "ara"},
    {"he", "heb", "heb"}, {"hi", "hin", "hin"}, {"hu", "hun", "hun"}, {"ca", "cat", "cat"},
    {"eu", "baq", "eus"}, {"gl", "glg", "glg"}, {"ro", "rum", "ron"}, {"uk", "ukr", "ukr"},
};

static bool language_matches(const char *tagged, const char *wanted)
{
    if (!tagged[0] || !wanted || !wanted[0])
        return false;
    if (cu_str_eq_ci(tagged, wanted))
        return true;
    for (size_t i = 0; i < sizeof language_pairs / sizeof *language_pairs; i++) {
        bool t = false, w = false;
        for (int k = 0; k < 3; k++) {
            t = t || cu_str_eq_ci(tagged, language_pairs[i][k]);
            w = w || cu_str_eq_ci(wanted, language_pairs[i][k]);
        }
        if (t && w)
            return true;
    }
    return false;
}

static bool video_playable(const cm_media_stream *v, const cm_client_caps *caps)
{
    const char *c = v->codec;
    /* Browsers decode 8-bit 4:2:0 H.264 only (no High 10, no 4:2:2). */
    if (!strcmp(c, "h264"))
        return caps->h264 && (v->bit_depth == 0 || v->bit_depth == 8) &&
               (!v->pix_fmt[0] || !strcmp(v->pix_fmt, "yuv420p") ||
                !strcmp(v->pix_fmt, "yuvj420p"));
    if (!strcmp(c, "hevc"))
        return caps->hevc;
    if (!strcmp(c, "vp9"))
        return caps->vp9;
    if (!strcmp(c, "av1"))
        return caps->av1;
    return false;
}

static bool audio_playable(const cm_media_stream *a, const cm_client_caps *caps)
{
    const char *c = a->codec;
    if (!strcmp(c, "aac"))
        return caps->aac;
    if (!strcmp(c, "opus"))
        return caps->opus;
    if (!strcmp(c, "mp3"))
        return caps->mp3;
    if (!strcmp(c, "ac3"))
        return caps->ac3;
    if (!strcmp(c, "eac3"))
        return caps->eac3;
    if (!strcmp(c, "flac"))
        return caps->flac;
    return false;
}

int cm_hls_decide(const cm_media_info *info, const cm_client_caps *caps, int audio_index,
                  const char *language, cm_hls_decision *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    out->video_index = out->audio_index = -1;
    cm_client_caps fallback = cm_client_caps_parse(NULL);
    if (!caps)
        caps = &fallback;
    const cm_media_stream *v = cm_media_info_video(info);
    if (!v)
        return cu_err_set(err, CU_EMEDIA, "no video stream");
    out->video_index = v->index;
    out->copy_video = video_playable(v, caps);

    const cm_media_stream *a = NULL, *first = NULL, *by_default = NULL, *by_language = NULL;
    for (size_t i = 0; i < info->stream_count; i++) {
        const cm_media_stream *s = &info->streams[i];
        if (s->type != CM_STREAM_AUDIO)
            continue;
        if (audio_index >= 0 && s->index == audio_index)
            a = s;
        if (!first)
            first = s;
        if (!by_default && s->is_default)
            by_default = s;
        if (!by_language && language_matches(s->language, language))
            by_language = s;
    }
    if (audio_index >= 0 && !a)
        return cu_err_set(err, CU_ENOTFOUND, "no audio stream %d", audio_index);
    if (!a)
        a = by_language ? by_language : by_default ? by_default : first;
    if (a) {
        out->audio_index = a->index;
        out->copy_audio = audio_playable(a, caps);
    }
    snprintf(out->reason, sizeof out->reason, "video %s: %s; audio %s: %s", v->codec,
             out->copy_video ? "copy" : "to h264", a ? a->codec : "none",
             !a                ? "-"
             : out->copy_audio ? "copy"
                               : "to aac");
    return 0;
}
