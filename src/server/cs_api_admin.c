/* cs_api_admin: what admins do from the web app: users (add, change,
 * disable, remove, sign out everywhere), library folders added at run
 * time, "scan now" and the files that failed. The gate (cs_auth.c) lets
 * only admins reach these. */
#include "catalog/cc_film.h"
#include "catalog/cc_folder.h"
#include "catalog/cc_scan_error.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_session.h"
#include "catalog/cc_user.h"
#include "server/cs_body.h"
#include "server/cs_internal.h"
#include "json/cj_user.h"
#include "catalog/cc_scan_status.h"
#include "json/cj_text.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- users ---- */

/* Reads "roots": null (every folder) or an array of folder paths. 0 when
 * absent, 1 when read (*all / *roots set; *roots malloc'd), -1 on error. */
static int read_roots(json_t *body, bool *all, const char ***roots, size_t *count, cu_err *err)
{
    json_t *v = json_object_get(body, "roots");
    *roots = NULL;
    *count = 0;
    if (!v)
        return 0;
    if (json_is_null(v)) {
        *all = true;
        return 1;
    }
    if (!json_is_array(v) || json_array_size(v) > CC_USER_ROOTS_MAX) {
        cu_err_set(err, CU_EINVAL,
                   "roots must be null (every folder) or a list of at most %d folders",
                   CC_USER_ROOTS_MAX);
        return -1;
    }
    *all = false;
    *roots = cu_xcalloc(json_array_size(v) + 1, sizeof **roots);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) || json_string_length(item) > 4096) {
            free(*roots);
            *roots = NULL;
            cu_err_set(err, CU_EINVAL, "roots must hold folder paths");
            return -1;
        }
        (*roots)[(*count)++] = json_string_value(item);
    }
    return 1;
}

/* Applies the optional members of a user body to user id (writer held). */
static int apply_user_changes(cc_db *w, int64_t id, json_t *body, bool creating, cu_err *err)
{
    const char *password = NULL, *cert = NULL;
    bool flag;
    int rc;
    if (!creating) {
        if ((rc = cs_body_string(body, "password", CC_PASSWORD_MAX, &password, err)) < 0)
            return rc;
        if (rc && (rc = cc_user_set_password(w, id, password, err)) < 0)
            return rc;
        if ((rc = cs_body_bool(body, "admin", &flag, err)) < 0)
            return rc;
        if (rc && (rc = cc_user_set_admin(w, id, flag, err)) < 0)
            return rc;
        if ((rc = cs_body_bool(body, "disabled", &flag, err)) < 0)
            return rc;
        if (rc && (rc = cc_user_set_disabled(w, id, flag, err)) < 0)
            return rc;
    }
    json_t *cert_value = json_object_get(body, "max_certification");
    if (cert_value && !json_is_null(cert_value)) {
        if ((rc = cs_body_string(body, "max_certification", CC_CERT_MAX, &cert, err)) < 0)
            return rc;
    }
    if (cert_value && (rc = cc_user_set_max_cert(w, id, cert, err)) < 0)
        return rc;
    bool all = true;
    const char **roots = NULL;
    size_t count = 0;
    rc = read_roots(body, &all, &roots, &count, err);
    if (rc < 0)
        return CU_EINVAL;
    if (rc)
        rc = cc_user_set_roots(w, id, all, roots, count, err);
    free(roots);
    return rc < 0 ? rc : 0;
}

static enum MHD_Result user_error(cs_request *req, int rc, const cu_err *err)
{
    if (rc == CU_EINVAL || rc == CU_ELIMIT)
        return cs_reply_error(req, 400, "bad_request", "%s", err->msg);
    if (rc == -EEXIST)
        return cs_reply_error(req, 409, "exists", "%s", err->msg);
    if (rc == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "no such user");
    return cs_reply_catalog_error(req, err);
}

