/* cl_scan: a scan or rescan of library roots into the catalog.
 * Walks the roots (cl_walk), compares with what the catalog knows, probes
 * new and changed files on a thread pool (cm_media), and writes the results
 * in short transactions so that a scan killed at any moment leaves a
 * consistent catalog and the next scan completes the work. */
#ifndef CL_SCAN_H
#define CL_SCAN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "util/cu_err.h"

typedef struct cl_scan_progress {
    const char *phase;   /* "walking", "probing", "saving" */
    size_t found;        /* video files found so far */
    size_t probed;       /* files probed so far in this scan */
    size_t to_probe;     /* files this scan has to probe */
    const char *current; /* folder being walked or file being saved */
} cl_scan_progress;

typedef void (*cl_scan_progress_fn)(const cl_scan_progress *progress, void *user);

typedef struct cl_scan_options {
    const char *const *roots;
    size_t root_count;
    int threads;                  /* probing threads; <= 0: one per CPU */
    cl_scan_progress_fn progress; /* may be NULL; called from the scanning thread */
    void *user;
    volatile sig_atomic_t *cancel; /* may be NULL; non-zero stops the scan early */
    /* A root that vanished, is empty or is another device without any of
     * its files is offline: marked so, and nothing under it is removed.
     * true: treat it as it is instead, and remove what is gone. */
    bool purge_missing;
} cl_scan_options;

typedef struct cl_scan_failure {
    char *path;
    char *reason;
} cl_scan_failure;

typedef struct cl_scan_report {
    size_t films;  /* films found in the scanned roots */
    size_t extras; /* special features found */
    size_t files;  /* video files found */
    size_t added, changed, removed, moved, unchanged;
    size_t failed;             /* files whose probe failed in this scan */
    size_t still_failing;      /* unchanged files that failed in an earlier scan */
    size_t metadata_read;      /* .nfo files read (new or changed) */
    size_t posters_generated;  /* filled by whoever runs cl_background after the scan */
    size_t offline;            /* roots found offline (each also listed in failures) */
    cl_scan_failure *failures; /* this scan's failures and walk problems */
    size_t failure_count, failure_cap;
    int64_t elapsed_ms;
    int canceled;
} cl_scan_report;

/* Scans every root. Fails before writing anything when a root is missing
 * or not a folder and the catalog knows nothing under it; a root the
 * catalog has files under is marked offline instead (see purge_missing),
 * and comes back online, as it was, on the first scan that finds it again.
 * Per-file problems are reported, not fatal. */
int cl_scan_run(cc_db *db, const cl_scan_options *options, cl_scan_report *report, cu_err *err);
void cl_scan_report_clear(cl_scan_report *report);

/* A cheap content fingerprint (size and hashes of the first and last
 * 64 KiB) used to recognise a file that moved. 17 bytes of hex + NUL. */
int cl_scan_fingerprint(const char *path, int64_t size, char out[17]);

#endif
