/* cs_server: libmicrohttpd setup and lifecycle (a thread per client
 * connection), the request threads' catalog connections, waiting on a
 * request's own thread, and the request pipeline: raw target (kept from the URI
 * callback, before MHD unescapes anything) -> method -> Host -> route ->
 * handler. */
#include "server/cs_server.h"
#include "catalog/cc_db.h"
#include "catalog/cc_watch.h"
#include "catalog/cc_user.h"
#include "server/cs_body.h"
#include "server/cs_dbpool.h"
#include "server/cs_host.h"
#include "server/cs_internal.h"
#include "server/cs_prehead.h"
#include "server/cs_realroot.h"
#include "server/cs_wake.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

/* The catalog connection a request's thread has borrowed from the pool
 * (cs_dbpool) for one run of the handler: given back when on_request
 * returns, before a request waits, and by the key's destructor should a
 * thread end holding one. */
typedef struct db_hold {
    cs_server *server;
    cc_db *db;
    bool refused; /* the pool said no in this run: say it again */
    cu_err refusal;
} db_hold;

/* How long a request waits for a catalog connection when all are lent,
 * before its 503: every handler gives its connection back within
 * milliseconds, but for sign-ins (an argon2id check) and resizes. */
#define CS_DB_WAIT_MS 5000

/* A connection thread's stack. Its deepest calls (SQLite, jansson, libav
 * remuxing a segment, libxml2 for DLNA) use a small part of 2 MiB; the
 * default (8 MiB) times a thousand connections is address space for
 * nothing. Sanitizer builds make every frame several times larger: they
 * keep the default. */
#if defined(__SANITIZE_ADDRESS__)
#define CS_THREAD_STACK 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CS_THREAD_STACK 0
#endif
#endif
#ifndef CS_THREAD_STACK
#define CS_THREAD_STACK (2u * 1024 * 1024)
#endif

struct cs_server {
    cs_config config;
    char *db_path, *cache_dir;
    char **allow_hosts, **roots;
    cs_host_policy host_policy;
    cs_static *web;
    cs_hls *hls;
    cc_watch_writer *watch; /* the requests' writer of watch state */
    cs_artwork *artwork;
    cs_shares *shares;        /* the share door's limits (cs_share.c) */
    cs_auth *auth;            /* accounts, sessions, signed URLs (cs_auth.c) */
    cs_realroots *realroots;  /* library roots' real paths (cs_realroot.c) */
    char *tls_cert, *tls_key; /* PEM text, kept while the daemon runs */
    char url[96];
    int port;
    struct MHD_Daemon *daemon;
    pthread_key_t db_key; /* the calling thread's db_hold */
    cs_dbpool *dbs;       /* the request threads' catalog connections */
};

/* ---- catalog connections ---- */

cc_db *cs_server_db(cs_server *s, cu_err *err)
{
    db_hold *h = pthread_getspecific(s->db_key);
    if (h && h->db)
        return h->db;
    if (!h) {
        h = cu_xcalloc(1, sizeof *h);
        h->server = s;
        pthread_setspecific(s->db_key, h);
    }
    /* One wait per run: a handler asking again after a refusal (the
     * sign-in gate, then the route) gets the same answer at once. */
    if (!h->refused) {
        h->db = cs_dbpool_take(s->dbs, CS_DB_WAIT_MS, &h->refusal);
        h->refused = !h->db;
    }
    if (h->refused && err)
        *err = h->refusal;
    return h->db;
}

/* Gives this thread's connection back to the pool. */
static void release_db(cs_server *s)
{
    db_hold *h = pthread_getspecific(s->db_key);
    if (!h)
        return;
    cs_dbpool_give(s->dbs, h->db);
    h->db = NULL;
    h->refused = false;
}

/* A connection's thread ends (the client went away). */
static void hold_free(void *value)
{
    db_hold *h = value;
    cs_dbpool_give(h->server->dbs, h->db);
    free(h);
}

const char *cs_server_cache_dir(const cs_server *s)
{
    return s->cache_dir;
}

cs_artwork *cs_server_artwork(cs_server *s)
{
    return s->artwork;
}

cs_shares *cs_server_shares(cs_server *s)
{
    return s->shares;
}

cs_auth *cs_server_auth(cs_server *s)
{
    return s->auth;
}

cs_realroots *cs_server_realroots(cs_server *s)
{
    return s->realroots;
}

cs_hls *cs_server_hls(cs_server *s)
{
    return s->hls;
}

cc_watch_writer *cs_server_watch_writer(cs_server *s)
{
    return s->watch;
}

