/* fuzz_prehead: bytes read from a connection, as cs_prehead scans them
 * before libmicrohttpd. Checks that a scan never reads past its input,
 * answers only 0, 400 or 413, and that cutting the bytes in two reads
 * changes nothing (a head arrives in any number of pieces). */
#include "fuzz.h"
#include "server/cs_prehead.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int whole = cs_prehead_check((const char *)data, size, size);
    CHECK(whole == 0 || whole == 400 || whole == 413);
    /* A copy of exactly size bytes: ASan sees any read past the end. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    for (size_t cut = 0; cut <= size && cut < 64; cut++)
        CHECK(cs_prehead_check(copy, size, cut) == whole);
    CHECK(cs_prehead_check(copy, size, size / 2) == whole);
    free(copy);
    return 0;
}
