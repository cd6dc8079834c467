/* jf_door: matching, credentials and the routing table of the Jellyfin
 * door (jf_door.h). */
#include "jellyfin/jf_door.h"
#include "jellyfin/jf_internal.h"
#include "catalog/cc_db.h"
#include "util/cu_log.h"
#include "util/cu_str.h"

#include <ctype.h>
#define CS_QUERY_MAX_PARAMS_DOOR 32 /* cs_query.h: at most 32 pairs */
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* First path segments that are the door's. None is a path of the web
 * app (/film/..., /person/..., /api/..., its files). */
static const char *const roots[] = {
    "system",       "users",           "useritems",
    "userviews",    "items",           "videos",
    "sessions",     "quickconnect",    "branding",
    "shows",        "search",          "persons",
    "genres",       "studios",         "displaypreferences",
    "localization", "userplayeditems", "userfavoriteitems",
    "movies",       "playback",        "auth",
};

bool jf_door_match(const char *target)
{
    if (target[0] != '/')
        return false;
    const char *s = target + 1;
    size_t n = strcspn(s, "/?");
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        if (strlen(roots[i]) == n && !strncasecmp(s, roots[i], n))
            return true;
    return false;
}

/* ---- the request ---- */

const char *jf_param(jf_req *r, const char *name)
{
    return cs_door_param_ci(r->req, name);
}

int jf_param_int(jf_req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *v = jf_param(r, name);
    if (!v || !*v)
        return 0;
    char *end;
    long long x = strtoll(v, &end, 10);
    if (*end || x < min || x > max)
        return -1;
    *out = x;
    return 1;
}

bool jf_param_has(jf_req *r, const char *name, const char *value)
{
    const char *values[CS_QUERY_MAX_PARAMS_DOOR];
    size_t count = cs_door_param_ci_all(r->req, name, values, CS_QUERY_MAX_PARAMS_DOOR);
    size_t len = strlen(value);
    for (size_t i = 0; i < count; i++) {
        for (const char *v = values[i]; *v;) {
            size_t n = strcspn(v, ",|");
            if (n == len && !strncasecmp(v, value, n))
                return true;
            v += n;
            if (*v)
                v++;
        }
    }
    return false;
}

int jf_param_list(jf_req *r, const char *name, const char *seps, char (*out)[JF_VALUE_MAX],
                  size_t max)
{
    const char *values[CS_QUERY_MAX_PARAMS_DOOR];
    size_t count = cs_door_param_ci_all(r->req, name, values, CS_QUERY_MAX_PARAMS_DOOR);
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        for (const char *v = values[i]; *v;) {
            size_t len = strcspn(v, seps);
            if (len) {
                if (n == max)
                    return -1;
                size_t keep = len < JF_VALUE_MAX ? len : JF_VALUE_MAX - 1;
                memcpy(out[n], v, keep);
                out[n][keep] = '\0';
                n++;
            }
            v += len;
            if (*v)
                v++;
        }
    }
    return (int)n;
}

int jf_reply_json(jf_req *r, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(body);
    if (!text)
        return cs_door_reply(r->req, 500, "application/json", "{}", 2, NULL);
    int ret =
        cs_door_reply(r->req, status, "application/json; charset=utf-8", text, strlen(text), NULL);
    free(text);
    return ret;
}

int jf_reply_empty(jf_req *r, unsigned status)
{
    return cs_door_reply(r->req, status, NULL, "", 0, NULL);
}

int jf_reply_not_found(jf_req *r)
{
    return cs_door_reply(r->req, 404, "application/json; charset=utf-8", "{}", 2, NULL);
}

int jf_reply_error(jf_req *r, unsigned status, const char *message)
{
    return jf_reply_json(r, status, json_pack("{s:s}", "Message", message));
}

