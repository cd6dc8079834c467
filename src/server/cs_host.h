/* cs_host: which Host headers the server answers (the defence against DNS
 * rebinding: a hostile page whose name resolves to 127.0.0.1 sends its own
 * name as Host, and is refused). Pure, fuzzed (tests/fuzz/fuzz_host.c). */
#ifndef CS_HOST_H
#define CS_HOST_H

#include <stdbool.h>
#include <stddef.h>

/* Longest Host value looked at; longer ones are refused. */
#define CS_HOST_MAX 255

typedef struct cs_host_policy {
    int port;                 /* the port the server listens on */
    const char *const *names; /* extra names allowed (--allow-host), any case */
    size_t name_count;
} cs_host_policy;

/* Allowed: an IP literal (IPv4 dotted quad or a bracketed IPv6 address:
 * naming an address cannot be a rebinding), "localhost", or one of the
 * policy's names; followed by ":port" equal to the listen port (decimal,
 * no leading zero), or no port when that port is 80. Anything else (other names, other ports, junk,
 * NULL) is refused. */
bool cs_host_allowed(const cs_host_policy *policy, const char *host);

#endif
