/* cs_api_share: the shares API, /api/v1/shares (documented in README.md,
 * "Sharing a clip"):
 *   GET    /api/v1/shares              every share (admin)
 *   POST   /api/v1/shares              a new share (admin, or a user allowed to share)
 *   PATCH  /api/v1/shares/{id}         times, view limit, revoke (admin)
 *   DELETE /api/v1/shares/{id}         forget it (admin)
 *   GET    /api/v1/shares/allowed      {"may_share":bool} for the signed-in user
 *   GET    /api/v1/shares/grants       {"user_ids":[...]} users allowed to share (admin)
 *   PUT/DELETE /api/v1/shares/grants/{user_id}   allow or stop (admin)
 * Writes go through the server's writer connection (cs_auth_writer). */
#include "catalog/cc_extra.h"
#include "catalog/cc_share.h"
#include "catalog/cc_user.h"
#include "catalog/cc_writer.h"
#include "json/cj_share.h"
#include "server/cs_internal.h"
#include "util/cu_str.h"
#include "util/cu_time.h"
#include "util/cu_when.h"

#include <stdlib.h>
#include <string.h>

static bool may_share(cs_request *req)
{
    if (req->admin)
        return true;
    if (req->user_id <= 0)
        return false;
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    bool allowed = false;
    return db && cc_share_granted(db, req->user_id, &allowed, &err) == 0 && allowed;
}

static enum MHD_Result share_error(cs_request *req, int rc, const cu_err *err)
{
    if (rc == CU_EINVAL || rc == CU_EPARSE)
        return cs_reply_error(req, 400, "bad_request", "%s", err->msg);
    if (rc == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "%s", err->msg);
    return cs_reply_catalog_error(req, err);
}

/* A member with a value to read: NULL when there is none, for an absent
 * member (*out kept) or a null one (*out set to 0: none, never). */
static json_t *member_value(json_t *body, const char *name, int64_t *out)
{
    json_t *v = json_object_get(body, name);
    if (v && json_is_null(v)) {
        *out = 0;
        return NULL;
    }
    return v;
}

/* A time member: ISO 8601 with an offset, "now", "+1h"; absent keeps
 * *out, null sets 0 (for closes_at: never). */
static int body_time(json_t *body, const char *name, int64_t now, int64_t *out, cu_err *err)
{
    json_t *v = member_value(body, name, out);
    if (!v)
        return 0;
    if (!json_is_string(v) || cu_when_parse(json_string_value(v), now, out) < 0)
        return cu_err_set(err, CU_EINVAL, "%s must be ISO 8601 with an offset, \"now\" or \"+1h\"",
                          name);
    return 0;
}

static int body_int(json_t *body, const char *name, int64_t *out, cu_err *err)
{
    json_t *v = member_value(body, name, out);
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return cu_err_set(err, CU_EINVAL, "%s must be a whole number >= 0", name);
    *out = json_integer_value(v);
    return 0;
}

/* "HH:MM:SS[.mmm]" or milliseconds. */
static int body_clock(json_t *body, const char *name, int64_t *out, cu_err *err)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v))
        return 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = json_integer_value(v);
        return 0;
    }
    if (json_is_string(v) && cu_when_clock_ms(json_string_value(v), out) == 0)
        return 0;
    return cu_err_set(err, CU_EINVAL, "%s must be HH:MM:SS or milliseconds", name);
}

typedef struct add_job {
    cc_share_new spec;
    char token[CC_SHARE_TOKEN_CHARS + 1];
    int64_t id, now;
} add_job;

static int add_fn(cc_db *db, void *user, cu_err *err)
{
    add_job *j = user;
    return cc_share_add(db, &j->spec, j->now, j->token, &j->id, err);
}

static enum MHD_Result reply_share(cs_request *req, cc_db *db, unsigned status, int64_t id)
{
    cu_err err = {0};
    cc_share s;
    int rc = cc_share_get(db, id, &s, &err);
    if (rc < 0)
        return share_error(req, rc, &err);
    json_t *j = cj_share(&s, cu_time_now());
    json_t *body = json_pack("{s:s,s:O,s:O,s:O,s:o}", "token", s.token, "url",
                             json_object_get(j, "url"), "opens_at", json_object_get(j, "opens_at"),
                             "closes_at", json_object_get(j, "closes_at"), "share", j);
    cc_share_clear(&s);
    return cs_reply_json(req, status, body);
}

