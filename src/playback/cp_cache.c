/* cp_cache: see cp_cache.h. The index is in memory (a map from file name
 * to entry, a use counter for LRU); the directory is the truth at start.
 * A key becomes a file name by hashing (128 bits, two FNV-1a variants), so
 * no key text ever reaches the file system. */
#include "playback/cp_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cu_map.h"
#include "util/cu_str.h"

#define NAME_LEN 32 /* hex digits */
#define SUFFIX ".seg"

typedef struct entry {
    char name[NAME_LEN + sizeof SUFFIX];
    uint64_t size;
    uint64_t used; /* higher is more recent */
} entry;

struct cp_cache {
    pthread_mutex_t lock; /* guards everything below */
    char *dir;
    uint64_t max_bytes, bytes, clock;
    cu_map *entries; /* name -> entry* */
    atomic_uint temp_counter;
};

static void key_name(const char *key, char out[NAME_LEN + sizeof SUFFIX])
{
    uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        a = (a ^ *p) * 0x100000001b3ULL;
        b = (b ^ (uint64_t)(*p + 0x5bu)) * 0x100000001b3ULL;
        b ^= b >> 29;
    }
    snprintf(out, NAME_LEN + sizeof SUFFIX, "%016llx%016llx" SUFFIX, (unsigned long long)a,
             (unsigned long long)b);
}

static bool is_entry_name(const char *name)
{
    if (strlen(name) != NAME_LEN + strlen(SUFFIX) || strcmp(name + NAME_LEN, SUFFIX) != 0)
        return false;
    for (int i = 0; i < NAME_LEN; i++)
        if (!strchr("0123456789abcdef", name[i]))
            return false;
    return true;
}

static char *entry_path(const cp_cache *c, const char *name)
{
    return cu_xasprintf("%s/%s", c->dir, name);
}

/* Drops the least recently used entries until bytes <= limit. Lock held. */
static void evict_to(cp_cache *c, uint64_t limit)
{
    while (c->bytes > limit) {
        size_t pos = 0;
        const char *k;
        void *v;
        entry *oldest = NULL;
        while (cu_map_next(c->entries, &pos, &k, &v)) {
            entry *e = v;
            if (!oldest || e->used < oldest->used)
                oldest = e;
        }
        if (!oldest)
            break;
        char *p = entry_path(c, oldest->name);
        unlink(p);
        free(p);
        c->bytes -= oldest->size;
        cu_map_remove(c->entries, oldest->name);
        free(oldest);
    }
}

typedef struct found {
    char name[NAME_LEN + sizeof SUFFIX];
    uint64_t size;
    int64_t mtime;
} found;

static int cmp_found(const void *a, const void *b)
{
    const found *x = a, *y = b;
    return (x->mtime > y->mtime) - (x->mtime < y->mtime);
}

int cp_cache_new(const char *dir, uint64_t max_bytes, cp_cache **out, cu_err *err)
{
    *out = NULL;
    if (!dir || !dir[0])
        return cu_err_set(err, CU_EINVAL, "no cache directory");
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return cu_err_set(err, -errno, "cannot create %s: %s", dir, strerror(errno));
    DIR *d = opendir(dir);
    if (!d)
        return cu_err_set(err, -errno, "cannot read %s: %s", dir, strerror(errno));
    cp_cache *c = cu_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->dir = cu_xstrdup(dir);
    c->max_bytes = max_bytes;
    c->entries = cu_map_new();
    found *list = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (strstr(de->d_name, ".tmp.")) { /* a write cut short by a crash */
            unlinkat(dirfd(d), de->d_name, 0);
            continue;
        }
        if (!is_entry_name(de->d_name))
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            list = cu_xreallocarray(list, cap, sizeof *list);
        }
        memcpy(list[count].name, de->d_name, sizeof list[count].name);
        list[count].size = (uint64_t)sb.st_size;
        list[count].mtime = (int64_t)sb.st_mtime;
        count++;
    }
    closedir(d);
    if (count)
        qsort(list, count, sizeof *list, cmp_found);
    for (size_t i = 0; i < count; i++) {
        entry *e = cu_xcalloc(1, sizeof *e);
        memcpy(e->name, list[i].name, sizeof e->name);
        e->size = list[i].size;
        e->used = ++c->clock;
        cu_map_put(c->entries, e->name, e, NULL);
        c->bytes += e->size;
    }
    free(list);
    evict_to(c, c->max_bytes);
    *out = c;
    return 0;
}