const cs_config *cs_server_config(const cs_server *s)
{
    return &s->config;
}

int cs_server_port(const cs_server *s)
{
    return s->port;
}

const char *cs_server_url(const cs_server *s)
{
    return s->url;
}

/* ---- the request pipeline ---- */

/* libmicrohttpd sends a file reply's head as a packet of its own, pushed
 * before the body (so a client may act on the head early); a player
 * reading 1 MB ranges then wakes for the head and again for the body.
 * Corked, the head leaves with the body's first bytes in full packets;
 * the cork comes off when the reply is done (on_completed, on this
 * thread right after the last byte is handed to the kernel), which pushes
 * the rest at once. Plain HTTP only: TLS writes records of its own. */
void cs_server_cork(cs_request *req)
{
    if (req->server->tls_cert || req->corked)
        return;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int on = 1;
    if (info && setsockopt(info->connect_fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on) == 0)
        req->corked = true;
}

static void uncork(cs_request *req)
{
    if (!req->corked)
        return;
    req->corked = false;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    int off = 0;
    if (info)
        setsockopt(info->connect_fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
}

/* Called by MHD with the request target exactly as received, before any
 * unescaping: the only form of it the router looks at. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    cs_request *req = cu_xcalloc(1, sizeof *req);
    req->server = cls;
    req->conn = conn;
    req->target = cu_xstrdup(uri ? uri : "");
    return req;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)conn;
    (void)code;
    cs_request *req = *req_cls;
    if (req) {
        uncork(req);
        cs_wake_drop(req->wake); /* one never parked (cs_door_wait) */
        cs_auth_request_done(req);
        free(req->body);
        free(req->target);
        free(req);
        *req_cls = NULL;
    }
}

/* Connections libmicrohttpd accepts and closes: plain HTTP ones have their
 * request heads looked at before the library parses them (cs_prehead). */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_context;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info)
        return;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        cs_prehead_watch(info->connect_fd);
    else
        cs_prehead_forget(info->connect_fd);
}

/* MHD would decode %XX in the path before we see it; the router decodes
 * (and refuses) itself, so this keeps everything as sent. */
static size_t no_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    return strlen(s);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    if (cu_log_get_level() < CU_LOG_DEBUG)
        return;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    cu_log(CU_LOG_DEBUG, "http: %s", line);
}

/* The web app's pages may load code, styles, images and media from this
 * server only (hls.js plays through blob: URLs; data: serves placeholder
 * images and empty subtitle tracks) and may not be framed: a catalog
 * string that slipped into a page as HTML still could not run or send
 * anything elsewhere. The e2e test fails on any CSP violation. */
static const char web_csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' data: blob:; worker-src 'self' blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

static enum MHD_Result send_web_file(cs_request *req, const cs_static_file *file)
{
    cs_file_reply f = {.path = file->path,
                       .content_type = file->content_type,
                       .cache_control = file->cache_control,
                       .csp = cu_str_has_prefix(file->content_type, "text/html") ? web_csp : NULL};
    return cs_send_static(req, file, &f);
}

static enum MHD_Result serve_static(cs_request *req)
{
    cs_server *s = req->server;
    cs_static_file file;
    if (cs_static_lookup(s->web, req->route.path, &file))
        return send_web_file(req, &file);
    if (!cs_static_available(s->web))
        return cs_reply_text(req, !strcmp(req->route.path, "/") ? 200 : 404,
                             "text/plain; charset=utf-8",
                             "cinemateca is running, but its web app was not found.\n"
                             "Start it with --web DIR (or set CINEMATECA_WEB_DIR).\n"
                             "The JSON API is at /api/v1/films.\n");
    /* Client-side routes ("/film/12") get the app; a missing asset
     * ("/app.js", anything with an extension) and anything under a
     * dot-folder stay 404s. */
    const char *last = strrchr(req->route.path, '/');
    if ((last && strchr(last, '.')) || strstr(req->route.path, "/."))
        return cs_reply_error(req, 404, "not_found", "no such file");
    cs_static_index(s->web, &file);
    return send_web_file(req, &file);
}

/* Routes that take more than GET and HEAD answer other methods
 * themselves; every other route reads only. */
static bool takes_bodies(cs_route_kind kind)
{
    return kind >= CS_ROUTE_AUTH_LOGIN || kind == CS_ROUTE_FILM_WATCHED ||
           kind == CS_ROUTE_FILE_PROGRESS;
}

