/* cs_auth: authentication, authorization and CSRF checks for every
 * request, and sign-in with its rate limits. */
#include "server/cs_auth.h"
#include "catalog/cc_extra.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_scope_cache.h"
#include "catalog/cc_session.h"
#include "catalog/cc_user.h"
#include "server/cs_cookie.h"
#include "server/cs_internal.h"
#include "server/cs_limit.h"
#include "server/cs_sign.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* Sign-ins checked at once: one per two cores, at least one (each
 * argon2id check holds 64 MiB and a core for a tenth of a second or more:
 * measured, a burst of sign-ins on two cores slowed every other request
 * tenfold when two ran at once). How long one waits for its turn before
 * 503. */
#define SIGN_IN_WAIT_MS 10000
/* Free failures before a lock: per account name, per client address. */
#define FREE_FAILURES_NAME 5
#define FREE_FAILURES_ADDRESS 20
#define MAX_LOCK_S 300
/* A session's last use is written at most this often. */
#define TOUCH_EVERY_S 60

/* Restricted users whose visible films are kept at once (cc_scope_cache). */
#define AUTH_SCOPES_KEPT 32

struct cs_scope {
    cc_user user;
    cc_scope_set *set;  /* visible films (a reference into auth's scopes) */
    const int64_t *ids; /* the set's, ascending */
    size_t count;
};

struct cs_auth {
    char *db_path;
    bool loopback_listen, tls;
    unsigned char key[CC_SERVER_KEY_BYTES];
    int64_t started_at;
    pthread_mutex_t writer_lock;
    cc_db *writer;
    cs_limit *by_name, *by_address;
    cc_scope_cache *scopes; /* restricted users' visible films */
    /* Local mode: whether users exist, re-read at most once a second. */
    atomic_int users_exist; /* -1 unknown, 0, 1 */
    atomic_llong users_checked_ms;
    pthread_mutex_t sign_in_lock;
    pthread_cond_t sign_in_turn;
    int sign_ins, sign_in_max;
};

int cs_auth_new(const cs_config *config, bool loopback_listen, cs_auth **out, cu_err *err)
{
    *out = NULL;
    cs_auth *a = cu_xcalloc(1, sizeof *a);
    a->db_path = cu_xstrdup(config->db_path);
    a->loopback_listen = loopback_listen;
    a->tls = config->tls_cert != NULL;
    a->started_at = cu_time_now();
    a->scopes = cc_scope_cache_new(AUTH_SCOPES_KEPT);
    pthread_mutex_init(&a->writer_lock, NULL);
    pthread_mutex_init(&a->sign_in_lock, NULL);
    pthread_cond_init(&a->sign_in_turn, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a->sign_in_max = cores >= 4 ? (int)(cores / 2) : 1;
    if (a->sign_in_max > 8)
        a->sign_in_max = 8;
    atomic_init(&a->users_exist, -1);
    atomic_init(&a->users_checked_ms, 0);
    a->by_name = cs_limit_new(FREE_FAILURES_NAME, MAX_LOCK_S);
    a->by_address = cs_limit_new(FREE_FAILURES_ADDRESS, MAX_LOCK_S);
    int rc = cc_server_key_load(a->db_path, a->key, err);
    if (rc < 0) {
        cs_auth_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void cs_auth_free(cs_auth *a)
{
    if (!a)
        return;
    cc_db_close(a->writer);
    cs_limit_free(a->by_name);
    cs_limit_free(a->by_address);
    cc_scope_cache_free(a->scopes);
    pthread_mutex_destroy(&a->writer_lock);
    pthread_mutex_destroy(&a->sign_in_lock);
    pthread_cond_destroy(&a->sign_in_turn);
    memset(a->key, 0, sizeof a->key);
    free(a->db_path);
    free(a);
}

cc_db *cs_auth_writer(cs_auth *a, cu_err *err)
{
    pthread_mutex_lock(&a->writer_lock);
    if (!a->writer) {
        cu_err open_err = {0};
        if (cc_db_open(a->db_path, CC_OPEN_READWRITE, &a->writer, &open_err) < 0) {
            pthread_mutex_unlock(&a->writer_lock);
            cu_err_set(err, CU_EBUSY, "the catalog cannot be written: %s", open_err.msg);
            return NULL;
        }
    }
    return a->writer;
}

void cs_auth_writer_release(cs_auth *a)
{
    pthread_mutex_unlock(&a->writer_lock);
}

bool cs_auth_tls(const cs_auth *a)
{
    return a->tls;
}

const unsigned char *cs_auth_key(const cs_auth *a)
{
    return a->key;
}

int64_t cs_auth_started_at(const cs_auth *a)
{
    return a->started_at;
}

void cs_auth_users_changed(cs_auth *a)
{
    atomic_store(&a->users_exist, -1);
}

bool cs_auth_local_mode(cs_auth *a, cc_db *db)
{
    if (!a->loopback_listen)
        return false;
    int64_t now = cu_time_mono_ms();
    int exist = atomic_load(&a->users_exist);
    if (exist < 0 || now - atomic_load(&a->users_checked_ms) > 1000) {
        int64_t count = 1; /* when the catalog cannot say: not local */
        cu_err err = {0};
        if (db && cc_user_count(db, &count, &err) < 0)
            count = 1;
        exist = count > 0;
        atomic_store(&a->users_exist, exist);
        atomic_store(&a->users_checked_ms, now);
    }
    return exist == 0;
}

/* ---- the client ---- */

static const struct sockaddr *client_sockaddr(cs_request *req)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}

void cs_auth_client_address(cs_request *req, char *out, size_t size)
{
    const struct sockaddr *sa = client_sockaddr(req);
    out[0] = '\0';
    if (!sa)
        return;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
}

bool cs_auth_from_loopback(cs_request *req)
{
    const struct sockaddr *sa = client_sockaddr(req);
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a6))
            return true;
        return IN6_IS_ADDR_V4MAPPED(a6) && a6->s6_addr[12] == 127;
    }
    return false;
}