void cp_cache_free(cp_cache *c)
{
    if (!c)
        return;
    size_t pos = 0;
    const char *k;
    void *v;
    while (cu_map_next(c->entries, &pos, &k, &v))
        free(v);
    cu_map_free(c->entries);
    pthread_mutex_destroy(&c->lock);
    free(c->dir);
    free(c);
}

int cp_cache_put(cp_cache *c, const char *key, const void *data, size_t len, cu_err *err)
{
    if ((uint64_t)len > c->max_bytes)
        return cu_err_set(err, CU_ELIMIT, "larger than the whole cache");
    char name[NAME_LEN + sizeof SUFFIX];
    key_name(key, name);
    char *final = entry_path(c, name);
    char *tmp =
        cu_xasprintf("%s.tmp.%d.%u", final, (int)getpid(), atomic_fetch_add(&c->temp_counter, 1));
    int rc = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = cu_err_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
        goto done;
    }
    const uint8_t *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = cu_err_set(err, n < 0 ? -errno : -EIO, "cannot write %s: %s", tmp,
                            n < 0 ? strerror(errno) : "short write");
            close(fd);
            unlink(tmp);
            goto done;
        }
        p += n;
        left -= (size_t)n;
    }
    if (close(fd) != 0) {
        rc = cu_err_set(err, -errno, "cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto done;
    }
    pthread_mutex_lock(&c->lock);
    if (rename(tmp, final) != 0) {
        rc = cu_err_set(err, -errno, "cannot rename %s: %s", tmp, strerror(errno));
        unlink(tmp);
    } else {
        entry *e = cu_map_get(c->entries, name);
        if (e) {
            c->bytes -= e->size;
        } else {
            e = cu_xcalloc(1, sizeof *e);
            memcpy(e->name, name, sizeof e->name);
            cu_map_put(c->entries, e->name, e, NULL);
        }
        e->size = len;
        e->used = ++c->clock;
        c->bytes += len;
        evict_to(c, c->max_bytes);
    }
    pthread_mutex_unlock(&c->lock);
done:
    free(tmp);
    free(final);
    return rc;
}

int cp_cache_open(cp_cache *c, const char *key, int *fd, uint64_t *size)
{
    char name[NAME_LEN + sizeof SUFFIX];
    key_name(key, name);
    *fd = -1;
    pthread_mutex_lock(&c->lock);
    entry *e = cu_map_get(c->entries, name);
    int rc = CU_ENOTFOUND;
    if (e) {
        char *p = entry_path(c, name);
        int f = open(p, O_RDONLY | O_CLOEXEC);
        free(p);
        struct stat sb;
        if (f >= 0 && fstat(f, &sb) == 0) {
            e->used = ++c->clock;
            *fd = f;
            *size = (uint64_t)sb.st_size;
            rc = 0;
        } else {
            if (f >= 0)
                close(f);
            /* Gone behind our back: forget it. */
            c->bytes -= e->size;
            cu_map_remove(c->entries, name);
            free(e);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int cp_cache_get(cp_cache *c, const char *key, uint8_t **data, size_t *len)
{
    int fd;
    uint64_t size;
    *data = NULL;
    *len = 0;
    int rc = cp_cache_open(c, key, &fd, &size);
    if (rc < 0)
        return rc;
    uint8_t *buf = cu_xmalloc(size ? size : 1);
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got != size) {
        free(buf);
        return CU_ENOTFOUND;
    }
    *data = buf;
    *len = got;
    return 0;
}

void cp_cache_remove(cp_cache *c, const char *key)
{
    char name[NAME_LEN + sizeof SUFFIX];
    key_name(key, name);
    pthread_mutex_lock(&c->lock);
    entry *e = cu_map_remove(c->entries, name);
    if (e) {
        char *p = entry_path(c, name);
        unlink(p);
        free(p);
        c->bytes -= e->size;
        free(e);
    }
    pthread_mutex_unlock(&c->lock);
}

uint64_t cp_cache_bytes(cp_cache *c)
{
    pthread_mutex_lock(&c->lock);
    uint64_t b = c->bytes;
    pthread_mutex_unlock(&c->lock);
    return b;
}

size_t cp_cache_count(cp_cache *c)
{
    pthread_mutex_lock(&c->lock);
    size_t n = cu_map_count(c->entries);
    pthread_mutex_unlock(&c->lock);
    return n;
}
