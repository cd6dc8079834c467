/* cs_door_stream: for a front door whose reply is made while it is sent
 * (DLNA's transcoded MPEG-TS, dl_http.c): the server's HLS playback, and
 * waiting for its background work on the connection's own thread (every
 * connection has one), bounded, both before the reply (the request is
 * parked; its handler runs again from the start when woken) and during
 * it (the body's reader blocks between two pieces until the next one is
 * made). */
#ifndef CS_DOOR_STREAM_H
#define CS_DOOR_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "playback/cp_hls.h"
#include "server/cs_door.h"

/* The server's HLS playback (indexes, workers, segment cache); NULL when
 * the server has none. */
cp_hls *cs_door_hls(cs_request *req);

/* Fills *w to park req (cp_hls_park and its kin): the handler runs again
 * when woken. client (at least 64 bytes) receives the client's address
 * for the per-client bound. The whole wait, over any number of parkings,
 * ends CP_HLS_WAIT_MS after the first: false once that is past (answer
 * "not ready" then). */
bool cs_door_wait(cs_request *req, cp_hls_wait *w, char *client, size_t size);

/* A body of unknown length (chunked on HTTP/1.1), made by read(cls, ...)
 * as it is sent: read returns a count of bytes put into buf (> 0), 0 at
 * the end, CS_DOOR_STREAM_WAIT after it has parked (with the cp_hls_wait
 * from cs_door_stream_wait) or a negative code to cut the stream. done(cls)
 * is called once when the reply is finished or could not be made, always:
 * cls is the reply's from this call on. HEAD sends the headers only. */
typedef struct cs_door_stream cs_door_stream;
#define CS_DOOR_STREAM_WAIT (-2L)
typedef long (*cs_door_stream_read)(void *cls, cs_door_stream *s, uint8_t *buf, size_t max);
int cs_door_send_stream(cs_request *req, const char *type, const char *const *headers,
                        cs_door_stream_read read, void (*done)(void *cls), void *cls);
/* In read: *w parks this stream until woken (a bound of CP_HLS_WAIT_MS
 * from now); the reader then waits, and calls read again once woken. */
void cs_door_stream_wait(cs_door_stream *s, cp_hls_wait *w);

#endif
