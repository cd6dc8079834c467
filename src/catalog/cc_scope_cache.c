/* cc_scope_cache: restricted users' visible films between requests
 * (cc_scope_cache.h). */
#include "catalog/cc_scope_cache.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_scope.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct cc_scope_set {
    atomic_size_t refs;
    int64_t *ids;
    size_t count;
};

/* One user's set, good while the stamp and the user's limits (key) are
 * those it was read with. */
typedef struct scope_entry {
    char *key;
    int64_t stamp;
    cc_scope_set *set;
    uint64_t used;
} scope_entry;

struct cc_scope_cache {
    pthread_mutex_t lock; /* guards entries, count and clock */
    scope_entry *entries;
    size_t count, max;
    uint64_t clock;
};

cc_scope_cache *cc_scope_cache_new(size_t max_users)
{
    cc_scope_cache *c = cu_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->max = max_users ? max_users : 1;
    c->entries = cu_xcalloc(c->max, sizeof *c->entries);
    return c;
}

static cc_scope_set *set_ref(cc_scope_set *set)
{
    atomic_fetch_add(&set->refs, 1);
    return set;
}

void cc_scope_set_unref(cc_scope_set *set)
{
    if (set && atomic_fetch_sub(&set->refs, 1) == 1) {
        free(set->ids);
        free(set);
    }
}

const int64_t *cc_scope_set_ids(const cc_scope_set *set, size_t *count)
{
    *count = set->count;
    return set->ids;
}

void cc_scope_cache_free(cc_scope_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        free(c->entries[i].key);
        cc_scope_set_unref(c->entries[i].set);
    }
    free(c->entries);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

int cc_scope_stamp(cc_db *db, int64_t *out, cu_err *err)
{
    *out = 0;
    sqlite3_stmt *st;
    if (cc_prepare_kept(db, "SELECT n FROM scope_stamp WHERE id = 1", &st, err) < 0)
        return CU_EDB;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "reading the visibility stamp");
}

/* Everything the user's set depends on besides the catalog: who, and
 * their limits. */
static char *user_key(const cc_user *u)
{
    cu_buf key = CU_BUF_INIT;
    cu_buf_printf(&key, "%lld|%d|%d|%s", (long long)u->id, u->admin, u->all_roots, u->max_cert);
    for (size_t i = 0; i < u->root_count; i++) {
        cu_buf_putc(&key, '\n');
        cu_buf_puts(&key, u->roots[i]);
    }
    return cu_buf_take(&key);
}

/* The entry for key (NULL: none). Under the lock. */
static scope_entry *find(cc_scope_cache *c, const char *key)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->entries[i].key, key))
            return &c->entries[i];
    return NULL;
}

/* Keeps set under key and stamp, in key's entry, a free one or the least
 * recently used one. Under the lock. */
static void keep(cc_scope_cache *c, char *key, int64_t stamp, cc_scope_set *set)
{
    scope_entry *e = find(c, key);
    if (e && e->stamp > stamp) { /* a newer set came in meanwhile */
        free(key);
        return;
    }
    if (!e && c->count < c->max)
        e = &c->entries[c->count++];
    if (!e) {
        e = &c->entries[0];
        for (size_t i = 1; i < c->count; i++)
            if (c->entries[i].used < e->used)
                e = &c->entries[i];
    }
    if (e->set) {
        free(e->key);
        cc_scope_set_unref(e->set);
    }
    *e = (scope_entry){.key = key, .stamp = stamp, .set = set_ref(set), .used = ++c->clock};
}

int cc_scope_cache_get(cc_scope_cache *c, cc_db *db, const cc_user *u, cc_scope_set **out,
                       cu_err *err)
{
    *out = NULL;
    /* The stamp before the films, in one snapshot when none is open: a
     * set is then never older than the stamp it is kept under. */
    bool own_snapshot = sqlite3_get_autocommit(db->sql);
    if (own_snapshot)
        cc_db_read_begin(db);
    int64_t stamp;
    int rc = cc_scope_stamp(db, &stamp, err);
    char *key = rc == 0 ? user_key(u) : NULL;
    if (rc == 0) {
        pthread_mutex_lock(&c->lock);
        scope_entry *e = find(c, key);
        if (e && e->stamp == stamp) {
            e->used = ++c->clock;
            *out = set_ref(e->set);
        }
        pthread_mutex_unlock(&c->lock);
    }
    if (rc == 0 && !*out) {
        cc_scope_set *set = cu_xcalloc(1, sizeof *set);
        atomic_init(&set->refs, 1);
        rc = cc_scope_film_ids(db, u, &set->ids, &set->count, err);
        if (rc == 0) {
            pthread_mutex_lock(&c->lock);
            keep(c, key, stamp, set);
            key = NULL;
            pthread_mutex_unlock(&c->lock);
            *out = set;
        } else {
            cc_scope_set_unref(set);
        }
    }
    free(key);
    if (own_snapshot)
        cc_db_read_end(db);
    return rc;
}
