/* cp_variant: see cp_variant.h. */
#include "playback/cp_variant.h"

#include <stdio.h>
#include <string.h>

void cp_variant_format(cp_variant *v)
{
    if (v->audio >= 0)
        snprintf(v->text, sizeof v->text, "%d-%c%c", v->audio, v->copy_video ? 'c' : 't',
                 v->copy_audio ? 'c' : 't');
    else
        snprintf(v->text, sizeof v->text, "n-%c", v->copy_video ? 'c' : 't');
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
    if (s[n] || (vc != 'c' && vc != 't') || (ac != 'c' && ac != 't'))
        return false;
    v->audio = audio;
    v->copy_video = vc == 'c';
    v->copy_audio = ac == 'c';
    cp_variant_format(v);
    return strcmp(v->text, s) == 0;
}

cp_variant cp_variant_of(const cm_hls_decision *d)
{
    cp_variant v = {.audio = d->audio_index, .copy_video = d->copy_video,
                    .copy_audio = d->copy_audio};
    cp_variant_format(&v);
    return v;
}

cm_hls_output cp_variant_output(const cp_variant *v)
{
    return (cm_hls_output){.audio_index = v->audio, .copy_video = v->copy_video,
                           .copy_audio = v->copy_audio};
}

int cp_variant_plan(const cm_keyframes *kf, const cp_variant *v, cm_hls_plan **plan, cu_err *err)
{
    if (v->copy_video)
        return cm_hls_plan_new(kf, CP_COPY_TARGET_S, plan, err);
    return cm_hls_plan_new_timed(kf, CP_TRANSCODE_TARGET_S, CP_TRANSCODE_FIRST_S,
                                 CP_TRANSCODE_FIRST_COUNT, plan, err);
}

int64_t cp_variant_bandwidth(const cp_variant *v, int64_t file_bit_rate)
{
    if (!v->copy_video)
        return CP_TRANSCODE_BANDWIDTH;
    /* A fifth over the average: the peak a player should plan for. */
    return file_bit_rate > 0 ? file_bit_rate * 6 / 5 : CP_UNKNOWN_BANDWIDTH;
}

void cp_variant_size(const cp_variant *v, int *width, int *height)
{
    if (v->copy_video || *height <= CM_HLS_DEFAULT_MAX_HEIGHT || *height <= 0)
        return;
    *width = (int)((int64_t)*width * CM_HLS_DEFAULT_MAX_HEIGHT / *height) & ~1;
    *height = CM_HLS_DEFAULT_MAX_HEIGHT;
}
