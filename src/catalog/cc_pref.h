/* cc_pref: each user's own preferences (the web app's TV layout, ...),
 * kept with the account so that a sign-in on another browser finds them.
 * User 0 is local mode's, as in watch. A value is the JSON text of one
 * preference, checked by the caller (server/cs_api_pref.c knows the
 * names); the catalog only stores it, bounded. A user's removal takes
 * their preferences with them. */
#ifndef CC_PREF_H
#define CC_PREF_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

#define CC_PREF_NAME_MAX 64
#define CC_PREF_VALUE_MAX 1024
#define CC_PREF_COUNT_MAX 64 /* read back at most this many per user */

typedef struct cc_pref {
    char *name, *value; /* malloc'd */
} cc_pref;

typedef struct cc_pref_list {
    cc_pref *items;
    size_t count;
} cc_pref_list;

/* The user's preferences by name (none: an empty list). */
int cc_pref_list_get(cc_db *db, int64_t user_id, cc_pref_list *out, cu_err *err);
void cc_pref_list_clear(cc_pref_list *list);
/* Sets one (a write; value NULL forgets it). CU_EINVAL when the name or
 * value is empty or longer than the limits above. */
int cc_pref_set(cc_db *db, int64_t user_id, const char *name, const char *value, int64_t now,
                cu_err *err);

#endif
