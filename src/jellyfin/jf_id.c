/* jf_id: stable GUIDs from catalog ids (jf_id.h). */
#include "jellyfin/jf_id.h"
#include "util/cu_err.h"

#include <stdbool.h>
#include <stdio.h>

#define TAG "c1d3ca7e"

void jf_id_make(jf_id_kind kind, uint64_t id, char out[JF_ID_CHARS + 1])
{
    snprintf(out, JF_ID_CHARS + 1, TAG "%08x%016llx", (unsigned)kind, (unsigned long long)id);
}

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

int jf_id_parse(const char *s, size_t len, jf_id_kind *kind, uint64_t *id)
{
    char hex[JF_ID_CHARS];
    size_t n = 0;
    if (len == JF_ID_CHARS + 4) { /* 8-4-4-4-12 */
        for (size_t i = 0; i < len; i++) {
            bool dash = i == 8 || i == 13 || i == 18 || i == 23;
            if ((s[i] == '-') != dash)
                return CU_EPARSE;
            if (!dash)
                hex[n++] = s[i];
        }
    } else if (len == JF_ID_CHARS) {
        for (size_t i = 0; i < len; i++)
            hex[n++] = s[i];
    } else {
        return CU_EPARSE;
    }
    uint8_t v[JF_ID_CHARS];
    for (size_t i = 0; i < JF_ID_CHARS; i++) {
        int h = hexval(hex[i]);
        if (h < 0)
            return CU_EPARSE;
        v[i] = (uint8_t)h;
    }
    static const char tag[] = TAG;
    for (size_t i = 0; i < 8; i++)
        if (v[i] != hexval(tag[i]))
            return CU_EPARSE;
    uint32_t k = 0;
    for (size_t i = 8; i < 16; i++)
        k = k << 4 | v[i];
    uint64_t x = 0;
    for (size_t i = 16; i < 32; i++)
        x = x << 4 | v[i];
    if (k < JF_ID_FILM || k > JF_ID_SERVER)
        return CU_EPARSE;
    *kind = (jf_id_kind)k;
    *id = x;
    return 0;
}

uint64_t jf_id_hash(const char *name)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h & 0x7fffffffffffffffULL;
}

void jf_server_id(const unsigned char *key, char out[JF_ID_CHARS + 1])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < 32; i++)
        h = (h ^ key[i]) * 1099511628211ULL;
    jf_id_make(JF_ID_SERVER, h & 0x7fffffffffffffffULL, out);
}
