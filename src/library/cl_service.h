/* cl_service: the library kept up to date in the background — a scan at
 * start, then a rescan whenever the watched roots change — on a thread of
 * its own with its own catalog connection, so the server never waits. */
#ifndef CL_SERVICE_H
#define CL_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

typedef struct cl_service cl_service;

typedef struct cl_service_config {
    const char *db_path;
    const char *const *roots;
    size_t root_count;
    const char *cache_dir;   /* generated posters; NULL: none */
    int threads;             /* probing threads; <= 0: one per CPU */
    int quiet_ms;            /* debounce after the last change; <= 0: 1000 */
    int watch;               /* 0: scan once at start, never again */
    int offline_recheck_ms;  /* how often offline roots are looked at again; <= 0: 30 s */
} cl_service_config;

typedef struct cl_service_status {
    char state[16];          /* "starting", "scanning", "idle", "failed" */
    size_t found, probed, to_probe;
    size_t scans;            /* scans completed */
    int64_t started_at, finished_at; /* wall clock of the last scan */
    size_t films, extras, files;     /* found by the last scan */
    size_t added, changed, removed, moved, failed;
    char last_error[512];
    int watching;            /* 1 when changes are noticed live */
} cl_service_status;

int cl_service_start(const cl_service_config *config, cl_service **out, cu_err *err);
/* A consistent snapshot of what the service is doing. */
void cl_service_status_get(cl_service *service, cl_service_status *out);
/* Asks for a rescan now (as if the roots changed). */
void cl_service_rescan(cl_service *service);
/* Stops: an ongoing scan ends at its next save point, then the thread joins. */
void cl_service_stop(cl_service *service);

#endif
