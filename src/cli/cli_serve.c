/* cli_serve: `cinemateca serve`: keeps the library current in the
 * background (cl_service) and answers HTTP (cs_server) until SIGINT or
 * SIGTERM. */
#include "catalog/cc_backup.h"
#include "catalog/cc_db.h"
#include "catalog/cc_root.h"
#include "catalog/cc_folder.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_user.h"
#include "dlna/dl_dlna.h"
#include "jellyfin/jf_discovery.h"
#include "jellyfin/jf_door.h"
#include "cli/cli.h"
#include "library/cl_service.h"
#include "server/cs_server.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
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

/* The library service and what it was started with. Folders added or
 * removed from the web app restart it with the new list (roots from the
 * command line, then those kept in the catalog). Guarded by lock. */
typedef struct library {
    pthread_mutex_t lock;
    cl_service *service;
    cl_service_config config;
    char **given; /* from the command line (canonical) */
    size_t given_count;
    char **all; /* given + the catalog's, what the service scans */
    size_t all_count;
} library;

/* --dlna-user names the account whose view the LAN sees (DLNA has no
 * sign-in): it must exist and be enabled, else the server would show
 * nothing while the admin expects something. */
static int cli_serve_check_dlna_user(cc_db *db, const char *name)
{
    cc_user u = {0};
    cu_err err = {0};
    int rc = cc_user_find(db, name, &u, &err);
    if (rc == CU_ENOTFOUND)
        cli_error("--dlna-user %s: no such user (cinemateca user add)", name);
    else if (rc < 0)
        cli_error("--dlna-user %s: %s", name, err.msg);
    else if (u.disabled)
        cli_error("--dlna-user %s: this user is disabled", name);
    bool ok = rc == 0 && !u.disabled;
    cc_user_clear(&u);
    return ok ? 0 : -1;
}

static void free_roots(char **roots, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(roots[i]);
    free(roots);
}

/* given + the catalog's added folders that still exist, without repeats. */
static int collect_roots(library *lib, char ***out, size_t *out_count, cu_err *err)
{
    cc_db *db = NULL;
    char **added = NULL;
    size_t added_count = 0;
    if (cc_db_open(lib->config.db_path, CC_OPEN_READONLY, &db, err) < 0)
        return err->code;
    int rc = cc_folder_list(db, &added, &added_count, err);
    cc_db_close(db);
    if (rc < 0)
        return rc;
    char **roots = cu_xcalloc(lib->given_count + added_count + 1, sizeof *roots);
    size_t count = 0;
    for (size_t i = 0; i < lib->given_count; i++)
        roots[count++] = cu_xstrdup(lib->given[i]);
    for (size_t i = 0; i < added_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < count; j++)
            seen |= !strcmp(roots[j], added[i]);
        struct stat st;
        if (seen || stat(added[i], &st) < 0 || !S_ISDIR(st.st_mode))
            continue;
        roots[count++] = cu_xstrdup(added[i]);
    }
    cc_folder_list_free(added, added_count);
    *out = roots;
    *out_count = count;
    return 0;
}

/* (Re)starts the service over the current folders. Locked. */
static int library_restart(library *lib, cu_err *err)
{
    char **roots = NULL;
    size_t count = 0;
    int rc = collect_roots(lib, &roots, &count, err);
    if (rc < 0)
        return rc;
    cl_service_stop(lib->service);
    lib->service = NULL;
    free_roots(lib->all, lib->all_count);
    lib->all = roots;
    lib->all_count = count;
    lib->config.roots = (const char *const *)roots;
    lib->config.root_count = count;
    if (count && (rc = cl_service_start(&lib->config, &lib->service, err)) < 0)
        return rc;
    return 0;
}

static int roots_changed(void *user, cu_err *err)
{
    library *lib = user;
    pthread_mutex_lock(&lib->lock);
    int rc = library_restart(lib, err);
    pthread_mutex_unlock(&lib->lock);
    return rc;
}

static void rescan_now(void *user)
{
    library *lib = user;
    pthread_mutex_lock(&lib->lock);
    if (lib->service)
        cl_service_rescan(lib->service);
    pthread_mutex_unlock(&lib->lock);
}

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
    int port = 0;
    return v && cli_parse_int(v, 1, 65535, &port) == 0 ? port : 0;
}

/* Jellyfin's UDP discovery on the listen address, port 7359
 * (CINEMATECA_JF_DISCOVERY_PORT for tests; 0 there: any free port). */
