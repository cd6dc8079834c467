/* cs_limit: a small open-addressed table of failure counters. When it is
 * full, the entry idle longest in a key's probe window is reused, so an
 * attacker cycling through names can only make the table forget old,
 * unlocked entries sooner, never grow it. */
#include "server/cs_limit.h"
#include "util/cu_hash.h"
#include "util/cu_str.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
#define PROBE 16
#define KEY_MAX 96

typedef struct slot {
    char key[KEY_MAX];
    unsigned failures;
    int64_t locked_until_ms;
    int64_t last_ms;
} slot;

struct cs_limit {
    pthread_mutex_t lock;
    unsigned free_failures;
    int64_t max_lock_ms;
    slot slots[SLOTS];
};

cs_limit *cs_limit_new(unsigned free_failures, int64_t max_lock_s)
{
    cs_limit *l = cu_xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->free_failures = free_failures;
    l->max_lock_ms = max_lock_s * 1000;
    return l;
}

void cs_limit_free(cs_limit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

/* FNV-1a: spreading keys over slots, nothing more. */
static uint32_t hash_key(const char *key)
{
    return cu_hash32(CU_HASH32_INIT, key, strlen(key));
}

/* The key's slot, or (create) a free or the stalest one. Locked. */
static slot *find(cs_limit *l, const char *key, bool create)
{
    char k[KEY_MAX];
    cu_strlcpy(k, key, sizeof k);
    uint32_t h = hash_key(k);
    slot *stalest = NULL;
    for (unsigned i = 0; i < PROBE; i++) {
        slot *s = &l->slots[(h + i) % SLOTS];
        if (s->key[0] && !strcmp(s->key, k))
            return s;
        if (!s->key[0]) {
            if (!stalest || stalest->key[0])
                stalest = s;
        } else if (!stalest || (stalest->key[0] && s->last_ms < stalest->last_ms)) {
            stalest = s;
        }
    }
    if (!create)
        return NULL;
    memset(stalest, 0, sizeof *stalest);
    memcpy(stalest->key, k, sizeof k);
    return stalest;
}

int64_t cs_limit_wait(cs_limit *l, const char *key, int64_t now_ms)
{
    pthread_mutex_lock(&l->lock);
    slot *s = find(l, key, false);
    int64_t wait = 0;
    if (s && s->locked_until_ms > now_ms)
        wait = (s->locked_until_ms - now_ms + 999) / 1000;
    pthread_mutex_unlock(&l->lock);
    return wait;
}

int64_t cs_limit_fail(cs_limit *l, const char *key, int64_t now_ms)
{
    pthread_mutex_lock(&l->lock);
    slot *s = find(l, key, true);
    s->last_ms = now_ms;
    if (s->failures < 1000)
        s->failures++;
    int64_t wait = 0;
    if (s->failures >= l->free_failures) {
        unsigned over = s->failures - l->free_failures; /* 0 for the first lock */
        int64_t lock_ms = 1000;
        for (unsigned i = 0; i < over && lock_ms < l->max_lock_ms; i++)
            lock_ms *= 2;
        if (lock_ms > l->max_lock_ms)
            lock_ms = l->max_lock_ms;
        s->locked_until_ms = now_ms + lock_ms;
        wait = (lock_ms + 999) / 1000;
    }
    pthread_mutex_unlock(&l->lock);
    return wait;
}

void cs_limit_forget(cs_limit *l, const char *key)
{
    pthread_mutex_lock(&l->lock);
    slot *s = find(l, key, false);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&l->lock);
}
