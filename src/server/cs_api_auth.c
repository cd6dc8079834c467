/* cs_api_auth: signing in and out, first-run setup, the signed-in user's
 * own sessions and API tokens, and signed URLs for one file. */
#include "catalog/cc_scope.h"
#include "catalog/cc_session.h"
#include "catalog/cc_user.h"
#include "server/cs_body.h"
#include "server/cs_cookie.h"
#include "server/cs_internal.h"
#include "json/cj_text.h"
#include "json/cj_user.h"
#include "server/cs_sign.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum MHD_Result cs_reply_method_not_allowed(cs_request *req, const char *allow)
{
    req->allow = allow;
    return cs_reply_error(req, 405, "method_not_allowed", "this endpoint takes %s", allow);
}

int cs_request_json(cs_request *req, json_t **body, enum MHD_Result *ret)
{
    cu_err err = {0};
    const char *type =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (req->body_too_large) {
        *ret =
            cs_reply_error(req, 413, "too_large", "the body is larger than %d bytes", CS_BODY_MAX);
        return -1;
    }
    if (cs_body_json(type, req->body, req->body_len, body, &err) < 0) {
        *ret = cs_reply_error(req, err.code == CU_ELIMIT ? 413 : 400,
                              err.code == CU_ELIMIT ? "too_large" : "bad_request", "%s", err.msg);
        return -1;
    }
    return 0;
}

static void set_session_cookie(cs_request *req, const char *token, int64_t max_age)
{
    snprintf(req->set_cookie, sizeof req->set_cookie,
             CS_SESSION_COOKIE "=%s; HttpOnly; SameSite=Lax; Path=/; Max-Age=%lld%s", token,
             (long long)max_age, cs_auth_tls(cs_server_auth(req->server)) ? "; Secure" : "");
}

/* A new browser session for user_id, its cookie set on the reply. */
static int start_session(cs_request *req, int64_t user_id, cu_err *err)
{
    cs_auth *a = cs_server_auth(req->server);
    char address[64];
    cs_auth_client_address(req, address, sizeof address);
    const char *agent =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
    char shown[CC_TOKEN_NAME_MAX + 1] = "";
    if (agent) /* only printable ASCII of it is kept */
        for (size_t i = 0, n = 0; agent[i] && n < sizeof shown - 1; i++)
            if ((unsigned char)agent[i] >= 0x20 && (unsigned char)agent[i] < 0x7f)
                shown[n++] = agent[i];
    int64_t now = cu_time_now();
    char token[CC_TOKEN_CHARS + 1];
    cc_db *w = cs_auth_writer(a, err);
    if (!w)
        return CU_EBUSY;
    cu_err prune_err = {0};
    cc_session_prune(w, now, CS_SESSION_IDLE_S, &prune_err);
    int rc = cc_session_create(w, user_id, CC_SESSION_BROWSER, shown, address, now,
                               now + CS_SESSION_MAX_S, token, NULL, err);
    cs_auth_writer_release(a);
    if (rc < 0)
        return rc;
    set_session_cookie(req, token, CS_SESSION_MAX_S);
    memset(token, 0, sizeof token);
    return 0;
}

/* {"name": ..., "password": ...} from the body. */
static int read_credentials(cs_request *req, json_t **body, const char **name,
                            const char **password, enum MHD_Result *ret)
{
    if (cs_request_json(req, body, ret) < 0)
        return -1;
    cu_err err = {0};
    *name = *password = NULL;
    if (cs_body_string(*body, "name", 1024, name, &err) < 0 ||
        cs_body_string(*body, "password", CC_PASSWORD_MAX * 4, password, &err) < 0) {
        *ret = cs_reply_error(req, 400, "bad_request", "%s", err.msg);
        return -1;
    }
    if (!*name || !*password) {
        *ret = cs_reply_error(req, 400, "bad_request", "name and password are required");
        return -1;
    }
    return 0;
}