static int start_jf_discovery(cs_server *server, const char *listen, jf_discovery **out)
{
    char host[64];
    if (listen_host(listen, host, sizeof host) < 0) {
        cli_error("--jellyfin-discovery needs an IPv4 --listen address, not %s", listen);
        return -1;
    }
    const char *v = getenv("CINEMATECA_JF_DISCOVERY_PORT");
    int port = JF_DISCOVERY_PORT;
    cu_err err = {0};
    if ((v && cli_parse_int(v, 0, 65535, &port) < 0) ||
        jf_discovery_new(server, host, port, out, &err) < 0) {
        cli_error("jellyfin discovery: %s", err.msg[0] ? err.msg : "bad port");
        return -1;
    }
    return 0;
}

int cli_serve_run(const cli_serve_options *opt)
{
    dl_server *dlna = NULL;
    jf_discovery *discovery = NULL;
    int status = CLI_EXIT_FAIL;
    cu_err err = {0};
    library lib = {0};
    pthread_mutex_init(&lib.lock, NULL);
    cs_server *server = NULL;
    cc_backup_keeper *backups = NULL;
    char *db_path = NULL, *cache_dir = NULL;
    char **roots = cu_xcalloc(opt->root_count + 1, sizeof *roots);
    size_t root_count = 0;
    sigset_t stop_signals, old_mask;
    /* A request's memory is mostly freed at its end: with glibc's default
     * thresholds each request thread's heap shrank back to the system and
     * the next request faulted every page in again (a third of a page of
     * 100 films' CPU time, BENCHMARKS.md); keep up to 16 MB a heap. */
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    bool masked = false;

    db_path = cu_path_absolute(opt->db_path);
    if (!db_path) {
        cli_error("%s: %s", opt->db_path, strerror(errno));
        goto done;
    }
    cache_dir = cu_xasprintf("%s" CC_DB_CACHE_SUFFIX, db_path);
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
    if (opt->dlna_user && cli_serve_check_dlna_user(db, opt->dlna_user) < 0) {
        cc_db_close(db);
        goto done;
    }
    cc_db_close(db);

    /* Every thread started from here on inherits the blocked signals; this
     * thread takes them with sigwait. */
    signal(SIGPIPE, SIG_IGN);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
    masked = true;

    lib.config = (cl_service_config){
        .db_path = db_path,
        .cache_dir = cache_dir,
        .watch = !opt->no_watch,
    };
    lib.given = roots;
    lib.given_count = root_count;
    if (library_restart(&lib, &err) < 0) {
        cli_error("library service: %s", err.msg);
        goto done;
    }
    const char *web = opt->web_dir;
    if (!web)
        web = getenv("CINEMATECA_WEB_DIR");
    if (!web || !*web)
        web = CINEMATECA_WEB_DIR;
    const char *listen = opt->listen ? opt->listen : CS_LISTEN_DEFAULT;
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
            .db_path = db_path,
            .user = opt->dlna_user,
            .ssdp_port = ssdp_port_from_env(),
        };
        if (dl_server_new(&dc, &dlna, &err) < 0) {
            cli_error("dlna: %s", err.msg);
            goto done;
        }
    }
    /* Front doors: the Jellyfin API always (it needs an account, as the
     * rest does), DLNA when asked. */
    cs_door doors[2];
    size_t door_count = 0;
    doors[door_count++] = *jf_door();
    if (dlna)
        doors[door_count++] = *dl_server_door(dlna);
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
        .scan_service = lib.service != NULL,
        .tls_cert = opt->tls_cert,
        .tls_key = opt->tls_key,
        .rescan = rescan_now,
        .roots_changed = roots_changed,
        .control_user = &lib,
        .doors = doors,
        .door_count = door_count,
        .share_frame_ancestors = opt->share_frame_ancestors,
    };
    if (cs_server_new(&cc, &server, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (dlna && dl_server_start(dlna, cs_server_port(server), &err) < 0) {
        cli_error("dlna: %s", err.msg);
        goto done;
    }
    if (opt->jellyfin_discovery && start_jf_discovery(server, listen, &discovery) < 0)
        goto done;
    /* A backup a day beside the catalog, the last CC_BACKUP_KEEP kept. */
    if (cc_backup_keeper_start(db_path, CC_BACKUP_KEEP, &backups, &err) < 0)
        cli_error("warning: no daily backups: %s", err.msg);
    printf("cinemateca: serving %s\n", cs_server_url(server));
    if (dlna)
        printf("cinemateca: DLNA media server %s at %sdlna/description.xml\n", dl_server_uuid(dlna),
               cs_server_url(server));
    if (discovery)
        printf("cinemateca: Jellyfin discovery on udp port %d\n", jf_discovery_port(discovery));
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    fprintf(stderr, "cinemateca: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
    status = CLI_EXIT_OK;
done:
    /* Requests stop first (they read the catalog), then the writer. */
    jf_discovery_free(discovery); /* before the server its answers name */
    cs_server_free(server);
    dl_server_free(dlna); /* after the HTTP threads that use it; says byebye */
    cl_service_stop(lib.service);
    cc_backup_keeper_stop(backups);
    free_roots(lib.all, lib.all_count);
    pthread_mutex_destroy(&lib.lock);
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
            "                        [--allow-host NAME]... [--threads N] [--no-watch]\n"
            "                        [--tls-cert FILE --tls-key FILE] DIR...\n"
            "Serves the catalog FILE over HTTP (JSON API under /api/v1, the films\n"
            "themselves, and the web app), scanning the library folders DIR... in the\n"
            "background and watching them for changes.\n"
            "  --listen       address and port (default " CS_LISTEN_DEFAULT "; port 0: any free)\n"
            "  --web          the web app's folder (default: $CINEMATECA_WEB_DIR, else\n"
            "                 the source tree's web/)\n"
            "  --allow-host   a host name the server may be reached by, besides IP\n"
            "                 addresses and localhost (repeatable)\n"
            "  --threads      catalog connections requests read through at once\n"
            "                 (default 4; every client connection has its own thread)\n"
            "  --no-watch     scan once at start, not on every change\n"
            "  --tls-cert     PEM certificate (chain) to serve HTTPS with\n"
            "  --tls-key      PEM private key of that certificate\n"
            "With no account in the catalog the server runs in local mode (no sign-in)\n"
            "and listens on loopback only; `cinemateca user add` makes accounts.\n"

            "  --dlna         also be a DLNA/UPnP media server for TVs on the local network\n"
            "  --jellyfin-discovery  answer Jellyfin apps' UDP discovery (port 7359) on\n"
            "                 the listen address\n"
            "                 (SSDP on UDP 1900; needs an IPv4 --listen address)\n"
            "  --dlna-name    the name TVs show (default \"cinemateca on HOSTNAME\")\n"
            "  --dlna-user    whose view of the library DLNA shows\n"
            "  --dlna-allow   a subnet (CIDR) allowed to see the server (repeatable;\n"
            "                 default: the subnets of the listen address)\n"
            "  --share-embed  the sites that may embed shares (/s/TOKEN/embed): CSP\n"
            "                 frame-ancestors sources, e.g. \"https://blog.example.org\"\n"
            "                 or '*' (default 'self')\n");
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
        {"tls-cert", required_argument, NULL, 'C'},
        {"tls-key", required_argument, NULL, 'K'},
        {"dlna", no_argument, NULL, 'D'},
        {"jellyfin-discovery", no_argument, NULL, 'J'},
        {"dlna-name", required_argument, NULL, 'N'},
        {"dlna-user", required_argument, NULL, 'U'},
        {"dlna-allow", required_argument, NULL, 'A'},
        {"share-embed", required_argument, NULL, 'E'},
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
        case 't':
            if (cli_parse_int(optarg, 0, CS_THREADS_MAX, &opt.threads) < 0) {
                cli_error("--threads takes a number from 0 to %d (0: the default), not '%s'",
                          CS_THREADS_MAX, optarg);
                free(hosts);
                free(allow);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'W': opt.no_watch = 1; break;
        case 'C': opt.tls_cert = optarg; break;
        case 'K': opt.tls_key = optarg; break;
        case 'D': opt.dlna = 1; break;
        case 'J': opt.jellyfin_discovery = 1; break;
        case 'N': opt.dlna_name = optarg; break;
        case 'E':
            /* One CSP directive's sources: nothing that could end it. */
            if (!*optarg || strlen(optarg) > 1000 || strpbrk(optarg, ";,\r\n\"")) {
                cli_error("--share-embed takes CSP sources (\"https://a.example 'self'\")");
                return CLI_EXIT_USAGE;
            }
            opt.share_frame_ancestors = optarg;
            break;
        case 'U': opt.dlna_user = optarg; break;
        case 'A': allow[opt.dlna_allow_count++] = optarg; break;
        case 'h':
            serve_usage(stdout);
            free(hosts);
            free(allow);
            return CLI_EXIT_OK;
        default:
            serve_usage(stderr);
            free(hosts);
            free(allow);
            return CLI_EXIT_USAGE;
        }
    }
    if (!opt.db_path) {
        cli_error("serve needs --db FILE");
        serve_usage(stderr);
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
