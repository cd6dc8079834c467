/* fuzz_jf_authz: Jellyfin's MediaBrowser/Emby authorization header
 * (jf_authz). Whatever it accepts fits its fields, holds no control byte,
 * and parses the same way twice. */
#include "fuzz.h"
#include "jellyfin/jf_authz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_field(const char *v)
{
    size_t n = strnlen(v, JF_AUTHZ_VALUE_MAX);
    CHECK(n < JF_AUTHZ_VALUE_MAX);
    for (size_t i = 0; i < n; i++)
        CHECK((unsigned char)v[i] >= 0x20 && v[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (!header)
        return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    jf_authz a, b;
    int rc = jf_authz_parse(header, &a);
    if (rc == 0) {
        check_field(a.client);
        check_field(a.device);
        check_field(a.device_id);
        check_field(a.version);
        check_field(a.token);
        CHECK(jf_authz_parse(header, &b) == 0);
        CHECK(!memcmp(&a, &b, sizeof a));
    }
    free(header);
    return 0;
}
