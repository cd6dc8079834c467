/* cs_router: a request target ("/api/v1/films/12?limit=5") into a route.
 * URLs name catalog ids only. The path is percent-decoded here, once, and
 * anything that could smuggle a path is refused: encoded '/' or '\',
 * NUL or control bytes, "." and ".." segments, invalid or overlong UTF-8.
 * Pure, fuzzed (tests/fuzz/fuzz_url.c). */
#ifndef CS_ROUTER_H
#define CS_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CS_URL_MAX 4096  /* raw request target */
#define CS_PATH_MAX 1024 /* decoded path */

typedef enum {
    CS_ROUTE_BAD,                  /* malformed target: 400 */
    CS_ROUTE_TOO_LONG,             /* 414 */
    CS_ROUTE_API_UNKNOWN,          /* under /api/ but no such endpoint: 404 */
    CS_ROUTE_STATIC,               /* anything else: the web app (path in .path) */
    CS_ROUTE_FILMS,                /* /api/v1/films */
    CS_ROUTE_FILM,                 /* /api/v1/films/{id} */
    CS_ROUTE_FILM_POSTER,          /* /api/v1/films/{id}/poster */
    CS_ROUTE_FILM_BACKDROP,        /* /api/v1/films/{id}/backdrop */
    CS_ROUTE_PERSON,               /* /api/v1/people/{id} */
    CS_ROUTE_EXTRA,                /* /api/v1/extras/{id} */
    CS_ROUTE_FILE_STREAM,          /* /api/v1/files/{id}/stream */
    CS_ROUTE_FILE_HLS,             /* /api/v1/files/{id}/hls/... (the rest in .path) */
    CS_ROUTE_SEARCH,               /* /api/v1/search */
    CS_ROUTE_FESTIVALS,            /* /api/v1/festivals */
    CS_ROUTE_GENRES,               /* /api/v1/genres */
    CS_ROUTE_STATUS,               /* /api/v1/status */
    CS_ROUTE_CONTINUE,             /* /api/v1/continue */
    CS_ROUTE_FILM_WATCHED,         /* /api/v1/films/{id}/watched (PUT, DELETE) */
    CS_ROUTE_FILE_PROGRESS,        /* /api/v1/files/{id}/progress (PUT) */
    CS_ROUTE_FILE_TRICKPLAY,       /* /api/v1/files/{id}/trickplay.json */
    CS_ROUTE_FILE_TRICKPLAY_SHEET, /* /api/v1/files/{id}/trickplay-N.jpg */
    CS_ROUTE_FILE_CHAPTERS,        /* /api/v1/files/{id}/chapters */
    CS_ROUTE_FILM_LETTERS,         /* /api/v1/films/letters */
    CS_ROUTE_FILM_SIMILAR,         /* /api/v1/films/{id}/similar */
    CS_ROUTE_COLLECTIONS,          /* /api/v1/collections */
    CS_ROUTE_COLLECTION,           /* /api/v1/collections/{id} */
    /* Accounts and administration (cs_api_auth.c, cs_api_admin.c). */
    CS_ROUTE_AUTH_LOGIN,       /* /api/v1/auth/login */
    CS_ROUTE_AUTH_LOGOUT,      /* /api/v1/auth/logout */
    CS_ROUTE_AUTH_SETUP,       /* /api/v1/auth/setup */
    CS_ROUTE_ME,               /* /api/v1/me */
    CS_ROUTE_ME_SESSIONS,      /* /api/v1/me/sessions */
    CS_ROUTE_ME_SESSION,       /* /api/v1/me/sessions/{id} */
    CS_ROUTE_ME_TOKENS,        /* /api/v1/me/tokens */
    CS_ROUTE_ME_TOKEN,         /* /api/v1/me/tokens/{id} */
    CS_ROUTE_FILE_URLS,        /* /api/v1/files/{id}/urls */
    CS_ROUTE_USERS,            /* /api/v1/users */
    CS_ROUTE_USER,             /* /api/v1/users/{id} */
    CS_ROUTE_USER_SESSIONS,    /* /api/v1/users/{id}/sessions */
    CS_ROUTE_ME_PREFERENCES,   /* /api/v1/me/preferences (cs_api_pref.c) */
    CS_ROUTE_USER_PREFERENCES, /* /api/v1/users/{id}/preferences: one's own only */
    CS_ROUTE_ROOTS,            /* /api/v1/roots */
    CS_ROUTE_SCAN,             /* /api/v1/scan */
    CS_ROUTE_DLNA,             /* /api/v1/dlna: the admin's DLNA switch */
    CS_ROUTE_SCAN_FAILED,      /* /api/v1/scan/failed */
    CS_ROUTE_SHARES,           /* /api/v1/shares[/...] (cs_api_share.c reads the rest) */
    /* Editing (cs_api_edit.c), admins only. */
    CS_ROUTE_FILM_METADATA,        /* /api/v1/films/{id}/metadata (GET, PUT) */
    CS_ROUTE_FILM_POSTER_UPLOAD,   /* POST /api/v1/films/{id}/poster (set after routing) */
    CS_ROUTE_FILM_BACKDROP_UPLOAD, /* POST /api/v1/films/{id}/backdrop (set after routing) */
    CS_ROUTE_FILM_POSTER_FRAME,    /* /api/v1/films/{id}/poster/frame?t=SECONDS (POST) */
    CS_ROUTE_FILM_BACKDROP_FRAME,  /* /api/v1/films/{id}/backdrop/frame?t=SECONDS (POST) */
    CS_ROUTE_FILM_DISCTITLE,       /* /api/v1/films/{id}/disctitle (GET, PUT; cs_api_disc.c) */
} cs_route_kind;

typedef struct cs_route {
    cs_route_kind kind;
    int64_t id;             /* routes with {id}: a positive integer */
    char path[CS_PATH_MAX]; /* the decoded path (always set unless BAD/TOO_LONG) */
    const char *query;      /* raw query string within the target (no '?'), or NULL */
    size_t query_len;
} cs_route;

/* target is the raw request target, len bytes (need not be terminated). */
void cs_route_parse(const char *target, size_t len, cs_route *out);

/* Whether a route's reply is the bytes of a file (the web app's files,
 * direct play, HLS, artwork, trickplay sheets): its handler asks the
 * catalog a row or two (where the file is) before sending, so a GET of it
 * gains nothing from a read transaction around the request; the JSON
 * routes (a page asks hundreds of small questions) do. */
bool cs_route_sends_file(cs_route_kind kind);

/* A catalog id: 1 to 18 decimal digits, no sign, no leading zero.
 * Returns the id, or -1. */
int64_t cs_route_id(const char *s, size_t len);

#endif
