/* fuzz_image: image headers (cm_image_dimensions), read from a file's
 * first bytes before anything decodes it. Beyond memory errors it checks
 * what the function promises: a size is positive whenever it succeeds. */
#include "fuzz.h"
#include "media/cm_media.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int w = -1, h = -1;
    cu_err err = {0};
    if (cm_image_dimensions(data, size, &w, &h, &err) == 0)
        CHECK(w > 0 && h > 0);
    else
        CHECK(err.code == CU_EPARSE && err.msg[0]);
    return 0;
}
