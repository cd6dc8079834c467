/* cs_internal: what the server's files share and nothing outside uses:
 * the per-request state, reply helpers and handler entry points. */
#ifndef CS_INTERNAL_H
#define CS_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include "catalog/cc_db.h"
#include "server/cs_auth.h"
#include "server/cs_query.h"
#include "server/cs_router.h"
#include "server/cs_server.h"
#include "server/cs_static.h"

typedef enum {
    CS_METHOD_GET, CS_METHOD_HEAD, CS_METHOD_POST, CS_METHOD_PUT, CS_METHOD_PATCH,
    CS_METHOD_DELETE, CS_METHOD_OTHER,
} cs_method;

/* One request, from the first line to the completion callback. */
typedef struct cs_request {
    cs_server *server;
    struct MHD_Connection *conn;
    char *target;               /* the raw request target, as received */
    bool head;                  /* HEAD: headers only (MHD drops the body) */
    bool started;               /* the handler saw the headers */
    cs_method method;
    cs_route route;
    cs_query query;
    /* The body of a POST, PUT, PATCH or DELETE (at most CS_BODY_MAX). */
    char *body;
    size_t body_len;
    bool body_too_large;
    /* Who asks (cs_auth.c): the signed-in user (0 in local mode, when no
     * account exists) and whether they are an admin (true in local mode). */
    int64_t user_id;
    bool admin;
    cs_auth_kind auth;
    int64_t session_id;         /* the session or token used; 0 otherwise */
    struct cs_scope *scope;     /* a restricted user's visible films; NULL: all */
    char sig[128];              /* the signed URL's sig, carried into playlists */
    /* Extra reply headers. */
    char set_cookie[256];
    int64_t retry_after;        /* > 0: Retry-After */
    const char *allow;          /* Allow on 405; NULL: "GET, HEAD" */
} cs_request;

/* The calling worker thread's read-only catalog connection, opened on
 * first use; NULL with err set when the catalog cannot be opened. */
cc_db *cs_server_db(cs_server *server, cu_err *err);
const char *cs_server_cache_dir(const cs_server *server);
const cs_config *cs_server_config(const cs_server *server);

/* Replies. Each queues a response and returns MHD's verdict. Bodies are
 * suppressed by MHD for HEAD. */
enum MHD_Result cs_reply_json(cs_request *req, unsigned status, json_t *body /* stolen */);
enum MHD_Result cs_reply_error(cs_request *req, unsigned status, const char *code,
                               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The error for a failed catalog call: 404 for CU_ENOTFOUND, 503 when the
 * catalog cannot be opened, else 500. */
enum MHD_Result cs_reply_catalog_error(cs_request *req, const cu_err *err);
enum MHD_Result cs_reply_text(cs_request *req, unsigned status, const char *content_type,
                              const char *text);
/* Headers every response carries. */
void cs_reply_common_headers(struct MHD_Response *response);

/* Sends a file from disk: ETag and Last-Modified from the open file,
 * If-None-Match / If-Modified-Since (304), and with ranges allowed Range /
 * If-Range (206, 416). The body goes out with sendfile. */
typedef struct cs_file_reply {
    const char *path;
    const char *content_type;
    const char *cache_control;  /* NULL: none */
    bool ranges;                /* honour Range */
    bool no_follow;             /* refuse a symbolic link as the last component */
    const char *within;         /* canonical folder the opened file must resolve
                                 * into (checked on the descriptor); NULL: none */
    const char *csp;            /* Content-Security-Policy; NULL: none */
} cs_file_reply;
enum MHD_Result cs_send_file(cs_request *req, const cs_file_reply *file);

/* Handlers, one per route kind. */
enum MHD_Result cs_api_films(cs_request *req);
enum MHD_Result cs_api_film(cs_request *req);
enum MHD_Result cs_api_person(cs_request *req);
enum MHD_Result cs_api_extra(cs_request *req);
enum MHD_Result cs_api_festivals(cs_request *req);
enum MHD_Result cs_api_genres(cs_request *req);
enum MHD_Result cs_api_status(cs_request *req);
enum MHD_Result cs_api_search(cs_request *req);
/* Film ids matching a ?q= search, best first, at most max (*ids malloc'd). */
int cs_search_film_ids(cc_db *db, const char *query, size_t max, int64_t **ids, size_t *count,
                       cu_err *err);
enum MHD_Result cs_api_stream(cs_request *req);

/* HLS (cs_hls.c): per-server state (segment cache, keyframe indexes,
 * transcoding workers), made with the server and freed after its threads. */
typedef struct cs_hls cs_hls;
int cs_hls_new(const char *cache_dir, cs_hls **out, cu_err *err);
void cs_hls_free(cs_hls *hls);
cs_hls *cs_server_hls(cs_server *server);
enum MHD_Result cs_api_hls(cs_request *req);
enum MHD_Result cs_api_artwork(cs_request *req, bool backdrop);

/* Accounts (cs_api_auth.c) and administration (cs_api_admin.c). */
cs_auth *cs_server_auth(cs_server *server);
enum MHD_Result cs_api_login(cs_request *req);
enum MHD_Result cs_api_logout(cs_request *req);
enum MHD_Result cs_api_setup(cs_request *req);
enum MHD_Result cs_api_me(cs_request *req);
enum MHD_Result cs_api_me_sessions(cs_request *req);
enum MHD_Result cs_api_me_session(cs_request *req);
enum MHD_Result cs_api_me_tokens(cs_request *req);
enum MHD_Result cs_api_me_token(cs_request *req);
enum MHD_Result cs_api_file_urls(cs_request *req);
enum MHD_Result cs_api_users(cs_request *req);
enum MHD_Result cs_api_user(cs_request *req);
enum MHD_Result cs_api_user_sessions(cs_request *req);
enum MHD_Result cs_api_roots(cs_request *req);
enum MHD_Result cs_api_scan(cs_request *req);
enum MHD_Result cs_api_scan_failed(cs_request *req);
/* 405 with an Allow header. */
enum MHD_Result cs_reply_method_not_allowed(cs_request *req, const char *allow);
/* The request's JSON body (an object; {} when empty): 0, or a queued
 * 400/413 reply in *ret. */
int cs_request_json(cs_request *req, json_t **body, enum MHD_Result *ret);
/* "2026-11-30T02:51:05Z", or null for t <= 0. */
json_t *cs_json_time(int64_t t);
struct cc_user;
/* {"id","name","admin"} and with full the rest an admin sees. */
json_t *cs_json_user(const struct cc_user *user, bool full);
/* {"items": [...]} of a user's sessions (kind 0) or tokens (kind 1). */
enum MHD_Result cs_reply_sessions(cs_request *req, int64_t user_id, int kind);
/* Ends every session, token and signed URL of user_id. */
enum MHD_Result cs_end_all_sessions(cs_request *req, int64_t user_id);
/* Removes what only admins learn (absolute paths, probe error text) from
 * a film, file or extra record, in place. */
void cs_json_strip_private(json_t *value);

#endif
