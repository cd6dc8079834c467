/* cc_edition: a film's editions (its cuts) and their versions (copies of
 * one cut: a file, a set of parts, or a disc). Every main file belongs to
 * one version; the library decides which from names (cl_edition) and
 * places files with cc_edition_place, then drops what is left empty with
 * cc_edition_prune. Labels are "" for the default edition or version. */
#ifndef CC_EDITION_H
#define CC_EDITION_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "util/cu_arena.h"

typedef struct cc_version {
    int64_t id;
    const char *label; /* "" for the default version */
    const char *kind;  /* "file" | "bluray" | "dvd" */
    cc_file *files;    /* parts in order; a disc's titles, its main title first */
    size_t file_count;
} cc_version;

typedef struct cc_edition {
    int64_t id;
    const char *label; /* "" for the default edition */
    double runtime;    /* seconds: the longest version's main parts together */
    cc_version *versions;
    size_t version_count;
} cc_edition;

/* Puts file_id into the version (version_label, kind) of the edition
 * edition_label of film_id, creating both as needed; disc_title and
 * title_kind ("main" | "extra") describe a disc's title (0 and NULL for a
 * plain file). A write: group it with cc_writer. */
int cc_edition_place(cc_db *db, int64_t film_id, const char *edition_label,
                     const char *version_label, const char *kind, int64_t file_id, int disc_title,
                     const char *title_kind, cu_err *err);
/* Removes versions without files and editions without versions. */
int cc_edition_prune(cc_db *db, cu_err *err);

/* A film's editions (default first, then by label) with their versions and
 * files (streams included), all allocated from arena. */
int cc_edition_list(cc_db *db, cu_arena *arena, int64_t film_id, cc_edition **editions,
                    size_t *count, cu_err *err);

/* The migration step that gives an existing catalog its editions: every
 * film's main files go to versions (by their old label) of a default
 * edition. Labels that name a cut are moved to their own edition by the
 * next scan, which places every file by its name. */
int cc_edition_migrate(cc_db *db, cu_err *err);

#endif
