/* cl_service: one background thread: scan, then wait for changes, rescan.
 * Its status is a row of the catalog (cc_scan_status), written through the
 * service's own connection; the scan writes through another. Only the
 * service thread touches `status` after the start. */
#include "library/cl_service.h"
#include "catalog/cc_db.h"
#include "catalog/cc_scan_status.h"
#include "library/cl_background.h"
#include "library/cl_scan.h"
#include "library/cl_watch.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct cl_service {
    cl_service_config config;
    char **roots;
    char *db_path, *cache_dir;
    pthread_t thread;
    cc_db *status_db; /* where the status row is written */
    cc_scan_status status;
    int64_t status_written_ms; /* monotonic time of the last progress write */
    volatile sig_atomic_t stopping;
    volatile sig_atomic_t rescan_requested;
    /* The background pass (posters, keyframe indexes) after each scan runs
     * on a thread of its own at the lowest priority; a scan about to start
     * sets yield and joins it first (it resumes after that scan). */
    pthread_t background;
    bool background_running;
    volatile sig_atomic_t yield;
    cl_watch *watch;
    size_t offline_roots; /* found offline by the last scan (service thread only) */
    int64_t last_scan_ms;
    int64_t offline_recheck_ms;
};

/* Status writes are best effort: a catalog too busy to take one is logged
 * and the scan goes on (the next write brings the row up to date). */
static void write_status(cl_service *s)
{
    cu_err err = {0};
    if (cc_scan_status_put(s->status_db, &s->status, &err) < 0)
        cu_log(CU_LOG_WARN, "cannot record the scan status: %s", err.msg);
    s->status_written_ms = cu_time_mono_ms();
}

/* Progress is written at most a few times a second: enough for a person
 * watching, and the catalog's writer stays the scan's. */
#define PROGRESS_WRITE_MS 250

static void on_progress(const cl_scan_progress *p, void *user)
{
    cl_service *s = user;
    s->status.found = (int64_t)p->found;
    s->status.probed = (int64_t)p->probed;
    s->status.to_probe = (int64_t)p->to_probe;
    if (cu_time_mono_ms() - s->status_written_ms >= PROGRESS_WRITE_MS)
        write_status(s);
}

static void run_scan(cl_service *s)
{
    cu_err err = {0};
    cc_db *db = NULL;
    cl_scan_report report = {0};
    cu_strlcpy(s->status.state, "scanning", sizeof s->status.state);
    s->status.started_at = cu_time_now();
    s->status.found = s->status.probed = s->status.to_probe = 0;
    write_status(s);

    cl_scan_options opt = {
        .roots = (const char *const *)s->roots,
        .root_count = s->config.root_count,
        .threads = s->config.threads,
        .progress = on_progress,
        .user = s,
        .cancel = &s->stopping,
    };
    int rc = cc_db_open(s->db_path, CC_OPEN_READWRITE, &db, &err);
    if (rc == 0)
        rc = cl_scan_run(db, &opt, &report, &err);
    cc_db_close(db);

    s->status.finished_at = cu_time_now();
    s->last_scan_ms = cu_time_mono_ms();
    if (rc < 0) {
        cu_strlcpy(s->status.state, "failed", sizeof s->status.state);
        cu_strlcpy(s->status.last_error, err.msg, sizeof s->status.last_error);
    } else {
        cu_strlcpy(s->status.state, "idle", sizeof s->status.state);
        s->status.last_error[0] = '\0';
        s->status.scans++;
        s->status.films = (int64_t)report.films;
        s->status.extras = (int64_t)report.extras;
        s->status.files = (int64_t)report.files;
        s->status.added = (int64_t)report.added;
        s->status.changed = (int64_t)report.changed;
        s->status.removed = (int64_t)report.removed;
        s->status.moved = (int64_t)report.moved;
        s->status.failed = (int64_t)report.failed;
        s->offline_roots = report.offline;
    }
    write_status(s);
    if (rc < 0)
        cu_log(CU_LOG_ERROR, "scan failed: %s", err.msg);
    else
        cu_log(CU_LOG_INFO, "scan: %zu films, %zu added, %zu changed, %zu removed in %lld ms",
               report.films, report.added, report.changed, report.removed,
               (long long)report.elapsed_ms);
    cl_scan_report_clear(&report);
}

/* Pause after each keyframe index: the pass reads whole files, and the
 * disk is shared with whoever is watching a film. */
#define BACKGROUND_PAUSE_MS 200

