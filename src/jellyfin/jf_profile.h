/* jf_profile: what a client's DeviceProfile (sent with PlaybackInfo) says
 * about one file: whether one of its DirectPlayProfiles takes the file's
 * container, video codec and audio codec as they are. Pure; fuzzed
 * (tests/fuzz/fuzz_jf_profile.c) on the JSON a client sends. */
#ifndef JF_PROFILE_H
#define JF_PROFILE_H

#include <jansson.h>
#include <stdbool.h>

/* profile: the DeviceProfile object (NULL or not an object: no profile,
 * so direct play is assumed, as Jellyfin does). video or audio NULL or
 * "": the file has none. */
bool jf_profile_direct(const json_t *profile, const char *container, const char *video,
                       const char *audio);

/* The text subtitle format a client takes as a separate file: "vtt"
 * unless its SubtitleProfiles list External "srt" (or "subrip") and not
 * External "vtt" (or "webvtt"). */
const char *jf_profile_subtitle_format(const json_t *profile);

/* Whether a comma-separated list (Jellyfin's "mkv,mp4" form) names value,
 * allowing the usual aliases (mp4/m4v/mov, hevc/h265, h264/avc,
 * mkv/matroska/webm). An empty or missing list takes anything. */
bool jf_profile_list_has(const char *list, const char *value);

#endif
