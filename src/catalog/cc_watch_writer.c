/* cc_watch_writer: the requests' writer of watch state. One read-write
 * connection on one thread; requests queue their reports and are told
 * when they are committed. Whatever queued while a transaction ran goes
 * into the next one, so a storm of reports costs few commits, and no
 * request thread ever waits for SQLite's write lock (which a scan may
 * hold for a moment). */
#include "catalog/cc_internal.h"
#include "catalog/cc_watch.h"
#include "catalog/cc_writer.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

/* At most this many reports per transaction: a commit every few
 * milliseconds even in a storm, so a kill -9 loses little. */
#define BATCH_MAX 256

typedef struct job {
    bool film; /* film_set, else progress */
    cc_progress progress;
    int64_t user_id, film_id;
    bool watched;
    cc_watch *stored; /* NULL: not asked for */
    cc_watch_done_fn done;
    void *user;
    struct job *next;
} job;

struct cc_watch_writer {
    cc_db *db;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job *head, *tail; /* guarded by lock */
    size_t queued;
    bool stop;
    bool joined;
};

/* While a scan saves, it takes the write lock again right after each
 * commit; SQLite's default busy wait sleeps longer and longer (up to
 * 100 ms) and keeps missing those moments. Polling every millisecond
 * gets the writer in between two of the scan's transactions. 10 s. */
static int busy_poll(void *user, int count)
{
    (void)user;
    if (count >= 10000)
        return 0;
    struct timespec ms = {0, 1000000L};
    nanosleep(&ms, NULL);
    return 1;
}

static int apply(cc_db *db, job *j, int64_t now)
{
    cu_err err = {0};
    int rc = j->film ? cc_watch_film_set(db, j->user_id, j->film_id, j->watched, now, &err)
                     : cc_watch_progress(db, &j->progress, now, &err);
    if (rc < 0 && rc != CU_ENOTFOUND && rc != CU_EINVAL)
        cu_log(CU_LOG_WARN, "watch state: %s", err.msg);
    return rc;
}

/* One transaction for the batch. A report refused on its own (no such
 * file, a bad number) writes nothing and fails alone; an error of the
 * database fails the whole batch. */
static void run_batch(cc_watch_writer *w, job *batch)
{
    int64_t now = cu_time_now();
    int results[BATCH_MAX];
    size_t n = 0;
    cu_err err = {0};
    cc_writer *tx = cc_writer_new(w->db, 0);
    bool began = cc_writer_begin(tx, &err) == 0;
    if (!began)
        cu_log(CU_LOG_WARN, "watch state: %s", err.msg);
    for (job *j = batch; j; j = j->next, n++)
        results[n] = began ? apply(w->db, j, now) : CU_EDB;
    /* The stored states, once every report of the batch is in: what a
     * reader sees after the commit. */
    size_t i = 0;
    for (job *j = batch; j && began; j = j->next, i++) {
        if (!j->stored || results[i] < 0)
            continue;
        int64_t user_id = j->film ? j->user_id : j->progress.user_id;
        int rc = j->film ? cc_watch_film_get(w->db, user_id, j->film_id, j->stored, &err)
                         : cc_watch_file_get(w->db, user_id, j->progress.file_id, j->stored, &err);
        if (rc < 0) {
            cu_log(CU_LOG_WARN, "watch state: %s", err.msg);
            results[i] = CU_EDB;
        }
    }
    if (began && cc_writer_commit(tx, &err) < 0) {
        cu_log(CU_LOG_WARN, "watch state: %s", err.msg);
        cc_writer_rollback(tx);
        for (i = 0; i < n; i++)
            results[i] = CU_EDB;
    }
    cc_writer_free(tx);
    n = 0;
    for (job *j = batch, *next; j; j = next, n++) {
        next = j->next;
        if (j->done)
            j->done(results[n], j->user);
        free(j);
    }
}

static void *writer_main(void *arg)
{
    cc_watch_writer *w = arg;
    /* Named, so that its CPU time can be told apart (bench/progress.sh). */
    pthread_setname_np(pthread_self(), "cc-watch");
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->wake, &w->lock);
        if (!w->head)
            break; /* stopped, and everything applied */
        job *batch = w->head, *last = batch;
        size_t n = 1;
        while (last->next && n < BATCH_MAX) {
            last = last->next;
            n++;
        }
        w->head = last->next;
        if (!w->head)
            w->tail = NULL;
        last->next = NULL;
        w->queued -= n;
        pthread_mutex_unlock(&w->lock);
        run_batch(w, batch);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

int cc_watch_writer_new(const char *db_path, cc_watch_writer **out, cu_err *err)
{
    *out = NULL;
    cc_watch_writer *w = cu_xcalloc(1, sizeof *w);
    int rc = cc_db_open(db_path, CC_OPEN_READWRITE, &w->db, err);
    if (rc < 0) {
        free(w);
        return rc;
    }
    sqlite3_busy_handler(w->db->sql, busy_poll, NULL);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        cc_db_close(w->db);
        free(w);
        return cu_err_set(err, -EAGAIN, "cannot start the watch state writer");
    }
    *out = w;
    return 0;
}

static int enqueue(cc_watch_writer *w, job *j)
{
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    if (w->stop)
        rc = CU_EBUSY;
    else if (w->queued >= CC_WATCH_QUEUE_MAX)
        rc = CU_ELIMIT;
    if (rc == 0) {
        if (w->tail)
            w->tail->next = j;
        else
            w->head = j;
        w->tail = j;
        w->queued++;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    if (rc < 0)
        free(j);
    return rc;
}

int cc_watch_writer_progress_stored(cc_watch_writer *w, const cc_progress *report, cc_watch *stored,
                                    cc_watch_done_fn done, void *user)
{
    job *j = cu_xcalloc(1, sizeof *j);
    j->progress = *report;
    j->stored = stored;
    j->done = done;
    j->user = user;
    return enqueue(w, j);
}

int cc_watch_writer_progress(cc_watch_writer *w, const cc_progress *report, cc_watch_done_fn done,
                             void *user)
{
    return cc_watch_writer_progress_stored(w, report, NULL, done, user);
}

int cc_watch_writer_film_set_stored(cc_watch_writer *w, int64_t user_id, int64_t film_id,
                                    bool watched, cc_watch *stored, cc_watch_done_fn done,
                                    void *user)
{
    job *j = cu_xcalloc(1, sizeof *j);
    j->film = true;
    j->user_id = user_id;
    j->film_id = film_id;
    j->watched = watched;
    j->stored = stored;
    j->done = done;
    j->user = user;
    return enqueue(w, j);
}

int cc_watch_writer_film_set(cc_watch_writer *w, int64_t user_id, int64_t film_id, bool watched,
                             cc_watch_done_fn done, void *user)
{
    return cc_watch_writer_film_set_stored(w, user_id, film_id, watched, NULL, done, user);
}

void cc_watch_writer_stop(cc_watch_writer *w)
{
    if (!w || w->joined)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    w->joined = true;
}

void cc_watch_writer_free(cc_watch_writer *w)
{
    if (!w)
        return;
    cc_watch_writer_stop(w);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    cc_db_close(w->db);
    free(w);
}
