/* dl_net: CIDR subnets and the interfaces of the listen address. */
#include "dlna/dl_net.h"
#include "util/cu_str.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

int dl_subnet_parse(const char *s, dl_subnet *out)
{
    char addr[INET_ADDRSTRLEN];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof addr)
        return CU_EPARSE;
    memcpy(addr, s, n);
    addr[n] = '\0';
    struct in_addr in;
    if (inet_pton(AF_INET, addr, &in) != 1)
        return CU_EPARSE;
    long bits = 32;
    if (slash) {
        char *end;
        bits = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end || bits < 0 || bits > 32)
            return CU_EPARSE;
    }
    out->mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
    out->addr = ntohl(in.s_addr) & out->mask;
    return 0;
}

bool dl_subnet_contains(const dl_subnet *net, uint32_t addr)
{
    return (addr & net->mask) == net->addr;
}

int dl_net_ifaces(const char *listen_addr, dl_iface *out, size_t max, size_t *count, cu_err *err)
{
    *count = 0;
    struct in_addr want;
    if (inet_pton(AF_INET, listen_addr, &want) != 1)
        return cu_err_set(err, CU_EINVAL, "DLNA needs an IPv4 listen address (%s is not one)",
                          listen_addr);
    bool any = want.s_addr == htonl(INADDR_ANY);
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) < 0)
        return cu_err_set(err, CU_EINVAL, "cannot list network interfaces");
    for (struct ifaddrs *i = list; i && *count < max; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP))
            continue;
        struct in_addr a = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
        if (any ? (i->ifa_flags & IFF_LOOPBACK) != 0 : a.s_addr != want.s_addr)
            continue;
        dl_iface *f = &out[(*count)++];
        memset(f, 0, sizeof *f);
        cu_strlcpy(f->name, i->ifa_name, sizeof f->name);
        f->index = if_nametoindex(i->ifa_name);
        f->addr = a;
        uint32_t mask = i->ifa_netmask
                            ? ntohl(((struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr)
                            : 0xffffffffu;
        f->net.mask = mask;
        f->net.addr = ntohl(a.s_addr) & mask;
    }
    freeifaddrs(list);
    if (*count == 0)
        return cu_err_set(err, CU_ENOTFOUND, "no network interface has the address %s",
                          listen_addr);
    return 0;
}
