/* cli_serve: `cinemateca serve`: keeps the library current in the
 * background (cl_service) and answers HTTP (cs_server) until SIGINT or
 * SIGTERM. */
#include "catalog/cc_backup.h"
#include "catalog/cc_db.h"
#include "catalog/cc_root.h"
#include "dlna/dl_dlna.h"
#include "cli/cli.h"
#include "library/cl_service.h"
#include "server/cs_server.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef CINEMATECA_WEB_DIR
#define CINEMATECA_WEB_DIR "web"
#endif

/* The address part of --listen, for DLNA (IPv4 only). */
static int listen_host(const char *listen, char *out, size_t size)
{
    const char *colon = strrchr(listen, ':');
    size_t n = colon ? (size_t)(colon - listen) : strlen(listen);
    if (listen[0] == '[' || n >= size)
        return -1;
    memcpy(out, listen, n);
    out[n] = '\0';
    if (!n || !strcmp(out, "localhost"))
        cu_strlcpy(out, "127.0.0.1", size);
    return 0;
}

/* Tests run SSDP on another port than 1900 (CINEMATECA_SSDP_PORT). */
static int ssdp_port_from_env(void)
{
    const char *v = getenv("CINEMATECA_SSDP_PORT");
    int port = v ? atoi(v) : 0;
    return port > 0 && port < 65536 ? port : 0;
}

