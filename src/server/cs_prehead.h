/* cs_prehead: our own look at each request head before libmicrohttpd
 * parses it, for the one case the library answers itself with a broken
 * reply. libmicrohttpd 0.9.75 (Debian 12's) answers a malformed
 * `Content-Length` (`-1`, `0, 0`, `5 `, or a number past 2^64) before any
 * callback of ours runs, and that answer carries its status line and
 * headers twice (its error path builds the reply head, then its state
 * machine builds it again). No option changes this.
 *
 * So the server's process defines recv(): libmicrohttpd reads every plain
 * HTTP connection with recv(), and a symbol the executable defines is the
 * one a shared library's call binds to. For a socket registered here (a
 * connection libmicrohttpd told us it accepted), the bytes read are
 * scanned as HTTP/1.1 request heads and bodies (bodies skipped by their
 * Content-Length). When a head ends whose first Content-Length the library
 * would refuse, and it has no Transfer-Encoding (then the library ignores
 * Content-Length), we write one well-formed JSON 400 (413 for a number too
 * large) with `Connection: close` ourselves and hand the library an end of
 * stream instead of those bytes: it closes the connection without writing
 * anything. Every other socket, and every byte of a registered one, goes
 * through untouched. TLS connections are not registered (recv() there
 * carries ciphertext; the doubled reply stays inside the TLS stream).
 *
 * Bounds: a registered socket costs one small struct; fds at or above
 * CS_PREHEAD_MAX_FDS are not watched. A connection whose body length the
 * scanner cannot follow (Transfer-Encoding) is left alone from there on. */
#ifndef CS_PREHEAD_H
#define CS_PREHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CS_PREHEAD_MAX_FDS 65536

/* A connection libmicrohttpd accepted on fd / closed (the fd is about to
 * be closed). Called on the connection's own thread. */
void cs_prehead_watch(int fd);
void cs_prehead_forget(int fd);

/* What the server does with these bytes read from one connection
 * (pipelined requests allowed), given in two reads cut at cut (<= len): 0
 * when they go to the library as they are, else the status we answer at
 * the first head the library would refuse (400, or 413 for a length past
 * 2^64). For tests and the fuzz target. */
int cs_prehead_check(const char *data, size_t len, size_t cut);

#endif
