/* fuzz_hls_index: keyframe index files (read back from the cache folder,
 * where anything may have been written) into cm_keyframes, then the
 * segment plan and the media playlist made from them. Checks what the
 * header promises: a parsed index is ordered and ends after its last
 * keyframe, a plan (cut on keyframes or at times) covers it with ordered
 * segments, and saving it again gives the same bytes. */
#include "fuzz.h"
#include "media/cm_hls.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cm_keyframes *kf = NULL;
    cu_err err = {0};
    if (cm_keyframes_parse(data, size, &kf, &err) < 0) {
        CHECK(kf == NULL);
        return 0;
    }
    CHECK(kf && kf->count >= 1 && kf->count <= CM_KEYFRAMES_MAX);
    for (size_t i = 1; i < kf->count; i++)
        CHECK(kf->pts[i] > kf->pts[i - 1]);
    CHECK(kf->end > kf->pts[kf->count - 1]);

    uint8_t *again = NULL;
    size_t len = 0;
    CHECK(cm_keyframes_serialize(kf, &again, &len) == 0);
    CHECK(len == size && memcmp(again, data, size) == 0);
    free(again);

    for (int timed = 0; timed < 2; timed++) {
        cm_hls_plan *plan = NULL;
        int rc = timed ? cm_hls_plan_new_timed(kf, 4.0, 2.0, 2, &plan, &err)
                       : cm_hls_plan_new_ramp(kf, 6.0, 2.0, 2, &plan, &err);
        if (rc == 0) {
            CHECK(plan->count >= 1 && (timed || plan->count <= kf->count));
            CHECK(plan->segments[0].start == kf->pts[0]);
            CHECK(plan->segments[plan->count - 1].end == kf->end);
            for (size_t i = 0; i < plan->count; i++) {
                CHECK(plan->segments[i].end > plan->segments[i].start);
                if (i)
                    CHECK(plan->segments[i].start == plan->segments[i - 1].end);
            }
            char *m3u8 = cm_hls_media_playlist(plan, "init.mp4", "seg-", ".m4s");
            CHECK(m3u8 && strstr(m3u8, "#EXT-X-ENDLIST\n"));
            free(m3u8);
            cm_hls_plan_free(plan);
        }
    }
    cm_keyframes_free(kf);
    return 0;
}
