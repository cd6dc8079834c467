/* cs_auth: who is asking, and may they. One gate every request passes
 * after its Host and route are known and before its handler runs:
 *  - local mode (no account in the catalog, a loopback listen address, a
 *    request that did not come through a proxy): everyone is admin, as
 *    before accounts existed;
 *  - otherwise a session cookie, an `Authorization: Bearer` API token or,
 *    for one file's stream and HLS files only, a signed URL (cs_sign.h);
 *    nothing but the web app's files, sign-in, setup and a minimal status
 *    is open without one (401);
 *  - POST/PUT/PATCH/DELETE from another origin (Origin, Sec-Fetch-Site)
 *    are refused (403);
 *  - admin routes need an admin (403); an item a restricted user may not
 *    see is 404, as if it did not exist.
 * The server's state for it (the writer connection for sessions, the key,
 * the sign-in rate limits) lives in one cs_auth per server. */
#ifndef CS_AUTH_H
#define CS_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "util/cu_err.h"

typedef struct cs_auth cs_auth;
struct cs_request;
struct cs_config;

/* Idle and absolute lifetime of a browser session. */
#define CS_SESSION_IDLE_S (14 * 24 * 3600)
#define CS_SESSION_MAX_S (60 * 24 * 3600)
/* Lifetime of a signed URL. */
#define CS_SIGNED_URL_S (8 * 3600)

typedef enum {
    CS_AUTH_NONE,    /* not signed in (open routes only) */
    CS_AUTH_LOCAL,   /* local mode */
    CS_AUTH_SESSION, /* the session cookie */
    CS_AUTH_TOKEN,   /* an API token */
    CS_AUTH_SIGNED,  /* a signed URL */
} cs_auth_kind;

int cs_auth_new(const struct cs_config *config, bool loopback_listen, cs_auth **out, cu_err *err);
void cs_auth_free(cs_auth *auth);

/* Runs the gate. False when a reply was queued (into *ret). */
bool cs_auth_gate(struct cs_request *req, int *ret);
/* Frees what the gate attached to req. */
void cs_auth_request_done(struct cs_request *req);

/* The server's writer connection for accounts and sessions, locked for
 * the caller until cs_auth_writer_release; NULL (err set) when the
 * catalog cannot be opened for writing. */
cc_db *cs_auth_writer(cs_auth *auth, cu_err *err);
void cs_auth_writer_release(cs_auth *auth);

/* Whether the server runs in local mode now (cached for a second). */
bool cs_auth_local_mode(cs_auth *auth, cc_db *db);
/* Forgets the cached answer (after adding or removing users). */
void cs_auth_users_changed(cs_auth *auth);
bool cs_auth_tls(const cs_auth *auth);
const unsigned char *cs_auth_key(const cs_auth *auth);
int64_t cs_auth_started_at(const cs_auth *auth);

/* The client's address as text ("192.0.2.7", "::1"); "" when unknown. */
void cs_auth_client_address(struct cs_request *req, char *out, size_t size);
/* Whether the connection comes from this machine. */
bool cs_auth_from_loopback(struct cs_request *req);

/* Sign-in with rate limits and a bound on concurrent argon2id work.
 * 0 with *user_id and *admin on success; CU_ENOTFOUND for a wrong name or
 * password; CU_ELIMIT with *retry_after seconds when refused for now;
 * CU_EBUSY when too many sign-ins are being checked. */
int cs_auth_sign_in(struct cs_request *req, const char *name, const char *password,
                    int64_t *user_id, bool *admin, int64_t *retry_after, cu_err *err);

/* Whether a film is visible to the request's user. */
bool cs_auth_film_visible(struct cs_request *req, int64_t film_id);
/* The visible film ids when the user is restricted (sorted), else NULL
 * with *restricted false. */
const int64_t *cs_auth_visible(struct cs_request *req, size_t *count, bool *restricted);

/* For a front door that reads its own credentials (the Jellyfin API):
 * local mode (true: req is admin), a session or API token (0; CU_ENOTFOUND
 * when not valid), or a signed URL for one file (0; CU_ENOTFOUND). Each
 * sets req's user and scope as the gate does. */
bool cs_auth_door_local(struct cs_request *req);
int cs_auth_door_token(struct cs_request *req, const char *token, cu_err *err);
int cs_auth_door_signed(struct cs_request *req, int64_t file_id, const char *sig, cu_err *err);
/* Whether a file (a film's or an extra's) is visible to req's user. */
int cs_auth_door_file_visible(struct cs_request *req, int64_t file_id, bool *visible, cu_err *err);

#endif