static enum MHD_Result reply_user(cs_request *req, unsigned status, int64_t id)
{
    cu_err err = {0};
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, &err); /* read back through the writer: it sees its own writes */
    if (!w)
        return cs_reply_catalog_error(req, &err);
    cc_user u;
    int rc = cc_user_get(w, id, &u, &err);
    cs_auth_writer_release(a);
    if (rc < 0)
        return user_error(req, rc, &err);
    json_t *body = json_pack("{s:o}", "user", cj_user(&u, true));
    cc_user_clear(&u);
    return cs_reply_json(req, status, body);
}

enum MHD_Result cs_api_users(cs_request *req)
{
    cu_err err = {0};
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD) {
        cc_db *db = cs_server_db(req->server, &err);
        if (!db)
            return cs_reply_catalog_error(req, &err);
        cc_user *users = NULL;
        size_t count = 0;
        if (cc_user_list(db, &users, &count, &err) < 0)
            return cs_reply_catalog_error(req, &err);
        json_t *items = json_array();
        for (size_t i = 0; i < count; i++)
            json_array_append_new(items, cj_user(&users[i], true));
        cc_user_list_free(users, count);
        return cs_reply_json(req, 200, json_pack("{s:o}", "items", items));
    }
    if (req->method != CS_METHOD_POST)
        return cs_reply_method_not_allowed(req, "GET, HEAD, POST");
    json_t *body = NULL;
    enum MHD_Result ret;
    if (cs_request_json(req, &body, &ret) < 0)
        return ret;
    const char *name = NULL, *password = NULL;
    bool admin = false;
    int rc;
    if ((rc = cs_body_string(body, "name", CC_USER_NAME_MAX * 4, &name, &err)) < 0 ||
        (rc = cs_body_string(body, "password", CC_PASSWORD_MAX * 4, &password, &err)) < 0 ||
        (rc = cs_body_bool(body, "admin", &admin, &err)) < 0) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "%s", err.msg);
    }
    if (!name || !password) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "name and password are required");
    }
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    int64_t id = 0;
    rc = cc_user_add(w, name, password, admin, &id, &err);
    if (rc == 0 && (rc = apply_user_changes(w, id, body, true, &err)) < 0) {
        cu_err ignored = {0};
        cc_user_remove(w, id, &ignored); /* all or nothing */
    }
    cs_auth_writer_release(a);
    cs_auth_users_changed(a);
    json_decref(body);
    if (rc < 0)
        return user_error(req, rc, &err);
    cu_log(CU_LOG_INFO, "user %lld added by user %lld", (long long)id, (long long)req->user_id);
    return reply_user(req, 201, id);
}

/* Whether taking admin away from (or removing, disabling) user id would
 * leave no enabled admin. Writer held. */
static bool last_admin(cc_db *w, int64_t id)
{
    cu_err err = {0};
    cc_user u;
    if (cc_user_get(w, id, &u, &err) < 0)
        return false;
    bool is_admin = u.admin && !u.disabled;
    cc_user_clear(&u);
    int64_t admins = 0;
    if (!is_admin || cc_user_admin_count(w, &admins, &err) < 0)
        return false;
    return admins <= 1;
}

