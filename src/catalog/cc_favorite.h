/* cc_favorite: the films each user marked as favourites (the Jellyfin
 * API's IsFavorite; user 0 is local mode's). A film's removal takes its
 * marks with it. */
#ifndef CC_FAVORITE_H
#define CC_FAVORITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

/* Marks or unmarks (a write). CU_ENOTFOUND when there is no such film. */
int cc_favorite_set(cc_db *db, int64_t user_id, int64_t film_id, bool favorite, int64_t now,
                    cu_err *err);
int cc_favorite_get(cc_db *db, int64_t user_id, int64_t film_id, bool *favorite, cu_err *err);
/* The user's favourite film ids, ascending (*ids malloc'd, NULL when none). */
int cc_favorite_list(cc_db *db, int64_t user_id, int64_t **ids, size_t *count, cu_err *err);

#endif
