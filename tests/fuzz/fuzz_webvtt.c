/* fuzz_webvtt: subtitle text (ASS events and plain text, as libavcodec's
 * decoders hand them over from files we do not control) into WebVTT cue
 * text (sidecar names: fuzz_name). Beyond memory errors it
 * checks what the header promises for a cue: valid UTF-8, no blank line
 * (which would end the cue early), no raw '<', '>' or "-->", every '&'
 * starting an entity. */
#include "fuzz.h"
#include "media/cm_hls.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_cue(const char *s, size_t len)
{
    CHECK(strlen(s) == len);
    CHECK(cu_utf8_valid(s, len));
    CHECK(!strstr(s, "\n\n"));
    CHECK(len == 0 || (s[0] != '\n' && s[len - 1] != '\n'));
    CHECK(!strchr(s, '<') && !strchr(s, '>') && !strchr(s, '\r'));
    for (const char *amp = strchr(s, '&'); amp; amp = strchr(amp + 1, '&'))
        CHECK(!strncmp(amp, "&amp;", 5) || !strncmp(amp, "&lt;", 4) || !strncmp(amp, "&gt;", 4));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    for (int as_event = 0; as_event < 2; as_event++) {
        cu_buf out = CU_BUF_INIT;
        size_t n = cm_subtitle_ass_to_vtt(text, size, as_event, &out);
        CHECK(n == out.len);
        check_cue(cu_buf_str(&out), out.len);
        cu_buf_free(&out);
    }

    return 0;
}
