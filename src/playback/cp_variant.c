/* cp_variant: see cp_variant.h. */
#include "playback/cp_variant.h"

#include <stdio.h>
#include <string.h>

bool cp_variant_height_ok(int h)
{
    static const int heights[] = CP_VARIANT_HEIGHTS;
    for (size_t i = 0; i < sizeof heights / sizeof *heights; i++)
        if (heights[i] == h)
            return true;
    return false;
}

void cp_variant_format(cp_variant *v)
{
    if (v->copy_video)
        v->height = 0;
    if (v->copy_video || v->burn < 0 || v->burn > CP_VARIANT_MAX_BURN + 1)
        v->burn = 0;
    char cap[24] = "";
    if (v->height > 0)
        snprintf(cap, sizeof cap, "-h%d", v->height);
    if (v->burn > 0)
        snprintf(cap + strlen(cap), sizeof cap - strlen(cap), "-b%d", v->burn - 1);
    if (v->mpegts)
        snprintf(cap + strlen(cap), sizeof cap - strlen(cap), "-ts");
    if (v->audio >= 0)
        snprintf(v->text, sizeof v->text, "%d-%c%c%s", v->audio, v->copy_video ? 'c' : 't',
                 v->copy_audio ? 'c' : 't', cap);
    else
        snprintf(v->text, sizeof v->text, "n-%c%s", v->copy_video ? 'c' : 't', cap);
}

bool cp_variant_parse(const char *s, cp_variant *v)
{
    memset(v, 0, sizeof *v);
    if (!s)
        return false;
    char vc, ac = 'c';
    int audio = -1, n = 0;
    if (s[0] == 'n') {
        if (sscanf(s, "n-%c%n", &vc, &n) != 1)
            return false;
    } else if (sscanf(s, "%3d-%c%c%n", &audio, &vc, &ac, &n) != 3 || audio < 0) {
        return false;
    }
    int height = 0, m = 0;
    if (s[n] == '-' && s[n + 1] == 'h') {
        if (sscanf(s + n, "-h%4d%n", &height, &m) != 1 || !cp_variant_height_ok(height))
            return false;
        n += m;
    }
    int burn = -1;
    if (s[n] == '-' && s[n + 1] == 'b') {
        if (sscanf(s + n, "-b%3d%n", &burn, &m) != 1 || burn < 0 || burn > CP_VARIANT_MAX_BURN)
            return false;
        n += m;
    }
    if (s[n] || (vc != 'c' && vc != 't') || (ac != 'c' && ac != 't'))
        return false;
    v->height = height;
    v->burn = burn + 1;
    v->audio = audio;
    v->copy_video = vc == 'c';
    v->copy_audio = ac == 'c';
    cp_variant_format(v);
    return strcmp(v->text, s) == 0;
}

cp_variant cp_variant_of(const cm_hls_decision *d)
{
    cp_variant v = {
        .audio = d->audio_index, .copy_video = d->copy_video, .copy_audio = d->copy_audio};
    cp_variant_format(&v);
    return v;
}

cm_hls_output cp_variant_output(const cp_variant *v)
{
    return (cm_hls_output){.audio_index = v->audio,
                           .copy_video = v->copy_video,
                           .copy_audio = v->copy_audio,
                           .max_height = v->height,
                           .burn_stream = v->burn,
                           .mpegts = v->mpegts};
}

int cp_variant_plan(const cm_keyframes *kf, const cp_variant *v, cm_hls_plan **plan, cu_err *err)
{
    if (v->clip_to_ms > 0)
        return cm_hls_plan_new_timed_range(kf, CP_TRANSCODE_TARGET_S, CP_TRANSCODE_FIRST_S,
                                           CP_TRANSCODE_FIRST_COUNT, v->clip_from_ms / 1000.0,
                                           v->clip_to_ms / 1000.0, plan, err);
    if (v->copy_video)
        return cm_hls_plan_new(kf, CP_COPY_TARGET_S, plan, err);
    return cm_hls_plan_new_timed(kf, CP_TRANSCODE_TARGET_S, CP_TRANSCODE_FIRST_S,
                                 CP_TRANSCODE_FIRST_COUNT, plan, err);
}

int64_t cp_variant_bandwidth(const cp_variant *v, int64_t file_bit_rate)
{
    if (!v->copy_video)
        return v->height > 0
                   ? (int64_t)CP_TRANSCODE_BANDWIDTH * v->height / CM_HLS_DEFAULT_MAX_HEIGHT
                   : CP_TRANSCODE_BANDWIDTH;
    /* A fifth over the average: the peak a player should plan for. */
    return file_bit_rate > 0 ? file_bit_rate * 6 / 5 : CP_UNKNOWN_BANDWIDTH;
}

void cp_variant_size(const cp_variant *v, int *width, int *height)
{
    int cap = v->height > 0 ? v->height : CM_HLS_DEFAULT_MAX_HEIGHT;
    if (v->copy_video || *height <= cap || *height <= 0)
        return;
    *width = (int)((int64_t)*width * cap / *height) & ~1;
    *height = cap;
}

/* ---- codec strings (RFC 6381) from what the catalog stores ---- */

/* The lowest H.264 level (Table A-1) that holds mbs macroblocks per frame
 * at mbps macroblocks a second. */
