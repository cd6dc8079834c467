/* cs_sign: making and checking signed URLs, and carrying the signature
 * into HLS playlists. */
#include "server/cs_sign.h"
#include "util/cu_buf.h"
#include "util/cu_err.h"
#include "util/cu_str.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define MAC_CHARS 43 /* base64url of 32 bytes, no padding */

static void mac_of(const unsigned char key[CS_SIGN_KEY_BYTES], int64_t file_id, int64_t user_id,
                   int64_t expires_at, int64_t generation,
                   unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    char msg[160];
    int n =
        snprintf(msg, sizeof msg, "cinemateca-sig-v1\n%lld\n%lld\n%lld\n%lld", (long long)file_id,
                 (long long)user_id, (long long)expires_at, (long long)generation);
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, key);
}

void cs_sign_make(const unsigned char key[CS_SIGN_KEY_BYTES], int64_t file_id, int64_t user_id,
                  int64_t expires_at, int64_t generation, char out[CS_SIG_MAX])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    mac_of(key, file_id, user_id, expires_at, generation, mac);
    char text[MAC_CHARS + 1];
    sodium_bin2base64(text, sizeof text, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, CS_SIG_MAX, "%lld.%lld.%lld.%s", (long long)user_id, (long long)expires_at,
             (long long)generation, text);
}

/* A non-negative decimal of at most 18 digits up to '.'; advances *p. */
static bool read_number(const char **p, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9') {
        if (n == 18)
            return false;
        v = v * 10 + (s[n] - '0');
        n++;
    }
    if (n == 0 || s[n] != '.')
        return false;
    *out = v;
    *p = s + n + 1;
    return true;
}

int cs_sign_check(const unsigned char key[CS_SIGN_KEY_BYTES], int64_t file_id, const char *sig,
                  int64_t now, int64_t *user_id, int64_t *generation)
{
    *user_id = 0;
    *generation = 0;
    if (!sig || strnlen(sig, CS_SIG_MAX) >= CS_SIG_MAX)
        return CU_EPARSE;
    const char *p = sig;
    int64_t user, expires, gen;
    if (!read_number(&p, &user) || !read_number(&p, &expires) || !read_number(&p, &gen))
        return CU_EPARSE;
    if (strlen(p) != MAC_CHARS)
        return CU_EPARSE;
    unsigned char given[crypto_auth_hmacsha256_BYTES];
    size_t given_len = 0;
    if (sodium_base642bin(given, sizeof given, p, MAC_CHARS, NULL, &given_len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        given_len != sizeof given)
        return CU_EPARSE;
    unsigned char expected[crypto_auth_hmacsha256_BYTES];
    mac_of(key, file_id, user, expires, gen, expected);
    if (sodium_memcmp(given, expected, sizeof given) != 0)
        return CU_EINVAL;
    if (now >= expires)
        return CU_ELIMIT;
    *user_id = user;
    *generation = gen;
    return 0;
}

static bool relative_uri(const char *s, size_t n)
{
    if (n == 0)
        return false;
    /* A scheme ("http:", "data:") or a network path ("//host"). */
    if (n >= 2 && s[0] == '/' && s[1] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ':')
            return false;
        if (c == '/' || c == '?' || c == '#')
            break;
    }
    return true;
}

static void put_uri(cu_buf *b, const char *s, size_t n, const char *sig)
{
    if (!relative_uri(s, n)) {
        cu_buf_append(b, s, n);
        return;
    }
    const char *hash = memchr(s, '#', n);
    size_t before = hash ? (size_t)(hash - s) : n;
    cu_buf_append(b, s, before);
    cu_buf_puts(b, memchr(s, '?', before) ? "&sig=" : "?sig=");
    cu_buf_puts(b, sig);
    cu_buf_append(b, s + before, n - before);
}

char *cs_sign_playlist(const char *text, const char *sig)
{
    size_t len = strlen(text);
    if (len > 16u * 1024 * 1024)
        return NULL;
    cu_buf b = {0};
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        size_t n = (size_t)(line_end - p);
        size_t content = n && p[n - 1] == '\r' ? n - 1 : n;
        if (content && p[0] != '#') {
            put_uri(&b, p, content, sig);
        } else if (content) {
            /* URI="..." in a tag (EXT-X-MEDIA, EXT-X-MAP, EXT-X-KEY). */
            const char *q = p, *tag_end = p + content;
            while (q < tag_end) {
                const char *attr = NULL;
                for (const char *s = q; s + 5 <= tag_end; s++)
                    if (!memcmp(s, "URI=\"", 5)) {
                        attr = s;
                        break;
                    }
                if (!attr) {
                    cu_buf_append(&b, q, (size_t)(tag_end - q));
                    break;
                }
                const char *v = attr + 5;
                const char *close = memchr(v, '"', (size_t)(tag_end - v));
                if (!close) {
                    cu_buf_append(&b, q, (size_t)(tag_end - q));
                    break;
                }
                cu_buf_append(&b, q, (size_t)(v - q));
                put_uri(&b, v, (size_t)(close - v), sig);
                q = close;
            }
        }
        cu_buf_append(&b, p + content, n - content);
        if (nl)
            cu_buf_putc(&b, '\n');
        p = nl ? nl + 1 : end;
    }
    if (!b.len) /* cu_buf_take on an empty buffer */
        return cu_xstrdup("");
    return cu_buf_take(&b);
}
