/* fuzz_query: query strings (cs_query). Checks the bounds and that every
 * decoded key and value is terminated, non-empty (keys), valid UTF-8 and
 * free of control bytes; and the integer reader's range. */
#include "fuzz.h"
#include "server/cs_query.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_text(const cs_query *q, const char *s)
{
    CHECK(s >= q->storage && s < q->storage + sizeof q->storage);
    size_t len = strnlen(s, (size_t)(q->storage + sizeof q->storage - s));
    CHECK(s + len < q->storage + sizeof q->storage);
    CHECK(cu_utf8_valid(s, len));
    for (size_t i = 0; i < len; i++)
        CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *raw = malloc(size ? size : 1);
    cs_query *q = malloc(sizeof *q);
    if (!raw || !q) {
        free(raw);
        free(q);
        return 0;
    }
    memcpy(raw, data, size);
    int rc = cs_query_parse(raw, size, q);
    if (rc == 0) {
        CHECK(size <= CS_QUERY_MAX_LEN);
        CHECK(q->count <= CS_QUERY_MAX_PARAMS);
        for (size_t i = 0; i < q->count; i++) {
            check_text(q, q->params[i].key);
            check_text(q, q->params[i].value);
            CHECK(q->params[i].key[0] != '\0');
            CHECK(cs_query_get(q, q->params[i].key) != NULL);
            int64_t v = 12345;
            int r = cs_query_int(q, q->params[i].key, -50, 1000, &v);
            CHECK(r == 0 || r == 1 || r < 0);
            if (r == 1)
                CHECK(v >= -50 && v <= 1000);
        }
    } else {
        CHECK(rc < 0);
    }
    free(raw);
    free(q);
    return 0;
}
