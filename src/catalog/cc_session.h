/* cc_session: browser sessions and API tokens. A token is 32 random bytes
 * (256 bits) written as 43 base64url characters; the catalog keeps only
 * its BLAKE2b hash, so a stolen copy of the catalog opens nothing.
 * Also the server key for signed URLs: 32 random bytes in a file beside
 * the catalog (FILE.key, mode 0600), made on first use. */
#ifndef CC_SESSION_H
#define CC_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

#define CC_TOKEN_CHARS 43 /* base64url of 32 bytes, no padding */
#define CC_TOKEN_NAME_MAX 64
#define CC_SERVER_KEY_BYTES 32

typedef enum { CC_SESSION_BROWSER = 0, CC_SESSION_TOKEN = 1 } cc_session_kind;

typedef struct cc_session {
    int64_t id, user_id;
    cc_session_kind kind;
    char name[CC_TOKEN_NAME_MAX + 1];          /* token name, or the browser's User-Agent (cut) */
    char address[64];                          /* client address when made */
    int64_t created_at, last_used, expires_at; /* expires_at 0: never */
    /* From the user, when looked up: */
    bool admin;
    int64_t generation;
} cc_session;

/* Makes a session (expires_at 0: never) and writes its token (a C string
 * of CC_TOKEN_CHARS characters) to token; the token is not kept. */
int cc_session_create(cc_db *db, int64_t user_id, cc_session_kind kind, const char *name,
                      const char *address, int64_t now, int64_t expires_at,
                      char token[CC_TOKEN_CHARS + 1], int64_t *id, cu_err *err);
/* The live session for token: not expired at now, idle at most idle_limit
 * seconds (browser sessions only; 0: no idle limit), user enabled.
 * CU_ENOTFOUND otherwise (and for anything that is not a token). Kept
 * prepared: called on every signed-in request. */
int cc_session_lookup(cc_db *db, const char *token, int64_t now, int64_t idle_limit,
                      cc_session *out, cu_err *err);
/* Records use (the caller limits how often). */
int cc_session_touch(cc_db *db, int64_t id, int64_t now, cu_err *err);
/* Deletes one session of user_id; CU_ENOTFOUND when it is not theirs. */
int cc_session_delete(cc_db *db, int64_t user_id, int64_t id, cu_err *err);
/* Ends every session and token of the user and every signed URL made for
 * it (the user's generation moves on). */
int cc_session_delete_all(cc_db *db, int64_t user_id, cu_err *err);
/* The user's sessions of one kind, newest first (*out malloc'd). */
int cc_session_list(cc_db *db, int64_t user_id, cc_session_kind kind, cc_session **out,
                    size_t *count, cu_err *err);
/* Removes expired sessions. */
int cc_session_prune(cc_db *db, int64_t now, int64_t idle_limit, cu_err *err);

/* Reads db_path's key file, creating it (0600, O_EXCL) when missing.
 * Refuses a key file that others may read. */
int cc_server_key_load(const char *db_path, unsigned char key[CC_SERVER_KEY_BYTES], cu_err *err);

#endif
