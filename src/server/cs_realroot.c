/* cs_realroot: a small table of roots and their real paths, guarded by
 * one mutex (held for a lookup and a copy, never across realpath).
 *
 * Why a second is safe: the file of a request is still opened with
 * O_NOFOLLOW and checked through its descriptor every time (cp_file_open),
 * so a link swapped in under the root is refused at once. What waits up
 * to a second is only a change of where the root itself leads (a root
 * that is a link re-pointed by its owner); until then a file is checked
 * against the root's former real path, so a file that now lies elsewhere
 * is refused rather than served. Measured: the realpath walk was one
 * readlink per component of the root (three for /tmp/x/lib) on every
 * 1 MB range request. */
#include "server/cs_realroot.h"
#include "util/cu_path.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *root, *real;
    int64_t at_ms;
} entry;

struct cs_realroots {
    pthread_mutex_t lock;
    int64_t ttl_ms;
    entry entries[CS_REALROOT_MAX];
    size_t count;
};

cs_realroots *cs_realroots_new(int64_t ttl_ms)
{
    cs_realroots *c = cu_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->ttl_ms = ttl_ms < 0 ? 0 : ttl_ms;
    return c;
}

void cs_realroots_free(cs_realroots *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        free(c->entries[i].root);
        free(c->entries[i].real);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The entry for root, or NULL; called with the lock held. */
static entry *find(cs_realroots *c, const char *root)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->entries[i].root, root))
            return &c->entries[i];
    return NULL;
}

char *cs_realroots_get(cs_realroots *c, const char *root)
{
    if (!root || !*root)
        return NULL;
    if (!c || c->ttl_ms == 0)
        return cu_path_real(root);
    int64_t now = cu_time_mono_ms();
    char *copy = NULL;
    pthread_mutex_lock(&c->lock);
    entry *e = find(c, root);
    if (e && now - e->at_ms < c->ttl_ms)
        copy = cu_xstrdup(e->real);
    pthread_mutex_unlock(&c->lock);
    if (copy)
        return copy;

    char *real = cu_path_real(root);
    if (!real)
        return NULL;
    pthread_mutex_lock(&c->lock);
    e = find(c, root);
    if (!e) {
        if (c->count < CS_REALROOT_MAX) {
            e = &c->entries[c->count++];
        } else { /* full: the oldest answer makes room */
            e = &c->entries[0];
            for (size_t i = 1; i < c->count; i++)
                if (c->entries[i].at_ms < e->at_ms)
                    e = &c->entries[i];
            free(e->root);
            free(e->real);
        }
        e->root = cu_xstrdup(root);
        e->real = NULL;
    }
    free(e->real);
    e->real = cu_xstrdup(real);
    e->at_ms = now;
    pthread_mutex_unlock(&c->lock);
    return real;
}
