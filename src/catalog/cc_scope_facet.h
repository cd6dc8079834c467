/* cc_scope_facet: what a filter menu offers (genres, tags, studios,
 * certifications, years) counted over a set of films: a restricted user's,
 * or one library folder's, so that a film they may not see leaves no
 * trace (the Jellyfin API's /Items/Filters). */
#ifndef CC_SCOPE_FACET_H
#define CC_SCOPE_FACET_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"

typedef enum {
    CC_FACET_GENRE, /* by name, any case order */
    CC_FACET_TAG,
    CC_FACET_STUDIO,
    CC_FACET_RATING, /* certifications (mpaa), by name */
    CC_FACET_YEAR,   /* "2019", newest first; films without a year left out */
} cc_scope_facet;

/* Names with their film counts, over the films in ids[0..count) (none
 * when count is 0), or over every film when ids is NULL. out is emptied
 * first; free with cc_browse_counts_clear. */
int cc_scope_facet_list(cc_db *db, cc_scope_facet facet, const int64_t *ids, size_t count,
                        cc_count_list *out, cu_err *err);

#endif
