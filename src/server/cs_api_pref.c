/* cs_api_pref: the signed-in user's own preferences, kept with the
 * account (catalog/cc_pref.h) so that signing in on another browser or a
 * TV brings them along: GET and PUT /api/v1/me/preferences, and the same
 * at /api/v1/users/{id}/preferences for one's own id only (another
 * user's are refused, an admin's asking included: they are personal).
 * The known preferences and their types are listed here; anything else is
 * refused, so the catalog never fills with what no page reads. */
#include "catalog/cc_pref.h"
#include "server/cs_auth.h"
#include "server/cs_internal.h"
#include "util/cu_time.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    json_type type;
    const char *what; /* for the error message */
} known[] = {
    {"tv", JSON_TRUE, "true or false (the web app's 10-foot TV layout)"},
};

static int known_index(const char *name)
{
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(name, known[i].name))
            return (int)i;
    return -1;
}

static bool type_ok(int k, const json_t *v)
{
    if (known[k].type == JSON_TRUE)
        return json_is_boolean(v);
    return json_typeof(v) == known[k].type;
}

/* Every known preference: the user's value, else its default. */
static enum MHD_Result reply_preferences(cs_request *req, int64_t user_id)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_pref_list list;
    if (cc_pref_list_get(db, user_id, &list, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *body = json_object();
    json_object_set_new(body, "tv", json_false());
    for (size_t i = 0; i < list.count; i++) {
        int k = known_index(list.items[i].name);
        json_t *v = k >= 0 ? json_loads(list.items[i].value, JSON_DECODE_ANY, NULL) : NULL;
        if (v && type_ok(k, v))
            json_object_set_new(body, known[k].name, v);
        else
            json_decref(v); /* one the server no longer knows: left out */
    }
    cc_pref_list_clear(&list);
    return cs_reply_json(req, 200, body);
}

/* PUT: the preferences named in the body object are set (null forgets
 * one); the others are left as they were. All checked before any write. */
static enum MHD_Result put_preferences(cs_request *req, int64_t user_id)
{
    json_t *body = NULL;
    enum MHD_Result ret;
    if (cs_request_json(req, &body, &ret) < 0)
        return ret;
    if (!json_is_object(body)) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "the body is a JSON object of preferences");
    }
    const char *name;
    json_t *v;
    json_object_foreach(body, name, v)
    {
        int k = known_index(name);
        if (k < 0) {
            ret = cs_reply_error(req, 400, "bad_request", "no preference named '%.64s' (known: tv)",
                                 name);
            json_decref(body);
            return ret;
        }
        if (!json_is_null(v) && !type_ok(k, v)) {
            ret =
                cs_reply_error(req, 400, "bad_request", "'%s' is %s", known[k].name, known[k].what);
            json_decref(body);
            return ret;
        }
    }
    cs_auth *a = cs_server_auth(req->server);
    cu_err err = {0};
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    int rc = 0;
    int64_t now = cu_time_now();
    json_object_foreach(body, name, v)
    {
        char *text = json_is_null(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        rc = cc_pref_set(w, user_id, name, text, now, &err);
        free(text);
        if (rc < 0)
            break;
    }
    cs_auth_writer_release(a);
    json_decref(body);
    if (rc < 0)
        return cs_reply_catalog_error(req, &err);
    return reply_preferences(req, user_id);
}

static enum MHD_Result preferences(cs_request *req, int64_t user_id)
{
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return reply_preferences(req, user_id);
    if (req->method == CS_METHOD_PUT)
        return put_preferences(req, user_id);
    return cs_reply_method_not_allowed(req, "GET, HEAD, PUT");
}

enum MHD_Result cs_api_me_preferences(cs_request *req)
{
    return preferences(req, req->user_id); /* 0 in local mode: the server's own */
}

enum MHD_Result cs_api_user_preferences(cs_request *req)
{
    if (req->route.id != req->user_id)
        return cs_reply_error(req, 403, "forbidden", "a user's preferences are their own");
    return preferences(req, req->user_id);
}
