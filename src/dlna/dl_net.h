/* dl_net: which interfaces DLNA speaks on and who may hear it. IPv4 only
 * (SSDP's multicast group 239.255.255.250 is IPv4; UPnP's IPv6 site-local
 * groups are not served). */
#ifndef DL_NET_H
#define DL_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

#define DL_NET_MAX_IFACES 16
#define DL_NET_MAX_NETS 32

typedef struct dl_subnet {
    uint32_t addr, mask; /* host byte order */
} dl_subnet;

typedef struct dl_iface {
    char name[32];
    unsigned index;
    struct in_addr addr; /* where LOCATION points and NOTIFYs leave from */
    dl_subnet net;
} dl_iface;

/* "10.0.0.0/8", "192.168.1.7" (a /32); 0 or CU_EPARSE. */
int dl_subnet_parse(const char *s, dl_subnet *out);
bool dl_subnet_contains(const dl_subnet *net, uint32_t addr_host_order);

/* The interfaces that carry the listen address (an IPv4 address, or
 * 0.0.0.0 for every interface that is up and not loopback; a loopback
 * address gives the loopback interface). CU_ENOTFOUND when none. */
int dl_net_ifaces(const char *listen_addr, dl_iface *out, size_t max, size_t *count, cu_err *err);

#endif
