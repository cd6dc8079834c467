/* cli_scan: `cinemateca scan --db FILE DIR...` with live progress on a
 * terminal and a summary at the end. */
#include "catalog/cc_db.h"
#include "catalog/cc_browse.h"
#include "library/cl_background.h"
#include "catalog/cc_film.h"
#include "catalog/cc_scan_error.h"
#include "cli/cli.h"
#include "library/cl_scan.h"
#include "util/cu_path.h"
#include "util/cu_pool.h"
#include "util/cu_str.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void show_progress(const cl_scan_progress *p, void *user)
{
    (void)user;
    const char *current = p->current ? p->current : "";
    size_t len = strlen(current);
    /* Keep the line short: the tail of the path is the informative part. */
    if (len > 60)
        current += len - 60;
    if (!strcmp(p->phase, "walking"))
        fprintf(stderr, "\r\033[Kscanning: %zu files found  %s%s", p->found, len > 60 ? "..." : "",
                current);
    else
        fprintf(stderr, "\r\033[Kprobing: %zu/%zu probed, %zu found  %s%s", p->probed, p->to_probe,
                p->found, len > 60 ? "..." : "", current);
    fflush(stderr);
}

static void scan_usage(FILE *out)
{
    fprintf(out, "usage: cinemateca scan --db FILE [--threads N] [--quiet] [--no-posters]\n"
                 "                       [--purge-missing] DIR...\n"
                 "Scans (or rescans) the library folders DIR... into the catalog FILE.\n"
                 "Unchanged files are not probed again; removed files leave the catalog.\n"
                 "A folder that vanished, is empty or is another disk without its files is\n"
                 "offline: nothing under it is removed, unless --purge-missing is given.\n"
                 "Films without a poster get one cut from the film, kept in FILE.cache/\n"
                 "(--no-posters: don't).\n");
}

int cli_scan(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"threads", required_argument, NULL, 't'},
        {"quiet", no_argument, NULL, 'q'},
        {"no-posters", no_argument, NULL, 'P'},
        {"purge-missing", no_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL;
    int threads = 0, quiet = 0, posters = 1, purge = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "d:t:qh", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db_path = optarg; break;
        case 't':
            if (cli_parse_int(optarg, 0, CU_POOL_THREADS_MAX, &threads) < 0) {
                cli_error("--threads takes a number from 0 to %d (0: one per CPU), not '%s'",
                          CU_POOL_THREADS_MAX, optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'q': quiet = 1; break;
        case 'P': posters = 0; break;
        case 'M': purge = 1; break;
        case 'h': scan_usage(stdout); return CLI_EXIT_OK;
        default: scan_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (!db_path || optind >= argc) {
        cli_error("scan needs --db FILE and at least one library folder");
        scan_usage(stderr);
        return CLI_EXIT_USAGE;
    }

    cu_err err = {0};
    cc_db *db = NULL;
    if (cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err) < 0) {
        cli_error("%s", err.msg);
        return CLI_EXIT_FAIL;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    bool tty = !quiet && isatty(STDERR_FILENO);
    /* Generated posters live beside the catalog, never in the library. */
    char *abs_db = cu_path_absolute(db_path);
    char *cache_dir =
        posters ? cu_xasprintf("%s" CC_DB_CACHE_SUFFIX, abs_db ? abs_db : db_path) : NULL;
    free(abs_db);
    cl_scan_options so = {
        .roots = (const char *const *)(argv + optind),
        .root_count = (size_t)(argc - optind),
        .threads = threads,
        .progress = tty ? show_progress : NULL,
        .cancel = &interrupted,
        .purge_missing = purge,
    };
    cl_scan_report report;
    int rc = cl_scan_run(db, &so, &report, &err);
    /* Posters for films without one, now that they are all in the catalog.
     * (Keyframe indexes are left to `serve`'s background pass: they read
     * whole files.) */
    if (rc == 0 && cache_dir && !interrupted) {
        cl_background_options bo = {
            .cache_dir = cache_dir, .threads = threads, .cancel = &interrupted};
        cl_background_report br;
        rc = cl_background_run(db, &bo, &br, &err);
        report.posters_generated = br.posters;
    }
    free(cache_dir);
    if (tty)
        fprintf(stderr, "\r\033[K");
    if (rc < 0) {
        cli_error("scan failed: %s", err.msg);
        cl_scan_report_clear(&report);
        cc_db_close(db);
        return CLI_EXIT_FAIL;
    }
    cc_counts counts = {0};
    cc_browse_totals(db, &counts, NULL);
    if (!quiet) {
        printf("%s in %.1f s: %zu films, %zu extras, %zu video files\n",
               report.canceled ? "Scan interrupted" : "Scanned", report.elapsed_ms / 1000.0,
               report.films, report.extras, report.files);
        printf("files: %zu added, %zu changed, %zu removed, %zu moved, %zu unchanged, %zu failed\n",
               report.added, report.changed, report.removed, report.moved, report.unchanged,
               report.failed);
        if (report.metadata_read || report.posters_generated)
            printf("metadata: %zu .nfo files read, %zu posters generated\n", report.metadata_read,
                   report.posters_generated);
        if (report.offline)
            printf("offline: %zu library folders (their films are kept; see problems)\n",
                   report.offline);
        printf("catalog: %lld films, %lld extras, %lld files\n", (long long)counts.films,
               (long long)counts.extras, (long long)counts.files);
        if (report.failure_count) {
            printf("problems:\n");
            for (size_t i = 0; i < report.failure_count; i++)
                printf("  %s: %s\n", report.failures[i].path, report.failures[i].reason);
        }
        if (report.still_failing)
            printf("%zu unchanged files still fail from an earlier scan (not probed again)\n",
                   report.still_failing);
    }
    int canceled = report.canceled;
    cl_scan_report_clear(&report);
    cc_db_close(db);
    return canceled ? 130 : CLI_EXIT_OK;
}
