/* cc_scan_status: what the library's scan service is doing, as one row the
 * catalog keeps: the service writes it (at the start and end of every scan,
 * and as a scan progresses), and /api/v1/status reads it. No module copies
 * the service's state into another's struct. */
#ifndef CC_SCAN_STATUS_H
#define CC_SCAN_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_scan_status {
    char state[16];                  /* "starting", "scanning", "idle", "failed" */
    int64_t found, probed, to_probe; /* the scan under way */
    int64_t scans;                   /* scans completed since the service started */
    int64_t started_at, finished_at; /* wall clock (seconds) of the last scan */
    int64_t films, extras, files;    /* found by the last scan */
    int64_t added, changed, removed, moved, failed;
    char last_error[512]; /* "" when the last scan did not fail */
    bool watching;        /* changes are noticed live */
    int64_t updated_at;   /* set by cc_scan_status_put */
} cc_scan_status;

/* Replaces the row (a write: one short transaction of its own). */
int cc_scan_status_put(cc_db *db, const cc_scan_status *status, cu_err *err);
/* Reads the row; CU_ENOTFOUND when no service ever wrote one. */
int cc_scan_status_get(cc_db *db, cc_scan_status *out, cu_err *err);

#endif
