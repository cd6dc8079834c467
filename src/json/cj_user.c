/* cj_user: users, sessions, tokens and watch state as JSON (cj_user.h). */
#include "json/cj_user.h"
#include "json/cj_text.h"

#include <time.h>

json_t *cj_time(int64_t t)
{
    if (t <= 0)
        return json_null();
    time_t tt = (time_t)t;
    struct tm tm;
    char text[32];
    if (!gmtime_r(&tt, &tm) || !strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return json_null();
    return json_string(text);
}

json_t *cj_user(const cc_user *u, bool full)
{
    json_t *o = json_pack("{s:I, s:o, s:b}", "id", (json_int_t)u->id, "name", cj_text(u->name),
                          "admin", u->admin);
    if (full) {
        json_object_set_new(o, "disabled", json_boolean(u->disabled));
        json_t *roots = json_null();
        if (!u->all_roots) {
            roots = json_array();
            for (size_t i = 0; i < u->root_count; i++)
                json_array_append_new(roots, cj_text(u->roots[i]));
        }
        json_object_set_new(o, "roots", roots);
        json_object_set_new(o, "max_certification", cj_text_or_null(u->max_cert));
        json_object_set_new(o, "created_at", cj_time(u->created_at));
    }
    return o;
}

json_t *cj_session(const cc_session *s, int64_t current)
{
    json_t *o = json_pack("{s:I}", "id", (json_int_t)s->id);
    json_object_set_new(o, "name", cj_text_or_null(s->name));
    if (s->kind == CC_SESSION_BROWSER) {
        json_object_set_new(o, "address", cj_text_or_null(s->address));
        json_object_set_new(o, "current", json_boolean(s->id == current));
        json_object_set_new(o, "expires_at", cj_time(s->expires_at));
    }
    json_object_set_new(o, "created_at", cj_time(s->created_at));
    json_object_set_new(o, "last_used", cj_time(s->last_used));
    return o;
}

json_t *cj_watch(const cc_watch *w)
{
    json_t *o = json_object();
    json_object_set_new(o, "position", json_real(w->position));
    json_object_set_new(o, "watched", json_boolean(w->watched));
    json_object_set_new(o, "play_count", json_integer(w->play_count));
    json_object_set_new(o, "last_played", cj_time(w->last_played));
    return o;
}
