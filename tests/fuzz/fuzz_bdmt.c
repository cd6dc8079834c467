/* fuzz_bdmt: any bytes as a Blu-ray disc library file (META/DL/bdmt_*.xml),
 * the one disc structure cinemateca parses itself (libbluray and libdvdread
 * parse the rest). Beyond memory errors it checks what cm_disc.h promises:
 * a name found is non-empty valid UTF-8 without control characters, fits
 * its buffer, and carries no leading or trailing space. */
#include "fuzz.h"
#include "media/cm_disc.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char name[40];
    memset(name, 'x', sizeof name);
    int rc = cm_disc_bdmt_name((const char *)data, size, name, sizeof name);
    size_t len = strnlen(name, sizeof name);
    CHECK(len < sizeof name);
    if (rc < 0) {
        CHECK(len == 0);
        return 0;
    }
    CHECK(len > 0 && cu_utf8_valid(name, len));
    for (size_t i = 0; i < len; i++)
        CHECK((unsigned char)name[i] >= 0x20 && name[i] != 0x7F);
    CHECK(name[0] != ' ' && name[len - 1] != ' ');
    return 0;
}
