/* cj_share: see cj_share.h. */
#include "json/cj_share.h"
#include "util/cu_when.h"

#include <stdio.h>

json_t *cj_share_time(int64_t t)
{
    if (t <= 0)
        return json_null();
    char text[32];
    cu_when_format(t, text, sizeof text);
    return json_string(text);
}

static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer(id) : json_null();
}

static json_t *text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *cj_share(const cc_share *s, int64_t now)
{
    char url[8 + CC_SHARE_TOKEN_CHARS];
    snprintf(url, sizeof url, "/s/%s", s->token);
    bool clip = s->clip_to_ms > 0;
    json_t *clip_json = json_null();
    if (clip) {
        char from[24], to[24];
        cu_when_format_clock(s->clip_from_ms, from, sizeof from);
        cu_when_format_clock(s->clip_to_ms, to, sizeof to);
        clip_json = json_pack("{s:I,s:I,s:s,s:s}", "from_ms", (json_int_t)s->clip_from_ms, "to_ms",
                              (json_int_t)s->clip_to_ms, "from", from, "to", to);
    }
    json_t *creator = json_null();
    if (s->created_by > 0)
        creator = json_pack("{s:I,s:o}", "id", (json_int_t)s->created_by, "name",
                            text_or_null(s->creator));
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:s,s:b,s:o,s:o}", "id",
        (json_int_t)s->id, "token", s->token, "url", url, "kind",
        s->extra ? "extra"
        : clip   ? "clip"
                 : "film",
        "film_id", id_or_null(s->film_id), "extra_id", id_or_null(s->extra_id), "file_id",
        id_or_null(s->file_id), "clip", clip_json, "title", text_or_null(s->title), "note",
        text_or_null(s->note), "opens_at", cj_share_time(s->opens_at > 0 ? s->opens_at : 1),
        "closes_at", cj_share_time(s->closes_at), "view_limit", id_or_null(s->view_limit), "views",
        (json_int_t)s->views, "state", cc_share_state_name(cc_share_state_at(s, now)), "available",
        cc_share_available(s), "created_by", creator, "created_at", cj_share_time(s->created_at));
}
