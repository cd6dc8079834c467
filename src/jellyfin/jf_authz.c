/* jf_authz: MediaBrowser/Emby authorization headers (jf_authz.h). */
#include "jellyfin/jf_authz.h"
#include "util/cu_err.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes %XX (and keeps everything else) from [s, s+len) into out.
 * CU_ELIMIT when it does not fit, CU_EPARSE for a bad escape or a
 * control byte. */
static int decode(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= len)
                return CU_EPARSE;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return CU_EPARSE;
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        if (c < 0x20 || c == 0x7f)
            return CU_EPARSE;
        if (n + 1 >= size)
            return CU_ELIMIT;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return 0;
}

static char *field(jf_authz *a, const char *name, size_t len)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        {"Client", offsetof(jf_authz, client)},      {"Device", offsetof(jf_authz, device)},
        {"DeviceId", offsetof(jf_authz, device_id)}, {"Version", offsetof(jf_authz, version)},
        {"Token", offsetof(jf_authz, token)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strlen(fields[i].name) == len && !strncasecmp(fields[i].name, name, len))
            return (char *)a + fields[i].offset;
    return NULL;
}

static bool space(char c)
{
    return c == ' ' || c == '\t';
}

int jf_authz_parse(const char *header, jf_authz *out)
{
    memset(out, 0, sizeof *out);
    size_t total = strnlen(header, JF_AUTHZ_HEADER_MAX + 1);
    if (total > JF_AUTHZ_HEADER_MAX)
        return CU_ELIMIT;
    const char *p = header, *end = header + total;
    while (p < end && space(*p))
        p++;
    const char *scheme = p;
    while (p < end && !space(*p) && *p != ',')
        p++;
    size_t slen = (size_t)(p - scheme);
    if (!((slen == 12 && !strncasecmp(scheme, "MediaBrowser", 12)) ||
          (slen == 4 && !strncasecmp(scheme, "Emby", 4))))
        return CU_EPARSE;
    for (;;) {
        while (p < end && (space(*p) || *p == ','))
            p++;
        if (p >= end)
            return 0;
        const char *name = p;
        while (p < end && *p != '=' && *p != ',' && !space(*p))
            p++;
        size_t nlen = (size_t)(p - name);
        while (p < end && space(*p))
            p++;
        if (p >= end || *p != '=' || nlen == 0)
            return CU_EPARSE;
        p++;
        while (p < end && space(*p))
            p++;
        const char *value;
        size_t vlen;
        if (p < end && *p == '"') {
            value = ++p;
            while (p < end && *p != '"')
                p++;
            if (p >= end)
                return CU_EPARSE;
            vlen = (size_t)(p - value);
            p++;
        } else {
            value = p;
            while (p < end && *p != ',' && !space(*p))
                p++;
            vlen = (size_t)(p - value);
        }
        while (p < end && space(*p))
            p++;
        if (p < end && *p != ',')
            return CU_EPARSE;
        char *dest = field(out, name, nlen);
        if (dest) {
            int rc = decode(value, vlen, dest, JF_AUTHZ_VALUE_MAX);
            if (rc < 0)
                return rc;
        }
    }
}