int jf_reply_catalog(jf_req *r, const cu_err *err)
{
    if (err->code == CU_ENOTFOUND)
        return jf_reply_not_found(r);
    cu_log(CU_LOG_WARN, "jellyfin: %s", err->msg);
    return jf_reply_error(r, err->code == CU_EBUSY || err->code == CU_EDB ? 503 : 500,
                          "the catalog could not answer");
}

json_t *jf_body(jf_req *r, int *ret)
{
    size_t len;
    const char *text = cs_door_body(r->req, &len);
    if (len == 0)
        return json_object();
    json_error_t e;
    json_t *body = json_loadb(text, len, 0, &e);
    if (!body || !json_is_object(body)) {
        json_decref(body);
        *ret = jf_reply_error(r, 400, "the body is not a JSON object");
        return NULL;
    }
    return body;
}

int jf_id_of(const char *s, jf_id_kind want, int64_t *id)
{
    jf_id_kind kind;
    uint64_t x;
    if (!s || jf_id_parse(s, strlen(s), &kind, &x) < 0 || kind != want || x > INT64_MAX)
        return CU_EPARSE;
    *id = (int64_t)x;
    return 0;
}

int jf_item_of(const char *s, int64_t *id, bool *is_extra)
{
    jf_id_kind kind;
    uint64_t x;
    if (!s || jf_id_parse(s, strlen(s), &kind, &x) < 0 || x > INT64_MAX ||
        (kind != JF_ID_FILM && kind != JF_ID_EXTRA))
        return CU_EPARSE;
    *id = (int64_t)x;
    *is_extra = kind == JF_ID_EXTRA;
    return 0;
}

json_t *jf_time(int64_t t)
{
    if (t <= 0)
        return json_null();
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char buf[40];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.0000000Z", &tm);
    return json_string(buf);
}

json_t *jf_date(const char *date)
{
    int y = 0, m = 1, d = 1;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) < 1 || y < 1 || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return NULL;
    char buf[40];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT00:00:00.0000000Z", y, m, d);
    return json_string(buf);
}

/* ---- credentials ---- */

/* The token the client sent, in any of its forms; "" when none. */
static void find_token(jf_req *r, char *out, size_t size)
{
    out[0] = '\0';
    const char *names[] = {"X-Emby-Token", "X-MediaBrowser-Token"};
    for (size_t i = 0; i < 2; i++) {
        const char *v = cs_door_header(r->req, names[i]);
        if (v && *v) {
            cu_strlcpy(out, v, size);
            return;
        }
    }
    const char *headers[] = {"Authorization", "X-Emby-Authorization"};
    for (size_t i = 0; i < 2; i++) {
        const char *v = cs_door_header(r->req, headers[i]);
        jf_authz a;
        if (v && jf_authz_parse(v, &a) == 0) {
            if (!r->authz.client[0])
                r->authz = a;
            if (a.token[0]) {
                cu_strlcpy(out, a.token, size);
                return;
            }
        }
    }
    const char *params[] = {"ApiKey", "api_key"};
    for (size_t i = 0; i < 2; i++) {
        const char *v = jf_param(r, params[i]);
        if (v && *v) {
            cu_strlcpy(out, v, size);
            return;
        }
    }
}

/* Whether a browser says the request comes from this server's own pages
 * (or it is no browser: no Origin, no Sec-Fetch-Site). */
