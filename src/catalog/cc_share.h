/* cc_share: public links to one film, one extra, or one stretch of a film
 * (a clip), that open at a chosen time, close at another, and may carry a
 * view limit. A share names the catalog file it plays and follows that
 * file's identity like watch state does (cc_watch.h): a moved or renamed
 * file keeps its id; a file that leaves the catalog sets its shares aside
 * (a trigger negates their file id) and they come back to a file that
 * returns with the same size and fingerprint. A share whose file is gone
 * says so (CC_SHARE_GONE) instead of vanishing.
 *
 * Tokens are 128 random bits (libsodium), base64url without padding (22
 * characters), stored as they are: a share link is public by design (it is
 * meant to be posted), and the admin must be able to copy it again from the
 * shares page; what a leaked catalog could reveal early is guarded by the
 * server's state checks, not by the token's secrecy. Lookups go through the
 * UNIQUE index, so a guess costs the same whether or not it exists. */
#ifndef CC_SHARE_H
#define CC_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

#define CC_SHARE_TOKEN_CHARS 22 /* base64url of 16 bytes */
#define CC_SHARE_TITLE_MAX 200  /* bytes */
#define CC_SHARE_NOTE_MAX 2000  /* bytes */
#define CC_SHARE_LIST_MAX 10000 /* shares a list returns at most */
#define CC_SHARE_VIEWER_MAX 64  /* bytes of a viewer key */
/* A clip lasts at least a second and at most six hours. */
#define CC_SHARE_CLIP_MIN_MS 1000
#define CC_SHARE_CLIP_MAX_MS (6 * 3600 * 1000LL)

typedef enum {
    CC_SHARE_SCHEDULED, /* opens later */
    CC_SHARE_LIVE,
    CC_SHARE_EXPIRED, /* closes_at passed, or the view limit is reached */
    CC_SHARE_REVOKED,
} cc_share_state;

typedef struct cc_share {
    int64_t id;
    char token[CC_SHARE_TOKEN_CHARS + 1];
    bool extra;                       /* an extra, else the film (or a clip of it) */
    int64_t film_id;                  /* the film (an extra's film); 0: its file is gone */
    int64_t extra_id;                 /* 0 unless extra (and its file present) */
    int64_t file_id;                  /* <= 0: the file left the catalog */
    int64_t clip_from_ms, clip_to_ms; /* both 0: the whole file */
    char *title, *note;               /* NULL when not given */
    int64_t opens_at;                 /* epoch seconds */
    int64_t closes_at;                /* 0: never */
    int64_t view_limit;               /* 0: none */
    int64_t views;
    int64_t created_by; /* user id; 0: the local mode or the CLI */
    char *creator;      /* that user's name, NULL when none */
    int64_t created_at;
    bool revoked;
} cc_share;

void cc_share_clear(cc_share *share);
/* The state at `now` (view limit included). */
cc_share_state cc_share_state_at(const cc_share *share, int64_t now);
const char *cc_share_state_name(cc_share_state state);
/* Whether the file it plays is in the catalog. */
bool cc_share_available(const cc_share *share);

/* What to share: film_id (its first main file) or extra_id, optionally a
 * clip of a film. */
typedef struct cc_share_new {
    int64_t film_id, extra_id;        /* exactly one > 0 */
    int64_t clip_from_ms, clip_to_ms; /* both 0, or 0 <= from < to (a film only) */
    const char *title, *note;         /* NULL or "": none */
    int64_t opens_at, closes_at;      /* closes_at 0: never; else > opens_at */
    int64_t view_limit;               /* 0: none */
    int64_t created_by;
} cc_share_new;

/* Checks what cc_share_add would refuse for its shape alone (no catalog). */
int cc_share_check(const cc_share_new *spec, cu_err *err);

/* Creates a share (a write). token receives the new token. CU_ENOTFOUND
 * when there is no such film, extra, or file to play; CU_EINVAL for a bad
 * clip, times, title or note (the clip must lie within the file's duration
 * when the catalog knows it). */
int cc_share_add(cc_db *db, const cc_share_new *spec, int64_t now,
                 char token[CC_SHARE_TOKEN_CHARS + 1], int64_t *id, cu_err *err);

/* By token (CU_ENOTFOUND for a malformed or unknown one) or by id. */
int cc_share_find(cc_db *db, const char *token, cc_share *out, cu_err *err);
int cc_share_get(cc_db *db, int64_t id, cc_share *out, cu_err *err);
/* Every share, newest first (at most CC_SHARE_LIST_MAX); free with
 * cc_share_list_free. */
int cc_share_list(cc_db *db, cc_share **shares, size_t *count, cu_err *err);
void cc_share_list_free(cc_share *shares, size_t count);

/* Edits (writes). CU_ENOTFOUND for no such share; CU_EINVAL when the
 * times would not make sense. */
int cc_share_set_times(cc_db *db, int64_t id, int64_t opens_at, int64_t closes_at, cu_err *err);
int cc_share_set_view_limit(cc_db *db, int64_t id, int64_t view_limit, cu_err *err);
int cc_share_revoke(cc_db *db, int64_t id, cu_err *err);
int cc_share_revoke_token(cc_db *db, const char *token, cu_err *err);
int cc_share_delete(cc_db *db, int64_t id, cu_err *err);

/* Counts one viewer (a write, in one statement so concurrent viewers
 * cannot overshoot the limit): 0 when counted now or already counted
 * before; CU_ELIMIT when the view limit is reached for a new viewer. */
int cc_share_view(cc_db *db, int64_t id, const char *viewer, int64_t now, cu_err *err);

/* Who may create shares besides admins (a write for the setter).
 * CU_ENOTFOUND "no such user" (nothing written) when user_id is none. */
int cc_share_grant(cc_db *db, int64_t user_id, bool allowed, cu_err *err);
int cc_share_granted(cc_db *db, int64_t user_id, bool *allowed, cu_err *err);

/* The film's facts a public page shows: title, year (0: unknown), first
 * director (NULL: none); all malloc'd. CU_ENOTFOUND for no such film. */
int cc_share_film_facts(cc_db *db, int64_t film_id, char **title, int64_t *year, char **director,
                        cu_err *err);

#endif
