/* jf_watch: playback reports, played marks and favourites. Reports go
 * through the server's watch writer into the same watch state the web
 * app shows (cc_watch): progress made in an app is "Continue watching" in
 * the browser, and back. */
#include "jellyfin/jf_internal.h"
#include "catalog/cc_favorite.h"
#include "util/cu_time.h"

#include <math.h>
#include <string.h>

int jf_playing(jf_req *r, const char *what)
{
    if (strcmp(r->method, "POST"))
        return jf_reply_error(r, 405, "POST only");
    if (!strcmp(what, "ping"))
        return jf_reply_empty(r, 204);
    if (*what && strcmp(what, "progress") && strcmp(what, "stopped"))
        return jf_reply_not_found(r);
    int ret;
    json_t *body = jf_body(r, &ret);
    if (!body)
        return ret;
    const char *item = json_string_value(json_object_get(body, "ItemId"));
    const char *source = json_string_value(json_object_get(body, "MediaSourceId"));
    const json_t *ticks = json_object_get(body, "PositionTicks");
    if (!item || (ticks && !json_is_number(ticks) && !json_is_null(ticks))) {
        json_decref(body);
        return jf_reply_error(r, 400, "ItemId is a string and PositionTicks a number");
    }
    double position = json_is_number(ticks) ? json_number_value(ticks) / (double)JF_TICKS : 0;
    if (!isfinite(position) || position < 0 || position > 1e7) {
        json_decref(body);
        return jf_reply_error(r, 400, "PositionTicks is out of range");
    }
    int64_t file_id;
    if (jf_resolve_file(r, item, source, &file_id, &ret) < 0) {
        json_decref(body);
        return ret;
    }
    json_decref(body);
    /* A start at 0 is not recorded: it would move a film the user is in
     * the middle of back to its beginning before the player seeks. */
    if (!*what && position <= 0)
        return jf_reply_empty(r, 204);
    cu_err err = {0};
    if (cs_door_watch_progress(r->req, file_id, position, 0, &err) < 0)
        return err.code == CU_EINVAL ? jf_reply_error(r, 400, err.msg) : jf_reply_catalog(r, &err);
    return jf_reply_empty(r, 204);
}

/* The film an id names, visible to the user: 0, or a reply queued. */
static int film_of(jf_req *r, const char *id, int64_t *film_id, int *ret)
{
    bool extra;
    if (jf_item_of(id, film_id, &extra) < 0 || extra) {
        *ret = jf_reply_error(r, 400, "not a film id of this server");
        return -1;
    }
    if (!cs_door_film_visible(r->req, *film_id)) {
        *ret = jf_reply_not_found(r);
        return -1;
    }
    return 0;
}

/* Played marks go through the watch writer, as the web app's. */
static int set_played(jf_req *r, int64_t film_id, bool on, cu_err *err)
{
    return cs_door_watch_film(r->req, film_id, on, err);
}

/* Favourites through the accounts writer (one short write). */
static int set_favorite(jf_req *r, int64_t film_id, bool on, cu_err *err)
{
    cc_db *w = cs_door_writer(r->req, err);
    if (!w)
        return CU_EDB;
    int rc = cc_favorite_set(w, r->user_id, film_id, on, cu_time_now(), err);
    cs_door_writer_release(r->req);
    return rc;
}

/* POST marks a film, DELETE unmarks it; the answer is its UserData. */
static int mark(jf_req *r, const char *id, int (*set)(jf_req *, int64_t, bool, cu_err *))
{
    bool post = !strcmp(r->method, "POST"), del = !strcmp(r->method, "DELETE");
    if (!post && !del)
        return jf_reply_error(r, 405, "POST or DELETE");
    int64_t film_id;
    int ret;
    if (film_of(r, id, &film_id, &ret) < 0)
        return ret;
    cu_err err = {0};
    if (set(r, film_id, post, &err) < 0)
        return jf_reply_catalog(r, &err);
    json_t *ud = jf_dto_user_data(r, film_id, &err);
    return ud ? jf_reply_json(r, 200, ud) : jf_reply_catalog(r, &err);
}

int jf_played(jf_req *r, const char *id)
{
    return mark(r, id, set_played);
}

int jf_favorite(jf_req *r, const char *id)
{
    return mark(r, id, set_favorite);
}
