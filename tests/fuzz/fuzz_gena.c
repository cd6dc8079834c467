/* fuzz_gena: the GENA header values a subscriber sends (dl_gena_msg):
 * CALLBACK, TIMEOUT, SID. Beyond memory errors: an accepted callback is
 * at the peer's address, with a port and a path of printable characters
 * starting with '/'; a granted timeout is within its bounds. */
#include "dlna/dl_gena_msg.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PEER 0x0ae70002u /* 10.231.0.2 */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0'; /* a header value as libmicrohttpd gives it */
    dl_gena_url url;
    if (dl_gena_callback_parse(s, PEER, &url) == 0) {
        CHECK(url.addr == PEER);
        CHECK(url.port > 0);
        size_t n = strnlen(url.path, sizeof url.path);
        CHECK(n > 0 && n < sizeof url.path && url.path[0] == '/');
        for (size_t i = 0; i < n; i++)
            CHECK((unsigned char)url.path[i] > 0x20 && (unsigned char)url.path[i] < 0x7f);
    }
    int t = dl_gena_timeout_parse(s);
    CHECK(t == -1 || (t >= DL_GENA_TIMEOUT_MIN && t <= DL_GENA_TIMEOUT_MAX));
    if (dl_gena_sid_ok(s))
        CHECK(strncmp(s, "uuid:", 5) == 0 && size > 5 && size <= 69);
    free(s);
    return 0;
}
