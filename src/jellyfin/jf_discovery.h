/* jf_discovery: Jellyfin's UDP server discovery (port 7359), off unless
 * asked (serve --jellyfin-discovery): a client on the local network sends
 * "who is JellyfinServer?" and each server answers, to the sender only,
 * with {"Address", "Id", "Name", "EndpointAddress"} (the Address its
 * HTTP API answers at, the Id /System/Info/Public gives). Bound to the
 * server's own listen address, never to every interface; answers are
 * rate-limited so the port cannot be used to flood a third party. */
#ifndef JF_DISCOVERY_H
#define JF_DISCOVERY_H

#include "util/cu_err.h"

struct cs_server;
typedef struct jf_discovery jf_discovery;

#define JF_DISCOVERY_PORT 7359
#define JF_DISCOVERY_RATE 20 /* answers a second, all senders together */

/* Starts answering on host (an IPv4 address) and port (0: any free one,
 * for tests) for server. CU_EINVAL for a host that is not IPv4; -errno
 * when the port cannot be bound. */
int jf_discovery_new(struct cs_server *server, const char *host, int port, jf_discovery **out,
                     cu_err *err);
/* The UDP port bound. */
int jf_discovery_port(const jf_discovery *d);
/* Stops the thread and closes the socket; NULL is fine. */
void jf_discovery_free(jf_discovery *d);

/* The answer to one datagram, or NULL when it is not the question
 * (exposed for tests and fuzzing; caller frees). */
char *jf_discovery_answer(const char *datagram, size_t len, const char *address, const char *id,
                          const char *name);

#endif