enum MHD_Result cs_api_login(cs_request *req)
{
    if (req->method != CS_METHOD_POST)
        return cs_reply_method_not_allowed(req, "POST");
    json_t *body = NULL;
    const char *name, *password;
    enum MHD_Result ret;
    if (read_credentials(req, &body, &name, &password, &ret) < 0) {
        json_decref(body);
        return ret;
    }
    cu_err err = {0};
    int64_t user_id = 0, retry_after = 0;
    bool admin = false;
    int rc = cs_auth_sign_in(req, name, password, &user_id, &admin, &retry_after, &err);
    if (rc == CU_ELIMIT) {
        req->retry_after = retry_after;
        ret = cs_reply_error(req, 429, "too_many_attempts", "%s", err.msg);
    } else if (rc == CU_ENOTFOUND) {
        ret = cs_reply_error(req, 401, "bad_credentials", "wrong name or password");
    } else if (rc == CU_EBUSY) {
        req->retry_after = 1;
        ret = cs_reply_error(req, 503, "busy", "%s", err.msg);
    } else if (rc < 0) {
        ret = cs_reply_catalog_error(req, &err);
    } else if ((rc = start_session(req, user_id, &err)) < 0) {
        ret = cs_reply_catalog_error(req, &err);
    } else {
        cc_user u = {.id = user_id, .admin = admin};
        cc_db *db = cs_server_db(req->server, &err);
        if (db)
            cc_user_get(db, user_id, &u, &err);
        ret = cs_reply_json(req, 200, json_pack("{s:o}", "user", cj_user(&u, false)));
        cc_user_clear(&u);
    }
    json_decref(body);
    return ret;
}

enum MHD_Result cs_api_logout(cs_request *req)
{
    if (req->method != CS_METHOD_POST)
        return cs_reply_method_not_allowed(req, "POST");
    cs_auth *a = cs_server_auth(req->server);
    cu_err err = {0};
    if (req->session_id) {
        cc_db *w = cs_auth_writer(a, &err);
        if (!w)
            return cs_reply_catalog_error(req, &err);
        int rc = cc_session_delete(w, req->user_id, req->session_id, &err);
        cs_auth_writer_release(a);
        if (rc < 0 && rc != CU_ENOTFOUND)
            return cs_reply_catalog_error(req, &err);
    }
    snprintf(req->set_cookie, sizeof req->set_cookie,
             CS_SESSION_COOKIE "=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0%s",
             cs_auth_tls(a) ? "; Secure" : "");
    return cs_reply_json(req, 200, json_pack("{s:b}", "signed_out", 1));
}

/* GET: whether setup is needed and offered to this client. POST: makes
 * the first admin, from loopback only, while no account exists. */
