/* dl_gena_msg: see dl_gena_msg.h. */
#include "dlna/dl_gena_msg.h"
#include "util/cu_err.h"
#include "util/cu_str.h"

#include <string.h>
#include <strings.h>

/* A dotted quad with no leading zeros in a part of several digits (an
 * octal-looking "010" is refused, not guessed at): the length used, 0 on
 * failure. */
static size_t parse_ipv4(const char *s, uint32_t *out)
{
    uint32_t addr = 0;
    size_t at = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (s[at] != '.')
                return 0;
            at++;
        }
        unsigned v = 0;
        size_t digits = 0;
        while (s[at] >= '0' && s[at] <= '9') {
            if (++digits > 3 || (digits == 2 && v == 0))
                return 0;
            v = v * 10 + (unsigned)(s[at++] - '0');
        }
        if (digits == 0 || v > 255)
            return 0;
        addr = addr << 8 | v;
    }
    *out = addr;
    return at;
}

/* One "<...>" at s: 0 with *out filled, or an error; *end after the '>'. */
static int parse_one(const char *s, uint32_t peer, dl_gena_url *out, const char **end)
{
    if (*s != '<')
        return CU_EPARSE;
    s++;
    if (!cu_str_has_prefix(s, "http://"))
        return CU_EPARSE;
    s += 7;
    uint32_t addr;
    size_t n = parse_ipv4(s, &addr);
    if (n == 0) {
        /* A name, an IPv6 literal or junk: never looked up or contacted. */
        size_t len = strcspn(s, ":/>");
        return len > 0 && s[len] ? CU_EINVAL : CU_EPARSE;
    }
    s += n;
    unsigned port = 80;
    if (*s == ':') {
        s++;
        port = 0;
        size_t digits = 0;
        while (*s >= '0' && *s <= '9') {
            if (++digits > 5)
                return CU_EPARSE;
            port = port * 10 + (unsigned)(*s++ - '0');
        }
        if (digits == 0 || port == 0 || port > 65535)
            return CU_EPARSE;
    }
    size_t plen = 0;
    char path[DL_GENA_PATH_MAX];
    if (*s != '/' && *s != '>')
        return CU_EPARSE;
    if (*s == '>')
        path[plen++] = '/';
    while (*s != '>') {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || c == '<')
            return CU_EPARSE;
        if (plen + 1 >= sizeof path)
            return CU_EPARSE;
        path[plen++] = (char)c;
        s++;
    }
    path[plen] = '\0';
    if (addr != peer)
        return CU_EINVAL;
    out->addr = addr;
    out->port = (uint16_t)port;
    memcpy(out->path, path, plen + 1);
    *end = s + 1;
    return 0;
}

int dl_gena_callback_parse(const char *value, uint32_t peer, dl_gena_url *out)
{
    memset(out, 0, sizeof *out);
    if (!value || strnlen(value, DL_GENA_CALLBACK_MAX + 1) > DL_GENA_CALLBACK_MAX)
        return CU_EPARSE;
    const char *s = value;
    while (*s == ' ' || *s == '\t')
        s++;
    int count = 0;
    while (*s) {
        dl_gena_url one;
        const char *end;
        int rc = parse_one(s, peer, &one, &end);
        if (rc < 0)
            return rc;
        if (count++ == 0)
            *out = one;
        s = end;
        while (*s == ' ' || *s == '\t')
            s++;
    }
    return count > 0 ? 0 : CU_EPARSE;
}

int dl_gena_timeout_parse(const char *value)
{
    if (!value)
        return DL_GENA_TIMEOUT_MAX;
    while (*value == ' ')
        value++;
    if (strncasecmp(value, "Second-", 7))
        return -1;
    value += 7;
    long seconds = 0;
    if (!strcasecmp(value, "infinite"))
        return DL_GENA_TIMEOUT_MAX;
    size_t digits = 0;
    while (*value >= '0' && *value <= '9') {
        if (++digits > 9)
            return -1;
        seconds = seconds * 10 + (*value++ - '0');
    }
    while (*value == ' ')
        value++;
    if (digits == 0 || *value)
        return -1;
    if (seconds > DL_GENA_TIMEOUT_MAX)
        return DL_GENA_TIMEOUT_MAX;
    return seconds < DL_GENA_TIMEOUT_MIN ? DL_GENA_TIMEOUT_MIN : (int)seconds;
}

bool dl_gena_sid_ok(const char *value)
{
    if (!value || strncmp(value, "uuid:", 5))
        return false;
    size_t n = 0;
    for (const char *c = value + 5; *c; c++, n++) {
        bool ok = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
                  (*c >= 'A' && *c <= 'Z') || *c == '-';
        if (!ok || n >= 64)
            return false;
    }
    return n > 0;
}