static enum MHD_Result create(cs_request *req)
{
    if (!may_share(req))
        return cs_reply_error(req, 403, "forbidden", "you may not create shares");
    json_t *body = NULL;
    enum MHD_Result ret;
    if (cs_request_json(req, &body, &ret) < 0)
        return ret;
    add_job j = {.now = cu_time_now()};
    j.spec.opens_at = j.now;
    j.spec.created_by = req->user_id;
    cu_err err = {0};
    const char *title = NULL, *note = NULL;
    int rc;
    if ((rc = body_int(body, "film_id", &j.spec.film_id, &err)) < 0 ||
        (rc = body_int(body, "extra_id", &j.spec.extra_id, &err)) < 0 ||
        (rc = body_clock(body, "from", &j.spec.clip_from_ms, &err)) < 0 ||
        (rc = body_clock(body, "to", &j.spec.clip_to_ms, &err)) < 0 ||
        (rc = body_time(body, "opens_at", j.now, &j.spec.opens_at, &err)) < 0 ||
        (rc = body_time(body, "closes_at", j.now, &j.spec.closes_at, &err)) < 0 ||
        (rc = body_int(body, "view_limit", &j.spec.view_limit, &err)) < 0 ||
        (rc = cs_body_string(body, "title", CC_SHARE_TITLE_MAX, &title, &err)) < 0 ||
        (rc = cs_body_string(body, "note", CC_SHARE_NOTE_MAX, &note, &err)) < 0) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "%s", err.msg);
    }
    j.spec.title = title;
    j.spec.note = note;
    /* A restricted user shares only what they may see. */
    if (j.spec.film_id > 0 && !cs_auth_film_visible(req, j.spec.film_id)) {
        json_decref(body);
        return cs_reply_error(req, 404, "not_found", "no such film");
    }
    if (j.spec.extra_id > 0) {
        cc_db *db = cs_server_db(req->server, &err);
        int64_t film_id = 0;
        if (!db || cc_extra_film_id(db, j.spec.extra_id, &film_id, &err) < 0 ||
            !cs_auth_film_visible(req, film_id)) {
            json_decref(body);
            return cs_reply_error(req, 404, "not_found", "no such extra");
        }
    }
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    rc = cc_writer_run(w, add_fn, &j, &err);
    json_decref(body); /* title and note pointed into it */
    if (rc < 0) {
        cs_auth_writer_release(a);
        return share_error(req, rc, &err);
    }
    ret = reply_share(req, w, 201, j.id);
    cs_auth_writer_release(a);
    return ret;
}

