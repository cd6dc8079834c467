/* cc_search_why: why a film came up for a query when its title was not
 * the reason: "original title: Dolor y gloria", "with Antonio Banderas",
 * "as Salvador Mallo", "extra: In His Own Words", "plot". The query's
 * words are folded as the index folds them (cc_search_words); a field
 * matches when it holds every word (the last as a prefix unless the
 * query ends with a space). Typo matches have no reason to give. */
#ifndef CC_SEARCH_WHY_H
#define CC_SEARCH_WHY_H

#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_search_why {
    const char *field; /* NULL (the title, or nothing found), "original_title", "person",
                          "character", "extra", "plot" */
    char *text;        /* the matching value (malloc'd); NULL for plot */
    char *job;         /* for a person: their job in the film (malloc'd) */
} cc_search_why;

int cc_search_why_film(cc_db *db, int64_t film_id, const char *query, cc_search_why *out,
                       cu_err *err);
void cc_search_why_clear(cc_search_why *why);

#endif
