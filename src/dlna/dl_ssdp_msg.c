/* dl_ssdp_msg: M-SEARCH parsing and search-target matching. */
#include "dlna/dl_ssdp_msg.h"
#include "util/cu_err.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_prefixes[DL_SSDP_TARGETS] = {
    "upnp:rootdevice",
    NULL, /* uuid */
    "urn:schemas-upnp-org:device:MediaServer:",
    "urn:schemas-upnp-org:service:ContentDirectory:",
    "urn:schemas-upnp-org:service:ConnectionManager:",
};

const char *dl_ssdp_target(int i, const char *uuid)
{
    static const char *const full[DL_SSDP_TARGETS] = {
        "upnp:rootdevice",
        NULL,
        "urn:schemas-upnp-org:device:MediaServer:1",
        "urn:schemas-upnp-org:service:ContentDirectory:1",
        "urn:schemas-upnp-org:service:ConnectionManager:1",
    };
    if (i < 0 || i >= DL_SSDP_TARGETS)
        return "";
    return i == 1 ? uuid : full[i];
}

unsigned dl_ssdp_match(const char *st, const char *uuid)
{
    if (!strcmp(st, "ssdp:all"))
        return (1u << DL_SSDP_TARGETS) - 1;
    if (!strcmp(st, uuid))
        return 1u << 1;
    for (int i = 0; i < DL_SSDP_TARGETS; i++) {
        if (!type_prefixes[i])
            continue;
        size_t n = strlen(type_prefixes[i]);
        if (i == 0) {
            if (!strcmp(st, type_prefixes[0]))
                return 1u;
            continue;
        }
        if (strncmp(st, type_prefixes[i], n))
            continue;
        /* A version: digits only, and at most ours (1). */
        const char *v = st + n;
        if (!v[0] || strspn(v, "0123456789") != strlen(v) || strlen(v) > 3)
            return 0;
        return atoi(v) >= 1 && atoi(v) <= 1 ? 1u << i : 0;
    }
    return 0;
}

/* Copies a header value without surrounding blanks. */
static void copy_value(const char *v, size_t n, char *out, size_t size)
{
    while (n && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(out, v, n);
    out[n] = '\0';
}

int dl_ssdp_parse_msearch(const char *buf, size_t len, dl_msearch *out)
{
    memset(out, 0, sizeof *out);
    if (len > DL_SSDP_MAX || len < 16)
        return CU_EPARSE;
    static const char request_line[] = "M-SEARCH * HTTP/1.1";
    size_t rl = sizeof request_line - 1;
    if (len <= rl || memcmp(buf, request_line, rl) || (buf[rl] != '\r' && buf[rl] != '\n'))
        return CU_EPARSE;
    bool man = false, have_st = false;
    const char *p = buf + rl, *end = buf + len;
    int lines = 0;
    while (p < end) {
        /* Next line, ending in LF or CRLF. */
        if (*p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
        const char *line = p;
        while (p < end && *p != '\r' && *p != '\n')
            p++;
        size_t n = (size_t)(p - line);
        if (n == 0)
            break; /* the blank line ends the head */
        if (++lines > 32)
            return CU_EPARSE;
        const char *colon = memchr(line, ':', n);
        if (!colon || colon == line)
            continue; /* not a header: ignored, as HTTP parsers of SSDP do */
        size_t name_len = (size_t)(colon - line);
        const char *value = colon + 1;
        size_t value_len = n - name_len - 1;
        char v[DL_SSDP_ST_MAX];
        copy_value(value, value_len, v, sizeof v);
        if (name_len == 3 && !strncasecmp(line, "MAN", 3)) {
            man = !strcmp(v, "\"ssdp:discover\"");
        } else if (name_len == 2 && !strncasecmp(line, "ST", 2)) {
            if (value_len >= sizeof out->st + 8)
                return CU_EPARSE;
            cu_strlcpy(out->st, v, sizeof out->st);
            have_st = out->st[0] != '\0';
        } else if (name_len == 2 && !strncasecmp(line, "MX", 2)) {
            char *e;
            long mx = strtol(v, &e, 10);
            if (e == v || *e || mx < 1)
                return CU_EPARSE;
            /* UDA 1.1: at most 5 is used, whatever is asked. */
            out->mx = mx > 5 ? 5 : (int)mx;
        }
    }
    return man && have_st ? 0 : CU_EPARSE;
}