int cli_serve_run(const cli_serve_options *opt)
{
    dl_server *dlna = NULL;
    int status = CLI_EXIT_FAIL;
    cu_err err = {0};
    cl_service *service = NULL;
    cs_server *server = NULL;
    cc_backup_keeper *backups = NULL;
    char *db_path = NULL, *cache_dir = NULL;
    char **roots = cu_xcalloc(opt->root_count + 1, sizeof *roots);
    size_t root_count = 0;
    sigset_t stop_signals, old_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    bool masked = false;

    db_path = cu_path_absolute(opt->db_path);
    if (!db_path) {
        cli_error("%s: %s", opt->db_path, strerror(errno));
        goto done;
    }
    cache_dir = cu_xasprintf("%s.cache", db_path);
    /* Create (or upgrade) the catalog now, so the server's read-only
     * connections find it even before the first scan writes anything. */
    cc_db *db = NULL;
    if (cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    for (size_t i = 0; i < opt->root_count; i++) {
        struct stat st;
        char *real = cu_path_real(opt->roots[i]);
        int64_t known = 0;
        if (!real && errno == ENOENT && (real = cu_path_absolute(opt->roots[i])) &&
            cc_root_file_count(db, real, &known, NULL) == 0 && known > 0) {
            /* An unmounted disk the catalog has films on: offline, its
             * films kept, until it is back. */
            cli_error("warning: %s: not found; its films are shown offline until it is back",
                      opt->roots[i]);
            roots[root_count++] = real;
            continue;
        }
        if (!real) {
            cli_error("%s: not a folder (%s)", opt->roots[i], strerror(ENOENT));
            cc_db_close(db);
            goto done;
        }
        bool found = stat(real, &st) == 0;
        if (!found || !S_ISDIR(st.st_mode)) {
            cli_error("%s: not a folder (%s)", opt->roots[i],
                      found ? "not a directory" : strerror(errno));
            free(real);
            cc_db_close(db);
            goto done;
        }
        roots[root_count++] = real;
    }
    cc_db_close(db);

    /* Every thread started from here on inherits the blocked signals; this
     * thread takes them with sigwait. */
    signal(SIGPIPE, SIG_IGN);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
    masked = true;

    cl_service_config sc = {
        .db_path = db_path,
        .roots = (const char *const *)roots,
        .root_count = root_count,
        .cache_dir = cache_dir,
        .watch = !opt->no_watch,
    };
    if (root_count && cl_service_start(&sc, &service, &err) < 0) {
        cli_error("library service: %s", err.msg);
        goto done;
    }
    const char *web = opt->web_dir;
    if (!web)
        web = getenv("CINEMATECA_WEB_DIR");
    if (!web || !*web)
        web = CINEMATECA_WEB_DIR;
    const char *listen = opt->listen ? opt->listen : "127.0.0.1:8420";
    if (opt->dlna) {
        char host[64];
        if (listen_host(listen, host, sizeof host) < 0) {
            cli_error("--dlna needs an IPv4 --listen address (SSDP is IPv4), not %s", listen);
            goto done;
        }
        dl_config dc = {
            .name = opt->dlna_name,
            .listen_addr = host,
            .allow = opt->dlna_allow,
            .allow_count = opt->dlna_allow_count,
            .identity = db_path,
            .user = opt->dlna_user,
            .ssdp_port = ssdp_port_from_env(),
        };
        if (dl_server_new(&dc, &dlna, &err) < 0) {
            cli_error("dlna: %s", err.msg);
            goto done;
        }
    }
    cs_config cc = {
        .db_path = db_path,
        .cache_dir = cache_dir,
        .web_root = web,
        .listen = listen,
        .allow_hosts = opt->allow_hosts,
        .allow_host_count = opt->allow_host_count,
        .roots = (const char *const *)roots,
        .root_count = root_count,
        .threads = opt->threads,
        .scan_service = service != NULL,
        .doors = dlna ? dl_server_door(dlna) : NULL,
        .door_count = dlna ? 1 : 0,
    };
    if (cs_server_new(&cc, &server, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (dlna && dl_server_start(dlna, cs_server_port(server), &err) < 0) {
        cli_error("dlna: %s", err.msg);
        goto done;
    }
    /* A backup a day beside the catalog, the last CC_BACKUP_KEEP kept. */
    if (cc_backup_keeper_start(db_path, CC_BACKUP_KEEP, &backups, &err) < 0)
        cli_error("warning: no daily backups: %s", err.msg);
    printf("cinemateca: serving %s\n", cs_server_url(server));
    if (dlna)
        printf("cinemateca: DLNA media server %s at %sdlna/description.xml\n",
               dl_server_uuid(dlna), cs_server_url(server));
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    fprintf(stderr, "cinemateca: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
    status = CLI_EXIT_OK;
done:
    /* Requests stop first (they read the catalog), then the writer. */
    cs_server_free(server);
    dl_server_free(dlna); /* after the HTTP threads that use it; says byebye */
    cl_service_stop(service);
    cc_backup_keeper_stop(backups);
    if (masked)
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    for (size_t i = 0; i < root_count; i++)
        free(roots[i]);
    free(roots);
    free(db_path);
    free(cache_dir);
    return status;
}

static void serve_usage(FILE *out)
{
    fprintf(out,
            "usage: cinemateca serve --db FILE [--listen ADDRESS:PORT] [--web DIR]\n"
            "                        [--allow-host NAME]... [--threads N] [--no-watch] DIR...\n"
            "Serves the catalog FILE over HTTP (JSON API under /api/v1, the films\n"
            "themselves, and the web app), scanning the library folders DIR... in the\n"
            "background and watching them for changes.\n"
            "  --listen       address and port (default 127.0.0.1:8420; port 0: any free)\n"
            "  --web          the web app's folder (default: $CINEMATECA_WEB_DIR, else\n"
            "                 the source tree's web/)\n"
            "  --allow-host   a host name the server may be reached by, besides IP\n"
            "                 addresses and localhost (repeatable)\n"
            "  --threads      HTTP worker threads (default 4)\n"
            "  --no-watch     scan once at start, not on every change\n"
            "  --dlna         also be a DLNA/UPnP media server for TVs on the local network\n"
            "                 (SSDP on UDP 1900; needs an IPv4 --listen address)\n"
            "  --dlna-name    the name TVs show (default \"cinemateca on HOSTNAME\")\n"
            "  --dlna-user    whose view of the library DLNA shows\n"
            "  --dlna-allow   a subnet (CIDR) allowed to see the server (repeatable;\n"
            "                 default: the subnets of the listen address)\n");
}

int cli_serve(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"web", required_argument, NULL, 'w'},
        {"allow-host", required_argument, NULL, 'a'},
        {"threads", required_argument, NULL, 't'},
        {"no-watch", no_argument, NULL, 'W'},
        {"dlna", no_argument, NULL, 'D'},
        {"dlna-name", required_argument, NULL, 'N'},
        {"dlna-user", required_argument, NULL, 'U'},
        {"dlna-allow", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_serve_options opt = {0};
    const char **hosts = cu_xcalloc((size_t)argc + 1, sizeof *hosts);
    const char **allow = cu_xcalloc((size_t)argc + 1, sizeof *allow);
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:l:w:a:t:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': opt.db_path = optarg; break;
        case 'l': opt.listen = optarg; break;
        case 'w': opt.web_dir = optarg; break;
        case 'a': hosts[opt.allow_host_count++] = optarg; break;
        case 't': opt.threads = atoi(optarg); break;
        case 'W': opt.no_watch = 1; break;
        case 'D': opt.dlna = 1; break;
        case 'N': opt.dlna_name = optarg; break;
        case 'U': opt.dlna_user = optarg; break;
        case 'A': allow[opt.dlna_allow_count++] = optarg; break;
        case 'h': serve_usage(stdout); free(hosts); free(allow); return CLI_EXIT_OK;
        default: serve_usage(stderr); free(hosts); free(allow); return CLI_EXIT_USAGE;
        }
    }
    if (!opt.db_path) {
        cli_error("serve needs --db FILE");
        serve_usage(stderr);
        free(hosts);
        free(allow);
        return CLI_EXIT_USAGE;
    }
    if (opt.dlna_user) {
        /* DLNA has no sign-in: the view it shows must be a user's scope,
         * and accounts are not in this build yet. Showing everything while
         * the admin believes it limited is worse than refusing. */
        cli_error("--dlna-user needs user accounts, which this build does not have yet");
        free(hosts);
        free(allow);
        return CLI_EXIT_USAGE;
    }
    if ((opt.dlna_name || opt.dlna_user || opt.dlna_allow_count) && !opt.dlna) {
        cli_error("--dlna-name, --dlna-user and --dlna-allow need --dlna");
        free(hosts);
        free(allow);
        return CLI_EXIT_USAGE;
    }
    opt.allow_hosts = hosts;
    opt.dlna_allow = allow;
    opt.roots = (const char *const *)(argv + optind);
    opt.root_count = (size_t)(argc - optind);
    rc = cli_serve_run(&opt);
    free(hosts);
    free(allow);
    return rc;
}
