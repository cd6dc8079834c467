/* cs_door_user: what a front door with its own credentials and its own
 * URLs (the Jellyfin API) needs from the core beyond cs_door.h: who asks
 * (local mode, a session or API token, a signed URL) and what they may
 * see, signing in and out, the watch writer, and the core's HLS and
 * artwork replies under the door's own URLs. */
#ifndef CS_DOOR_USER_H
#define CS_DOOR_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_session.h"
#include "server/cs_door.h"
#include "server/cs_sign.h"
#include "util/cu_err.h"

/* A query parameter whose name matches case-insensitively, or NULL. */
const char *cs_door_param_ci(const cs_request *req, const char *name);
/* Every value of a repeated parameter ("fields=A&fields=B"), at most max
 * into out; returns how many. */
size_t cs_door_param_ci_all(const cs_request *req, const char *name, const char **out, size_t max);

/* Authentication (see cs_auth.h): true in local mode (req is admin). */
bool cs_door_local_mode(cs_request *req);
/* 0, CU_ENOTFOUND for a token or signature that is not (or no longer)
 * valid, or another error (catalog). */
int cs_door_token(cs_request *req, const char *token, cu_err *err);
int cs_door_signed(cs_request *req, int64_t file_id, const char *sig, cu_err *err);
/* The signed-in user (0 in local mode), whether an admin, and the session
 * the request came with (0: none). */
void cs_door_who(const cs_request *req, int64_t *user_id, bool *admin, int64_t *session_id);
/* A restricted user's visible films (sorted), else NULL with *restricted
 * false. */
const int64_t *cs_door_visible(cs_request *req, size_t *count, bool *restricted);
bool cs_door_film_visible(cs_request *req, int64_t film_id);
int cs_door_file_visible(cs_request *req, int64_t file_id, bool *visible, cu_err *err);

/* Signs in with the sign-in limits of the web app and starts a session
 * named device (printable ASCII kept) whose token goes to token. 0;
 * CU_ENOTFOUND (wrong name or password), CU_ELIMIT (*retry_after set),
 * CU_EBUSY, or another error. */
int cs_door_sign_in(cs_request *req, const char *name, const char *password, const char *device,
                    char token[CC_TOKEN_CHARS + 1], int64_t *user_id, bool *admin,
                    int64_t *retry_after, cu_err *err);
/* Ends the request's session (nothing without one). */
int cs_door_sign_out(cs_request *req, cu_err *err);
/* A signed URL's sig for one file and req's user. */
void cs_door_sign(cs_request *req, int64_t file_id, char out[CS_SIG_MAX]);
/* The server's start (seconds since the epoch) and its key-derived id
 * material (32 bytes) for a stable server id. */
const unsigned char *cs_door_key(cs_request *req);
/* The same key outside any request (a door's own UDP service). */
struct cs_server;
const unsigned char *cs_door_server_key(struct cs_server *server);

/* The accounts writer connection, locked until released. */
cc_db *cs_door_writer(cs_request *req, cu_err *err);
void cs_door_writer_release(cs_request *req);
/* Watch state through the server's watch writer, waiting for the commit. */
int cs_door_watch_progress(cs_request *req, int64_t file_id, double position, double duration,
                           cu_err *err);
int cs_door_watch_film(cs_request *req, int64_t film_id, bool watched, cu_err *err);

/* The core's HLS reply for one file: tail is "master.m3u8", "media.m3u8",
 * "init.mp4", "seg-N.m4s" or "subs/KEY.vtt|m3u8", with the request's own
 * query (o=, caps=, audio=). Playlists carry a signature for the file (the
 * request's own, or a new one) so that a player following them needs no
 * header. The request may be parked: the door's handler is then called
 * again once the work is done. */
int cs_door_send_hls(cs_request *req, int64_t file_id, const char *tail);
/* A film's poster or backdrop, width 0: as stored. */
int cs_door_send_image(cs_request *req, int64_t film_id, bool backdrop, int64_t width);

#endif
