/* cs_api_dlna: the admin's DLNA switch, /api/v1/dlna.
 *   GET  -> {"available": bool, "enabled": bool}
 *   PUT  {"enabled": bool} -> the same, after switching
 * "available" is whether this server was started with --dlna: the switch
 * turns announcing and answering off and on again; it cannot start a DLNA
 * server that was never configured (its addresses and names are the
 * command line's). It is saved in the catalog (cc_setting), so it outlives
 * a restart: the DLNA server reads it back when it starts (dl_server.c). */
#include "catalog/cc_setting.h"
#include "catalog/cc_writer.h"
#include "server/cs_internal.h"
#include "util/cu_log.h"

#include <string.h>

static const cs_door *dlna_door(cs_request *req)
{
    const cs_config *config = cs_server_config(req->server);
    for (size_t i = 0; i < config->door_count; i++)
        if (!strcmp(config->doors[i].prefix, "/dlna/") && config->doors[i].switch_to)
            return &config->doors[i];
    return NULL;
}

static int save_fn(cc_db *db, void *user, cu_err *err)
{
    return cc_setting_set(db, CC_SETTING_DLNA, user, err);
}

static enum MHD_Result state(cs_request *req, const cs_door *door)
{
    int on = door ? door->switch_to(door->user, -1) : 0;
    return cs_reply_json(req, 200,
                         json_pack("{s:b, s:b}", "available", door != NULL, "enabled", on == 1));
}

enum MHD_Result cs_api_dlna(cs_request *req)
{
    const cs_door *door = dlna_door(req);
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return state(req, door);
    if (req->method != CS_METHOD_PUT)
        return cs_reply_method_not_allowed(req, "GET, HEAD, PUT");
    json_t *body = NULL;
    enum MHD_Result ret;
    if (cs_request_json(req, &body, &ret) < 0)
        return ret;
    json_t *enabled = json_object_get(body, "enabled");
    if (!json_is_boolean(enabled)) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "enabled must be true or false");
    }
    bool on = json_is_true(enabled);
    json_decref(body);
    if (!door)
        return cs_reply_error(req, 409, "not_configured",
                              "this server was started without --dlna; restart it with --dlna");
    /* Saved first: a switch that would not survive a restart is refused
     * rather than half done. */
    cu_err err = {0};
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, &err);
    if (!w)
        return cs_reply_catalog_error(req, &err);
    int rc = cc_writer_run(w, save_fn, (void *)(on ? "on" : "off"), &err);
    cs_auth_writer_release(a);
    if (rc < 0) {
        cu_log(CU_LOG_WARN, "dlna switch: %s", err.msg);
        return cs_reply_catalog_error(req, &err);
    }
    door->switch_to(door->user, on ? 1 : 0);
    return state(req, door);
}
