/* cs_cookie: the session token out of a Cookie header, or an API token
 * out of an Authorization header. Pure, no allocation, bounded; fuzzed
 * (tests/fuzz/fuzz_cookie.c). */
#ifndef CS_COOKIE_H
#define CS_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest header value looked at; longer ones find nothing. */
#define CS_COOKIE_HEADER_MAX 8192
/* The session cookie's name. */
#define CS_SESSION_COOKIE "cinemateca_session"

/* Finds the cookie called name in a Cookie header ("a=1; b=2") and copies
 * its value (surrounding double quotes removed) into out. False when it
 * is absent, empty, does not fit in size-1 bytes, holds bytes a cookie
 * value may not hold, or the header is malformed or too long. When the
 * name appears more than once, the first wins (RFC 6265: the most
 * specific path first). */
bool cs_cookie_find(const char *header, const char *name, char *out, size_t size);

/* "Bearer TOKEN" (scheme in any case, one or more spaces): copies TOKEN
 * into out. False for other schemes, an empty or over-long token, or
 * bytes outside token68. */
bool cs_bearer_token(const char *header, char *out, size_t size);

#endif
