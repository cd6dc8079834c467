/* cp_cache: a size-capped disk cache of produced files (HLS segments,
 * transcodes, subtitles) keyed by strings, with least-recently-used
 * eviction. Files live in one directory, written to a temporary name and
 * renamed, so a reader never sees half a file. Thread-safe (one lock). */
#ifndef CP_CACHE_H
#define CP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

typedef struct cp_cache cp_cache;

/* Opens (creating it if needed) the cache directory dir, holding at most
 * max_bytes. Files already there are adopted, oldest first to go; stale
 * temporary files are removed. */
int cp_cache_new(const char *dir, uint64_t max_bytes, cp_cache **out, cu_err *err);
void cp_cache_free(cp_cache *cache);

/* Stores data under key (replacing), then evicts down to the cap. A file
 * larger than the whole cap is not stored (CU_ELIMIT). */
int cp_cache_put(cp_cache *cache, const char *key, const void *data, size_t len, cu_err *err);
/* The contents under key in a new buffer (caller frees *data): 0, or
 * CU_ENOTFOUND. Marks the entry as just used. */
int cp_cache_get(cp_cache *cache, const char *key, uint8_t **data, size_t *len);
/* An open descriptor on the file under key, for sendfile (caller closes;
 * it stays readable even if the entry is evicted meanwhile). */
int cp_cache_open(cp_cache *cache, const char *key, int *fd, uint64_t *size);
void cp_cache_remove(cp_cache *cache, const char *key);
uint64_t cp_cache_bytes(cp_cache *cache);
size_t cp_cache_count(cp_cache *cache);

#endif