static int h264_level(int64_t mbs, int64_t mbps)
{
    static const struct {
        int level;
        int64_t max_fs, max_mbps;
    } levels[] = {{10, 99, 1485},        {11, 396, 3000},       {12, 396, 6000},
                  {13, 396, 11880},      {20, 396, 11880},      {21, 792, 19800},
                  {22, 1620, 20250},     {30, 1620, 40500},     {31, 3600, 108000},
                  {32, 5120, 216000},    {40, 8192, 245760},    {42, 8704, 522240},
                  {50, 22080, 589824},   {51, 36864, 983040},   {52, 36864, 2073600},
                  {60, 139264, 4177920}, {61, 139264, 8355840}, {62, 139264, 16711680}};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        if (mbs <= levels[i].max_fs && mbps <= levels[i].max_mbps)
            return levels[i].level;
    return 62;
}

/* The lowest HEVC level (Table A.8) for a picture of ps luma samples at
 * sr samples a second, times 30 as the codec string writes it. */
static int hevc_level(int64_t ps, int64_t sr)
{
    static const struct {
        int level;
        int64_t max_ps, max_sr;
    } levels[] = {
        {30, 36864, 552960},          {60, 122880, 3686400},       {63, 245760, 7372800},
        {90, 552960, 16588800},       {93, 983040, 33177600},      {120, 2228224, 66846720},
        {123, 2228224, 133693440},    {150, 8912896, 267386880},   {153, 8912896, 534773760},
        {156, 8912896, 1069547520},   {180, 35651584, 1069547520}, {183, 35651584, 2139095040},
        {186, 35651584, 4278190080LL}};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        if (ps <= levels[i].max_ps && sr <= levels[i].max_sr)
            return levels[i].level;
    return 186;
}

/* Frame rate for a level: the stream's, else a film's usual. */
static double rate_of(double frame_rate)
{
    return frame_rate > 0 && frame_rate < 1000 ? frame_rate : 24.0;
}

static void video_codec(const cc_stream *s, int width, int height, bool transcoded, char *buf,
                        size_t size)
{
    double rate = rate_of(s ? s->frame_rate : 0);
    if (transcoded || !strcmp(s->codec, "h264")) {
        /* profile_idc and constraint flags by profile name. */
        static const struct {
            const char *name;
            int idc, constraints;
        } profiles[] = {{"Constrained Baseline", 66, 0xc0},
                        {"Baseline", 66, 0x00},
                        {"Main", 77, 0x00},
                        {"Extended", 88, 0x00},
                        {"High", 100, 0x00},
                        {"High 10", 110, 0x00},
                        {"High 4:2:2", 122, 0x00},
                        {"High 4:4:4 Predictive", 244, 0x00}};
        int idc = 100, constraints = 0; /* ours: libx264's "high" */
        for (size_t i = 0; !transcoded && i < sizeof profiles / sizeof *profiles; i++)
            if (!strcmp(s->profile, profiles[i].name))
                idc = profiles[i].idc, constraints = profiles[i].constraints;
        int64_t mbs = (int64_t)((width + 15) / 16) * ((height + 15) / 16);
        snprintf(buf, size, "avc1.%02x%02x%02x", idc, constraints,
                 h264_level(mbs, (int64_t)(mbs * rate + 0.5)));
    } else if (!strcmp(s->codec, "hevc")) {
        bool ten = strstr(s->profile, "10") || s->bit_depth == 10;
        int64_t ps = (int64_t)width * height;
        snprintf(buf, size, "hvc1.%d.%d.L%d.B0", ten ? 2 : 1, ten ? 4 : 6,
                 hevc_level(ps, (int64_t)(ps * rate + 0.5)));
    } else if (!strcmp(s->codec, "vp9")) {
        snprintf(buf, size, "vp09.00.40.%02d", s->bit_depth > 0 ? s->bit_depth : 8);
    } else if (!strcmp(s->codec, "av1")) {
        snprintf(buf, size, "av01.0.08M.%02d", s->bit_depth > 0 ? s->bit_depth : 8);
    } else {
        snprintf(buf, size, "%s", s->codec);
    }
}

static void audio_codec(const cc_stream *s, bool transcoded, char *buf, size_t size)
{
    if (transcoded)
        snprintf(buf, size, "mp4a.40.2"); /* ours: AAC-LC */
    else if (!strcmp(s->codec, "aac"))
        snprintf(buf, size, "mp4a.40.%d",
                 !strcmp(s->profile, "HE-AACv2") ? 29
                 : !strcmp(s->profile, "HE-AAC") ? 5
                                                 : 2);
    else if (!strcmp(s->codec, "mp3"))
        snprintf(buf, size, "mp4a.40.34");
    else if (!strcmp(s->codec, "ac3"))
        snprintf(buf, size, "ac-3");
    else if (!strcmp(s->codec, "eac3"))
        snprintf(buf, size, "ec-3");
    else if (!strcmp(s->codec, "opus"))
        snprintf(buf, size, "opus");
    else if (!strcmp(s->codec, "flac"))
        snprintf(buf, size, "fLaC");
    else
        snprintf(buf, size, "%s", s->codec);
}

void cp_variant_codecs(const cp_variant *v, const cc_stream *video, const cc_stream *audio,
                       char *buf, size_t size)
{
    char vbuf[64] = "", abuf[32] = "";
    if (video) {
        int width = video->width, height = video->height;
        cp_variant_size(v, &width, &height);
        video_codec(video, width, height, !v->copy_video, vbuf, sizeof vbuf);
    }
    if (audio && v->audio >= 0)
        audio_codec(audio, !v->copy_audio, abuf, sizeof abuf);
    snprintf(buf, size, "%s%s%s", vbuf, vbuf[0] && abuf[0] ? "," : "", abuf);
}