static enum MHD_Result list(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_share *shares;
    size_t count;
    if (cc_share_list(db, &shares, &count, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    int64_t now = cu_time_now();
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items, cj_share(&shares[i], now));
    cc_share_list_free(shares, count);
    return cs_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

typedef struct edit_job {
    int64_t id;
    json_t *body;
    int64_t now;
    bool remove;
} edit_job;

static int edit_fn(cc_db *db, void *user, cu_err *err)
{
    edit_job *j = user;
    if (j->remove)
        return cc_share_delete(db, j->id, err);
    cc_share s;
    int rc = cc_share_get(db, j->id, &s, err);
    if (rc < 0)
        return rc;
    int64_t opens = s.opens_at, closes = s.closes_at, limit = s.view_limit;
    cc_share_clear(&s);
    bool revoke = false;
    if ((rc = body_time(j->body, "opens_at", j->now, &opens, err)) < 0 ||
        (rc = body_time(j->body, "closes_at", j->now, &closes, err)) < 0 ||
        (rc = body_int(j->body, "view_limit", &limit, err)) < 0 ||
        (rc = cs_body_bool(j->body, "revoked", &revoke, err)) < 0)
        return rc < 0 && rc != CU_EINVAL ? CU_EINVAL : rc;
    if ((rc = cc_share_set_times(db, j->id, opens, closes, err)) < 0 ||
        (rc = cc_share_set_view_limit(db, j->id, limit, err)) < 0)
        return rc;
    if (revoke && (rc = cc_share_revoke(db, j->id, err)) < 0)
        return rc;
    return 0;
}

static enum MHD_Result edit(cs_request *req, int64_t id)
{
    edit_job j = {.id = id, .now = cu_time_now(), .remove = req->method == CS_METHOD_DELETE};
    enum MHD_Result ret;
    if (!j.remove && cs_request_json(req, &j.body, &ret) < 0)
        return ret;
    cu_err err = {0};
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(j.body);
        return cs_reply_catalog_error(req, &err);
    }
    int rc = cc_writer_run(w, edit_fn, &j, &err);
    json_decref(j.body);
    if (rc < 0)
        ret = share_error(req, rc, &err);
    else if (j.remove)
        ret = cs_reply_json(req, 200, json_pack("{s:b}", "deleted", 1));
    else
        ret = reply_share(req, w, 200, id);
    cs_auth_writer_release(a);
    return ret;
}

typedef struct grant_job {
    int64_t user_id;
    bool allowed;
} grant_job;

static int grant_fn(cc_db *db, void *user, cu_err *err)
{
    grant_job *g = user;
    return cc_share_grant(db, g->user_id, g->allowed, err);
}

static enum MHD_Result grants(cs_request *req, const char *rest)
{
    cu_err err = {0};
    if (!*rest) {
        if (req->method != CS_METHOD_GET && req->method != CS_METHOD_HEAD)
            return cs_reply_method_not_allowed(req, "GET, HEAD");
        cc_db *db = cs_server_db(req->server, &err);
        if (!db)
            return cs_reply_catalog_error(req, &err);
        cc_user *users = NULL;
        size_t count = 0;
        if (cc_user_list(db, &users, &count, &err) < 0)
            return cs_reply_catalog_error(req, &err);
        json_t *ids = json_array();
        for (size_t i = 0; i < count; i++) {
            bool allowed = false;
            if (cc_share_granted(db, users[i].id, &allowed, &err) == 0 && allowed)
                json_array_append_new(ids, json_integer(users[i].id));
        }
        cc_user_list_free(users, count);
        return cs_reply_json(req, 200, json_pack("{s:o}", "user_ids", ids));
    }
    int64_t user_id = cs_route_id(rest + 1, strlen(rest + 1));
    if (*rest != '/' || user_id <= 0)
        return cs_reply_error(req, 404, "not_found", "no such endpoint");
    if (req->method != CS_METHOD_PUT && req->method != CS_METHOD_DELETE)
        return cs_reply_method_not_allowed(req, "PUT, DELETE");
    grant_job g = {user_id, req->method == CS_METHOD_PUT};
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, &err);
    if (!w)
        return cs_reply_catalog_error(req, &err);
    int rc = cc_writer_run(w, grant_fn, &g, &err);
    cs_auth_writer_release(a);
    if (rc < 0)
        return share_error(req, rc, &err);
    return cs_reply_json(
        req, 200, json_pack("{s:I,s:b}", "user_id", (json_int_t)user_id, "may_share", g.allowed));
}

enum MHD_Result cs_api_shares(cs_request *req)
{
    const char *rest = req->route.path + strlen("/api/v1/shares");
    bool get = req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD;
    if (!strcmp(rest, "/allowed")) {
        if (!get)
            return cs_reply_method_not_allowed(req, "GET, HEAD");
        return cs_reply_json(req, 200, json_pack("{s:b}", "may_share", may_share(req)));
    }
    if (!*rest && req->method == CS_METHOD_POST)
        return create(req);
    if (!req->admin)
        return cs_reply_error(req, 403, "forbidden", "only an admin may do that");
    if (!*rest) {
        if (!get)
            return cs_reply_method_not_allowed(req, "GET, HEAD, POST");
        return list(req);
    }
    if (cu_str_has_prefix(rest, "/grants"))
        return grants(req, rest + strlen("/grants"));
    int64_t id = *rest == '/' ? cs_route_id(rest + 1, strlen(rest + 1)) : -1;
    if (id <= 0)
        return cs_reply_error(req, 404, "not_found", "no such endpoint");
    if (req->method != CS_METHOD_PATCH && req->method != CS_METHOD_DELETE)
        return cs_reply_method_not_allowed(req, "PATCH, DELETE");
    return edit(req, id);
}
