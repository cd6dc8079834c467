/* fuzz_edition: any bytes as a folder name and a file stem (split at the
 * first newline) for cl_edition. Beyond memory errors it checks what
 * cl_edition.h promises: every string is valid UTF-8 and fits, the part is
 * 0..99, and the display form fits its buffer. */
#include "fuzz.h"
#include "library/cl_edition.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *stem = strchr(copy, '\n');
    const char *folder = copy;
    if (stem)
        *stem++ = '\0';
    else
        stem = copy, folder = "";
    cl_edition e;
    cl_edition_from_name(folder, stem, &e);
    CHECK(strlen(e.edition) < CL_EDITION_MAX && cu_utf8_valid(e.edition, strlen(e.edition)));
    CHECK(strlen(e.version) < CL_EDITION_MAX && cu_utf8_valid(e.version, strlen(e.version)));
    CHECK(e.part >= 0 && e.part <= 99);
    char shown[48];
    size_t n = cl_edition_display(&e, shown, sizeof shown);
    CHECK(n < sizeof shown && strlen(shown) == n);
    cl_edition_from_label(stem, &e);
    CHECK(strlen(e.edition) < CL_EDITION_MAX && strlen(e.version) < CL_EDITION_MAX);
    free(copy);
    return 0;
}
