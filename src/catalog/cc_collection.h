/* cc_collection: collections of films (the .nfo's <set>, or a
 * `Collections/<Name>/` folder), as cc_shelf keeps them: listed with
 * their counts, or one by id. Their films are cc_browse_films with
 * filter.collection_id. */
#ifndef CC_COLLECTION_H
#define CC_COLLECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_collection {
    int64_t id;
    char *name, *overview;
    char *source;        /* nfo | folder */
    int64_t count;       /* films in it (that the caller may see) */
    int64_t poster_film; /* a film of it with a poster, earliest first; 0: none */
} cc_collection;

typedef struct cc_collection_list {
    cc_collection *items;
    size_t count;
} cc_collection_list;

/* Every collection with at least one film in ids (every film when ids is
 * NULL), by name as shelved. */
int cc_collection_list_all(cc_db *db, const int64_t *ids, size_t id_count, cc_collection_list *out,
                           cu_err *err);
/* One collection; CU_ENOTFOUND when there is none with id, or none of its
 * films is in ids (when ids is not NULL). out is cleared with
 * cc_collection_clear. */
int cc_collection_get(cc_db *db, int64_t id, const int64_t *ids, size_t id_count,
                      cc_collection *out, cu_err *err);
/* The collection a film is in: *id 0 when none. */
int cc_collection_of_film(cc_db *db, int64_t film_id, int64_t *id, char **name, cu_err *err);
void cc_collection_clear(cc_collection *c);
void cc_collection_list_clear(cc_collection_list *list);

#endif
