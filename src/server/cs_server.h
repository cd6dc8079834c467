/* cs_server: the HTTP server (libmicrohttpd, a thread per client
 * connection): the JSON API under /api/v1, direct-play streaming, artwork
 * and the web app. It reads the catalog through a small pool of
 * read-only connections that requests borrow while their handler runs
 * (WAL: reads never wait for the scanner's writes). */
#ifndef CS_SERVER_H
#define CS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "server/cs_door.h"
#include "util/cu_err.h"

typedef struct cs_server cs_server;

/* The default listen address, and the catalog connections requests
 * read through (--threads). */
#define CS_LISTEN_DEFAULT "127.0.0.1:8420"
#define CS_THREADS_DEFAULT 4
#define CS_THREADS_MAX 64

typedef struct cs_config {
    const char *db_path;   /* the catalog (must exist) */
    const char *cache_dir; /* resized artwork goes to cache_dir/resized; NULL: no resizing */
    const char *web_root;  /* the browser app; NULL or missing: a plain note at / */
    const char *listen;    /* "127.0.0.1:8420", "[::1]:8420"; port 0 picks a free one */
    const char *const *allow_hosts; /* Host names accepted besides IP literals and localhost */
    size_t allow_host_count;
    const char *const *roots; /* library roots, for /api/v1/status */
    size_t root_count;
    int threads; /* catalog connections for requests; <= 0: CS_THREADS_DEFAULT; at most CS_THREADS_MAX */
    unsigned connection_limit;   /* connections (and so threads) at once; 0: 1000 */
    unsigned connection_timeout; /* idle seconds before a connection is cut; 0: 60 */
    size_t header_limit;         /* bytes per connection for the request head; 0: 32 KiB */
    /* A library service keeps the catalog's scan status row current; when
     * false, /api/v1/status reports the scan as unknown (null). */
    bool scan_service;
    /* TLS (libmicrohttpd with GnuTLS): PEM certificate chain and key
     * files; both NULL: plain HTTP. */
    const char *tls_cert, *tls_key;
    /* Administration: a rescan now, and the library folders added or
     * removed in the catalog (re-read them); NULL: not offered. */
    void (*rescan)(void *user);
    int (*roots_changed)(void *user, cu_err *err);
    void *control_user;
    /* Other front doors under their own path prefixes (cs_door.h); the
     * array and its strings must outlive the server. */
    const cs_door *doors;
    size_t door_count;
    /* Who may frame a share's embed page (/s/{token}/embed): the CSP
     * frame-ancestors sources ("https://blog.example.org"); NULL: 'self'. */
    const char *share_frame_ancestors;
} cs_config;

/* Whether listen names a loopback address (127.0.0.0/8, ::1, localhost,
 * or no host): where local mode (no accounts) is allowed. */
bool cs_listen_is_loopback(const char *listen);

/* Starts listening; the server runs on its own threads until freed.
 * Refuses a non-loopback listen address while the catalog has no user. */
int cs_server_new(const cs_config *config, cs_server **out, cu_err *err);
/* The port actually bound (useful with port 0). */
int cs_server_port(const cs_server *server);
/* "http://127.0.0.1:8420/" */
const char *cs_server_url(const cs_server *server);
/* Stops accepting, cuts open connections, joins the threads, closes the
 * catalog connections. */
void cs_server_free(cs_server *server);

#endif
