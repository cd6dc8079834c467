/* cs_internal: what the server's files share and nothing outside uses:
 * the per-request state, reply helpers and handler entry points. */
#ifndef CS_INTERNAL_H
#define CS_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "catalog/cc_db.h"
#include "server/cs_door.h"
#include "catalog/cc_browse.h"
#include "catalog/cc_film.h"
#include "catalog/cc_watch.h"
#include "playback/cp_hls.h"
#include "server/cs_auth.h"
#include "server/cs_body.h"
#include "server/cs_query.h"
#include "server/cs_router.h"
#include "server/cs_server.h"
#include "server/cs_static.h"
#include "util/cu_buf.h"

typedef enum {
    CS_METHOD_GET,
    CS_METHOD_HEAD,
    CS_METHOD_POST,
    CS_METHOD_PUT,
    CS_METHOD_PATCH,
    CS_METHOD_DELETE,
    CS_METHOD_OTHER,
} cs_method;

/* One request, from the first line to the completion callback. */
typedef struct cs_request {
    cs_server *server;
    struct MHD_Connection *conn;
    char *target;         /* the raw request target, as received */
    bool head;            /* HEAD: headers only (MHD drops the body) */
    bool started;         /* the handler saw the headers */
    bool parked;          /* waits for HLS work (cs_door_wait, cs_parked_wait) */
    int64_t wait_until;   /* cu_time_mono_ms() bound on that wait; 0: none yet */
    struct cs_wake *wake; /* what ends a wait (cs_wake.h); NULL: none */
    cs_method method;
    char method_name[16]; /* as sent, for a door's own methods (SUBSCRIBE) */
    cs_route route;
    cs_query query;
    /* The body of a POST, PUT, PATCH or DELETE (at most CS_BODY_MAX). */
    char *body;
    size_t body_len, body_expected; /* a door's POST body: exactly body_expected bytes */
    bool body_too_large;
    size_t body_cap; /* the most kept of it (cs_edit_body_cap) */
    /* Who asks (cs_auth.c): the signed-in user (0 in local mode, when no
     * account exists) and whether they are an admin (true in local mode). */
    int64_t user_id;
    bool admin;
    cs_auth_kind auth;
    int64_t session_id;     /* the session or token used; 0 otherwise */
    struct cs_scope *scope; /* a restricted user's visible films; NULL: all */
    char sig[128];          /* the signed URL's sig, carried into playlists */
    /* Extra reply headers. */
    char set_cookie[256];
    int64_t retry_after; /* > 0: Retry-After */
    const char *allow;   /* Allow on 405; NULL: "GET, HEAD" */
    const cs_door *door; /* the front door this path belongs to, or NULL */
    cc_db *read_db;      /* its read transaction is open (cs_server.c) */
    bool corked;         /* TCP_CORK set until the reply is done (cs_server_cork) */
    /* Waiting for the watch writer on its own thread (cs_api_watch_wait,
     * until pending_until), which then sets `result`. */
    bool pending;
    int64_t pending_until;
    int result;
    /* The state as committed, filled by the writer with `result` (the
     * reply is made from it: cs_api_watch_finish). */
    cc_watch stored;
} cs_request;

/* The calling request thread's read-only catalog connection, borrowed
 * from the server's pool on first use and given back when the handler
 * returns (cs_dbpool.h); NULL with err set (CU_EBUSY: 503) when the
 * catalog cannot be opened or every connection stayed busy. */
cc_db *cs_server_db(cs_server *server, cu_err *err);
/* A parked request's wait for what it parked for (cs_door_stream.c):
 * woken, or its bound (wait_until) passed; its handler then runs again
 * and answers 503 if the bound is past. On the request's own thread. */
void cs_parked_wait(cs_request *req);
const char *cs_server_cache_dir(const cs_server *server);
/* A file reply's head and body leave together, in full packets (plain
 * HTTP; undone when the reply is done). */
