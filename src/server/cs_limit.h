/* cs_limit: sign-in failures counted per key (an account name, a client
 * address), in a fixed table (bounded memory whatever an attacker sends).
 * After `free_failures` failures in a row, each further failure locks the
 * key for twice as long as the last (1 s, 2 s, 4 s ... up to max_lock_s);
 * while locked, attempts are refused without being checked. A success
 * forgets the key. Thread-safe (one lock). */
#ifndef CS_LIMIT_H
#define CS_LIMIT_H

#include <stdint.h>

typedef struct cs_limit cs_limit;

cs_limit *cs_limit_new(unsigned free_failures, int64_t max_lock_s);
void cs_limit_free(cs_limit *limit);

/* Seconds until key may try again (0: now). */
int64_t cs_limit_wait(cs_limit *limit, const char *key, int64_t now_ms);
/* Records a failure; returns the new wait in seconds (0: none yet). */
int64_t cs_limit_fail(cs_limit *limit, const char *key, int64_t now_ms);
void cs_limit_forget(cs_limit *limit, const char *key);

#endif
