/* cs_dbpool: see cs_dbpool.h. A stack of idle connections under one lock:
 * a take or a give is a lock and a pointer, next to a request's
 * microseconds of SQLite. */
#include "server/cs_dbpool.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct cs_dbpool {
    char *path;
    unsigned size;
    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t given; /* on CLOCK_MONOTONIC */
    cc_db **idle;         /* size slots; the last is the warmest */
    unsigned idle_count;
    unsigned open; /* idle, lent, and being opened */
};

cs_dbpool *cs_dbpool_new(const char *path, unsigned size)
{
    cs_dbpool *p = cu_xcalloc(1, sizeof *p);
    p->path = cu_xstrdup(path);
    p->size = size ? size : 1;
    p->idle = cu_xcalloc(p->size, sizeof *p->idle);
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->given, &ca);
    pthread_condattr_destroy(&ca);
    for (unsigned i = 0; i < p->size; i++) {
        cc_db *db = NULL;
        cu_err err = {0};
        if (cc_db_open(p->path, CC_OPEN_READONLY, &db, &err) < 0)
            break;
        cc_db_warm(db);
        p->idle[p->idle_count++] = db;
        p->open++;
    }
    return p;
}

void cs_dbpool_free(cs_dbpool *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < p->idle_count; i++)
        cc_db_close(p->idle[i]);
    pthread_cond_destroy(&p->given);
    pthread_mutex_destroy(&p->lock);
    free(p->idle);
    free(p->path);
    free(p);
}

cc_db *cs_dbpool_take(cs_dbpool *p, int64_t wait_ms, cu_err *err)
{
    struct timespec until;
    cu_time_deadline(CLOCK_MONOTONIC, wait_ms, &until);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (p->idle_count) {
            cc_db *db = p->idle[--p->idle_count];
            pthread_mutex_unlock(&p->lock);
            return db;
        }
        if (p->open < p->size)
            break;
        if (pthread_cond_timedwait(&p->given, &p->lock, &until) != 0 && !p->idle_count &&
            p->open >= p->size) {
            pthread_mutex_unlock(&p->lock);
            cu_err_set(err, CU_EBUSY, "every catalog connection is busy; try again");
            return NULL;
        }
    }
    p->open++; /* reserved while it is opened, outside the lock */
    pthread_mutex_unlock(&p->lock);
    cc_db *db = NULL;
    cu_err open_err = {0};
    if (cc_db_open(p->path, CC_OPEN_READONLY, &db, &open_err) == 0)
        return db;
    pthread_mutex_lock(&p->lock);
    p->open--;
    pthread_cond_signal(&p->given); /* a waiter may try to open it */
    pthread_mutex_unlock(&p->lock);
    cu_err_set(err, CU_EBUSY, "the catalog is not available: %s", open_err.msg);
    return NULL;
}

void cs_dbpool_give(cs_dbpool *p, cc_db *db)
{
    if (!db)
        return;
    cc_db_read_end(db);
    pthread_mutex_lock(&p->lock);
    if (p->idle_count < p->size) {
        p->idle[p->idle_count++] = db;
        db = NULL;
    } else {
        p->open--; /* cannot happen: more given back than lent */
    }
    pthread_cond_signal(&p->given);
    pthread_mutex_unlock(&p->lock);
    cc_db_close(db);
}

void cs_dbpool_counts(cs_dbpool *p, unsigned *open, unsigned *lent)
{
    pthread_mutex_lock(&p->lock);
    *open = p->open;
    *lent = p->open - p->idle_count;
    pthread_mutex_unlock(&p->lock);
}
