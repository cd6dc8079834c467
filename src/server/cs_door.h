/* cs_door: how another front door (DLNA, later others) hangs off the HTTP
 * core without knowing libmicrohttpd: a path prefix, a handler, and the few
 * request accessors and replies it needs. The core still does everything
 * before the handler runs: Host checks (DNS rebinding), the router's path
 * checks, and the body limit. A door may take POST bodies (Content-Length
 * required, at most body_max bytes: chunked uploads are refused) and other
 * methods (SUBSCRIBE...), which it must answer itself. */
#ifndef CS_DOOR_H
#define CS_DOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "catalog/cc_db.h"
#include "util/cu_err.h"

typedef struct cs_request cs_request;

/* Returns what one of the cs_door_reply* / cs_door_send* calls returned. */
typedef int (*cs_door_handler)(void *user, cs_request *req);

typedef struct cs_door {
    const char *prefix; /* "/dlna/": every path starting with it */
    cs_door_handler handler;
    void *user;
    size_t body_max; /* largest POST body taken; 0: no bodies */
    /* When set, used instead of prefix: whether a raw target is this
     * door's (the Jellyfin API's paths share no prefix). */
    bool (*match)(const char *target);
    /* The admin's on/off switch (PUT /api/v1/dlna): on < 0 asks, 0 or 1
     * switches; returns the state. NULL: the door cannot be switched. */
    int (*switch_to)(void *user, int on);
} cs_door;

/* "GET", "POST", ... and any other method as sent ("SUBSCRIBE"). */
const char *cs_door_method(const cs_request *req);
/* The decoded path ("/dlna/control/cds"). */
const char *cs_door_path(const cs_request *req);
/* A query parameter (decoded), or NULL. */
const char *cs_door_param(const cs_request *req, const char *name);
/* A request header, or NULL. */
const char *cs_door_header(const cs_request *req, const char *name);
/* The body as received (NUL-terminated; len bytes may hold NULs). */
const char *cs_door_body(const cs_request *req, size_t *len);
/* The client's address, and the local address it connected to. */
int cs_door_peer(const cs_request *req, struct sockaddr_storage *out);
int cs_door_local(const cs_request *req, struct sockaddr_storage *out);
/* The calling thread's catalog connection (see cs_server_db). */
cc_db *cs_door_db(cs_request *req, cu_err *err);
/* The server's writer of watch state (a door may record positions). */
struct cc_watch_writer *cs_door_watch_writer(cs_request *req);

/* headers: name, value, name, value, ..., NULL (may be NULL). The body is
 * copied. */
int cs_door_reply(cs_request *req, unsigned status, const char *content_type, const char *body,
                  size_t len, const char *const *headers);
/* One catalog file through the direct-play path (the checked opener,
 * conditional requests, Range, HEAD), with extra headers. */
int cs_door_send_file(cs_request *req, int64_t file_id, const char *const *headers);
/* A film's poster (?w= in this request's query picks a smaller copy). */
int cs_door_send_poster(cs_request *req, int64_t film_id);

#endif
