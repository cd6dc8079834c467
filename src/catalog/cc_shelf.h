/* cc_shelf: where a film stands on the shelf, kept at write time: its
 * sort key (util/cu_sortkey: article dropped for the title's language,
 * accents folded, numbers natural) and its collection (the .nfo's <set>,
 * else a `Collections/<Name>/` folder it lies in). Every write that can
 * change a title, a sort title, the .nfo's language, countries, a set, a
 * film's folder or its main files' audio languages calls cc_shelf_update
 * in the same transaction (cc_film.c, cc_file.c). */
#ifndef CC_SHELF_H
#define CC_SHELF_H

#include <stdint.h>

#include "catalog/cc_db.h"

int cc_shelf_update(cc_db *db, int64_t film_id, cu_err *err);
/* Every film: the migration that adds the columns (cc_db.c). */
int cc_shelf_rebuild(cc_db *db, cu_err *err);

/* The collection a film key (its folder path, or folder/stem) names by a
 * `Collections/<Name>/` folder above the film (any case): a pointer into
 * key and its length in *len, or NULL. Pure. */
const char *cc_shelf_folder_collection(const char *key, size_t *len);

#endif
