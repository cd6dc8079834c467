/* fuzz_host: Host header values against a policy (cs_host). Checks that
 * only the listen port, IP literals, localhost and the configured names
 * ever pass. */
#include "fuzz.h"
#include "server/cs_host.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *host = malloc(size + 1);
    if (!host)
        return 0;
    memcpy(host, data, size);
    host[size] = '\0';
    static const char *const names[] = {"cinemateca.lan", "films.example"};
    cs_host_policy policy = {.port = 8420, .names = names, .name_count = 2};
    if (cs_host_allowed(&policy, host)) {
        /* Whatever passed names our port, and has no byte a name or an
         * address cannot have. */
        const char *port = strrchr(host, ':');
        CHECK(port && !strcmp(port, ":8420"));
        CHECK(strlen(host) <= CS_HOST_MAX);
        for (const char *p = host; *p; p++)
            CHECK(*p > ' ' && *p != '/' && *p != '@' && *p != '#' && *p != '?');
    }
    cs_host_policy on80 = {.port = 80};
    if (cs_host_allowed(&on80, host))
        CHECK(strncasecmp(host, "cinemateca.lan", 14) != 0);
    free(host);
    return 0;
}