static const char *header(cs_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* A proxy in front: local mode never extends to whoever the proxy serves. */
static bool proxied(cs_request *req)
{
    return header(req, "Forwarded") || header(req, "X-Forwarded-For") || header(req, "X-Real-IP");
}

/* ---- CSRF ---- */

static bool unsafe_method(cs_method m)
{
    return m == CS_METHOD_POST || m == CS_METHOD_PUT || m == CS_METHOD_PATCH ||
           m == CS_METHOD_DELETE;
}

/* An Origin ("https://films.example:8443") naming the host the request
 * was sent to (its Host, already checked against the names this server
 * answers to). The scheme is not compared: behind a TLS proxy the browser
 * says https while this server speaks http. */
static bool origin_matches_host(const char *origin, const char *host)
{
    if (!origin || !host)
        return false;
    const char *sep = strstr(origin, "://");
    if (!sep)
        return false;
    const char *o_host = sep + 3;
    if (strchr(o_host, '/'))
        return false;
    return strcasecmp(o_host, host) == 0;
}

/* True when a state-changing request may go on: no sign of another
 * origin, and for a browser session some sign of this one. */
static bool same_origin(cs_request *req, bool need_evidence)
{
    const char *site = header(req, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return false;
    const char *origin = header(req, "Origin");
    if (origin && !origin_matches_host(origin, header(req, MHD_HTTP_HEADER_HOST)))
        return false;
    if (need_evidence && !site && !origin)
        return false;
    return true;
}

/* ---- who is it ---- */

static bool is_admin_route(cs_route_kind k)
{
    return k == CS_ROUTE_USERS || k == CS_ROUTE_USER || k == CS_ROUTE_USER_SESSIONS ||
           k == CS_ROUTE_ROOTS || k == CS_ROUTE_SCAN || k == CS_ROUTE_SCAN_FAILED ||
           k == CS_ROUTE_DLNA;
}

static bool is_open_route(cs_route_kind k)
{
    return k == CS_ROUTE_STATIC || k == CS_ROUTE_AUTH_LOGIN || k == CS_ROUTE_AUTH_SETUP ||
           k == CS_ROUTE_STATUS || k == CS_ROUTE_AUTH_LOGOUT || k == CS_ROUTE_BAD ||
           k == CS_ROUTE_TOO_LONG || k == CS_ROUTE_API_UNKNOWN;
}

static bool is_file_route(cs_route_kind k)
{
    return k == CS_ROUTE_FILE_STREAM || k == CS_ROUTE_FILE_HLS || k == CS_ROUTE_FILE_TRICKPLAY ||
           k == CS_ROUTE_FILE_TRICKPLAY_SHEET || k == CS_ROUTE_FILE_CHAPTERS;
}

/* The session cookie or bearer token into req; CU_ENOTFOUND when one was
 * given but is not (or no longer) valid; 1 when none was given. */
static int from_session(cs_request *req, cc_db *db)
{
    char token[CC_TOKEN_CHARS + 8];
    bool bearer = false;
    const char *authorization = header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    if (authorization) {
        if (!cs_bearer_token(authorization, token, sizeof token))
            return CU_ENOTFOUND;
        bearer = true;
    } else if (!cs_cookie_find(header(req, MHD_HTTP_HEADER_COOKIE), CS_SESSION_COOKIE, token,
                               sizeof token)) {
        return header(req, MHD_HTTP_HEADER_COOKIE) &&
                       strstr(header(req, MHD_HTTP_HEADER_COOKIE), CS_SESSION_COOKIE "=")
                   ? CU_ENOTFOUND
                   : 1;
    }
    cc_session s;
    cu_err err = {0};
    int64_t now = cu_time_now();
    int rc = cc_session_lookup(db, token, now, CS_SESSION_IDLE_S, &s, &err);
    if (rc < 0)
        return rc;
    /* A token used as a cookie or a cookie as a token: refused. */
    if ((s.kind == CC_SESSION_TOKEN) != bearer)
        return CU_ENOTFOUND;
    req->user_id = s.user_id;
    req->admin = s.admin;
    req->auth = bearer ? CS_AUTH_TOKEN : CS_AUTH_SESSION;
    req->session_id = s.id;
    if (now - s.last_used >= TOUCH_EVERY_S) {
        cs_auth *a = cs_server_auth(req->server);
        cc_db *w = cs_auth_writer(a, &err);
        if (w) {
            if (cc_session_touch(w, s.id, now, &err) < 0)
                cu_log(CU_LOG_WARN, "session: %s", err.msg);
            cs_auth_writer_release(a);
        }
    }
    return 0;
}

/* A signed URL for this request's file. */
static int from_signature(cs_request *req, cc_db *db, const char *sig)
{
    cs_auth *a = cs_server_auth(req->server);
    int64_t user_id, generation;
    int rc = cs_sign_check(a->key, req->route.id, sig, cu_time_now(), &user_id, &generation);
    if (rc < 0)
        return rc;
    bool admin = true;
    if (user_id != 0) {
        bool disabled;
        int64_t current;
        cu_err err = {0};
        if (cc_user_check(db, user_id, &admin, &disabled, &current, &err) < 0 || disabled ||
            current != generation)
            return CU_ENOTFOUND;
    } else if (!cs_auth_local_mode(a, db)) {
        /* Made in local mode: good only while the server still is. */
        return CU_ENOTFOUND;
    }
    req->user_id = user_id;
    req->admin = admin;
    req->auth = CS_AUTH_SIGNED;
    cu_strlcpy(req->sig, sig, sizeof req->sig);
    return 0;
}

/* Loads the user's scope when they see less than everything. */
static int load_scope(cs_request *req, cc_db *db, cu_err *err)
{
    if (req->admin || req->user_id == 0)
        return 0;
    struct cs_scope *scope = cu_xcalloc(1, sizeof *scope);
    int rc = cc_user_get(db, req->user_id, &scope->user, err);
    if (rc == 0 && cc_scope_restricted(&scope->user)) {
        rc = cc_scope_cache_get(cs_server_auth(req->server)->scopes, db, &scope->user, &scope->set,
                                err);
        if (rc == 0)
            scope->ids = cc_scope_set_ids(scope->set, &scope->count);
    }
    if (rc < 0 || !cc_scope_restricted(&scope->user)) {
        cc_user_clear(&scope->user);
        cc_scope_set_unref(scope->set);
        free(scope);
        return rc;
    }
    req->scope = scope;
    return 0;
}

void cs_auth_request_done(cs_request *req)
{
    if (req->scope) {
        cc_user_clear(&req->scope->user);
        cc_scope_set_unref(req->scope->set);
        free(req->scope);
        req->scope = NULL;
    }
}

bool cs_auth_film_visible(cs_request *req, int64_t film_id)
{
    return !req->scope || cc_scope_has(req->scope->ids, req->scope->count, film_id);
}

const int64_t *cs_auth_visible(cs_request *req, size_t *count, bool *restricted)
{
    *restricted = req->scope != NULL;
    *count = req->scope ? req->scope->count : 0;
    return req->scope ? req->scope->ids : NULL;
}

/* For a restricted user: whether the route's item is visible. */
static int item_visible(cs_request *req, cc_db *db, bool *visible, cu_err *err)
{
    *visible = true;
    if (!req->scope)
        return 0;
    int64_t film_id = 0;
    switch (req->route.kind) {
    case CS_ROUTE_FILM:
    case CS_ROUTE_FILM_POSTER:
    case CS_ROUTE_FILM_BACKDROP:
    case CS_ROUTE_FILM_SIMILAR:
    case CS_ROUTE_FILM_WATCHED: /* a mark on a film one may not see: as if there were none */
        *visible = cs_auth_film_visible(req, req->route.id);
        return 0;
    case CS_ROUTE_EXTRA: {
        int rc = cc_extra_film_id(db, req->route.id, &film_id, err);
        if (rc == CU_ENOTFOUND) {
            *visible = false;
            return 0;
        }
        if (rc < 0)
            return rc;
        *visible = cs_auth_film_visible(req, film_id);
        return 0;
    }
    case CS_ROUTE_FILE_STREAM:
    case CS_ROUTE_FILE_HLS:
    case CS_ROUTE_FILE_TRICKPLAY:
    case CS_ROUTE_FILE_TRICKPLAY_SHEET:
    case CS_ROUTE_FILE_CHAPTERS:
    case CS_ROUTE_FILE_PROGRESS:
    case CS_ROUTE_FILE_URLS: {
        char *root = NULL;
        int rc = cc_scope_file_owner(db, req->route.id, &film_id, &root, err);
        if (rc == CU_ENOTFOUND) {
            *visible = false;
            return 0;
        }
        if (rc < 0)
            return rc;
        *visible = film_id > 0 && cs_auth_film_visible(req, film_id) &&
                   cc_scope_root_allowed(&req->scope->user, root);
        free(root);
        return 0;
    }
    default: return 0;
    }
}

static bool refuse(cs_request *req, int *ret, unsigned status, const char *code, const char *msg)
{
    *ret = cs_reply_error(req, status, code, "%s", msg);
    return false;
}

bool cs_auth_gate(cs_request *req, int *ret)
{
    cs_auth *a = cs_server_auth(req->server);
    cs_route_kind kind = req->route.kind;
    req->user_id = 0;
    req->admin = false;
    req->auth = CS_AUTH_NONE;
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);

    /* Another site's page cannot change anything here, whoever is
     * signed in (or nobody, in local mode). */
    if (unsafe_method(req->method) && !same_origin(req, false))
        return refuse(req, ret, 403, "cross_origin", "requests from another site are refused");

    if (cs_auth_local_mode(a, db) && !proxied(req)) {
        req->admin = true;
        req->auth = CS_AUTH_LOCAL;
        return true;
    }
    if (!db && !is_open_route(kind)) {
        *ret = cs_reply_catalog_error(req, &err);
        return false;
    }

    int rc = db ? from_session(req, db) : 1;
    if (rc == 1 && is_file_route(kind)) {
        const char *sig = cs_query_get(&req->query, "sig");
        if (sig)
            rc = from_signature(req, db, sig) < 0 ? CU_ENOTFOUND : 0;
    }
    if (rc < 0 && rc != CU_ENOTFOUND) {
        *ret = cs_reply_catalog_error(req, &err);
        return false;
    }
    if (rc == CU_ENOTFOUND && header(req, MHD_HTTP_HEADER_COOKIE) &&
        !header(req, MHD_HTTP_HEADER_AUTHORIZATION))
        /* A stale cookie: let the browser forget it. */
        snprintf(req->set_cookie, sizeof req->set_cookie,
                 CS_SESSION_COOKIE "=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0%s",
                 a->tls ? "; Secure" : "");
    if (rc != 0) {
        req->user_id = 0;
        req->admin = false;
        req->auth = CS_AUTH_NONE;
        if (is_open_route(kind))
            return true;
        return refuse(req, ret, 401, "unauthorized", "sign in first");
    }
    /* A browser session changing something must show where it came from. */
    if (req->auth == CS_AUTH_SESSION && unsafe_method(req->method) && !same_origin(req, true))
        return refuse(req, ret, 403, "cross_origin", "requests from another site are refused");
    if (is_admin_route(kind) && !req->admin)
        return refuse(req, ret, 403, "forbidden", "only an admin may do that");
    /* Editing is not there for anyone but an admin: the others get what
     * a route that does not exist gets, whatever the method. */
    if (cs_edit_is_route(kind) && !req->admin)
        req->route.kind = kind = CS_ROUTE_API_UNKNOWN;
    if (load_scope(req, db, &err) < 0) {
        *ret = cs_reply_catalog_error(req, &err);
        return false;
    }
    bool visible;
    if (item_visible(req, db, &visible, &err) < 0) {
        *ret = cs_reply_catalog_error(req, &err);
        return false;
    }
    if (!visible)
        return refuse(req, ret, 404, "not_found", "no such item");
    return true;
}

/* ---- sign-in ---- */

/* Waits for one of the sign_in_max turns; false after the wait. */
static bool take_turn(cs_auth *a)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += SIGN_IN_WAIT_MS / 1000;
    pthread_mutex_lock(&a->sign_in_lock);
    int wait_rc = 0;
    while (a->sign_ins >= a->sign_in_max && wait_rc == 0)
        wait_rc = pthread_cond_timedwait(&a->sign_in_turn, &a->sign_in_lock, &until);
    bool got = a->sign_ins < a->sign_in_max;
    if (got)
        a->sign_ins++;
    pthread_mutex_unlock(&a->sign_in_lock);
    return got;
}

