/* cs_door_user: the core's accounts, watch writer, HLS and artwork for a
 * front door with its own credentials (cs_door_user.h). */
#include "server/cs_door_user.h"
#include "catalog/cc_user.h"
#include "catalog/cc_watch.h"
#include "server/cs_internal.h"
#include "server/cs_wake.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *cs_door_param_ci(const cs_request *req, const char *name)
{
    for (size_t i = 0; i < req->query.count; i++)
        if (!strcasecmp(req->query.params[i].key, name))
            return req->query.params[i].value;
    return NULL;
}

size_t cs_door_param_ci_all(const cs_request *req, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < req->query.count && n < max; i++)
        if (!strcasecmp(req->query.params[i].key, name))
            out[n++] = req->query.params[i].value;
    return n;
}

bool cs_door_local_mode(cs_request *req)
{
    return cs_auth_door_local(req);
}

int cs_door_token(cs_request *req, const char *token, cu_err *err)
{
    return cs_auth_door_token(req, token, err);
}

int cs_door_signed(cs_request *req, int64_t file_id, const char *sig, cu_err *err)
{
    return cs_auth_door_signed(req, file_id, sig, err);
}

void cs_door_who(const cs_request *req, int64_t *user_id, bool *admin, int64_t *session_id)
{
    *user_id = req->user_id;
    *admin = req->admin;
    *session_id = req->session_id;
}

const int64_t *cs_door_visible(cs_request *req, size_t *count, bool *restricted)
{
    return cs_auth_visible(req, count, restricted);
}

bool cs_door_film_visible(cs_request *req, int64_t film_id)
{
    return cs_auth_film_visible(req, film_id);
}

int cs_door_file_visible(cs_request *req, int64_t file_id, bool *visible, cu_err *err)
{
    return cs_auth_door_file_visible(req, file_id, visible, err);
}

int cs_door_sign_in(cs_request *req, const char *name, const char *password, const char *device,
                    char token[CC_TOKEN_CHARS + 1], int64_t *user_id, bool *admin,
                    int64_t *retry_after, cu_err *err)
{
    int rc = cs_auth_sign_in(req, name, password, user_id, admin, retry_after, err);
    if (rc < 0)
        return rc;
    char shown[CC_TOKEN_NAME_MAX + 1] = "";
    for (size_t i = 0, n = 0; device && device[i] && n < sizeof shown - 1; i++)
        if ((unsigned char)device[i] >= 0x20 && (unsigned char)device[i] < 0x7f)
            shown[n++] = device[i];
    char address[64];
    cs_auth_client_address(req, address, sizeof address);
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, err);
    if (!w)
        return CU_EDB;
    int64_t now = cu_time_now();
    rc = cc_session_create(w, *user_id, CC_SESSION_BROWSER, shown, address, now,
                           now + CS_SESSION_MAX_S, token, &req->session_id, err);
    cs_auth_writer_release(a);
    return rc;
}

int cs_door_sign_out(cs_request *req, cu_err *err)
{
    if (!req->session_id)
        return 0;
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, err);
    if (!w)
        return CU_EDB;
    int rc = cc_session_delete(w, req->user_id, req->session_id, err);
    cs_auth_writer_release(a);
    return rc == CU_ENOTFOUND ? 0 : rc;
}

void cs_door_sign(cs_request *req, int64_t file_id, char out[CS_SIG_MAX])
{
    int64_t generation = 0;
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (req->user_id && db) {
        bool admin, disabled;
        cc_user_check(db, req->user_id, &admin, &disabled, &generation, &err);
    }
    cs_sign_make(cs_auth_key(cs_server_auth(req->server)), file_id, req->user_id,
                 cu_time_now() + CS_SIGNED_URL_S, generation, out);
}

const unsigned char *cs_door_key(cs_request *req)
{
    return cs_auth_key(cs_server_auth(req->server));
}

const unsigned char *cs_door_server_key(cs_server *server)
{
    return cs_auth_key(cs_server_auth(server));
}

cc_db *cs_door_writer(cs_request *req, cu_err *err)
{
    return cs_auth_writer(cs_server_auth(req->server), err);
}

void cs_door_writer_release(cs_request *req)
{
    cs_auth_writer_release(cs_server_auth(req->server));
}

/* A write handed to the watch writer, waited for on this thread: a door's
 * handler answers in one call (the writer commits in milliseconds). The
 * wait is bounded like /api/v1's (CS_WATCH_WAIT_MS); the writer's answer
 * goes into the wake's bytes, which outlive a wait given up. */

static void waiter_done(int result, void *user)
{
    cs_wake *w = user;
    *(int *)cs_wake_data(w) = result;
    cs_wake_signal(w);
}

static cs_wake *waiter_new(void)
{
    cs_wake *w = cs_wake_new(sizeof(int), NULL);
    cs_wake_hold(w); /* the writer's */
    return w;
}

static int waiter_wait(cs_wake *w, int queued, cu_err *err)
{
    if (queued < 0) {
        cs_wake_drop(w); /* the writer's: it will not call */
    } else if (cs_wake_wait(w, cu_time_mono_ms() + CS_WATCH_WAIT_MS)) {
        queued = *(int *)cs_wake_data(w);
    } else {
        queued = CU_EBUSY;
    }
    cs_wake_drop(w);
    if (queued < 0)
        cu_err_set(err, queued, "the watch state was not recorded (%s)",
                   queued == CU_ENOTFOUND ? "no such item" : "busy or invalid");
    return queued;
}

int cs_door_watch_progress(cs_request *req, int64_t file_id, double position, double duration,
                           cu_err *err)
{
    cc_watch_writer *ww = cs_server_watch_writer(req->server);
    if (!ww)
        return cu_err_set(err, CU_EBUSY, "no watch writer");
    cs_wake *w = waiter_new();
    cc_progress p = {
        .user_id = req->user_id, .file_id = file_id, .position = position, .duration = duration};
    return waiter_wait(w, cc_watch_writer_progress(ww, &p, waiter_done, w), err);
}

int cs_door_watch_film(cs_request *req, int64_t film_id, bool watched, cu_err *err)
{
    cc_watch_writer *ww = cs_server_watch_writer(req->server);
    if (!ww)
        return cu_err_set(err, CU_EBUSY, "no watch writer");
    cs_wake *w = waiter_new();
    return waiter_wait(
        w, cc_watch_writer_film_set(ww, req->user_id, film_id, watched, waiter_done, w), err);
}

int cs_door_send_hls(cs_request *req, int64_t file_id, const char *tail)
{
    req->route.kind = CS_ROUTE_FILE_HLS;
    req->route.id = file_id;
    snprintf(req->route.path, sizeof req->route.path, "/door/%lld/hls/%s", (long long)file_id,
             tail);
    if (!req->sig[0])
        cs_door_sign(req, file_id, req->sig);
    return cs_api_hls(req);
}

int cs_door_send_image(cs_request *req, int64_t film_id, bool backdrop, int64_t width)
{
    req->route.id = film_id;
    char value[24];
    bool added = false;
    if (width > 0 && req->query.count < CS_QUERY_MAX_PARAMS && !cs_query_get(&req->query, "w")) {
        snprintf(value, sizeof value, "%lld", (long long)width);
        req->query.params[req->query.count++] = (cs_query_param){.key = "w", .value = value};
        added = true;
    }
    int ret = cs_api_artwork(req, backdrop);
    if (added)
        req->query.count--;
    return ret;
}
