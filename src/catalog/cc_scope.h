/* cc_scope: what a restricted user may see. A user limited to some
 * library roots, or to films rated at most some certification, sees the
 * films with a file under one of those roots and a known certification at
 * or under the limit (a film without a certification is hidden from a
 * user with a limit), and nothing else: lists, counts, people, extras,
 * files. The server asks for the set of visible film ids once per request
 * (kept between requests by cc_scope_cache.h) and filters by it. */
#ifndef CC_SCOPE_H
#define CC_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"
#include "catalog/cc_user.h"

/* True when user sees less than everything. */
bool cc_scope_restricted(const cc_user *user);

/* Ids of the films user may see, ascending (*ids malloc'd, NULL when none). */
int cc_scope_film_ids(cc_db *db, const cc_user *user, int64_t **ids, size_t *count, cu_err *err);
/* Whether id is in the sorted ids. */
bool cc_scope_has(const int64_t *ids, size_t count, int64_t id);

/* The film a file belongs to (a main file or an extra's) and the root it
 * was found under (malloc'd). CU_ENOTFOUND when no such file; film_id 0
 * when the file belongs to no film. */
int cc_scope_file_owner(cc_db *db, int64_t file_id, int64_t *film_id, char **root, cu_err *err);
/* Ids of the films with a file found under root, ascending (*ids
 * malloc'd, NULL when none): a library folder's films. */
int cc_scope_root_film_ids(cc_db *db, const char *root, int64_t **ids, size_t *count, cu_err *err);
/* Whether user may see root (all_roots, or one of theirs). */
bool cc_scope_root_allowed(const cc_user *user, const char *root);

/* Whether person has a credit in one of the given films. */
int cc_scope_person_visible(cc_db *db, int64_t person_id, const int64_t *ids, size_t count,
                            bool *visible, cu_err *err);

/* Genres, festivals and counts over the given films only. */
int cc_scope_genre_list(cc_db *db, const int64_t *ids, size_t count, cc_count_list *out,
                        cu_err *err);
int cc_scope_festival_list(cc_db *db, const int64_t *ids, size_t count, cc_count_list *out,
                           cu_err *err);
int cc_scope_counts(cc_db *db, const int64_t *ids, size_t count, cc_counts *out, cu_err *err);

/* Files whose probe failed, with their reasons (for admins), newest
 * first, at most limit. */
typedef struct cc_failed_file {
    int64_t id;
    char *path, *error;
} cc_failed_file;
int cc_scope_failed_files(cc_db *db, size_t limit, cc_failed_file **out, size_t *count,
                          cu_err *err);
void cc_scope_failed_files_free(cc_failed_file *files, size_t count);

#endif