static bool same_site(jf_req *r)
{
    const char *site = cs_door_header(r->req, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return false;
    const char *origin = cs_door_header(r->req, "Origin");
    const char *host = cs_door_header(r->req, "Host");
    if (!origin)
        return true;
    const char *p = strstr(origin, "://");
    return p && host && !strcmp(p + 3, host);
}

/* 0: who asks is known (or nobody, for an open route); otherwise the
 * refusal queued into *ret. */
static int authenticate(jf_req *r, bool open, int *ret)
{
    char token[JF_AUTHZ_VALUE_MAX];
    find_token(r, token, sizeof token);
    int64_t session;
    if (cs_door_local_mode(r->req)) {
        /* Local mode needs no credentials, so another site's page could
         * change watch state through a browser: refused, as the core does
         * for /api/v1 (with a token, a page has nothing to borrow). */
        if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && !same_site(r)) {
            *ret = jf_reply_error(r, 403, "requests from another site are refused");
            return -1;
        }
        cs_door_who(r->req, &r->user_id, &r->admin, &session);
        r->signed_in = true;
        return 0;
    }
    cu_err err = {0};
    int rc = 1;
    if (token[0]) {
        rc = cs_door_token(r->req, token, &err);
    } else if (r->nseg >= 2 && !strcmp(r->seg[0], "videos") && jf_param(r, "sig")) {
        /* A signed URL opens one file's stream, playlists and subtitles. */
        int64_t file_id;
        rc = jf_id_of(r->raw[1], JF_ID_FILE, &file_id) == 0
                 ? cs_door_signed(r->req, file_id, jf_param(r, "sig"), &err)
                 : CU_ENOTFOUND;
    }
    if (rc < 0 && rc != CU_ENOTFOUND) {
        *ret = jf_reply_catalog(r, &err);
        return -1;
    }
    if (rc == 0) {
        cs_door_who(r->req, &r->user_id, &r->admin, &session);
        r->signed_in = true;
        return 0;
    }
    if (open)
        return 0;
    *ret = jf_reply_error(r, 401, "sign in first");
    return -1;
}

/* ---- routing ---- */

/* Whether the path is exactly these segments (NULL: any one). */
static bool is(const jf_req *r, size_t n, const char *const *want)
{
    if (r->nseg != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (want[i] && strcmp(r->seg[i], want[i]))
            return false;
    return true;
}
#define IS(...)                                                                                    \
    is(r, sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *),                            \
       (const char *const[]){__VA_ARGS__})
#define GET (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"))
#define POST (!strcmp(r->method, "POST"))
#define DELETE (!strcmp(r->method, "DELETE"))

/* Splits the path; false when it has too many or too long segments. */
static bool split(jf_req *r, const char *path)
{
    r->nseg = 0;
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, "/");
        if (r->nseg == JF_SEGMENTS_MAX || n >= JF_SEGMENT_MAX)
            return false;
        memcpy(r->raw[r->nseg], p, n);
        r->raw[r->nseg][n] = '\0';
        for (size_t i = 0; i <= n; i++)
            r->seg[r->nseg][i] = (char)tolower((unsigned char)r->raw[r->nseg][i]);
        r->nseg++;
        p += n;
    }
    return true;
}

static void drop(jf_req *r, size_t at, size_t count)
{
    for (size_t i = at; i + count < r->nseg; i++) {
        memcpy(r->seg[i], r->seg[i + count], JF_SEGMENT_MAX);
        memcpy(r->raw[i], r->raw[i + count], JF_SEGMENT_MAX);
    }
    r->nseg -= count;
}

static void rename_seg(jf_req *r, size_t i, const char *raw)
{
    cu_strlcpy(r->raw[i], raw, JF_SEGMENT_MAX);
    for (size_t k = 0; k < JF_SEGMENT_MAX; k++)
        r->seg[i][k] = (char)tolower((unsigned char)r->raw[i][k]);
}

/* The legacy /Users/{userId}/... spellings, as the current ones. Returns
 * the user id named (or NULL when the path is no alias). */