enum MHD_Result cs_api_user(cs_request *req)
{
    cu_err err = {0};
    cs_auth *a = cs_server_auth(req->server);
    int64_t id = req->route.id;
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return reply_user(req, 200, id);
    if (req->method != CS_METHOD_PATCH && req->method != CS_METHOD_DELETE)
        return cs_reply_method_not_allowed(req, "GET, HEAD, PATCH, DELETE");
    json_t *body = NULL;
    enum MHD_Result ret;
    if (req->method == CS_METHOD_PATCH && cs_request_json(req, &body, &ret) < 0)
        return ret;
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    int rc;
    if (req->method == CS_METHOD_DELETE) {
        if (last_admin(w, id)) {
            cs_auth_writer_release(a);
            return cs_reply_error(req, 409, "last_admin", "the last admin cannot be removed");
        }
        rc = cc_user_remove(w, id, &err);
        cs_auth_writer_release(a);
        cs_auth_users_changed(a);
        if (rc < 0)
            return user_error(req, rc, &err);
        cu_log(CU_LOG_INFO, "user %lld removed by user %lld", (long long)id,
               (long long)req->user_id);
        return cs_reply_json(req, 200, json_pack("{s:b}", "deleted", 1));
    }
    json_t *admin = json_object_get(body, "admin"), *disabled = json_object_get(body, "disabled");
    if (((admin && json_is_false(admin)) || (disabled && json_is_true(disabled))) &&
        last_admin(w, id)) {
        cs_auth_writer_release(a);
        json_decref(body);
        return cs_reply_error(req, 409, "last_admin",
                              "the last admin cannot be demoted or disabled");
    }
    cc_user exists;
    rc = cc_user_get(w, id, &exists, &err);
    if (rc == 0) {
        cc_user_clear(&exists);
        rc = apply_user_changes(w, id, body, false, &err);
    }
    cs_auth_writer_release(a);
    json_decref(body);
    if (rc < 0)
        return user_error(req, rc, &err);
    return reply_user(req, 200, id);
}

/* GET: the user's browser sessions and tokens; DELETE: signs them out
 * everywhere. */
enum MHD_Result cs_api_user_sessions(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_user u;
    int rc = cc_user_get(db, req->route.id, &u, &err);
    if (rc < 0)
        return user_error(req, rc, &err);
    cc_user_clear(&u);
    if (req->method == CS_METHOD_DELETE)
        return cs_end_all_sessions(req, req->route.id);
    if (req->method != CS_METHOD_GET && req->method != CS_METHOD_HEAD)
        return cs_reply_method_not_allowed(req, "GET, HEAD, DELETE");
    return cs_reply_sessions(req, req->route.id,
                             cs_query_get(&req->query, "tokens") ? CC_SESSION_TOKEN
                                                                 : CC_SESSION_BROWSER);
}

/* ---- library folders ---- */

static bool given_root(const cs_config *config, const char *path)
{
    for (size_t i = 0; i < config->root_count; i++)
        if (!strcmp(config->roots[i], path))
            return true;
    return false;
}

