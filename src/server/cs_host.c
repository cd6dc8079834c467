/* cs_host: the Host header check. */
#include "server/cs_host.h"
#include "util/cu_str.h"

#include <arpa/inet.h>
#include <string.h>

/* ":NNNN" at p (or nothing) against the expected port. */
static bool port_ok(const char *p, int port)
{
    if (*p == '\0')
        return port == 80;
    /* One to five digits, no leading zero: "8420", never "08420". */
    if (*p != ':' || p[1] < '1' || p[1] > '9')
        return false;
    long v = 0;
    int digits = 0;
    for (p++; *p; p++) {
        if (*p < '0' || *p > '9' || ++digits > 5)
            return false;
        v = v * 10 + (*p - '0');
    }
    return v == port;
}

bool cs_host_allowed(const cs_host_policy *policy, const char *host)
{
    if (!policy || !host)
        return false;
    size_t len = strnlen(host, CS_HOST_MAX + 1);
    if (len == 0 || len > CS_HOST_MAX)
        return false;
    char name[CS_HOST_MAX + 1];
    const char *rest;
    if (host[0] == '[') {
        const char *close = strchr(host, ']');
        if (!close || close - host - 1 >= (long)sizeof name)
            return false;
        memcpy(name, host + 1, (size_t)(close - host - 1));
        name[close - host - 1] = '\0';
        unsigned char addr[16];
        if (inet_pton(AF_INET6, name, addr) != 1)
            return false;
        return port_ok(close + 1, policy->port);
    }
    const char *colon = strchr(host, ':');
    size_t name_len = colon ? (size_t)(colon - host) : len;
    memcpy(name, host, name_len);
    name[name_len] = '\0';
    rest = host + name_len;
    if (!port_ok(rest, policy->port))
        return false;
    unsigned char addr[4];
    if (inet_pton(AF_INET, name, addr) == 1)
        return true;
    if (cu_str_eq_ci(name, "localhost"))
        return true;
    for (size_t i = 0; i < policy->name_count; i++)
        if (policy->names[i] && policy->names[i][0] && cu_str_eq_ci(name, policy->names[i]))
            return true;
    return false;
}
