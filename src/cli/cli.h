/* cli: the cinemateca command and its subcommands. Only this module (and
 * the server's log) decides what a person sees. */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes shared by every subcommand. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2 };

int cli_scan(int argc, char **argv);
int cli_films(int argc, char **argv);
int cli_film(int argc, char **argv);
int cli_person(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_share(int argc, char **argv);
/* The demo's shares of Pain and Glory's clips (cli_demo_share.c), made
 * by a thread once the clips are cataloged; stop joins it. */
typedef struct cli_demo_sharer cli_demo_sharer;
cli_demo_sharer *cli_demo_shares_start(const char *db_path);
void cli_demo_shares_stop(cli_demo_sharer *sharer);

/* `cinemateca serve` as a function (also used by `demo`): scans roots in
 * the background, serves HTTP, prints "cinemateca: serving URL" on stdout
 * once listening, and returns an exit code after SIGINT or SIGTERM. */
typedef struct cli_serve_options {
    const char *db_path;            /* required; created if missing */
    const char *listen;             /* NULL: 127.0.0.1:8420 */
    const char *web_dir;            /* NULL: $CINEMATECA_WEB_DIR, else the source tree's web/ */
    const char *const *allow_hosts; /* extra Host names accepted */
    size_t allow_host_count;
    const char *const *roots; /* library folders (may be none: serve as is) */
    size_t root_count;
    int threads;                    /* HTTP worker threads; <= 0: 4 */
    int no_watch;                   /* 1: scan once, do not watch for changes */
    const char *tls_cert, *tls_key; /* HTTPS; both NULL: HTTP */
    int dlna;                       /* 1: also a DLNA/UPnP media server */
    int jellyfin_discovery;         /* 1: answer Jellyfin's UDP discovery (7359) */
    const char *dlna_name;          /* NULL: "cinemateca on HOSTNAME" */
    const char *dlna_user;          /* whose view the LAN sees (cc_scope, watch state) */
    const char *const *dlna_allow;  /* CIDRs; none: the listen interfaces' subnets */
    size_t dlna_allow_count;
    const char *share_frame_ancestors; /* --share-embed; NULL: 'self' */
} cli_serve_options;
int cli_serve_run(const cli_serve_options *opt);

/* Parses a catalog id (a positive decimal integer); -1 when it is not. */
int cli_parse_id(const char *s, int64_t *id);
/* A decimal integer from min to max, all of s (no sign but a leading
 * '-' where min allows it); 0, or -1 when s is anything else. */
int cli_parse_int(const char *s, int min, int max, int *out);

/* Prints "cinemateca: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
