/* fuzz_cookie: Cookie and Authorization headers (cs_cookie). Whatever is
 * found is a non-empty, bounded run of bytes a cookie value or a token68
 * may hold, and it occurs in the header. */
#include "fuzz.h"
#include "server/cs_cookie.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (!header)
        return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    char value[64];
    if (cs_cookie_find(header, CS_SESSION_COOKIE, value, sizeof value)) {
        size_t n = strlen(value);
        CHECK(n > 0 && n < sizeof value);
        CHECK(strstr(header, value) != NULL);
        for (const char *p = value; *p; p++)
            CHECK(*p > ' ' && *p < 0x7f && *p != ';' && *p != ',' && *p != '"' && *p != '\\');
    }
    if (cs_bearer_token(header, value, sizeof value)) {
        size_t n = strlen(value);
        CHECK(n > 0 && n < sizeof value);
        CHECK(strstr(header, value) != NULL);
        for (const char *p = value; *p; p++)
            CHECK(*p > ' ' && *p < 0x7f && *p != ';' && *p != '"');
    }
    /* A tiny buffer never overflows. */
    char tiny[2];
    if (cs_cookie_find(header, "a", tiny, sizeof tiny))
        CHECK(strlen(tiny) == 1);
    free(header);
    return 0;
}
