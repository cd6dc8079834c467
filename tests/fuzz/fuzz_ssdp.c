/* fuzz_ssdp: SSDP datagrams (dl_ssdp_parse_msearch) and search-target
 * matching (dl_ssdp_match). Beyond memory errors: a parsed search has a
 * non-empty, terminated ST and an MX within 0..5, and matching never names
 * a target we do not have. */
#include "dlna/dl_ssdp_msg.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly the datagram's bytes, not terminated (as recvmsg gives them
     * before the caller adds one). */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    dl_msearch ms;
    if (dl_ssdp_parse_msearch(buf, size, &ms) == 0) {
        size_t n = strnlen(ms.st, sizeof ms.st);
        CHECK(n > 0 && n < sizeof ms.st);
        CHECK(ms.mx >= 0 && ms.mx <= 5);
        unsigned m = dl_ssdp_match(ms.st, "uuid:00000000-0000-5000-8000-000000000000");
        CHECK((m >> DL_SSDP_TARGETS) == 0);
    }
    free(buf);
    return 0;
}
