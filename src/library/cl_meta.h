/* cl_meta: turning what a film's .nfo or container tags say into catalog
 * metadata. The precedence is .nfo, then tags, then the names. */
#ifndef CL_META_H
#define CL_META_H

#include <stdint.h>

#include "catalog/cc_db.h"
#include "library/cl_nfo.h"

/* Replaces the film's metadata with what nfo says (its record is stored as
 * it is, marked as from an .nfo, dated by <premiered> when it has no year). */
int cl_meta_apply_nfo(cc_db *db, int64_t film_id, cl_nfo *nfo, cu_err *err);

/* Container tags of the film's main file; any may be NULL. A title that
 * looks like a release name ("Film.2019.1080p-GROUP") is not used. */
typedef struct cl_meta_tags {
    char *title, *date, *description;
} cl_meta_tags;

/* Applies tags when they say anything useful; *applied tells whether they did. */
int cl_meta_apply_tags(cc_db *db, int64_t film_id, const cl_meta_tags *tags, int *applied,
                       cu_err *err);
void cl_meta_tags_clear(cl_meta_tags *tags);

#endif
