/* cc_root: library roots as the catalog remembers them: the device they
 * were on, and whether they are offline (unmounted, unreachable, suddenly
 * empty). An offline root's films stay in the catalog with their ids and
 * everything people did with them; the API shows them as offline. */
#ifndef CC_ROOT_H
#define CC_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_root_state {
    bool known;     /* the catalog has a row for it */
    int64_t device; /* st_dev when last online; 0 when unknown */
    bool offline;
    char reason[256];
    int64_t since; /* offline since, epoch seconds */
} cc_root_state;

int cc_root_get(cc_db *db, const char *path, cc_root_state *out, cu_err *err);
/* Writes (inside the caller's transaction). */
int cc_root_set_online(cc_db *db, const char *path, int64_t device, int64_t now, cu_err *err);
int cc_root_set_offline(cc_db *db, const char *path, const char *reason, int64_t now, cu_err *err);
/* How many catalog files lie under the root. */
int cc_root_file_count(cc_db *db, const char *path, int64_t *count, cu_err *err);

/* Every root the catalog knows, by path (strings malloc'd; free with
 * cc_root_list_free). */
typedef struct cc_root_info {
    char *path;
    bool offline;
    char *reason; /* NULL when online */
    int64_t since;
} cc_root_info;
int cc_root_list(cc_db *db, cc_root_info **roots, size_t *count, cu_err *err);
void cc_root_list_free(cc_root_info *roots, size_t count);

/* Whether a film is offline: every one of its main files lies under an
 * offline root. */
int cc_root_film_offline(cc_db *db, int64_t film_id, bool *offline, cu_err *err);
/* Ids of every offline film (as cc_root_film_offline says), ascending
 * (*ids malloc'd, NULL when none). */
int cc_root_offline_film_ids(cc_db *db, int64_t **ids, size_t *count, cu_err *err);

#endif
