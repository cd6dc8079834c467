/* fuzz_extras: file and folder names into cl_extras. Checks that every
 * type returned is in the vocabulary and that outputs stay bounded and
 * valid UTF-8, besides memory errors under ASan. */
#include "fuzz.h"
#include "library/cl_extras.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';

    const char *type = cl_extras_folder_type(name);
    CHECK(!type || cl_extras_type_valid(type));

    char base[512];
    type = cl_extras_suffix_type(name, base, sizeof base);
    if (type) {
        CHECK(cl_extras_type_valid(type));
        size_t blen = strnlen(base, sizeof base);
        CHECK(blen < sizeof base && memcmp(base, name, blen) == 0);
    }
    char tiny[2];
    type = cl_extras_suffix_type(name, tiny, sizeof tiny);
    CHECK(!type || strnlen(tiny, sizeof tiny) < sizeof tiny);

    cl_extras_type_valid(name);

    static const int sizes[] = {1, 2, 5, 64, 512};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        /* Exact-size heap buffers, so a one-byte overflow is an ASan error. */
        char *title = malloc((size_t)sizes[i]);
        if (!title)
            break;
        cl_extras_title(name, title, sizes[i]);
        size_t tlen = strnlen(title, (size_t)sizes[i]);
        CHECK(tlen < (size_t)sizes[i]);
        CHECK(cu_utf8_valid(title, tlen));
        CHECK(tlen == 0 || (title[0] != ' ' && title[tlen - 1] != ' '));
        free(title);
    }

    free(name);
    return 0;
}