void cs_server_cork(cs_request *req);
const cs_config *cs_server_config(const cs_server *server);

/* Seconds a 503 asks the client to wait (Retry-After). */
#define CS_RETRY_AFTER_SECONDS "2"

/* Replies. Each queues a response and returns MHD's verdict. Bodies are
 * suppressed by MHD for HEAD. */
enum MHD_Result cs_reply_json(cs_request *req, unsigned status, json_t *body /* stolen */);
/* A body already written as JSON text (cj_write.h); text is stolen. */
enum MHD_Result cs_reply_json_text(cs_request *req, unsigned status, char *text);
enum MHD_Result cs_reply_error(cs_request *req, unsigned status, const char *code, const char *fmt,
                               ...) __attribute__((format(printf, 4, 5)));
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
    const char *cache_control; /* NULL: none */
    bool ranges;               /* honour Range */
    /* Canonical folders the file must lie in: when given, it is opened with
     * cp_file_open (no symbolic link as the last component, a regular file
     * whose descriptor leads inside one of them). NULL: a plain open (the
     * web app's own files). */
    const char *const *roots;
    size_t root_count;
    const char *csp;            /* Content-Security-Policy; NULL: none */
    const char *const *headers; /* extra name, value, ..., NULL pairs; NULL: none */
} cs_file_reply;
enum MHD_Result cs_send_file(cs_request *req, const cs_file_reply *file);
/* The web app's file: compressed from its in-memory copy when the client
 * accepts a coding it has (cs_encoded.c), else as cs_send_file(f). */
enum MHD_Result cs_send_static(cs_request *req, const cs_static_file *file, const cs_file_reply *f);
/* For a reply body of content_type: false when it is not JSON (only JSON
 * replies are compressed on the fly); true when it is (the reply then says Vary), with
 * data and len replaced by a compressed body and *encoding named when the
 * client accepts one and it is smaller. */
bool cs_encode_reply(cs_request *req, const char *content_type, char **data, size_t *len,
                     const char **encoding);
/* The same for a descriptor already opened (and checked) by the caller,
 * with its fstat; takes fd (closes it on every path). file->path only
 * names it in logs. */
enum MHD_Result cs_send_fd(cs_request *req, int fd, const struct stat *st,
                           const cs_file_reply *file);
/* The answer for a failed cp_file_open: 404 for CU_ENOTFOUND, 403 for a
 * permission error, else 500. */
enum MHD_Result cs_reply_open_error(cs_request *req, const cu_err *err);

/* Handlers, one per route kind. */
enum MHD_Result cs_api_films(cs_request *req);
enum MHD_Result cs_api_film(cs_request *req);
enum MHD_Result cs_api_person(cs_request *req);
enum MHD_Result cs_api_extra(cs_request *req);
enum MHD_Result cs_api_festivals(cs_request *req);
enum MHD_Result cs_api_genres(cs_request *req);
enum MHD_Result cs_api_status(cs_request *req);
enum MHD_Result cs_api_search(cs_request *req);
/* Browsing a big library (cs_api_shelf.c): the films list's shelf
 * filters, its A-Z bar, collections, more like this; a film record's
 * collection. */
enum MHD_Result cs_api_film_letters(cs_request *req);
enum MHD_Result cs_api_collections(cs_request *req);
enum MHD_Result cs_api_collection(cs_request *req);
enum MHD_Result cs_api_film_similar(cs_request *req);
int cs_shelf_read_filter(cs_request *req, cc_film_filter *filter, enum MHD_Result *ret);
enum MHD_Result cs_shelf_letters_reply(cs_request *req, cc_count_list *letters);
int cs_shelf_add_to_film(cs_request *req, cc_db *db, int64_t film_id, json_t *record, cu_err *err);
/* Film ids matching a ?q= search that req's user may see, best first, at
 * most max (*ids malloc'd). */
