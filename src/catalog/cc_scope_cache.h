/* cc_scope_cache: each restricted user's visible films, kept between
 * requests. Reading them walks every film (a tenth of a second with
 * 100,000), and a restricted user's every request needs them, segments
 * and posters included. A set is kept while the catalog's visibility
 * stamp (schema 20: moved by triggers whenever a film's certification, a
 * file's film or root, or a film or file itself comes or goes) and the
 * user's own limits are what it was read with; otherwise it is read
 * again. Shared by the server's threads (one lock, named below). */
#ifndef CC_SCOPE_CACHE_H
#define CC_SCOPE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_user.h"

typedef struct cc_scope_cache cc_scope_cache;
/* A user's visible films, read-only and shared: a reference. */
typedef struct cc_scope_set cc_scope_set;

/* Keeps at most max_users sets (the least recently used goes). */
cc_scope_cache *cc_scope_cache_new(size_t max_users);
/* Every set still referenced stays valid until its last unref. */
void cc_scope_cache_free(cc_scope_cache *cache);

/* The films user may see (cc_scope_film_ids), from cache when still good,
 * read through db otherwise. *out is a reference the caller gives back
 * with cc_scope_set_unref. */
int cc_scope_cache_get(cc_scope_cache *cache, cc_db *db, const cc_user *user, cc_scope_set **out,
                       cu_err *err);
/* The set's ids, ascending (NULL when none). */
const int64_t *cc_scope_set_ids(const cc_scope_set *set, size_t *count);
void cc_scope_set_unref(cc_scope_set *set);

/* The catalog's visibility stamp (schema 20). */
int cc_scope_stamp(cc_db *db, int64_t *out, cu_err *err);

#endif
