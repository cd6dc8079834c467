/* dl_ssdp_msg: SSDP datagrams (HTTP over UDP, UPnP Device Architecture
 * 1.1 section 1): parsing an M-SEARCH, and deciding which of our search
 * targets it asks for. Pure, no allocation, fuzzed
 * (tests/fuzz/fuzz_ssdp.c). Anything else that arrives (NOTIFY from other
 * devices, responses, junk) parses as "not a search" and is ignored. */
#ifndef DL_SSDP_MSG_H
#define DL_SSDP_MSG_H

#include <stdbool.h>
#include <stddef.h>

#define DL_SSDP_MAX 2048 /* longer datagrams are ignored */
#define DL_SSDP_ST_MAX 256

typedef struct dl_msearch {
    char st[DL_SSDP_ST_MAX]; /* the search target */
    int mx;                  /* seconds, 1..5 after clamping; 0 when absent */
} dl_msearch;

/* 0 for a well-formed M-SEARCH ("M-SEARCH * HTTP/1.1", MAN:
 * "ssdp:discover", an ST); CU_EPARSE for anything else. A multicast search
 * without MX is refused by the caller, as the spec asks. */
int dl_ssdp_parse_msearch(const char *buf, size_t len, dl_msearch *out);

/* Our targets, in the order announced. */
#define DL_SSDP_TARGETS 5
/* The NT/ST value of target i (uuid is "uuid:..."). */
const char *dl_ssdp_target(int i, const char *uuid);
/* Which targets st asks for: a bit per target (0 when none). A device or
 * service type matches our version or an older one. */
unsigned dl_ssdp_match(const char *st, const char *uuid);

#endif
