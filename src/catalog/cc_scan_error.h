/* cc_scan_error: what a scan could not read: one row per path, replaced on
 * every scan of that path. */
#ifndef CC_SCAN_ERROR_H
#define CC_SCAN_ERROR_H

#include <stdint.h>

#include "catalog/cc_db.h"

int cc_scan_error_put(cc_db *db, const char *path, const char *root, const char *kind,
                      const char *message, cu_err *err);
int cc_scan_error_clear(cc_db *db, const char *path, cu_err *err);
/* Drops errors under root for paths not seen by this scan (start time). */
int cc_scan_error_prune(cc_db *db, const char *root, int64_t before, cu_err *err);

/* Scan errors, newest first: fn gets path, kind, message. */
int cc_scan_error_each(cc_db *db,
                       int (*fn)(const char *path, const char *kind, const char *message,
                                 void *user),
                       void *user, cu_err *err);

#endif
