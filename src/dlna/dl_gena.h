/* dl_gena: GENA eventing (UPnP Device Architecture 1.0 section 4) for the
 * ContentDirectory (SystemUpdateID, ContainerUpdateIDs) and the
 * ConnectionManager (SourceProtocolInfo, SinkProtocolInfo,
 * CurrentConnectionIDs): SUBSCRIBE, renewal and UNSUBSCRIBE on
 * /dlna/event/cds and /dlna/event/cms, and a thread of its own that sends
 * the NOTIFYs: the initial event of each subscription, and an event to
 * every ContentDirectory subscriber when the catalog changes (a rescan
 * added, changed or removed films or files).
 *
 * Bounded: at most DL_GENA_MAX subscriptions (DL_GENA_PER_PEER per
 * address), each for at most DL_GENA_TIMEOUT_MAX seconds unless renewed;
 * a NOTIFY has DL_GENA_SEND_MS to connect and as long to be answered; a
 * subscriber that fails DL_GENA_FAILURES_MAX NOTIFYs in a row is dropped.
 * Callbacks go only to the subscriber's own address (dl_gena_msg.h:
 * CallStranger, CVE-2020-12695). */
#ifndef DL_GENA_H
#define DL_GENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/cs_door.h"
#include "util/cu_err.h"

#define DL_GENA_MAX 64
#define DL_GENA_PER_PEER 8
#define DL_GENA_SEND_MS 2000
#define DL_GENA_FAILURES_MAX 3
/* How often the catalog is asked whether it changed, while anyone
 * subscribes to the ContentDirectory. */
#define DL_GENA_POLL_MS 1000
/* The initial event leaves this long after the subscription is made, so
 * the subscriber has the SUBSCRIBE answer (and its SID) first. */
#define DL_GENA_INITIAL_DELAY_MS 200

typedef struct dl_gena dl_gena;

/* db_path: the catalog, opened read-only by the thread when it needs the
 * SystemUpdateID. source_info: ConnectionManager's SourceProtocolInfo. */
int dl_gena_new(const char *db_path, const char *source_info, dl_gena **out, cu_err *err);
void dl_gena_free(dl_gena *g);

/* A SUBSCRIBE or UNSUBSCRIBE (method) on one service's event URL from
 * peer (IPv4, host byte order): answers it. */
int dl_gena_handle(dl_gena *g, cs_request *req, const char *method, bool cds, uint32_t peer);

/* Drops every subscription (DLNA switched off: nothing more is sent). */
void dl_gena_clear(dl_gena *g);
/* How many subscriptions are live, for tests and logs. */
size_t dl_gena_count(dl_gena *g);

#endif
