/* fuzz_jf_profile: a client's DeviceProfile (JSON, as PlaybackInfo gets
 * it) judged against a few files (jf_profile): never a crash, and the
 * same answer twice. */
#include "fuzz.h"

#include <string.h>
#include "jellyfin/jf_profile.h"

#include <jansson.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t e;
    json_t *profile = json_loadb((const char *)data, size, 0, &e);
    static const char *const files[][3] = {
        {"mkv", "h264", "aac"},
        {"mp4", "hevc", "eac3"},
        {"avi", "mpeg4", NULL},
        {"ts", "", "ac3"},
    };
    for (size_t i = 0; i < 4; i++) {
        bool a = jf_profile_direct(profile, files[i][0], files[i][1], files[i][2]);
        bool b = jf_profile_direct(profile, files[i][0], files[i][1], files[i][2]);
        CHECK(a == b);
    }
    /* The subtitle format is one of the two we serve, whatever was sent. */
    const char *sub = jf_profile_subtitle_format(profile);
    CHECK(!strcmp(sub, "vtt") || !strcmp(sub, "srt"));
    if (profile) {
        const json_t *dp = json_object_get(profile, "DirectPlayProfiles");
        const json_t *first = json_array_get(dp, 0);
        const char *list = json_string_value(json_object_get(first, "Container"));
        if (list)
            (void)jf_profile_list_has(list, "mkv");
    }
    json_decref(profile);
    return 0;
}
