/* dl_profile: MIME types and the DLNA profiles we can name with
 * confidence from the probe's facts. */
#include "dlna/dl_profile.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *container, *mime;
} mimes[] = {
    {"mkv", "video/x-matroska"},
    {"webm", "video/webm"},
    {"mp4", "video/mp4"},
    {"m4v", "video/mp4"},
    {"mov", "video/quicktime"},
    {"avi", "video/x-msvideo"},
    {"ts", "video/mpeg"},
    {"m2ts", "video/vnd.dlna.mpeg-tts"},
    {"mts", "video/vnd.dlna.mpeg-tts"},
    {"wmv", "video/x-ms-wmv"},
    {"mpg", "video/mpeg"},
    {"mpeg", "video/mpeg"},
    {"ogv", "video/ogg"},
    {"flv", "video/x-flv"},
};

void dl_profile_of(const char *container, const cc_stream *streams, size_t count, dl_profile *out)
{
    out->mime = "application/octet-stream";
    out->pn = NULL;
    for (size_t i = 0; container && i < sizeof mimes / sizeof *mimes; i++)
        if (cu_str_eq_ci(container, mimes[i].container))
            out->mime = mimes[i].mime;
    const cc_stream *video = NULL, *audio = NULL;
    for (size_t i = 0; i < count; i++) {
        if (streams[i].type == CC_STREAM_VIDEO && !streams[i].attached_pic && !video)
            video = &streams[i];
        else if (streams[i].type == CC_STREAM_AUDIO && !audio)
            audio = &streams[i];
    }
    if (!video || !container)
        return;
    bool h264 = !strcmp(video->codec, "h264");
    bool aac = audio && !strcmp(audio->codec, "aac");
    bool ac3 = audio && (!strcmp(audio->codec, "ac3") || !strcmp(audio->codec, "eac3"));
    bool hd = video->width > 720 || video->height > 576;
    bool high = strstr(video->profile, "High") != NULL;
    bool mp4 = cu_str_eq_ci(container, "mp4") || cu_str_eq_ci(container, "m4v");
    bool mkv = cu_str_eq_ci(container, "mkv");
    if (h264 && mp4 && aac)
        out->pn = hd ? "AVC_MP4_HP_HD_AAC" : high ? "AVC_MP4_HP_SD_AAC" : "AVC_MP4_MP_SD_AAC_MULT5";
    else if (h264 && mp4 && ac3)
        out->pn = hd ? "AVC_MP4_MP_HD_AC3" : "AVC_MP4_MP_SD_AC3";
    else if (h264 && mkv && aac)
        out->pn = hd ? "AVC_MKV_HP_HD_AAC_MULT5" : "AVC_MKV_MP_SD_AAC_MULT5";
    else if (h264 && mkv && ac3)
        out->pn = hd ? "AVC_MKV_HP_HD_AC3" : "AVC_MKV_MP_SD_AC3";
    else if (!strcmp(video->codec, "mpeg2video") &&
             (cu_str_eq_ci(container, "mpg") || cu_str_eq_ci(container, "mpeg")))
        out->pn = video->height == 576   ? "MPEG_PS_PAL"
                  : video->height == 480 ? "MPEG_PS_NTSC"
                                         : NULL;
}

void dl_profile_features(const dl_profile *p, char *out, size_t size)
{
    if (p->pn)
        snprintf(out, size, "DLNA.ORG_PN=%s;" DL_OP_FLAGS, p->pn);
    else
        snprintf(out, size, DL_OP_FLAGS);
}

bool dl_text_subtitle(const char *codec)
{
    static const char *const text[] = {"subrip", "srt", "ass", "ssa", "mov_text", "webvtt", "text"};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        if (!strcmp(codec, text[i]))
            return true;
    return false;
}

bool dl_profile_wants_ts(const dl_profile *p, const cc_stream *streams, size_t count, int *audio)
{
    *audio = -1;
    bool video = false;
    for (size_t i = 0; i < count; i++)
        if (streams[i].type == CC_STREAM_VIDEO && !streams[i].attached_pic)
            video = true;
    /* The default-flagged sound, else the first. */
    for (size_t i = 0; i < count && *audio < 0; i++)
        if (streams[i].type == CC_STREAM_AUDIO && streams[i].is_default)
            *audio = streams[i].index;
    for (size_t i = 0; i < count && *audio < 0; i++)
        if (streams[i].type == CC_STREAM_AUDIO)
            *audio = streams[i].index;
    return video && !p->pn;
}

void dl_profile_ts_size(int *width, int *height)
{
    /* The transcoder's cap (cm_hls_segment: CM_HLS_DEFAULT_MAX_HEIGHT). */
    if (*height > 720 && *width > 0) {
        *width = (int)((int64_t)*width * 720 / *height) & ~1;
        *height = 720;
    }
}

void dl_profile_ts_features(int width, int height, char *out, size_t size)
{
    dl_profile_ts_size(&width, &height);
    bool hd = width > 720 || height > 576;
    snprintf(out, size, "DLNA.ORG_PN=%s;" DL_TS_OP_FLAGS,
             hd ? "AVC_TS_MP_HD_AAC_MULT5_ISO" : "AVC_TS_MP_SD_AAC_MULT5_ISO");
}
