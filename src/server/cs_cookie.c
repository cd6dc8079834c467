/* cs_cookie: Cookie and Authorization header parsing. */
#include "server/cs_cookie.h"

#include <string.h>
#include <strings.h>

/* RFC 6265 cookie-octet: visible ASCII but for '"', ',', ';' and '\'. */
static bool cookie_octet(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool cs_cookie_find(const char *header, const char *name, char *out, size_t size)
{
    if (!header || !name || !out || size == 0)
        return false;
    size_t header_len = strnlen(header, CS_COOKIE_HEADER_MAX + 1);
    if (header_len > CS_COOKIE_HEADER_MAX)
        return false;
    size_t name_len = strlen(name);
    const char *p = header, *end = header + header_len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ';'))
            p++;
        const char *pair = p;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *pair_end = semi ? semi : end;
        p = semi ? semi + 1 : end;
        const char *eq = memchr(pair, '=', (size_t)(pair_end - pair));
        if (!eq)
            continue;
        const char *key_end = eq;
        while (key_end > pair && (key_end[-1] == ' ' || key_end[-1] == '\t'))
            key_end--;
        if ((size_t)(key_end - pair) != name_len || memcmp(pair, name, name_len))
            continue;
        const char *v = eq + 1, *v_end = pair_end;
        while (v < v_end && (*v == ' ' || *v == '\t'))
            v++;
        while (v_end > v && (v_end[-1] == ' ' || v_end[-1] == '\t'))
            v_end--;
        if (v_end - v >= 2 && *v == '"' && v_end[-1] == '"') {
            v++;
            v_end--;
        }
        size_t n = (size_t)(v_end - v);
        if (n == 0 || n >= size)
            return false;
        for (size_t i = 0; i < n; i++)
            if (!cookie_octet((unsigned char)v[i]))
                return false;
        memcpy(out, v, n);
        out[n] = '\0';
        return true;
    }
    return false;
}

/* RFC 7235 token68: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then "=". */
static bool token68(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

bool cs_bearer_token(const char *header, char *out, size_t size)
{
    if (!header || !out || size == 0)
        return false;
    size_t len = strnlen(header, CS_COOKIE_HEADER_MAX + 1);
    if (len > CS_COOKIE_HEADER_MAX || len < 7 || strncasecmp(header, "Bearer", 6) ||
        (header[6] != ' ' && header[6] != '\t'))
        return false;
    const char *t = header + 6;
    while (*t == ' ' || *t == '\t')
        t++;
    size_t n = 0;
    while (t[n] && t[n] != ' ' && t[n] != '\t')
        n++;
    for (const char *rest = t + n; *rest; rest++)
        if (*rest != ' ' && *rest != '\t')
            return false;
    if (n == 0 || n >= size)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!token68((unsigned char)t[i]))
            return false;
    memcpy(out, t, n);
    out[n] = '\0';
    return true;
}