static void give_turn(cs_auth *a)
{
    pthread_mutex_lock(&a->sign_in_lock);
    a->sign_ins--;
    pthread_cond_signal(&a->sign_in_turn);
    pthread_mutex_unlock(&a->sign_in_lock);
}

/* The rate-limit key of a name: case-folded as the catalog compares. */
static void name_key(const char *name, char *out, size_t size)
{
    size_t n = 0;
    out[n++] = 'n';
    out[n++] = ':';
    for (const char *c = name; *c && n + 1 < size; c++)
        out[n++] = (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
    out[n] = '\0';
}

int cs_auth_sign_in(cs_request *req, const char *name, const char *password, int64_t *user_id,
                    bool *admin, int64_t *retry_after, cu_err *err)
{
    cs_auth *a = cs_server_auth(req->server);
    char address[64], address_key[72], account_key[96];
    cs_auth_client_address(req, address, sizeof address);
    snprintf(address_key, sizeof address_key, "a:%s", address);
    name_key(name, account_key, sizeof account_key);
    *retry_after = 0;
    int64_t now = cu_time_mono_ms();
    int64_t wait_name = cs_limit_wait(a->by_name, account_key, now);
    int64_t wait_address = cs_limit_wait(a->by_address, address_key, now);
    if (wait_name || wait_address) {
        *retry_after = wait_name > wait_address ? wait_name : wait_address;
        cu_log(CU_LOG_WARN, "sign-in refused for a while: too many failures (from %s)", address);
        return cu_err_set(err, CU_ELIMIT, "too many failed sign-ins; try again in %lld s",
                          (long long)*retry_after);
    }
    cc_db *db = cs_server_db(req->server, err);
    if (!db)
        return CU_EBUSY;
    if (!take_turn(a))
        return cu_err_set(err, CU_EBUSY, "too many sign-ins at once; try again");
    cc_user user;
    int rc = cc_user_verify(db, name, password, &user, err);
    give_turn(a);
    now = cu_time_mono_ms();
    if (rc == CU_ENOTFOUND) {
        int64_t w1 = cs_limit_fail(a->by_name, account_key, now);
        int64_t w2 = cs_limit_fail(a->by_address, address_key, now);
        /* The name a client typed is not logged: it may be a password
         * typed into the wrong box. */
        cu_log(CU_LOG_WARN, "sign-in failed from %s%s", address,
               w1 || w2 ? " (now rate limited)" : "");
        return cu_err_set(err, CU_ENOTFOUND, "wrong name or password");
    }
    if (rc < 0)
        return rc;
    cs_limit_forget(a->by_name, account_key);
    cs_limit_forget(a->by_address, address_key);
    *user_id = user.id;
    *admin = user.admin;
    cu_log(CU_LOG_INFO, "%s signed in from %s", user.name, address);
    cc_user_clear(&user);
    return 0;
}

/* ---- front doors that carry their own credentials (cs_auth.h) ---- */

bool cs_auth_door_local(cs_request *req)
{
    cs_auth_request_done(req); /* a resumed request authenticates again */
    req->user_id = 0;
    req->admin = false;
    req->auth = CS_AUTH_NONE;
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (db && cs_auth_local_mode(cs_server_auth(req->server), db) && !proxied(req)) {
        req->admin = true;
        req->auth = CS_AUTH_LOCAL;
        return true;
    }
    return false;
}

int cs_auth_door_token(cs_request *req, const char *token, cu_err *err)
{
    cs_auth_request_done(req);
    cc_db *db = cs_server_db(req->server, err);
    if (!db)
        return CU_EDB;
    cc_session s;
    int64_t now = cu_time_now();
    /* Either kind: a door's sign-in makes a browser-kind session (idle
     * limit and all), and an API token works as an app's key too. */
    int rc = cc_session_lookup(db, token, now, 0, &s, err);
    if (rc < 0)
        return rc;
    if (s.kind == CC_SESSION_BROWSER && now - s.last_used > CS_SESSION_IDLE_S)
        return CU_ENOTFOUND;
    req->user_id = s.user_id;
    req->admin = s.admin;
    req->auth = s.kind == CC_SESSION_TOKEN ? CS_AUTH_TOKEN : CS_AUTH_SESSION;
    req->session_id = s.id;
    if (now - s.last_used >= TOUCH_EVERY_S) {
        cs_auth *a = cs_server_auth(req->server);
        cu_err terr = {0};
        cc_db *w = cs_auth_writer(a, &terr);
        if (w) {
            if (cc_session_touch(w, s.id, now, &terr) < 0)
                cu_log(CU_LOG_WARN, "session: %s", terr.msg);
            cs_auth_writer_release(a);
        }
    }
    return load_scope(req, db, err);
}

int cs_auth_door_signed(cs_request *req, int64_t file_id, const char *sig, cu_err *err)
{
    cs_auth_request_done(req);
    cc_db *db = cs_server_db(req->server, err);
    if (!db)
        return CU_EDB;
    int64_t saved = req->route.id;
    req->route.id = file_id;
    int rc = from_signature(req, db, sig);
    req->route.id = saved;
    if (rc < 0)
        return CU_ENOTFOUND;
    return load_scope(req, db, err);
}

int cs_auth_door_file_visible(cs_request *req, int64_t file_id, bool *visible, cu_err *err)
{
    cc_db *db = cs_server_db(req->server, err);
    if (!db)
        return CU_EDB;
    cs_route_kind kind = req->route.kind;
    int64_t id = req->route.id;
    req->route.kind = CS_ROUTE_FILE_STREAM;
    req->route.id = file_id;
    int rc = item_visible(req, db, visible, err);
    req->route.kind = kind;
    req->route.id = id;
    return rc;
}
