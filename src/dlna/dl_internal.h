/* dl_internal: what the dlna files share and nobody else sees. */
#ifndef DL_INTERNAL_H
#define DL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"
#include "catalog/cc_scope_cache.h"
#include "dlna/dl_dlna.h"
#include "dlna/dl_net.h"
#include "server/cs_door.h"
#include "catalog/cc_film.h"
#include "util/cu_buf.h"

#define DL_MAX_AGE 1800 /* CACHE-CONTROL max-age, seconds */
#define DL_PAGE_MAX 500 /* objects in one Browse/Search answer */

struct dl_server {
    char name[128];
    char uuid[48]; /* "uuid:xxxxxxxx-..." */
    char user[64];
    cc_scope_cache *scopes; /* the view's films between requests (dl_view.c) */
    dl_iface ifaces[DL_NET_MAX_IFACES];
    size_t iface_count;
    dl_subnet allow[DL_NET_MAX_NETS];
    size_t allow_count;
    int http_port;
    int ssdp_port;
    cs_door door;
    /* SSDP thread */
    pthread_t ssdp_thread;
    bool ssdp_running;
    int ssdp_fd;
    int stop_pipe[2];
    uint32_t boot_id;
    /* The admin's switch: off, nothing is announced or answered (SSDP
     * says byebye) and every /dlna/ URL is 404; on again, announced anew. */
    atomic_bool enabled;
    /* Eventing (dl_gena.h): its thread runs from dl_server_start. */
    char *db_path;
    struct dl_gena *gena;
};

/* The client's IPv4 address (host byte order), also from an IPv4-mapped
 * IPv6 one; false for anything else. */
bool dl_peer_ipv4(const struct sockaddr_storage *peer, uint32_t *out);

/* Whether a client address may see the server (the allow list). */
bool dl_peer_allowed(const dl_server *dl, const struct sockaddr_storage *peer);

/* dl_ssdp.c */
int dl_ssdp_start(dl_server *dl, cu_err *err);
void dl_ssdp_stop(dl_server *dl);

/* dl_desc.c: the device description for a client that reached us at
 * host:port, and the two SCPDs. */
void dl_desc_device(const dl_server *dl, cu_buf *out);
void dl_desc_scpd(bool cds, cu_buf *out);

/* dl_http.c: the door handler. */
int dl_http_handle(void *user, cs_request *req);

/* dl_cds.c / dl_cms.c: one SOAP action each; fill reply (a whole SOAP
 * document) and return the HTTP status (200, or 500 with a fault). */
struct dl_soap_call;
typedef struct dl_ctx {
    const dl_server *dl;
    cc_db *db;
    char base[96]; /* "http://10.0.0.2:8420" as the client reached us */
    /* The view (dl_view.c): when limited, only the films in visible[]
     * (ascending) are shown. user_id: the --dlna-user's, for watch state
     * (0: the local mode's user). */
    bool limited;
    int64_t *visible;
    size_t visible_count;
    int64_t user_id;
    struct cc_watch_writer *watch; /* for X_SetBookmark; NULL: not recorded */
} dl_ctx;
unsigned dl_cds_action(dl_ctx *ctx, const struct dl_soap_call *call, cu_buf *reply);
unsigned dl_cms_action(dl_ctx *ctx, const struct dl_soap_call *call, cu_buf *reply);

/* ConnectionManager's SourceProtocolInfo (also its evented value). */
const char *dl_cms_source_info(void);

#define DL_CDS_TYPE "urn:schemas-upnp-org:service:ContentDirectory:1"
#define DL_CMS_TYPE "urn:schemas-upnp-org:service:ConnectionManager:1"

/* A catalog id in an object id or a URL path ("12", "12.srt"): 1 to 18
 * digits, no sign, no leading zero; -1 otherwise. *rest points after the
 * digits (dl_tree.c). */
int64_t dl_parse_id(const char *s, const char **rest);

/* dl_tree.c: Browse over the object tree. Object ids:
 *   0                      root: films, recent
 *   films                  all, letter, year, genre, director, festival
 *   films/all, recent      film containers
 *   films/letter|year|genre|director|festival   one folder per group
 *   letter/X, year/N, genre/NAME, director/ID, festival/NAME   film containers
 *   film/ID                its main files, then film/ID/extras if any
 *   film/ID/file/FILE      a main file (object.item.videoItem.movie)
 *   film/ID/extras         its special features
 *   film/ID/extra/EXTRA    one special feature (object.item.videoItem)
 * The DIDL-Lite of the answer goes to didl; returned/total count objects.
 * Returns 0, or a UPnP error code (701 no such object, 709 bad sort, 501
 * catalog failure). */
typedef struct dl_page {
    int64_t start, count; /* count 0: as many as allowed */
    const char *sort;     /* SortCriteria, may be NULL */
} dl_page;
int dl_tree_children(dl_ctx *ctx, const char *id, const dl_page *page, cu_buf *didl,
                     int64_t *returned, int64_t *total);
int dl_tree_metadata(dl_ctx *ctx, const char *id, cu_buf *didl);
/* The DIDL item for one main file of a film (used by Search too). */
void dl_tree_film_file_item(dl_ctx *ctx, const struct cc_film *film, size_t file_index,
                            cu_buf *didl);

/* SortCriteria's first key we know: 0, or 709 for one we cannot sort by. */
int dl_tree_parse_sort(const char *sort, cc_sort *key, int *descending);
/* The films under a container, for Search's ContainerID (the view
 * applied): *all when it holds every film (the root, "films" and its
 * folders), else *ids (malloc'd). 0, 710 (no such container) or 501. */
int dl_tree_container_films(dl_ctx *ctx, const char *id, int64_t **ids, size_t *count, bool *all);

/* The catalog file an item's object id names ("film/F/file/N",
 * "film/F/extra/E"), within the view; -1 when none. */
int64_t dl_tree_object_file(dl_ctx *ctx, const char *id);

/* A film container's childCount (its playable files and the special
 * features folder); -1 when unknown. */
int64_t dl_tree_film_child_count(dl_ctx *ctx, int64_t film_id);

/* dl_search.c: Search; same contract as dl_tree_children (708 for
 * criteria that do not parse). */
int dl_search(dl_ctx *ctx, const char *container, const char *criteria, const dl_page *page,
              cu_buf *didl, int64_t *returned, int64_t *total);

#endif
