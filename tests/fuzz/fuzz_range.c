/* fuzz_range: Range, If-Range, If-None-Match and HTTP dates (cs_range).
 * The first 8 bytes pick the representation size; the rest, split at the
 * first NUL, is a header value and an entity tag. Beyond memory errors it
 * checks what the header promises: a partial range lies inside the file. */
#include "fuzz.h"
#include "server/cs_range.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t file_size = 0;
    if (size >= 8) {
        uint64_t v;
        memcpy(&v, data, 8);
        file_size = (int64_t)(v >> 1); /* never negative */
        if (data[0] & 1)
            file_size %= 100000; /* small sizes often, to reach the edges */
        data += 8;
        size -= 8;
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t first_len = strlen(text);
    const char *etag = first_len < size ? text + first_len + 1 : "\"x\"";

    int64_t first = -1, last = -1;
    cs_range_result r = cs_range_parse(text, file_size, &first, &last);
    CHECK(r == CS_RANGE_NONE || r == CS_RANGE_PARTIAL || r == CS_RANGE_UNSATISFIABLE);
    if (r == CS_RANGE_PARTIAL)
        CHECK(0 <= first && first <= last && last < file_size);
    if (file_size == 0)
        CHECK(r != CS_RANGE_PARTIAL);

    /* A list always matches the tag it was made of. */
    cs_etag_list_matches(text, etag);
    cs_if_range_matches(text, etag, (time_t)(file_size % 4102444800));
    time_t t = cs_http_date_parse(text);
    if (t >= 0) {
        char back[40];
        cs_http_date_format(t, back, sizeof back);
        CHECK(cs_http_date_parse(back) == t);
        CHECK(cs_if_range_matches(back, NULL, t));
    }
    const char *closing = etag[0] == '"' ? strchr(etag + 1, '"') : NULL;
    if (closing && closing[1] == '\0' && strlen(etag) < 100) {
        CHECK(cs_etag_list_matches(etag, etag));
        CHECK(cs_if_range_matches(etag, etag, 0));
    }
    free(text);
    return 0;
}