int cs_search_film_ids(cs_request *req, cc_db *db, const char *query, size_t max, int64_t **ids,
                       size_t *count, cu_err *err);
enum MHD_Result cs_api_stream(cs_request *req);
/* The direct-play reply for one catalog file, with extra headers. */
enum MHD_Result cs_stream_file(cs_request *req, int64_t file_id, const char *const *headers);
/* The library roots' real paths, kept a second (cs_realroot.h). */
struct cs_realroots *cs_server_realroots(cs_server *server);

/* HLS (cs_hls.c): per-server state (segment cache, keyframe indexes,
 * transcoding workers), made with the server and freed after its threads:
 * playback's (cp_hls), as it is. */
typedef cp_hls cs_hls;
static inline int cs_hls_new(const char *cache_dir, cs_hls **out, cu_err *err)
{
    return cp_hls_new(cache_dir, out, err);
}
/* Wakes every request parked for HLS work (before the daemon stops). */
static inline void cs_hls_stop(cs_hls *hls)
{
    cp_hls_stop(hls);
}
static inline void cs_hls_free(cs_hls *hls)
{
    cp_hls_free(hls);
}
static inline void cs_hls_transcodes(cs_hls *hls, int *running, int *max)
{
    cp_hls_transcodes(hls, running, max);
}
/* Its playback side, for a door's own streams (cs_door_stream.c). */
static inline cp_hls *cs_hls_playback(cs_hls *hls)
{
    return hls;
}
/* Replies of playback's results (cs_reply_media.c): its error codes as
 * statuses (503 with Retry-After for work under way or a busy client,
 * 404, 403, 415 for a file that cannot be played, 500), and a body of
 * bytes or a cached file (taken: cleared on every path). */
enum MHD_Result cs_reply_media_error(cs_request *req, const cu_err *err);
enum MHD_Result cs_reply_body(cs_request *req, cp_body *body, const char *type,
                              const char *cache_control);
/* The status members only admins get (cs_api_status_admin.c): catalog
 * size, backups, transcodes, offline roots. */
void cs_status_admin(cs_request *req, cc_db *db, json_t *body);
cs_hls *cs_server_hls(cs_server *server);
enum MHD_Result cs_api_hls(cs_request *req);
/* The HLS files of one catalog file (tail: "master.m3u8", "seg-3.m4s"...),
 * for a caller that already decided the request may have them (a share);
 * clip (NULL: the whole file) limits every playlist and segment to it. */
typedef struct cs_hls_clip {
    int64_t from_ms, to_ms;
} cs_hls_clip;
enum MHD_Result cs_hls_serve_file(cs_request *req, int64_t file_id, const char *tail,
                                  const cs_hls_clip *clip);
/* Shares (cs_share*.c): the anonymous door at /s/{token}... and the admin
 * API under /api/v1/shares. cs_share_path: whether path is the door's. */
typedef struct cs_shares cs_shares;
int cs_shares_new(cs_shares **out, cu_err *err);
void cs_shares_free(cs_shares *shares);
cs_shares *cs_server_shares(cs_server *server);
bool cs_share_path(const char *path);
enum MHD_Result cs_share_serve(cs_request *req);
enum MHD_Result cs_api_shares(cs_request *req);
/* Trickplay sheets and chapters of a file (cs_trickplay.c). */
enum MHD_Result cs_api_trickplay(cs_request *req);
/* Artwork (cs_artwork.c): per-server state (the resize bounds), made with
 * the server (sweeping unfinished copies from the cache) and freed after
 * its threads. */
typedef struct cs_artwork cs_artwork;
int cs_artwork_new(const char *cache_dir, cs_artwork **out, cu_err *err);
void cs_artwork_free(cs_artwork *artwork);
cs_artwork *cs_server_artwork(cs_server *server);
enum MHD_Result cs_api_artwork(cs_request *req, bool backdrop);

