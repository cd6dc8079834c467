/* cu_pool: a fixed-size thread pool with a FIFO job queue.
 * Jobs run on worker threads; cu_pool_wait blocks until the queue is empty
 * and every worker idle. */
#ifndef CU_POOL_H
#define CU_POOL_H

#include <stddef.h>

typedef struct cu_pool cu_pool;
typedef void (*cu_pool_fn)(void *arg);

/* threads <= 0 means one per online CPU. */
/* Threads a pool runs at most (more are clamped to it). */
#define CU_POOL_THREADS_MAX 64

cu_pool *cu_pool_new(int threads);
void cu_pool_submit(cu_pool *pool, cu_pool_fn fn, void *arg);
void cu_pool_wait(cu_pool *pool);
/* Waits for queued jobs, then joins the workers. */
void cu_pool_free(cu_pool *pool);
int cu_pool_threads(const cu_pool *pool);

#endif
