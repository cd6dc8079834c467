/* jf_dto_media: MediaSourceInfo and MediaStream for one catalog file:
 * what a client needs to choose direct play or our HLS, its audio and
 * subtitle tracks, and the URLs (signed for that file) it fetches them by. */
#include "jellyfin/jf_internal.h"
#include "catalog/cc_subtitle.h"
#include "media/cm_subtitle.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <string.h>

static const char *language_name(const char *code)
{
    static const char *const names[][2] = {
        {"eng", "English"},  {"spa", "Spanish"}, {"fre", "French"},  {"fra", "French"},
        {"ger", "German"},   {"deu", "German"},  {"ita", "Italian"}, {"por", "Portuguese"},
        {"jpn", "Japanese"}, {"cat", "Catalan"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(code, names[i][0]))
            return names[i][1];
    return code[0] ? code : "Unknown";
}

static json_t *stream_dto(const cc_stream *s)
{
    json_t *o = json_object();
    const char *type = s->type == CC_STREAM_VIDEO      ? "Video"
                       : s->type == CC_STREAM_AUDIO    ? "Audio"
                       : s->type == CC_STREAM_SUBTITLE ? "Subtitle"
                                                       : "Data";
    json_object_set_new(o, "Type", json_string(type));
    json_object_set_new(o, "Index", json_integer(s->index));
    json_object_set_new(o, "Codec", json_string(s->codec));
    if (s->language[0])
        json_object_set_new(o, "Language", json_string(s->language));
    if (s->title[0])
        json_object_set_new(o, "Title", json_string(s->title));
    json_object_set_new(o, "IsDefault", json_boolean(s->is_default));
    json_object_set_new(o, "IsForced", json_boolean(s->is_forced));
    json_object_set_new(o, "IsHearingImpaired", json_boolean(s->is_hearing_impaired));
    json_object_set_new(o, "IsExternal", json_false());
    json_object_set_new(o, "IsInterlaced", json_false());
    if (s->bit_rate > 0)
        json_object_set_new(o, "BitRate", json_integer(s->bit_rate));
    if (s->profile[0])
        json_object_set_new(o, "Profile", json_string(s->profile));
    char display[400];
    if (s->type == CC_STREAM_VIDEO) {
        json_object_set_new(o, "Width", json_integer(s->width));
        json_object_set_new(o, "Height", json_integer(s->height));
        if (s->frame_rate > 0) {
            json_object_set_new(o, "AverageFrameRate", json_real(s->frame_rate));
            json_object_set_new(o, "RealFrameRate", json_real(s->frame_rate));
        }
        if (s->bit_depth)
            json_object_set_new(o, "BitDepth", json_integer(s->bit_depth));
        if (s->pix_fmt[0])
            json_object_set_new(o, "PixelFormat", json_string(s->pix_fmt));
        bool hdr = s->hdr[0] != '\0';
        json_object_set_new(o, "VideoRange", json_string(hdr ? "HDR" : "SDR"));
        json_object_set_new(o, "VideoRangeType", json_string(hdr ? s->hdr : "SDR"));
        snprintf(display, sizeof display, "%dp %s%s%s", s->height, s->codec, hdr ? " " : "",
                 s->hdr);
    } else if (s->type == CC_STREAM_AUDIO) {
        json_object_set_new(o, "Channels", json_integer(s->channels));
        json_object_set_new(o, "SampleRate", json_integer(s->sample_rate));
        if (s->channel_layout[0])
            json_object_set_new(o, "ChannelLayout", json_string(s->channel_layout));
        /* A commentary track says so in its title; clients show the title. */
        snprintf(display, sizeof display, "%s%s%s - %s", s->title, s->title[0] ? " - " : "",
                 language_name(s->language), s->codec);
    } else {
        snprintf(display, sizeof display, "%s%s%s", language_name(s->language),
                 s->is_forced ? " (forced)" : "", s->is_hearing_impaired ? " (SDH)" : "");
    }
    json_object_set_new(o, "DisplayTitle", json_string(display));
    return o;
}

/* A text subtitle's URL: WebVTT (or SubRip) from the core, signed for the file. */
static json_t *subtitle_url(jf_req *r, const char *file_guid, int index, const char *sig)
{
    char url[512];
    snprintf(url, sizeof url, "/Videos/%s/%s/Subtitles/%d/0/Stream.%s?sig=%s", file_guid, file_guid,
             index, r->subtitle_format ? r->subtitle_format : "vtt", sig);
    return json_string(url);
}

json_t *jf_dto_media_source(jf_req *r, int64_t item_id, const cc_file *file, const char *name,
                            bool direct, cu_err *err)
{
    (void)item_id;
    char fid[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_FILE, (uint64_t)file->id, fid);
    char sig[CS_SIG_MAX];
    cs_door_sign(r->req, file->id, sig);
    json_t *streams = json_array();
    int max_index = -1, default_audio = -1, default_sub = -1;
    int64_t bitrate = 0;
    for (size_t i = 0; i < file->stream_count; i++) {
        const cc_stream *s = &file->streams[i];
        if (s->attached_pic || (s->type != CC_STREAM_VIDEO && s->type != CC_STREAM_AUDIO &&
                                s->type != CC_STREAM_SUBTITLE))
            continue;
        json_t *o = stream_dto(s);
        if (s->index > max_index)
            max_index = s->index;
        bitrate += s->bit_rate;
        if (s->type == CC_STREAM_AUDIO && (default_audio < 0 || s->is_default))
            default_audio = default_audio < 0 || s->is_default ? s->index : default_audio;
        if (s->type == CC_STREAM_SUBTITLE) {
            bool text = cm_subtitle_kind(s->codec) == CM_SUB_TEXT;
            json_object_set_new(o, "IsTextSubtitleStream", json_boolean(text));
            json_object_set_new(o, "SupportsExternalStream", json_boolean(text));
            if (text) {
                json_object_set_new(o, "DeliveryMethod", json_string("External"));
                json_object_set_new(o, "DeliveryUrl", subtitle_url(r, fid, s->index, sig));
                json_object_set_new(o, "IsExternalUrl", json_false());
            }
            if (s->is_default && default_sub < 0)
                default_sub = s->index;
        }
        json_array_append_new(streams, o);
    }
    /* Sidecar subtitles follow the container's streams, as in Jellyfin. */
    cc_subtitle *subs = NULL;
    size_t nsubs = 0;
    if (cc_subtitle_list(r->db, file->id, &subs, &nsubs, err) < 0) {
        json_decref(streams);
        return NULL;
    }
    for (size_t i = 0; i < nsubs; i++) {
        const cc_subtitle *s = &subs[i];
        bool text = strcmp(s->format, "sup") && strcmp(s->format, "sub");
        int index = max_index + 1 + (int)i;
        json_t *o =
            json_pack("{s:s, s:i, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:s}", "Type", "Subtitle",
                      "Index", index, "Codec", s->format, "Language", s->language, "IsDefault",
                      s->is_default, "IsForced", s->is_forced, "IsHearingImpaired",
                      s->is_hearing_impaired, "IsExternal", 1, "IsTextSubtitleStream", text,
                      "SupportsExternalStream", text, "DisplayTitle", language_name(s->language));
        if (text) {
            json_object_set_new(o, "DeliveryMethod", json_string("External"));
            json_object_set_new(o, "DeliveryUrl", subtitle_url(r, fid, index, sig));
            json_object_set_new(o, "IsExternalUrl", json_false());
        }
        json_array_append_new(streams, o);
    }
    cc_subtitle_list_free(subs, nsubs);
    if (bitrate <= 0 && file->duration > 0)
        bitrate = (int64_t)((double)file->size * 8 / file->duration);
    json_t *src = json_object();
    json_object_set_new(src, "Protocol", json_string("File"));
    json_object_set_new(src, "Id", json_string(fid));
    json_object_set_new(src, "Type", json_string("Default"));
    json_object_set_new(src, "Container", json_string(file->container ? file->container : ""));
    json_object_set_new(src, "Size", json_integer(file->size));
    json_object_set_new(src, "Name", json_string(name));
    json_object_set_new(src, "IsRemote", json_false());
    json_object_set_new(src, "ETag", json_string(fid));
    json_object_set_new(src, "RunTimeTicks", json_integer((json_int_t)(file->duration * JF_TICKS)));
    json_object_set_new(src, "ReadAtNativeFramerate", json_false());
    json_object_set_new(src, "IgnoreDts", json_false());
    json_object_set_new(src, "IgnoreIndex", json_false());
    json_object_set_new(src, "GenPtsInput", json_false());
    json_object_set_new(src, "SupportsTranscoding", json_true());
    json_object_set_new(src, "SupportsDirectStream", json_boolean(direct));
    json_object_set_new(src, "SupportsDirectPlay", json_boolean(direct));
    json_object_set_new(src, "IsInfiniteStream", json_false());
    json_object_set_new(src, "RequiresOpening", json_false());
    json_object_set_new(src, "RequiresClosing", json_false());
    json_object_set_new(src, "RequiresLooping", json_false());
    json_object_set_new(src, "SupportsProbing", json_true());
    json_object_set_new(src, "VideoType", json_string("VideoFile"));
    json_object_set_new(src, "MediaStreams", streams);
    json_object_set_new(src, "MediaAttachments", json_array());
    json_object_set_new(src, "Formats", json_array());
    if (bitrate > 0)
        json_object_set_new(src, "Bitrate", json_integer(bitrate));
    json_object_set_new(src, "RequiredHttpHeaders", json_object());
    if (default_audio >= 0)
        json_object_set_new(src, "DefaultAudioStreamIndex", json_integer(default_audio));
    if (default_sub >= 0)
        json_object_set_new(src, "DefaultSubtitleStreamIndex", json_integer(default_sub));
    if (!direct) {
        /* Our HLS (fragmented MP4), under this door's URLs and signed for
         * this file: the player follows the playlists without a header. */
        char url[512];
        snprintf(url, sizeof url, "/Videos/%s/master.m3u8?MediaSourceId=%s&sig=%s", fid, fid, sig);
        json_object_set_new(src, "TranscodingUrl", json_string(url));
        json_object_set_new(src, "TranscodingSubProtocol", json_string("hls"));
        json_object_set_new(src, "TranscodingContainer", json_string("mp4"));
    }
    return src;
}
