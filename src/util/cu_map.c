/* cu_map: open-addressing hash map with tombstones; FNV-1a hashing.
 * Invariant: capacity is a power of two and at most 70% full (live+dead). */
#include "util/cu_map.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key; /* NULL: empty; TOMBSTONE: removed */
    void *value;
    uint64_t hash;
} slot;

struct cu_map {
    slot *slots;
    size_t cap, live, used;
};

static char tombstone_marker;
#define TOMBSTONE (&tombstone_marker)

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

cu_map *cu_map_new(void)
{
    cu_map *m = cu_xcalloc(1, sizeof *m);
    m->cap = 64;
    m->slots = cu_xcalloc(m->cap, sizeof(slot));
    return m;
}

void cu_map_free(cu_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE)
            free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static slot *find(const cu_map *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->key != TOMBSTONE && s->hash == h && strcmp(s->key, key) == 0)
            return s;
    }
}

static void grow(cu_map *m)
{
    slot *old = m->slots;
    size_t old_cap = m->cap;
    size_t cap = m->live * 2 < old_cap / 2 ? old_cap : old_cap * 2;
    m->slots = cu_xcalloc(cap, sizeof(slot));
    m->cap = cap;
    m->used = m->live;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].key || old[i].key == TOMBSTONE)
            continue;
        size_t j = old[i].hash & (cap - 1);
        while (m->slots[j].key)
            j = (j + 1) & (cap - 1);
        m->slots[j] = old[i];
    }
    free(old);
}

void cu_map_put(cu_map *m, const char *key, void *value, void **old)
{
    uint64_t h = hash_key(key);
    slot *s = find(m, key, h);
    if (s) {
        if (old)
            *old = s->value;
        s->value = value;
        return;
    }
    if (old)
        *old = NULL;
    if ((m->used + 1) * 10 > m->cap * 7)
        grow(m);
    size_t mask = m->cap - 1;
    size_t i = h & mask;
    while (m->slots[i].key && m->slots[i].key != TOMBSTONE)
        i = (i + 1) & mask;
    if (!m->slots[i].key)
        m->used++;
    m->slots[i].key = cu_xstrdup(key);
    m->slots[i].value = value;
    m->slots[i].hash = h;
    m->live++;
}

void *cu_map_get(const cu_map *m, const char *key)
{
    slot *s = find(m, key, hash_key(key));
    return s ? s->value : NULL;
}

bool cu_map_has(const cu_map *m, const char *key)
{
    return find(m, key, hash_key(key)) != NULL;
}

void *cu_map_remove(cu_map *m, const char *key)
{
    slot *s = find(m, key, hash_key(key));
    if (!s)
        return NULL;
    void *v = s->value;
    free(s->key);
    s->key = TOMBSTONE;
    s->value = NULL;
    m->live--;
    return v;
}

size_t cu_map_count(const cu_map *m)
{
    return m->live;
}

bool cu_map_next(const cu_map *m, size_t *pos, const char **key, void **value)
{
    for (size_t i = *pos; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (s->key && s->key != TOMBSTONE) {
            if (key)
                *key = s->key;
            if (value)
                *value = s->value;
            *pos = i + 1;
            return true;
        }
    }
    *pos = m->cap;
    return false;
}
