/* fuzz_url: request targets into routes (cs_router). Checks the router's
 * promises: a routed path is valid UTF-8, starts with '/', holds no
 * backslash, control byte, "." or ".." segment, and ids are positive. */
#include "fuzz.h"
#include "server/cs_router.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, not terminated: the router takes a length. */
    char *target = malloc(size ? size : 1);
    if (!target)
        return 0;
    memcpy(target, data, size);
    cs_route r;
    cs_route_parse(target, size, &r);
    if (r.kind == CS_ROUTE_BAD || r.kind == CS_ROUTE_TOO_LONG) {
        CHECK(r.path[0] == '\0');
    } else {
        size_t len = strnlen(r.path, sizeof r.path);
        CHECK(len < sizeof r.path);
        CHECK(r.path[0] == '/');
        CHECK(cu_utf8_valid(r.path, len));
        CHECK(!strchr(r.path, '\\'));
        CHECK(!strstr(r.path, "/../") && !strstr(r.path, "/./"));
        CHECK(!(len >= 3 && !strcmp(r.path + len - 3, "/..")));
        CHECK(!(len >= 2 && !strcmp(r.path + len - 2, "/.")));
        for (size_t i = 0; i < len; i++)
            CHECK((unsigned char)r.path[i] >= 0x20 && r.path[i] != 0x7f);
        if (r.query) {
            CHECK(r.query > target && r.query <= target + size);
            CHECK(r.query + r.query_len == target + size);
        }
    }
    switch (r.kind) {
    case CS_ROUTE_FILM:
    case CS_ROUTE_FILM_POSTER:
    case CS_ROUTE_FILM_BACKDROP:
    case CS_ROUTE_PERSON:
    case CS_ROUTE_EXTRA:
    case CS_ROUTE_FILE_STREAM:
    case CS_ROUTE_FILE_HLS: CHECK(r.id > 0); break;
    default: CHECK(r.id == 0);
    }
    free(target);
    return 0;
}