static enum MHD_Result list_roots(cs_request *req)
{
    const cs_config *config = cs_server_config(req->server);
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    char **added = NULL;
    size_t added_count = 0;
    if (cc_folder_list(db, &added, &added_count, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < config->root_count; i++)
        json_array_append_new(items, json_pack("{s:o, s:s}", "path", cj_text(config->roots[i]),
                                               "source", "command line"));
    for (size_t i = 0; i < added_count; i++)
        if (!given_root(config, added[i]))
            json_array_append_new(
                items, json_pack("{s:o, s:s}", "path", cj_text(added[i]), "source", "added"));
    cc_folder_list_free(added, added_count);
    return cs_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

enum MHD_Result cs_api_roots(cs_request *req)
{
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return list_roots(req);
    if (req->method != CS_METHOD_POST && req->method != CS_METHOD_DELETE)
        return cs_reply_method_not_allowed(req, "GET, HEAD, POST, DELETE");
    const cs_config *config = cs_server_config(req->server);
    if (!config->roots_changed)
        return cs_reply_error(req, 503, "unavailable", "this server cannot change its folders");
    json_t *body = NULL;
    enum MHD_Result ret;
    if (cs_request_json(req, &body, &ret) < 0)
        return ret;
    cu_err err = {0};
    const char *path = cs_query_get(&req->query, "path");
    if (cs_body_string(body, "path", 4096, &path, &err) < 0 || !path || path[0] != '/') {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "path must be an absolute folder path");
    }
    cs_auth *a = cs_server_auth(req->server);
    int rc;
    char *real = NULL;
    if (req->method == CS_METHOD_POST) {
        struct stat st;
        real = cu_path_real(path);
        if (!real || stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
            json_decref(body);
            free(real);
            return cs_reply_error(req, 400, "bad_request", "not a folder on the server");
        }
        if (given_root(config, real)) {
            json_decref(body);
            free(real);
            return cs_reply_error(req, 409, "exists", "that folder is already a library folder");
        }
    } else if (given_root(config, path)) {
        json_decref(body);
        return cs_reply_error(req, 409, "command_line",
                              "that folder was given on the command line; restart without it");
    }
    cc_db *w = cs_auth_writer(a, &err);
    if (!w) {
        json_decref(body);
        free(real);
        return cs_reply_catalog_error(req, &err);
    }
    rc = req->method == CS_METHOD_POST ? cc_folder_add(w, real, cu_time_now(), &err)
                                       : cc_folder_remove(w, path, &err);
    cs_auth_writer_release(a);
    json_decref(body);
    free(real);
    if (rc == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "no such library folder");
    if (rc < 0)
        return cs_reply_catalog_error(req, &err);
    if (config->roots_changed(config->control_user, &err) < 0)
        return cs_reply_error(req, 500, "internal", "the folder was saved, but: %s", err.msg);
    return list_roots(req);
}

/* ---- scans ---- */

enum MHD_Result cs_api_scan(cs_request *req)
{
    const cs_config *config = cs_server_config(req->server);
    if (req->method == CS_METHOD_POST) {
        if (!config->rescan)
            return cs_reply_error(req, 503, "unavailable", "no library service runs here");
        config->rescan(config->control_user);
        req->allow = NULL;
        return cs_reply_json(req, 202, json_pack("{s:b}", "requested", 1));
    }
    if (req->method != CS_METHOD_GET && req->method != CS_METHOD_HEAD)
        return cs_reply_method_not_allowed(req, "GET, HEAD, POST");
    /* The library service keeps the catalog's scan status row. */
    cu_err err = {0};
    cc_db *db = config->scan_service ? cs_server_db(req->server, &err) : NULL;
    cc_scan_status s;
    if (!db || cc_scan_status_get(db, &s, &err) < 0 || !s.state[0])
        return cs_reply_json(req, 200, json_pack("{s:n}", "scan"));
    json_t *scan = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "state", s.state, "found",
                             (json_int_t)s.found, "probed", (json_int_t)s.probed, "to_probe",
                             (json_int_t)s.to_probe, "scans", (json_int_t)s.scans, "failed",
                             (json_int_t)s.failed, "started_at", (json_int_t)s.started_at,
                             "finished_at", (json_int_t)s.finished_at);
    json_object_set_new(scan, "error", cj_text_or_null(s.last_error));
    return cs_reply_json(req, 200, json_pack("{s:o}", "scan", scan));
}

typedef struct error_list {
    json_t *items;
    size_t count;
} error_list;

static int add_scan_error(const char *path, const char *kind, const char *message, void *user)
{
    error_list *l = user;
    if (l->count++ >= 500)
        return 1;
    json_array_append_new(l->items, json_pack("{s:o, s:o, s:o}", "path", cj_text(path), "kind",
                                              cj_text(kind), "error", cj_text(message)));
    return 0;
}

enum MHD_Result cs_api_scan_failed(cs_request *req)
{
    if (req->method != CS_METHOD_GET && req->method != CS_METHOD_HEAD)
        return cs_reply_method_not_allowed(req, "GET, HEAD");
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_failed_file *files = NULL;
    size_t count = 0;
    if (cc_scope_failed_files(db, 500, &files, &count, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(items,
                              json_pack("{s:I, s:o, s:o}", "id", (json_int_t)files[i].id, "path",
                                        cj_text(files[i].path), "error", cj_text(files[i].error)));
    cc_scope_failed_files_free(files, count);
    error_list errors = {json_array(), 0};
    if (cc_scan_error_each(db, add_scan_error, &errors, &err) < 0) {
        json_decref(items);
        json_decref(errors.items);
        return cs_reply_catalog_error(req, &err);
    }
    return cs_reply_json(req, 200,
                         json_pack("{s:o, s:o}", "files", items, "scan_errors", errors.items));
}
