/* dl_dlna: cinemateca as a UPnP/DLNA MediaServer:1 (issue 17): SSDP
 * announcements and answers on a thread of its own, and the HTTP side
 * (device description, SCPDs, ContentDirectory and ConnectionManager SOAP
 * control, media and artwork) as a front door of the HTTP core under
 * /dlna/. Read-only over the catalog, like every other front door.
 *
 * Lifecycle: dl_server_new (checks the configuration), hand
 * dl_server_door() to cs_server_new, then dl_server_start with the port
 * the HTTP server bound; dl_server_free says byebye and stops. */
#ifndef DL_DLNA_H
#define DL_DLNA_H

#include <stddef.h>

#include "server/cs_door.h"
#include "util/cu_err.h"

typedef struct dl_server dl_server;

typedef struct dl_config {
    const char *name;         /* friendly name; NULL: "cinemateca on HOSTNAME" */
    const char *listen_addr;  /* the HTTP server's IPv4 address ("0.0.0.0": all) */
    const char *const *allow; /* CIDRs that may see the server; none: the */
    size_t allow_count;       /* subnets of the listen address's interfaces */
    const char *identity;     /* stable seed of the device UUID (the catalog path) */
    const char *user;         /* --dlna-user: whose view (scope, watch state); NULL: all */
    int ssdp_port;            /* 0: 1900 (tests may set CINEMATECA_SSDP_PORT) */
    const char *db_path;      /* the catalog, for eventing's SystemUpdateID (NULL: identity) */
} dl_config;

int dl_server_new(const dl_config *config, dl_server **out, cu_err *err);
/* The door to give the HTTP core (valid until dl_server_free). */
const cs_door *dl_server_door(dl_server *dl);
/* Binds SSDP and starts announcing the device at http_port. */
int dl_server_start(dl_server *dl, int http_port, cu_err *err);
/* The device's UUID ("uuid:..."), for logs and tests. */
const char *dl_server_uuid(const dl_server *dl);
void dl_server_free(dl_server *dl);

#endif