static cs_method method_of(const char *m)
{
    static const struct {
        const char *name;
        cs_method method;
    } methods[] = {
        {MHD_HTTP_METHOD_GET, CS_METHOD_GET},     {MHD_HTTP_METHOD_HEAD, CS_METHOD_HEAD},
        {MHD_HTTP_METHOD_POST, CS_METHOD_POST},   {MHD_HTTP_METHOD_PUT, CS_METHOD_PUT},
        {MHD_HTTP_METHOD_PATCH, CS_METHOD_PATCH}, {MHD_HTTP_METHOD_DELETE, CS_METHOD_DELETE},
    };
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (!strcmp(m, methods[i].name))
            return methods[i].method;
    return CS_METHOD_OTHER;
}

static enum MHD_Result dispatch(cs_request *req)
{
    if (!takes_bodies(req->route.kind) && req->method != CS_METHOD_GET &&
        req->method != CS_METHOD_HEAD)
        return cs_reply_error(req, 405, "method_not_allowed", "only GET and HEAD are served here");
    switch (req->route.kind) {
    case CS_ROUTE_BAD: return cs_reply_error(req, 400, "bad_request", "malformed URL");
    case CS_ROUTE_TOO_LONG: return cs_reply_error(req, 414, "uri_too_long", "URL too long");
    case CS_ROUTE_API_UNKNOWN: return cs_reply_error(req, 404, "not_found", "no such endpoint");
    case CS_ROUTE_STATIC: return serve_static(req);
    case CS_ROUTE_FILMS: return cs_api_films(req);
    case CS_ROUTE_FILM: return cs_api_film(req);
    case CS_ROUTE_FILM_POSTER: return cs_api_artwork(req, false);
    case CS_ROUTE_FILM_BACKDROP: return cs_api_artwork(req, true);
    case CS_ROUTE_PERSON: return cs_api_person(req);
    case CS_ROUTE_EXTRA: return cs_api_extra(req);
    case CS_ROUTE_FILE_STREAM: return cs_api_stream(req);
    case CS_ROUTE_FILE_HLS: return cs_api_hls(req);
    case CS_ROUTE_SEARCH: return cs_api_search(req);
    case CS_ROUTE_FESTIVALS: return cs_api_festivals(req);
    case CS_ROUTE_GENRES: return cs_api_genres(req);
    case CS_ROUTE_STATUS: return cs_api_status(req);
    case CS_ROUTE_CONTINUE: return cs_api_continue(req);
    case CS_ROUTE_FILM_WATCHED: return cs_api_watched(req, req->method == CS_METHOD_PUT);
    case CS_ROUTE_FILE_PROGRESS: return cs_api_progress(req);
    case CS_ROUTE_FILE_TRICKPLAY:
    case CS_ROUTE_FILE_TRICKPLAY_SHEET:
    case CS_ROUTE_FILE_CHAPTERS: return cs_api_trickplay(req);
    case CS_ROUTE_FILM_LETTERS: return cs_api_film_letters(req);
    case CS_ROUTE_FILM_SIMILAR: return cs_api_film_similar(req);
    case CS_ROUTE_COLLECTIONS: return cs_api_collections(req);
    case CS_ROUTE_COLLECTION: return cs_api_collection(req);
    case CS_ROUTE_AUTH_LOGIN: return cs_api_login(req);
    case CS_ROUTE_AUTH_LOGOUT: return cs_api_logout(req);
    case CS_ROUTE_AUTH_SETUP: return cs_api_setup(req);
    case CS_ROUTE_ME: return cs_api_me(req);
    case CS_ROUTE_ME_SESSIONS: return cs_api_me_sessions(req);
    case CS_ROUTE_ME_SESSION: return cs_api_me_session(req);
    case CS_ROUTE_ME_TOKENS: return cs_api_me_tokens(req);
    case CS_ROUTE_ME_TOKEN: return cs_api_me_token(req);
    case CS_ROUTE_FILE_URLS: return cs_api_file_urls(req);
    case CS_ROUTE_USERS: return cs_api_users(req);
    case CS_ROUTE_USER: return cs_api_user(req);
    case CS_ROUTE_USER_SESSIONS: return cs_api_user_sessions(req);
    case CS_ROUTE_ME_PREFERENCES: return cs_api_me_preferences(req);
    case CS_ROUTE_USER_PREFERENCES: return cs_api_user_preferences(req);
    case CS_ROUTE_ROOTS: return cs_api_roots(req);
    case CS_ROUTE_SCAN: return cs_api_scan(req);
    case CS_ROUTE_DLNA: return cs_api_dlna(req);
    case CS_ROUTE_SCAN_FAILED: return cs_api_scan_failed(req);
    case CS_ROUTE_SHARES: return cs_api_shares(req);
    case CS_ROUTE_FILM_METADATA:
    case CS_ROUTE_FILM_POSTER_UPLOAD:
    case CS_ROUTE_FILM_BACKDROP_UPLOAD:
    case CS_ROUTE_FILM_POSTER_FRAME:
    case CS_ROUTE_FILM_BACKDROP_FRAME: return cs_api_edit(req);
    case CS_ROUTE_FILM_DISCTITLE: return cs_api_disc_title(req);
    }
    return cs_reply_error(req, 500, "internal", "unhandled route");
}

