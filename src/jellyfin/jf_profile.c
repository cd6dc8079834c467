/* jf_profile: DeviceProfile direct-play decisions (jf_profile.h). */
#include "jellyfin/jf_profile.h"

#include <string.h>
#include <strings.h>

/* Names one thing goes by; each group's first name is canonical. */
static const char *const aliases[][4] = {
    {"mp4", "m4v", "mov", NULL},         {"mkv", "matroska", NULL, NULL},
    {"hevc", "h265", NULL, NULL},        {"h264", "avc", NULL, NULL},
    {"mpeg2video", "mpeg2", NULL, NULL}, {"ts", "mpegts", "m2ts", NULL},
};

static int group_of(const char *s, size_t n)
{
    for (size_t g = 0; g < sizeof aliases / sizeof aliases[0]; g++)
        for (size_t i = 0; i < 4 && aliases[g][i]; i++)
            if (strlen(aliases[g][i]) == n && !strncasecmp(aliases[g][i], s, n))
                return (int)g;
    return -1;
}

bool jf_profile_list_has(const char *list, const char *value)
{
    if (!list || !*list)
        return true;
    if (!value || !*value)
        return false;
    size_t vlen = strlen(value);
    int vgroup = group_of(value, vlen);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m > 0 && p[m - 1] == ' ')
            m--;
        if (m &&
            ((m == vlen && !strncasecmp(p, value, m)) || (vgroup >= 0 && group_of(p, m) == vgroup)))
            return true;
        p += n;
    }
    return false;
}

bool jf_profile_direct(const json_t *profile, const char *container, const char *video,
                       const char *audio)
{
    if (!json_is_object(profile))
        return true;
    const json_t *list = json_object_get(profile, "DirectPlayProfiles");
    if (!json_is_array(list))
        return false;
    size_t i;
    const json_t *p;
    json_array_foreach(list, i, p)
    {
        if (i >= 256) /* bounded: no client sends more */
            break;
        if (!json_is_object(p))
            continue;
        const char *type = json_string_value(json_object_get(p, "Type"));
        if (type && strcasecmp(type, "Video"))
            continue;
        const char *c = json_string_value(json_object_get(p, "Container"));
        const char *v = json_string_value(json_object_get(p, "VideoCodec"));
        const char *a = json_string_value(json_object_get(p, "AudioCodec"));
        if (!jf_profile_list_has(c, container))
            continue;
        if (video && *video && !jf_profile_list_has(v, video))
            continue;
        if (audio && *audio && !jf_profile_list_has(a, audio))
            continue;
        return true;
    }
    return false;
}

const char *jf_profile_subtitle_format(const json_t *profile)
{
    const json_t *list = json_object_get(profile, "SubtitleProfiles");
    bool srt = false, vtt = false;
    size_t i;
    const json_t *p;
    if (json_is_array(list))
        json_array_foreach(list, i, p)
        {
            const char *format = json_string_value(json_object_get(p, "Format"));
            const char *method = json_string_value(json_object_get(p, "Method"));
            if (!format || !method || strcasecmp(method, "External"))
                continue;
            if (!strcasecmp(format, "srt") || !strcasecmp(format, "subrip"))
                srt = true;
            if (!strcasecmp(format, "vtt") || !strcasecmp(format, "webvtt"))
                vtt = true;
        }
    return srt && !vtt ? "srt" : "vtt";
}
