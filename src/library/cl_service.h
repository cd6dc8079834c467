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
    const char *cache_dir;  /* generated posters; NULL: none */
    int threads;            /* probing threads; <= 0: one per CPU */
    int quiet_ms;           /* debounce after the last change; <= 0: 1000 */
    int watch;              /* 0: scan once at start, never again */
    int offline_recheck_ms; /* how often offline roots are looked at again; <= 0: 30 s */
} cl_service_config;

/* Starts the service. What it is doing is a row of the catalog
 * (catalog/cc_scan_status.h), written from here on. */
int cl_service_start(const cl_service_config *config, cl_service **out, cu_err *err);
/* Asks for a rescan now (as if the roots changed). */
void cl_service_rescan(cl_service *service);
/* Stops: an ongoing scan ends at its next save point, then the thread joins. */
void cl_service_stop(cl_service *service);

#endif