/* The door whose prefix the raw target starts with (the router checks the
 * decoded path again before the door's handler runs). */
static const cs_door *find_door(cs_server *s, const char *target)
{
    for (size_t i = 0; i < s->config.door_count; i++)
        if (s->config.doors[i].match ? s->config.doors[i].match(target)
                                     : cu_str_has_prefix(target, s->config.doors[i].prefix))
            return &s->config.doors[i];
    return NULL;
}

/* A door's request with a method other than GET or HEAD: a body only with
 * a Content-Length within the door's limit (chunked bodies are refused:
 * the length is known before a byte is stored). True when the request may
 * go on; false when *ret holds the refusal already queued. */
static bool door_body_check(cs_request *req, enum MHD_Result *ret)
{
    struct MHD_Connection *conn = req->conn;
    if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
        *ret = cs_reply_error(req, 411, "length_required", "send a Content-Length, not chunks");
        return false;
    }
    const char *length =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!length || !strcmp(length, "0"))
        return true;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(length, &end, 10);
    if (errno || end == length || *end || length[0] < '0' || length[0] > '9') {
        *ret = cs_reply_error(req, 400, "bad_request", "bad Content-Length");
        return false;
    }
    if (n > req->door->body_max) {
        *ret = cs_reply_error(req, 413, "too_large", "the body is too large");
        return false;
    }
    req->body_expected = (size_t)n;
    req->body = cu_xmalloc(req->body_expected + 1);
    req->body[0] = '\0';
    return true;
}

/* What the request head's field names say, counted in one pass. */
typedef struct head_check {
    unsigned hosts;
    bool bad_name;
} head_check;

