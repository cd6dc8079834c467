/* cm_cache: a size-capped disk cache of produced files (HLS segments,
 * transcodes, subtitles) keyed by strings, with least-recently-used
 * eviction. Files live in one directory, written to a temporary name and
 * renamed, so a reader never sees half a file. Thread-safe (one lock). */
#ifndef CM_CACHE_H
#define CM_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

typedef struct cm_cache cm_cache;

/* Opens (creating it if needed) the cache directory dir, holding at most
 * max_bytes. Files already there are adopted, oldest first to go; stale
 * temporary files are removed. */
int cm_cache_new(const char *dir, uint64_t max_bytes, cm_cache **out, cu_err *err);
void cm_cache_free(cm_cache *cache);

/* Stores data under key (replacing), then evicts down to the cap. A file
 * larger than the whole cap is not stored (CU_ELIMIT). */
int cm_cache_put(cm_cache *cache, const char *key, const void *data, size_t len, cu_err *err);
/* The contents under key in a new buffer (caller frees *data): 0, or
 * CU_ENOTFOUND. Marks the entry as just used. */
int cm_cache_get(cm_cache *cache, const char *key, uint8_t **data, size_t *len);
/* An open descriptor on the file under key, for sendfile (caller closes;
 * it stays readable even if the entry is evicted meanwhile). */
int cm_cache_open(cm_cache *cache, const char *key, int *fd, uint64_t *size);
void cm_cache_remove(cm_cache *cache, const char *key);
uint64_t cm_cache_bytes(cm_cache *cache);
size_t cm_cache_count(cm_cache *cache);

#endif