static const char *alias(jf_req *r, char *uid, size_t size)
{
    if (r->nseg < 3 || strcmp(r->seg[0], "users"))
        return NULL;
    const char *s = r->seg[2];
    if (strcmp(s, "items") && strcmp(s, "views") && strcmp(s, "playeditems") &&
        strcmp(s, "favoriteitems") && strcmp(s, "playingitems"))
        return NULL;
    cu_strlcpy(uid, r->raw[1], size);
    drop(r, 0, 2); /* /Items..., /Views, /PlayedItems/x, /FavoriteItems/x */
    if (!strcmp(r->seg[0], "views"))
        rename_seg(r, 0, "UserViews");
    else if (!strcmp(r->seg[0], "playeditems"))
        rename_seg(r, 0, "UserPlayedItems");
    else if (!strcmp(r->seg[0], "favoriteitems"))
        rename_seg(r, 0, "UserFavoriteItems");
    else if (r->nseg == 2 && !strcmp(r->seg[0], "items") && !strcmp(r->seg[1], "resume"))
        rename_seg(r, 0, "UserItems");
    return uid;
}

static bool open_route(const jf_req *r)
{
    return IS("system", "info", "public") || IS("system", "ping") ||
           IS("users", "authenticatebyname") || IS("users", "public") ||
           IS("quickconnect", "enabled") || IS("branding", "configuration") ||
           IS("branding", "css") || IS("branding", "css.css");
}

/* A route whose reply is a file's bytes (streams, HLS, subtitles,
 * images): a row or two read before sending, so no read transaction
 * around it (the JSON routes ask the catalog many small questions). */
static bool sends_file(const jf_req *r)
{
    return (r->nseg >= 3 && !strcmp(r->seg[0], "videos")) || IS("items", NULL, "images", NULL) ||
           IS("items", NULL, "images", NULL, NULL);
}

static int route(jf_req *r)
{
    if (IS("system", "info", "public"))
        return jf_system_info_public(r);
    if (IS("system", "ping"))
        return jf_system_ping(r);
    if (IS("users", "authenticatebyname"))
        return POST ? jf_authenticate(r) : jf_reply_error(r, 405, "POST only");
    if (IS("users", "public"))
        return jf_users_public(r);
    if (IS("quickconnect", "enabled"))
        return jf_quick_connect(r);
    if (IS("branding", "configuration"))
        return jf_branding(r);
    if (IS("branding", "css") || IS("branding", "css.css"))
        return jf_branding_css(r);
    if (IS("system", "info"))
        return jf_system_info(r);
    if (IS("system", "endpoint"))
        return jf_system_endpoint(r);
    if (IS("users", "me"))
        return jf_user_me(r);
    if (IS("users"))
        return jf_users_list(r);
    if (IS("users", NULL))
        return jf_user_get(r, r->raw[1]);
    if (IS("sessions", "logout"))
        return jf_logout(r);
    if (IS("sessions", "capabilities", "full") || IS("sessions", "capabilities"))
        return jf_capabilities(r);
    if (IS("sessions", "playing") || IS("sessions", "playing", NULL))
        return jf_playing(r, r->nseg == 3 ? r->seg[2] : "");
    if (IS("sessions"))
        return jf_reply_json(r, 200, json_array());
    if (IS("displaypreferences", NULL))
        return jf_display_preferences(r);
    if (r->nseg == 2 && !strcmp(r->seg[0], "localization"))
        return jf_localization(r);
    if (IS("userviews"))
        return jf_views(r);
    if (IS("items"))
        return jf_items(r);
    if (IS("items", "latest"))
        return jf_latest(r);
    if (IS("useritems", "resume") || IS("items", "resume"))
        return jf_resume(r);
    if (IS("shows", "nextup"))
        return jf_next_up(r);
    if (IS("items", "filters") || IS("items", "filters2"))
        return jf_filters(r);
    if (IS("search", "hints"))
        return jf_search_hints(r);
    if (IS("persons"))
        return jf_persons(r);
    if (IS("genres") || IS("movies", "genres"))
        return jf_genres(r);
    if (IS("items", NULL))
        return jf_item(r, r->raw[1]);
    if (IS("items", NULL, "similar") || IS("movies", NULL, "similar"))
        return jf_similar(r, r->raw[1]);
    if (IS("items", NULL, "specialfeatures"))
        return jf_special_features(r, r->raw[1], false);
    if (IS("items", NULL, "localtrailers"))
        return jf_special_features(r, r->raw[1], true);
    if (IS("items", NULL, "playbackinfo"))
        return jf_playback_info(r, r->raw[1]);
    if (IS("items", NULL, "images", NULL) || IS("items", NULL, "images", NULL, NULL))
        return jf_image(r, r->raw[1], r->seg[3]);
    if (IS("userplayeditems", NULL))
        return jf_played(r, r->raw[1]);
    if (IS("userfavoriteitems", NULL))
        return jf_favorite(r, r->raw[1]);
    if (r->nseg == 3 && !strcmp(r->seg[0], "videos") &&
        (!strcmp(r->seg[2], "stream") || !strncmp(r->seg[2], "stream.", 7)))
        return jf_stream(r, r->raw[1]);
    /* .../Subtitles/{index}[/{startPositionTicks}]/Stream.{format}: the
     * whole track either way (clients ask from 0). */
    if ((r->nseg == 6 || r->nseg == 7) && !strcmp(r->seg[0], "videos") &&
        !strcmp(r->seg[3], "subtitles") && !strncmp(r->seg[r->nseg - 1], "stream.", 7) &&
        (r->nseg == 6 || strspn(r->seg[5], "0123456789") == strlen(r->seg[5])))
        return jf_subtitle(r, r->raw[1], r->raw[2], r->raw[4], r->seg[r->nseg - 1] + 7);
    if (r->nseg == 3 && !strcmp(r->seg[0], "videos"))
        return jf_hls(r, r->raw[1], r->raw[2]);
    if (r->nseg == 4 && !strcmp(r->seg[0], "videos") && !strcmp(r->seg[2], "subs")) {
        char tail[JF_SEGMENT_MAX + 8];
        snprintf(tail, sizeof tail, "subs/%s", r->raw[3]);
        return jf_hls(r, r->raw[1], tail);
    }
    return jf_reply_not_found(r);
}