static enum MHD_Result count_head(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    (void)value;
    head_check *h = cls;
    if (!key)
        return MHD_YES;
    if (strpbrk(key, " \t"))
        h->bad_name = true;
    if (cu_str_eq_ci(key, MHD_HTTP_HEADER_HOST))
        h->hosts++;
    return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **req_cls)
{
    (void)url;
    cs_server *s = cls;
    cs_request *req = *req_cls;
    if (!req) { /* not seen by on_uri: cannot happen, but never crash */
        req = on_uri(s, "", conn);
        *req_cls = req;
    }
    req->conn = conn;
    if (req->target == NULL) { /* answered already: drop any body */
        *upload_data_size = 0;
        return MHD_YES;
    }
    enum MHD_Result ret;
    req->method = method_of(method);
    cu_strlcpy(req->method_name, method, sizeof req->method_name);
    bool get = req->method == CS_METHOD_GET;
    req->head = req->method == CS_METHOD_HEAD;
    if (req->door && req->body_expected) { /* a door's POST body, in pieces */
        if (*upload_data_size) {
            size_t n = *upload_data_size;
            if (n > req->body_expected - req->body_len)
                n = req->body_expected - req->body_len; /* MHD enforces the length */
            memcpy(req->body + req->body_len, upload_data, n);
            req->body_len += n;
            req->body[req->body_len] = '\0';
            *upload_data_size = 0;
            return MHD_YES;
        }
    }
    if (!req->started) {
        req->started = true;
        req->door = find_door(s, req->target);
        /* Refusals go out now, while MHD still allows a reply before the
         * body (it then closes the connection instead of reading it). */
        if (req->door && !get && !req->head) {
            if (!door_body_check(req, &ret))
                goto done;
            return MHD_YES;
        }
        if (req->method == CS_METHOD_OTHER) {
            ret = cs_reply_error(req, 405, "method_not_allowed",
                                 "only GET, HEAD, POST, PUT, PATCH and DELETE are served");
            goto done;
        }
        /* The head itself (RFC 9112): exactly one Host line for HTTP/1.1
         * (§3.2), and no whitespace between a field name and its colon
         * (§5.1). libmicrohttpd is lenient here on purpose: its own 400s
         * for these cases are malformed in 0.9.75 (see cs_server_new). */
        head_check head = {0};
        MHD_get_connection_values(conn, MHD_HEADER_KIND, count_head, &head);
        if (head.bad_name) {
            ret = cs_reply_error(req, 400, "bad_request",
                                 "a header name with whitespace before its colon");
            goto done;
        }
        if (head.hosts > 1) {
            ret = cs_reply_error(req, 400, "bad_request", "more than one Host header");
            goto done;
        }
        if (head.hosts == 0 && strcmp(version, MHD_HTTP_VERSION_1_0) != 0) {
            ret = cs_reply_error(req, 400, "bad_request",
                                 "a request without a Host header (required since HTTP/1.1)");
            goto done;
        }
        const char *length =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        bool chunked =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        if ((get || req->head) && (chunked || (length && strcmp(length, "0")))) {
            ret = cs_reply_error(req, 400, "bad_request", "a GET or HEAD request has no body");
            goto done;
        }
        /* The API's bodies are small JSON objects: a larger one is
         * refused before it is read. */
        req->body_cap = cs_edit_body_cap(req->target, req->method); /* an upload's is larger */
        unsigned long long announced = length ? strtoull(length, NULL, 10) : 0;
        if (announced > req->body_cap + CS_BODY_DRAIN_MAX) {
            ret = cs_reply_error(req, 413, "too_large", "the body is larger than %zu bytes",
                                 req->body_cap);
            goto done;
        }
        /* A body a little over the cap is read and dropped, then answered
         * 413: closing on a client still sending would reset the
         * connection, and it would never see the answer. */
        if (announced > req->body_cap)
            req->body_too_large = true;
        /* Otherwise reply on the next call: replying now would make MHD
         * close the connection instead of keeping it alive. */
        return MHD_YES;
    }
    if (req->pending) { /* resumed: the watch writer is done with it */
        req->pending = false;
        ret = cs_api_watch_finish(req);
        goto done;
    }
    if (*upload_data_size) {
        /* A body arrives in pieces; kept up to the cap, the rest dropped
         * (and the request answered 413 once it is all in). */
        size_t n = *upload_data_size;
        if (!req->body_too_large && req->body_len + n <= req->body_cap) {
            req->body = cu_xrealloc(req->body, req->body_len + n + 1);
            memcpy(req->body + req->body_len, upload_data, n);
            req->body_len += n;
            req->body[req->body_len] = '\0';
        } else {
            req->body_too_large = true;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    /* DNS rebinding: answer only to the names this server goes by.
     * HTTP/1.0 clients may omit Host (browsers never do). */
    const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if ((host || strcmp(version, MHD_HTTP_VERSION_1_0)) &&
        !cs_host_allowed(&s->host_policy, host)) {
        ret = cs_reply_error(req, 403, "forbidden_host",
                             "this server does not answer to that Host (see --allow-host)");
        goto done;
    }
    cs_route_parse(req->target, strlen(req->target), &req->route);
    cs_edit_route(req);
    if (req->route.kind != CS_ROUTE_BAD && req->route.kind != CS_ROUTE_TOO_LONG) {
        int qrc = cs_query_parse(req->route.query, req->route.query_len, &req->query);
        if (qrc < 0) {
            ret = qrc == CU_ELIMIT
                      ? cs_reply_error(req, 414, "uri_too_long", "query string too long")
                      : cs_reply_error(req, 400, "bad_request", "malformed query string");
            goto done;
        }
    }
    if (req->door) {
        req->parked = false; /* asked again after a wait (cs_door_stream.h) */
        if (req->route.kind == CS_ROUTE_STATIC &&
            (req->door->match || cu_str_has_prefix(req->route.path, req->door->prefix)))
            ret = (enum MHD_Result)req->door->handler(req->door->user, req);
        else
            ret = cs_reply_error(req, 400, "bad_request", "malformed URL");
        if (req->parked) /* a door's HLS request waits for work (cs_door_send_hls) */
            return ret;
        goto done;
    }
    /* The share door is anonymous by design; it checks its own tokens,
     * signatures and limits (cs_share.c). Everything else is gated. */
    if (req->route.kind == CS_ROUTE_STATIC && cs_share_path(req->route.path)) {
        ret = cs_share_serve(req);
        if (req->parked) /* waits for HLS work (on_request) */
            return ret;
        goto done;
    }
    /* A GET's reads, the sign-in check's among them, share one read
     * transaction (cc_db_read_begin); writes go through other
     * connections, and no GET reads back what it wrote. Not for a file's
     * bytes (cs_route_sends_file): a row or two, then sendfile. */
    if ((req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD) &&
        !cs_route_sends_file(req->route.kind)) {
        cu_err db_err = {0};
        req->read_db = cs_server_db(s, &db_err);
        cc_db_read_begin(req->read_db);
    }
    int gate_ret;
    if (!cs_auth_gate(req, &gate_ret)) {
        ret = (enum MHD_Result)gate_ret;
        goto done;
    }
    /* The watch routes take PUT (and DELETE for a watched mark) only. */
    bool put = req->method == CS_METHOD_PUT, del = req->method == CS_METHOD_DELETE;
    if ((req->route.kind == CS_ROUTE_FILM_WATCHED && !put && !del) ||
        (req->route.kind == CS_ROUTE_FILE_PROGRESS && !put)) {
        req->allow = req->route.kind == CS_ROUTE_FILM_WATCHED ? "PUT, DELETE" : "PUT";
        ret = cs_reply_error(req, 405, "method_not_allowed", "%s is not allowed here (%s are)",
                             method, req->allow);
        goto done;
    }
    /* A progress report or a watched mark is a few numbers: 4 KiB is
     * plenty, and a larger body is refused rather than parsed. */
    size_t body_max =
        req->route.kind == CS_ROUTE_FILM_WATCHED || req->route.kind == CS_ROUTE_FILE_PROGRESS
            ? CS_WATCH_BODY_MAX
            : req->body_cap;
    if (req->body_too_large || req->body_len > body_max) {
        ret =
            cs_reply_error(req, 413, "payload_too_large", "a body is at most %zu bytes", body_max);
        goto done;
    }
    ret = dispatch(req);
    if (req->pending || req->parked) { /* waits for the watch writer or HLS work (on_request) */
        cc_db_read_end(req->read_db);
        req->read_db = NULL;
        return ret;
    }
done:
    cc_db_read_end(req->read_db);
    req->read_db = NULL;
    if (cu_log_get_level() >= CU_LOG_DEBUG) {
        /* The target is the client's: no control bytes reach the log. */
        char shown[201];
        size_t n = 0;
        for (const char *c = req->target; *c && n < sizeof shown - 1; c++)
            shown[n++] = ((unsigned char)*c < 0x20 || *c == 0x7f) ? '?' : *c;
        shown[n] = '\0';
        cu_log(CU_LOG_DEBUG, "%.16s %s", method, shown);
    }
    free(req->target);
    req->target = NULL;
    *upload_data_size = 0;
    return ret;
}

/* Every connection has a thread of its own, so a request that needs work
 * done elsewhere (an HLS index or segment, the watch writer's commit)
 * waits here, on that thread, holding no catalog connection, and then
 * runs again as if libmicrohttpd had called it anew (its suspend and
 * resume, which would do that, are broken in this mode in 0.9.75: a
 * resumed connection waits on the daemon's one wake-up pipe, which
 * another suspended connection's thread may drain first). Every wait is
 * bounded (cs_parked_wait, cs_api_watch_wait); a client that goes away
 * meanwhile costs its thread until then, never longer. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    cs_server *s = cls;
    enum MHD_Result ret =
        handle(cls, conn, url, method, version, upload_data, upload_data_size, req_cls);
    cs_request *req = *req_cls;
    while (req && (req->pending || req->parked)) {
        release_db(s);
        if (req->pending)
            cs_api_watch_wait(req);
        else
            cs_parked_wait(req);
        size_t none = 0;
        ret = handle(cls, conn, url, method, version, NULL, &none, req_cls);
    }
    release_db(s);
    return ret;
}

/* ---- lifecycle ---- */

/* "127.0.0.1:8420", "[::1]:8420", "localhost:8420", ":8420" (loopback).
 * Addresses only: no name is looked up. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, cu_err *err)
{
    memset(ss, 0, sizeof *ss);
    char host[64];
    const char *port_str;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host)
            goto bad;
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
        host[close - listen - 1] = '\0';
        port_str = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            goto bad;
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        port_str = colon + 1;
    }
    char *end;
    errno = 0;
    long port = strtol(port_str, &end, 10);
    if (errno || end == port_str || *end || port < 0 || port > 65535)
        goto bad;
    if (!host[0] || !strcmp(host, "localhost"))
        strcpy(host, "127.0.0.1");
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        return 0;
    }
bad:
    return cu_err_set(err, CU_EINVAL,
                      "bad listen address '%s' (expected ADDRESS:PORT, e.g. 127.0.0.1:8420)",
                      listen);
}

static bool sockaddr_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    if (ss->ss_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
    return false;
}

bool cs_listen_is_loopback(const char *listen)
{
    struct sockaddr_storage ss;
    return parse_listen(listen ? listen : CS_LISTEN_DEFAULT, &ss, NULL) == 0 &&
           sockaddr_loopback(&ss);
}

/* Reads a PEM file whole (at most 1 MiB). */
static char *read_pem(const char *path, cu_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cu_err_set(err, -errno, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    char *text = NULL;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > (1 << 20)) {
        cu_err_set(err, CU_EINVAL, "%s: not a PEM file of at most 1 MiB", path);
        goto done;
    }
    text = cu_xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    text[got] = '\0';
    if (got != (size_t)st.st_size || !strstr(text, "-----BEGIN ")) {
        cu_err_set(err, CU_EINVAL, "%s: not a PEM file", path);
        free(text);
        text = NULL;
    }
done:
    close(fd);
    return text;
}

/* A server reachable from other machines with no account in the catalog
 * would serve everything to everyone: refused, with the way out. */
static int check_listen_policy(const cs_config *config, bool loopback, cu_err *err)
{
    if (loopback)
        return 0;
    cc_db *db = NULL;
    cu_err open_err = {0};
    int64_t users = 0;
    if (cc_db_open(config->db_path, CC_OPEN_READONLY, &db, &open_err) < 0)
        return cu_err_set(err, CU_EINVAL, "%s", open_err.msg);
    int rc = cc_user_count(db, &users, &open_err);
    cc_db_close(db);
    if (rc < 0)
        return cu_err_set(err, CU_EINVAL, "%s", open_err.msg);
    if (users == 0)
        return cu_err_set(err, CU_EINVAL,
                          "refusing to listen on %s with no account in the catalog: anyone on the "
                          "network could see and play everything. Add an admin first:\n"
                          "  cinemateca user add --db %s --admin NAME\n"
                          "or listen on 127.0.0.1 (local mode, no sign-in)",
                          config->listen, config->db_path);
    return 0;
}

static char **copy_strings(const char *const *v, size_t n)
{
    char **out = cu_xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = cu_xstrdup(v[i] ? v[i] : "");
    return out;
}

static void free_strings(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

int cs_server_new(const cs_config *config, cs_server **out, cu_err *err)
{
    *out = NULL;
    if (!config->db_path)
        return cu_err_set(err, CU_EINVAL, "no catalog given");
    struct sockaddr_storage ss;
    int rc = parse_listen(config->listen ? config->listen : CS_LISTEN_DEFAULT, &ss, err);
    if (rc < 0)
        return rc;

    bool loopback = sockaddr_loopback(&ss);
    if ((rc = check_listen_policy(config, loopback, err)) < 0)
        return rc;
    if (!config->tls_cert != !config->tls_key)
        return cu_err_set(err, CU_EINVAL, "TLS needs both --tls-cert and --tls-key");
    if (config->tls_cert && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return cu_err_set(err, CU_EINVAL, "this libmicrohttpd was built without TLS");

    cs_server *s = cu_xcalloc(1, sizeof *s);
    s->config = *config;
    s->db_path = cu_xstrdup(config->db_path);
    s->cache_dir = config->cache_dir ? cu_xstrdup(config->cache_dir) : NULL;
    s->allow_hosts = copy_strings(config->allow_hosts, config->allow_host_count);
    s->roots = copy_strings(config->roots, config->root_count);
    s->config.db_path = s->db_path;
    s->config.cache_dir = s->cache_dir;
    s->config.allow_hosts = (const char *const *)s->allow_hosts;
    s->config.roots = (const char *const *)s->roots;
    s->config.listen = NULL;
    s->config.web_root = NULL;
    s->realroots = cs_realroots_new(CS_REALROOT_TTL_MS);
    if (pthread_key_create(&s->db_key, hold_free) != 0) {
        cs_realroots_free(s->realroots);
        free_strings(s->allow_hosts);
        free_strings(s->roots);
        free(s->db_path);
        free(s->cache_dir);
        free(s);
        return cu_err_set(err, -ENOMEM, "no thread key");
    }
    if ((rc = cs_static_new(config->web_root, &s->web, err)) < 0)
        goto fail;
    if ((rc = cs_hls_new(s->cache_dir, &s->hls, err)) < 0 ||
        (rc = cs_artwork_new(s->cache_dir, &s->artwork, err)) < 0 ||
        (rc = cs_shares_new(&s->shares, err)) < 0)
        goto fail;
    if ((rc = cc_watch_writer_new(s->db_path, &s->watch, err)) < 0)
        goto fail;
    if ((rc = cs_auth_new(config, loopback, &s->auth, err)) < 0)
        goto fail;
    if (config->tls_cert) {
        if (!(s->tls_cert = read_pem(config->tls_cert, err)) ||
            !(s->tls_key = read_pem(config->tls_key, err))) {
            rc = err && err->code ? err->code : CU_EINVAL;
            goto fail;
        }
    }
    s->config.tls_cert = s->config.tls_key = NULL;

    /* --threads: the catalog connections requests read through at once
     * (cs_dbpool); every client connection has a thread of its own. */
    unsigned threads = config->threads > 0 ? (unsigned)config->threads : CS_THREADS_DEFAULT;
    if (threads > CS_THREADS_MAX)
        threads = CS_THREADS_MAX;
    unsigned limit = config->connection_limit ? config->connection_limit : 1000;
    unsigned timeout = config->connection_timeout ? config->connection_timeout : 60;
    size_t header_limit = config->header_limit ? config->header_limit : 32 * 1024;
    /* A thread per connection: libmicrohttpd then sends a file in 2 MiB
     * sendfile calls and polls once between them, where its shared event
     * loop sends 128 KiB and goes round the loop each time (a 1 MiB range:
     * one sendfile and one poll instead of eight of each; the client's
     * CPU per request fell to nginx's, BENCHMARKS.md). Requests that wait
     * for work done elsewhere block their own thread (on_request), which
     * is also why there is no suspend and resume. poll, not select: a
     * connection's descriptor may be past FD_SETSIZE. TURBO: no shutdown()
     * before each close. */
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ERROR_LOG | MHD_USE_TURBO;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (s->tls_cert)
        flags |= MHD_USE_TLS;
    s->dbs = cs_dbpool_new(s->db_path, threads);
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        /* At most `limit` threads, one per connection; idle keep-alives
         * are cut after `timeout` seconds. */
        MHD_OPTION_CONNECTION_LIMIT, limit, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)CS_THREAD_STACK, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        header_limit, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        /* Lenient parsing: libmicrohttpd 0.9.75 sends the status line and
         * headers of its own 400s twice (a malformed reply, seen on the
         * raw bytes), so the checks strict mode would make (Host present,
         * no space before a colon) are ours, in on_request. A malformed
         * Content-Length it judges before any callback: cs_prehead answers
         * that one first, on plain HTTP connections. */
        MHD_OPTION_STRICT_FOR_CLIENT, 0, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_UNESCAPE_CALLBACK, no_unescape,
        NULL, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_NOTIFY_CONNECTION,
        s->tls_cert ? NULL : on_connection, s,
        /* Last: without TLS this ends the list early. */
        s->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->tls_cert,
        MHD_OPTION_HTTPS_MEM_KEY, s->tls_key, MHD_OPTION_END);
    if (!s->daemon) {
        rc = cu_err_set(err, CU_EINVAL,
                        "cannot listen on %s (in use, or not an address of this machine?)",
                        config->listen ? config->listen : CS_LISTEN_DEFAULT);
        goto fail;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    char addr[INET6_ADDRSTRLEN] = "";
    if (ss.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr, sizeof addr);
        snprintf(s->url, sizeof s->url, "%s://[%s]:%d/", s->tls_cert ? "https" : "http", addr,
                 s->port);
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof addr);
        snprintf(s->url, sizeof s->url, "%s://%s:%d/", s->tls_cert ? "https" : "http", addr,
                 s->port);
    }
    s->host_policy.port = s->port;
    s->host_policy.names = (const char *const *)s->allow_hosts;
    s->host_policy.name_count = config->allow_host_count;
    *out = s;
    return 0;
fail:
    cs_server_free(s);
    return rc;
}

void cs_server_free(cs_server *s)
{
    if (!s)
        return;
    /* The writer first: it answers what is queued (waking those
     * requests' threads) and refuses what comes after, so no thread waits
     * for it while the daemon joins them. */
    cc_watch_writer_stop(s->watch);
    /* Requests parked for HLS work are woken too, and new ones refused:
     * stopping the daemon joins every connection's thread. */
    cs_hls_stop(s->hls);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    cc_watch_writer_free(s->watch);
    /* The connections' threads are joined, and gave back what they held
     * (hold_free): nobody uses the catalog connections now. */
    cs_dbpool_free(s->dbs);
    pthread_key_delete(s->db_key);
    cs_hls_free(s->hls);
    cs_artwork_free(s->artwork);
    cs_shares_free(s->shares);
    cs_auth_free(s->auth);
    cs_realroots_free(s->realroots);
    free(s->tls_cert);
    free(s->tls_key);
    cs_static_free(s->web);
    free_strings(s->allow_hosts);
    free_strings(s->roots);
    free(s->db_path);
    free(s->cache_dir);
    free(s);
}
