/* fuzz_accept_encoding: Accept-Encoding values into a content coding
 * (cs_compress_pick). Checks its promises: the answer is one of the
 * codings offered or identity, the same input gives the same answer, and
 * a coding never offered is never chosen. */
#include "fuzz.h"
#include "server/cs_compress.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (!header)
        return 0;
    memcpy(header, data, size);
    header[size] = '\0'; /* as libmicrohttpd hands headers: terminated */
    const unsigned all = (1u << CS_ENCODING_GZIP) | (1u << CS_ENCODING_BR);
    for (unsigned offered = 0; offered <= all; offered += 2) {
        cs_encoding e = cs_compress_pick(header, offered);
        CHECK(e == CS_ENCODING_IDENTITY || (offered & (1u << e)));
        CHECK(cs_compress_pick(header, offered) == e);
    }
    free(header);
    return 0;
}
