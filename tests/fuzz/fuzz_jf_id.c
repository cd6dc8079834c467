/* fuzz_jf_id: Jellyfin item ids (jf_id). An id it accepts is written back
 * the same (up to case and dashes), and every id it writes it reads. */
#include "fuzz.h"
#include "jellyfin/jf_id.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jf_id_kind kind;
    uint64_t id;
    if (jf_id_parse((const char *)data, size, &kind, &id) == 0) {
        char out[JF_ID_CHARS + 1];
        jf_id_make(kind, id, out);
        size_t n = 0;
        for (size_t i = 0; i < size; i++) {
            if (data[i] == '-')
                continue;
            CHECK(n < JF_ID_CHARS && tolower(data[i]) == out[n]);
            n++;
        }
        CHECK(n == JF_ID_CHARS);
    }
    /* Round trip of a value made from the input. */
    uint64_t x = 0;
    for (size_t i = 0; i < size && i < 8; i++)
        x = x << 8 | data[i];
    char out[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_FILM, x, out);
    CHECK(strlen(out) == JF_ID_CHARS);
    CHECK(jf_id_parse(out, JF_ID_CHARS, &kind, &id) == 0 && kind == JF_ID_FILM && id == x);
    return 0;
}