/* Watch state (cs_api_watch.c). The writes wait, on the request's
 * thread, until the watch writer commits (cs_api_watch_wait, bounded);
 * cs_api_watch_finish then replies. */
typedef struct cc_watch_writer cc_watch_writer;
/* How long a write (here or through a door) waits for the writer's
 * answer: longer than the writer itself waits for SQLite's write lock (10
 * s, while a scan saves), after which it answers on its own; this bounds
 * only an answer that never comes. Then 503 with Retry-After. */
#define CS_WATCH_WAIT_MS 15000
cc_watch_writer *cs_server_watch_writer(cs_server *server);
enum MHD_Result cs_api_progress(cs_request *req);
enum MHD_Result cs_api_watched(cs_request *req, bool watched);
enum MHD_Result cs_api_continue(cs_request *req);
void cs_api_watch_wait(cs_request *req);
enum MHD_Result cs_api_watch_finish(cs_request *req);
/* Adds the signed-in user's "watch" object and "offline" to a film record
 * (and "watch" to each of its files and extras' files), or to one item of
 * the films list. */
int cs_watch_add_to_film(cs_request *req, cc_db *db, const cc_film *film, json_t *record,
                         cu_err *err);
/* The JSON forms of users, sessions, tokens and watch state are json/'s
 * (cj_user.h: cj_time, cj_user, cj_session, cj_watch). */
/* A page's items as the films list writes them (cj_film_item_write),
 * each with its watch state and offline mark, asked once for the page: in
 * the page's order, or in order's (ids; those not in the page are
 * skipped) when order is not NULL. Appends the JSON array's text to out;
 * *shown (when not NULL) is how many items it holds. */
/* The head of a list's body, before its items' array:
 * {"total":T,"offset":O,"limit":L,"items": */
void cs_list_head(cu_buf *body, int64_t total, int64_t offset, int64_t limit);
int cs_watch_page_items(cs_request *req, cc_db *db, const cc_film_page *page, const int64_t *order,
                        size_t order_count, cu_buf *out, size_t *shown, cu_err *err);
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
/* Preferences (cs_api_pref.c). */
enum MHD_Result cs_api_me_preferences(cs_request *req);
enum MHD_Result cs_api_user_preferences(cs_request *req);
enum MHD_Result cs_api_roots(cs_request *req);
enum MHD_Result cs_api_scan(cs_request *req);
enum MHD_Result cs_api_dlna(cs_request *req);
enum MHD_Result cs_api_scan_failed(cs_request *req);
/* Editing (cs_api_edit.c): the body cap for a request (CS_BODY_MAX but
 * for uploads), the upload routes named once the method is known, and
 * the handler of every edit route. */
#define CS_EDIT_IMAGE_MAX (10 * 1024 * 1024)
#define CS_EDIT_METADATA_MAX (512 * 1024)
size_t cs_edit_body_cap(const char *target, cs_method method);
void cs_edit_route(cs_request *req);
bool cs_edit_is_route(cs_route_kind kind);
enum MHD_Result cs_api_edit(cs_request *req);
/* An admin's choice of a film's disc title (cs_api_disc.c). */
enum MHD_Result cs_api_disc_title(cs_request *req);
/* 405 with an Allow header. */
enum MHD_Result cs_reply_method_not_allowed(cs_request *req, const char *allow);
/* The request's JSON body (an object; {} when empty): 0, or a queued
 * 400/413 reply in *ret. */
int cs_request_json(cs_request *req, json_t **body, enum MHD_Result *ret);
/* {"items": [...]} of a user's sessions (kind 0) or tokens (kind 1). */
enum MHD_Result cs_reply_sessions(cs_request *req, int64_t user_id, int kind);
/* Ends every session, token and signed URL of user_id. */
enum MHD_Result cs_end_all_sessions(cs_request *req, int64_t user_id);
/* Removes what only admins learn (absolute paths, probe error text) from
 * a film, file or extra record, in place. */
void cs_json_strip_private(json_t *value);

#endif
