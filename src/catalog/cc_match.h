/* cc_match: the films having any of several values of one field, for
 * filters that accept a list and mean "any of these" (the Jellyfin API's
 * Genres=Drama|Comedy, Years=2019,2020, PersonIds=a,b). Values are bound,
 * never written into the SQL. */
#ifndef CC_MATCH_H
#define CC_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef enum {
    CC_MATCH_GENRE, /* film_terms, exact, any case */
    CC_MATCH_STUDIO,
    CC_MATCH_TAG,
    CC_MATCH_RATING, /* the certification (mpaa), exact, any case */
    CC_MATCH_YEAR,   /* values are years ("2019") */
    CC_MATCH_PERSON, /* values are person ids ("42"), any job */
} cc_match_field;

#define CC_MATCH_MAX 64 /* values in one question */

/* Ids (ascending, *ids malloc'd, NULL when none) of the films matching
 * any of values[0..count). CU_EINVAL for more than CC_MATCH_MAX values or
 * a year or person id that is not a number. */
int cc_match_any(cc_db *db, cc_match_field field, const char *const *values, size_t count,
                 int64_t **ids, size_t *found, cu_err *err);

#endif
