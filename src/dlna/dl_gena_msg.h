/* dl_gena_msg: the header values of GENA requests (UPnP Device
 * Architecture 1.0 section 4: SUBSCRIBE, renewal, UNSUBSCRIBE) as a
 * control point sends them: CALLBACK, TIMEOUT and SID. Pure, no
 * allocation, fuzzed (tests/fuzz/fuzz_gena.c).
 *
 * CALLBACK is where this server will later connect and send NOTIFYs, so it
 * is the CallStranger (CVE-2020-12695) surface: a callback is accepted
 * only as a plain http:// URL whose host is an IPv4 literal equal to the
 * subscriber's own address (no names, so nothing is looked up, and no
 * other host, so a subscriber cannot aim our NOTIFYs at a third party). */
#ifndef DL_GENA_MSG_H
#define DL_GENA_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DL_GENA_CALLBACK_MAX 1024 /* a longer CALLBACK value is refused */
#define DL_GENA_PATH_MAX 256      /* a longer callback path is refused */
#define DL_GENA_TIMEOUT_MAX 1800  /* seconds: what "Second-infinite" and more become */
#define DL_GENA_TIMEOUT_MIN 60    /* seconds: shorter ones are raised to it */

typedef struct dl_gena_url {
    uint32_t addr; /* IPv4, host byte order */
    uint16_t port;
    char path[DL_GENA_PATH_MAX]; /* "/" at least; printable ASCII, no spaces */
} dl_gena_url;

/* CALLBACK: one or more "<http://a.b.c.d[:port]/path>"; the first is
 * taken, and every one listed must be at peer (host byte order).
 * 0; CU_EPARSE for a malformed value or a scheme other than http;
 * CU_EINVAL for a host other than peer (a name, or another address). */
int dl_gena_callback_parse(const char *value, uint32_t peer, dl_gena_url *out);

/* TIMEOUT: "Second-N" or "Second-infinite" (case-insensitive), NULL for
 * none: the seconds granted, within DL_GENA_TIMEOUT_MIN..MAX; -1 for a
 * malformed value. */
int dl_gena_timeout_parse(const char *value);

/* SID: "uuid:" and 1..64 characters of [0-9a-zA-Z-]; false otherwise. */
bool dl_gena_sid_ok(const char *value);

#endif