static void *background_main(void *arg)
{
    cl_service *s = arg;
    cu_err err = {0};
    cc_db *db = NULL;
    cl_background_options opt = {
        .cache_dir = s->cache_dir,
        .keyframes = true,
        .threads = 1,
        .pause_ms = BACKGROUND_PAUSE_MS,
        .low_priority = true,
        .cancel = &s->stopping,
        .yield = &s->yield,
    };
    cl_background_report report = {0};
    int rc = cc_db_open(s->db_path, CC_OPEN_READWRITE, &db, &err);
    if (rc == 0)
        rc = cl_background_run(db, &opt, &report, &err);
    cc_db_close(db);
    if (rc < 0)
        cu_log(CU_LOG_WARN, "background pass: %s", err.msg);
    else if (report.posters || report.keyframes || report.trickplay || report.failed)
        cu_log(CU_LOG_INFO,
               "background pass: %zu posters, %zu keyframe indexes, %zu trickplay, %zu failed%s",
               report.posters, report.keyframes, report.trickplay, report.failed,
               report.stopped ? " (stopped; resumes after the next scan)" : "");
    return NULL;
}

static void background_stop(cl_service *s)
{
    if (!s->background_running)
        return;
    s->yield = 1;
    pthread_join(s->background, NULL);
    s->background_running = false;
    s->yield = 0;
}

static void background_start(cl_service *s)
{
    background_stop(s);
    if (s->stopping)
        return;
    s->background_running = pthread_create(&s->background, NULL, background_main, s) == 0;
    if (!s->background_running)
        cu_log(CU_LOG_WARN, "cannot start the background pass");
}

static void *service_main(void *arg)
{
    cl_service *s = arg;
    int quiet_ms = s->config.quiet_ms > 0 ? s->config.quiet_ms : 1000;
    run_scan(s);
    background_start(s);
    while (!s->stopping) {
        int changed;
        if (s->watch) {
            changed = cl_watch_wait(s->watch, quiet_ms, 500);
        } else {
            struct timespec ts = {0, 100 * 1000000L};
            nanosleep(&ts, NULL);
            changed = 0;
        }
        if (s->stopping)
            break;
        /* An offline root gives no inotify event when its disk is mounted
         * again (the watch is on the folder underneath): look again now
         * and then. */
        bool recheck =
            s->offline_roots && cu_time_mono_ms() - s->last_scan_ms >= s->offline_recheck_ms;
        if (changed || s->rescan_requested || recheck) {
            s->rescan_requested = 0;
            background_stop(s);
            run_scan(s);
            background_start(s);
        }
    }
    background_stop(s);
    return NULL;
}

static void free_service(cl_service *s)
{
    cl_watch_free(s->watch);
    cc_db_close(s->status_db);
    for (size_t i = 0; i < s->config.root_count; i++)
        free(s->roots[i]);
    free(s->roots);
    free(s->db_path);
    free(s->cache_dir);
    free(s);
}

int cl_service_start(const cl_service_config *config, cl_service **out, cu_err *err)
{
    *out = NULL;
    cl_service *s = cu_xcalloc(1, sizeof *s);
    s->config = *config;
    s->offline_recheck_ms = config->offline_recheck_ms > 0 ? config->offline_recheck_ms : 30000;
    s->db_path = cu_xstrdup(config->db_path);
    s->cache_dir = config->cache_dir ? cu_xstrdup(config->cache_dir) : NULL;
    s->roots = cu_xcalloc(config->root_count + 1, sizeof *s->roots);
    for (size_t i = 0; i < config->root_count; i++)
        s->roots[i] = cu_xstrdup(config->roots[i]);
    if (cc_db_open(s->db_path, CC_OPEN_READWRITE, &s->status_db, err) < 0) {
        free_service(s);
        return CU_EDB;
    }
    cu_strlcpy(s->status.state, "starting", sizeof s->status.state);
    if (config->watch) {
        cu_err werr = {0};
        if (cl_watch_new(config->roots, config->root_count, &s->watch, &werr) < 0)
            cu_log(CU_LOG_WARN, "%s; the library will only be rescanned on request", werr.msg);
        else if (cl_watch_degraded(s->watch))
            cu_log(CU_LOG_WARN,
                   "inotify watch limit reached: some folders are rescanned every few seconds");
    }
    s->status.watching = s->watch != NULL;
    write_status(s); /* before the server starts: /api/v1/status finds it */
    if (pthread_create(&s->thread, NULL, service_main, s) != 0) {
        free_service(s);
        return cu_err_set(err, CU_EBUSY, "cannot start the scanning thread");
    }
    *out = s;
    return 0;
}

void cl_service_rescan(cl_service *s)
{
    s->rescan_requested = 1;
    if (s->watch)
        cl_watch_stop(s->watch); /* wakes the wait; the loop sees the request */
}

void cl_service_stop(cl_service *s)
{
    if (!s)
        return;
    s->stopping = 1;
    if (s->watch)
        cl_watch_stop(s->watch);
    pthread_join(s->thread, NULL);
    free_service(s);
}
