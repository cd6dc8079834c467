/* cu_pool: worker threads fed from one mutex-protected queue.
 * The lock `pool->lock` guards the queue, `pending` and `stopping`. */
#include "util/cu_pool.h"
#include "util/cu_str.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct job {
    cu_pool_fn fn;
    void *arg;
    struct job *next;
} job;

struct cu_pool {
    pthread_mutex_t lock;
    pthread_cond_t has_work;
    pthread_cond_t all_done;
    job *head, *tail;
    size_t pending; /* queued + running */
    bool stopping;
    int thread_count;
    pthread_t *threads;
};

static void *worker(void *arg)
{
    cu_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->has_work, &p->lock);
        if (!p->head && p->stopping)
            break;
        job *j = p->head;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        j->fn(j->arg);
        free(j);
        pthread_mutex_lock(&p->lock);
        if (--p->pending == 0)
            pthread_cond_broadcast(&p->all_done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

cu_pool *cu_pool_new(int threads)
{
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    if (threads > CU_POOL_THREADS_MAX)
        threads = CU_POOL_THREADS_MAX;
    cu_pool *p = cu_xcalloc(1, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->has_work, NULL);
    pthread_cond_init(&p->all_done, NULL);
    p->threads = cu_xcalloc((size_t)threads, sizeof(pthread_t));
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
            break;
        p->thread_count++;
    }
    if (p->thread_count == 0)
        abort(); /* cannot run any job; nothing sensible to return */
    return p;
}

void cu_pool_submit(cu_pool *p, cu_pool_fn fn, void *arg)
{
    job *j = cu_xmalloc(sizeof *j);
    j->fn = fn;
    j->arg = arg;
    j->next = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    p->pending++;
    pthread_cond_signal(&p->has_work);
    pthread_mutex_unlock(&p->lock);
}

void cu_pool_wait(cu_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->pending > 0)
        pthread_cond_wait(&p->all_done, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

void cu_pool_free(cu_pool *p)
{
    if (!p)
        return;
    cu_pool_wait(p);
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->has_work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->thread_count; i++)
        pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->has_work);
    pthread_cond_destroy(&p->all_done);
    free(p->threads);
    free(p);
}

int cu_pool_threads(const cu_pool *p)
{
    return p->thread_count;
}
