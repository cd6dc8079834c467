/* cs_realroot: where each library root really leads, resolved once a
 * second at most instead of on every direct-play request. */
#ifndef CS_REALROOT_H
#define CS_REALROOT_H

#include <stdint.h>

/* How long a resolved root is trusted, in milliseconds. */
#define CS_REALROOT_TTL_MS 1000
/* Roots remembered at once; past that the oldest answer is dropped. */
#define CS_REALROOT_MAX 32

typedef struct cs_realroots cs_realroots;

/* ttl_ms: how long an answer is kept (0: never kept, every call resolves). */
cs_realroots *cs_realroots_new(int64_t ttl_ms);
void cs_realroots_free(cs_realroots *c);

/* The canonical path of root (malloc'd), from the cache when it was
 * resolved less than ttl_ms ago; NULL when root does not resolve (a
 * failure is never remembered: a root that comes back is seen at once).
 * Safe from any thread. */
char *cs_realroots_get(cs_realroots *c, const char *root);

#endif