static int handle(void *user, cs_request *req)
{
    (void)user;
    jf_req *r = calloc(1, sizeof *r);
    if (!r)
        return cs_door_reply(req, 503, "application/json", "{}", 2, NULL);
    r->req = req;
    r->method = cs_door_method(req);
    int ret;
    char uid[JF_SEGMENT_MAX];
    cc_db *read_db = NULL; /* a GET's read transaction, ended at done */
    if (!split(r, cs_door_path(req))) {
        ret = jf_reply_not_found(r);
        goto done;
    }
    const char *named = alias(r, uid, sizeof uid);
    /* A GET's reads, the token's lookup among them, share one read
     * transaction, as /api/v1's do (cc_db_read_begin): SQLite takes its
     * read lock once instead of once per statement. No GET of this door
     * reads back a write of its own (writes go through the accounts and
     * watch writers, other connections; a session's touch is not read). */
    if ((!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) && !sends_file(r)) {
        cu_err db_err = {0};
        read_db = cs_door_db(req, &db_err);
        cc_db_read_begin(read_db);
    }
    if (authenticate(r, open_route(r), &ret) < 0)
        goto done;
    if (named && r->signed_in) {
        int64_t id;
        if (jf_id_of(named, JF_ID_USER, &id) < 0 || id != r->user_id) {
            ret = jf_reply_error(r, 403, "only your own items are served");
            goto done;
        }
    }
    cu_err err = {0};
    r->db = cs_door_db(req, &err);
    if (!r->db) {
        ret = jf_reply_catalog(r, &err);
        goto done;
    }
    jf_server_id(cs_door_key(req), r->server_id);
    ret = route(r);
done:
    cc_db_read_end(read_db);
    free(r);
    return ret;
}

static const cs_door door = {
    .prefix = "/",
    .handler = handle,
    .user = NULL,
    .body_max = 64 * 1024, /* a PlaybackInfo DeviceProfile is a few KiB */
    .match = jf_door_match,
};

const cs_door *jf_door(void)
{
    return &door;
}
