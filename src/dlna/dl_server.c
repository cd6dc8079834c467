/* dl_server: the DLNA server's configuration, identity and lifecycle. */
#include "dlna/dl_dlna.h"
#include "dlna/dl_gena.h"
#include "dlna/dl_internal.h"
#include "dlna/dl_soap.h"
#include "catalog/cc_setting.h"
#include "util/cu_str.h"

#include <arpa/inet.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The same UUID every start for the same catalog on the same host, so a
 * TV keeps its bookmark of the server; version-5 style bits. */
static void make_uuid(const char *identity, char *out, size_t size)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    uint64_t a = fnv1a(fnv1a(0xcbf29ce484222325ull, host), identity);
    uint64_t b = fnv1a(fnv1a(0x84222325cbf29ce4ull, identity), "cinemateca-dlna");
    unsigned char u[16];
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(a >> (8 * i));
        u[8 + i] = (unsigned char)(b >> (8 * i));
    }
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x50);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    snprintf(out, size, "uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

bool dl_peer_ipv4(const struct sockaddr_storage *peer, uint32_t *out)
{
    uint32_t a;
    if (peer->ss_family == AF_INET) {
        a = ntohl(((const struct sockaddr_in *)peer)->sin_addr.s_addr);
    } else if (peer->ss_family == AF_INET6) {
        /* An IPv4 client on a dual-stack socket: ::ffff:a.b.c.d. */
        const struct in6_addr *v6 = &((const struct sockaddr_in6 *)peer)->sin6_addr;
        if (!IN6_IS_ADDR_V4MAPPED(v6))
            return false;
        memcpy(&a, &v6->s6_addr[12], 4);
        a = ntohl(a);
    } else {
        return false;
    }
    *out = a;
    return true;
}

bool dl_peer_allowed(const dl_server *dl, const struct sockaddr_storage *peer)
{
    uint32_t a;
    if (!dl_peer_ipv4(peer, &a))
        return false;
    for (size_t i = 0; i < dl->allow_count; i++)
        if (dl_subnet_contains(&dl->allow[i], a))
            return true;
    return false;
}

static int switch_to(void *user, int on);

int dl_server_new(const dl_config *config, dl_server **out, cu_err *err)
{
    *out = NULL;
    int rc;
    dl_server *dl = cu_xcalloc(1, sizeof *dl);
    dl->scopes = cc_scope_cache_new(2); /* the --dlna-user's, or everyone's */
    dl->ssdp_fd = -1;
    dl->stop_pipe[0] = dl->stop_pipe[1] = -1;
    if (config->name && *config->name) {
        cu_strlcpy(dl->name, config->name, sizeof dl->name);
    } else {
        char host[64] = "";
        gethostname(host, sizeof host - 1);
        snprintf(dl->name, sizeof dl->name, "cinemateca on %s", host[0] ? host : "this computer");
    }
    if (config->user)
        cu_strlcpy(dl->user, config->user, sizeof dl->user);
    make_uuid(config->identity ? config->identity : "", dl->uuid, sizeof dl->uuid);
    dl->db_path = cu_xstrdup(config->db_path    ? config->db_path
                             : config->identity ? config->identity
                                                : "");
    const char *addr = config->listen_addr ? config->listen_addr : "127.0.0.1";
    if ((rc = dl_net_ifaces(addr, dl->ifaces, DL_NET_MAX_IFACES, &dl->iface_count, err)) < 0)
        goto fail;
    if (config->allow_count > DL_NET_MAX_NETS) {
        rc = cu_err_set(err, CU_ELIMIT, "at most %d --dlna-allow subnets", DL_NET_MAX_NETS);
        goto fail;
    }
    for (size_t i = 0; i < config->allow_count; i++)
        if (dl_subnet_parse(config->allow[i], &dl->allow[dl->allow_count++]) < 0) {
            rc = cu_err_set(err, CU_EINVAL,
                            "--dlna-allow %s: not an IPv4 CIDR (e.g. 192.168.1.0/24)",
                            config->allow[i]);
            goto fail;
        }
    if (!config->allow_count)
        for (size_t i = 0; i < dl->iface_count; i++)
            dl->allow[dl->allow_count++] = dl->ifaces[i].net;
    dl->ssdp_port = config->ssdp_port > 0 ? config->ssdp_port : 1900;
    dl->boot_id = (uint32_t)time(NULL);
    /* The admin's switch as last saved (PUT /api/v1/dlna): off stays off
     * across a restart. Never set, or unreadable: on, as --dlna asks. */
    atomic_init(&dl->enabled, true);
    cc_db *db = NULL;
    cu_err ignored = {0};
    char saved[16];
    if (dl->db_path[0] && cc_db_open(dl->db_path, CC_OPEN_READONLY, &db, &ignored) == 0 &&
        cc_setting_get(db, CC_SETTING_DLNA, saved, sizeof saved, &ignored) == 0 &&
        !strcmp(saved, "off"))
        atomic_store(&dl->enabled, false);
    cc_db_close(db);
    dl->door = (cs_door){.prefix = "/dlna/",
                         .handler = dl_http_handle,
                         .user = dl,
                         .body_max = DL_SOAP_BODY_MAX,
                         .switch_to = switch_to};
    /* libxml2's global state, once, before any request thread parses. */
    xmlInitParser();
    *out = dl;
    return 0;
fail:
    free(dl->db_path);
    free(dl);
    return rc;
}

/* The admin's switch; the SSDP thread sees it within a second. */
static int switch_to(void *user, int on)
{
    dl_server *dl = user;
    if (on >= 0)
        atomic_store(&dl->enabled, on != 0);
    if (on == 0 && dl->gena) /* off: nobody is told anything more */
        dl_gena_clear(dl->gena);
    return atomic_load(&dl->enabled) ? 1 : 0;
}

const cs_door *dl_server_door(dl_server *dl)
{
    return &dl->door;
}

const char *dl_server_uuid(const dl_server *dl)
{
    return dl->uuid;
}

int dl_server_start(dl_server *dl, int http_port, cu_err *err)
{
    dl->http_port = http_port;
    int rc = dl_gena_new(dl->db_path, dl_cms_source_info(), &dl->gena, err);
    return rc < 0 ? rc : dl_ssdp_start(dl, err);
}

void dl_server_free(dl_server *dl)
{
    if (!dl)
        return;
    dl_ssdp_stop(dl);
    dl_gena_free(dl->gena);
    cc_scope_cache_free(dl->scopes);
    free(dl->db_path);
    free(dl);
}
