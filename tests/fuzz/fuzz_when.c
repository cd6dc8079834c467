/* fuzz_when: the times people type for shares (cu_when_parse) and clip
 * times (cu_when_clock_ms), from the CLI and from API bodies. Beyond
 * memory errors it checks what the parsers promise: an accepted time is
 * never before 1970, an accepted clock time is never negative, and the
 * formatted forms parse back to the same value. */
#include "fuzz.h"
#include "util/cu_when.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const int64_t now = 1800000000;
    int64_t t = 0;
    if (cu_when_parse(text, now, &t) == 0) {
        if (t < 0)
            abort();
        char iso[32];
        cu_when_format(t, iso, sizeof iso);
        int64_t back = -1;
        if (t < 253402300800LL && (cu_when_parse(iso, now, &back) != 0 || back != t))
            abort();
    }
    int64_t ms = 0;
    if (cu_when_clock_ms(text, &ms) == 0) {
        if (ms < 0)
            abort();
        char clock[32];
        cu_when_format_clock(ms, clock, sizeof clock);
        int64_t back = -1;
        if (cu_when_clock_ms(clock, &back) != 0 || back != ms)
            abort();
    }
    free(text);
    return 0;
}