enum MHD_Result cs_api_setup(cs_request *req)
{
    cs_auth *a = cs_server_auth(req->server);
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    int64_t count = 0;
    if (cc_user_count(db, &count, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    const char *forwarded[] = {"Forwarded", "X-Forwarded-For", "X-Real-IP"};
    bool direct = true;
    for (size_t i = 0; i < 3; i++)
        if (MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, forwarded[i]))
            direct = false;
    bool allowed = count == 0 && direct && cs_auth_from_loopback(req);
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return cs_reply_json(req, 200,
                             json_pack("{s:b, s:b}", "needed", count == 0, "allowed", allowed));
    if (req->method != CS_METHOD_POST)
        return cs_reply_method_not_allowed(req, "GET, HEAD, POST");
    /* Gone once an account exists; never offered to another machine. */
    if (count > 0)
        return cs_reply_error(req, 404, "not_found", "setup is done");
    if (!allowed)
        return cs_reply_error(req, 403, "forbidden",
                              "the first admin can only be made from this machine "
                              "(or with `cinemateca user add`)");
    json_t *body = NULL;
    const char *name, *password;
    enum MHD_Result ret;
    if (read_credentials(req, &body, &name, &password, &ret) < 0) {
        json_decref(body);
        return ret;
    }
    int64_t id = 0;
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    /* Checked again under the writer's lock: two setups at once make one admin. */
    int rc = cc_user_count(w, &count, &err);
    if (rc == 0 && count > 0)
        rc = cu_err_set(&err, CU_ENOTFOUND, "setup is done");
    if (rc == 0)
        rc = cc_user_add(w, name, password, true, &id, &err);
    cs_auth_writer_release(a);
    cs_auth_users_changed(a);
    if (rc == CU_EINVAL)
        ret = cs_reply_error(req, 400, "bad_request", "%s", err.msg);
    else if (rc == CU_ENOTFOUND)
        ret = cs_reply_error(req, 404, "not_found", "setup is done");
    else if (rc < 0)
        ret = cs_reply_catalog_error(req, &err);
    else if ((rc = start_session(req, id, &err)) < 0)
        ret = cs_reply_catalog_error(req, &err);
    else {
        cu_log(CU_LOG_INFO, "first admin '%s' made from this machine", name);
        cc_user u = {0};
        cu_strlcpy(u.name, name, sizeof u.name);
        u.id = id;
        u.admin = true;
        ret = cs_reply_json(req, 201, json_pack("{s:o}", "user", cj_user(&u, false)));
    }
    json_decref(body);
    return ret;
}

enum MHD_Result cs_api_me(cs_request *req)
{
    if (req->method != CS_METHOD_GET && req->method != CS_METHOD_HEAD)
        return cs_reply_method_not_allowed(req, "GET, HEAD");
    if (req->auth == CS_AUTH_LOCAL)
        return cs_reply_json(req, 200, json_pack("{s:n, s:b}", "user", "local", 1));
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_user u;
    if (cc_user_get(db, req->user_id, &u, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *body = json_pack("{s:o, s:b}", "user", cj_user(&u, false), "local", 0);
    cc_user_clear(&u);
    return cs_reply_json(req, 200, body);
}

/* The sessions or tokens of user_id as {"items": [...]}. */
enum MHD_Result cs_reply_sessions(cs_request *req, int64_t user_id, int kind)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_session *list = NULL;
    size_t count = 0;
    if (cc_session_list(db, user_id, kind, &list, &count, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *items = json_array();
    int64_t now = cu_time_now();
    for (size_t i = 0; i < count; i++) {
        /* Expired ones are gone as far as anyone can tell. */
        if (kind == CC_SESSION_BROWSER && ((list[i].expires_at && list[i].expires_at <= now) ||
                                           now - list[i].last_used > CS_SESSION_IDLE_S))
            continue;
        json_array_append_new(items, cj_session(&list[i], req->session_id));
    }
    free(list);
    return cs_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* Ends every session of user_id; for the caller's own, the cookie too. */
enum MHD_Result cs_end_all_sessions(cs_request *req, int64_t user_id)
{
    cs_auth *a = cs_server_auth(req->server);
    cu_err err = {0};
    cc_db *w = cs_auth_writer(a, &err);
    if (!w)
        return cs_reply_catalog_error(req, &err);
    int rc = cc_session_delete_all(w, user_id, &err);
    cs_auth_writer_release(a);
    if (rc < 0)
        return cs_reply_catalog_error(req, &err);
    if (user_id == req->user_id)
        snprintf(req->set_cookie, sizeof req->set_cookie,
                 CS_SESSION_COOKIE "=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0%s",
                 cs_auth_tls(a) ? "; Secure" : "");
    return cs_reply_json(req, 200, json_pack("{s:b}", "signed_out", 1));
}

static enum MHD_Result local_has_no_sessions(cs_request *req)
{
    return cs_reply_error(req, 400, "local_mode",
                          "the server runs in local mode (no accounts): there are no sessions or "
                          "tokens; make the first admin to use them");
}

/* GET: my sessions. DELETE: sign out everywhere (sessions, tokens and
 * signed URLs). */
enum MHD_Result cs_api_me_sessions(cs_request *req)
{
    if (req->auth == CS_AUTH_LOCAL)
        return local_has_no_sessions(req);
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return cs_reply_sessions(req, req->user_id, CC_SESSION_BROWSER);
    if (req->method == CS_METHOD_DELETE)
        return cs_end_all_sessions(req, req->user_id);
    return cs_reply_method_not_allowed(req, "GET, HEAD, DELETE");
}

static enum MHD_Result delete_own(cs_request *req)
{
    if (req->auth == CS_AUTH_LOCAL)
        return local_has_no_sessions(req);
    if (req->method != CS_METHOD_DELETE)
        return cs_reply_method_not_allowed(req, "DELETE");
    cs_auth *a = cs_server_auth(req->server);
    cu_err err = {0};
    cc_db *w = cs_auth_writer(a, &err);
    if (!w)
        return cs_reply_catalog_error(req, &err);
    int rc = cc_session_delete(w, req->user_id, req->route.id, &err);
    cs_auth_writer_release(a);
    if (rc == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "no such session or token");
    if (rc < 0)
        return cs_reply_catalog_error(req, &err);
    return cs_reply_json(req, 200, json_pack("{s:b}", "deleted", 1));
}

enum MHD_Result cs_api_me_session(cs_request *req)
{
    return delete_own(req);
}

enum MHD_Result cs_api_me_token(cs_request *req)
{
    return delete_own(req);
}

/* GET: my tokens (never the tokens themselves). POST {"name"}: a new
 * token, shown once. */
enum MHD_Result cs_api_me_tokens(cs_request *req)
{
    if (req->auth == CS_AUTH_LOCAL)
        return local_has_no_sessions(req);
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return cs_reply_sessions(req, req->user_id, CC_SESSION_TOKEN);
    if (req->method != CS_METHOD_POST)
        return cs_reply_method_not_allowed(req, "GET, HEAD, POST");
    json_t *body = NULL;
    enum MHD_Result ret;
    if (cs_request_json(req, &body, &ret) < 0)
        return ret;
    cu_err err = {0};
    const char *name = NULL;
    if (cs_body_string(body, "name", CC_TOKEN_NAME_MAX, &name, &err) < 0 || !name || !*name ||
        !cu_utf8_valid(name, strlen(name))) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "%s",
                              err.msg[0] ? err.msg : "a token needs a name (1 to 64 bytes)");
    }
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    char token[CC_TOKEN_CHARS + 1];
    int64_t id = 0;
    int rc = cc_session_create(w, req->user_id, CC_SESSION_TOKEN, name, NULL, cu_time_now(), 0,
                               token, &id, &err);
    cs_auth_writer_release(a);
    if (rc < 0) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    ret = cs_reply_json(
        req, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name", name, "token", token));
    memset(token, 0, sizeof token);
    json_decref(body);
    return ret;
}

/* Signed URLs for one file, for players that send no cookie. */
enum MHD_Result cs_api_file_urls(cs_request *req)
{
    if (req->method != CS_METHOD_GET && req->method != CS_METHOD_HEAD)
        return cs_reply_method_not_allowed(req, "GET, HEAD");
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    int64_t film_id = 0;
    if (cc_scope_file_owner(db, req->route.id, &film_id, NULL, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    int64_t generation = 0;
    if (req->user_id) {
        bool admin, disabled;
        if (cc_user_check(db, req->user_id, &admin, &disabled, &generation, &err) < 0)
            return cs_reply_catalog_error(req, &err);
    }
    int64_t expires = cu_time_now() + CS_SIGNED_URL_S;
    char sig[CS_SIG_MAX];
    cs_sign_make(cs_auth_key(cs_server_auth(req->server)), req->route.id, req->user_id, expires,
                 generation, sig);
    char *stream = cu_xasprintf("/api/v1/files/%lld/stream?sig=%s", (long long)req->route.id, sig);
    char *hls =
        cu_xasprintf("/api/v1/files/%lld/hls/master.m3u8?sig=%s", (long long)req->route.id, sig);
    json_t *body =
        json_pack("{s:s, s:s, s:o}", "stream", stream, "hls", hls, "expires_at", cj_time(expires));
    free(stream);
    free(hls);
    return cs_reply_json(req, 200, body);
}
