/* fuzz_npt: the TimeSeekRange.dlna.org header (dl_npt_parse). Beyond
 * memory errors: a parsed range starts at a finite time >= 0 and ends
 * after it, or is open (-1). */
#include "dlna/dl_npt.h"
#include "fuzz.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0'; /* a header value as libmicrohttpd gives it */
    double from, to;
    if (dl_npt_parse(s, &from, &to)) {
        CHECK(isfinite(from) && from >= 0);
        CHECK(to == -1 || (isfinite(to) && to > from));
    }
    free(s);
    return 0;
}
