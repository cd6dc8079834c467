/* jf_play: artwork, PlaybackInfo (direct play or our HLS, from the
 * client's DeviceProfile), direct play with Range, HLS and subtitles, all
 * through the core's checked replies under this door's URLs. */
#include "jellyfin/jf_internal.h"
#include "catalog/cc_stream.h"
#include "jellyfin/jf_profile.h"
#include "util/cu_arena.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

/* The still of an extra the user may see, or a 404. */
static int extra_still(jf_req *r, int64_t extra_id)
{
    int64_t film_id;
    cu_err err = {0};
    if (cc_extra_film_id(r->db, extra_id, &film_id, &err) < 0)
        return jf_reply_catalog(r, &err);
    cc_film *film = NULL;
    if (!cs_door_film_visible(r->req, film_id) || cc_film_get(r->db, film_id, &film, &err) < 0)
        return jf_reply_not_found(r);
    int64_t file_id = 0;
    for (size_t i = 0; i < film->extra_count; i++)
        if (film->extras[i].id == extra_id)
            file_id = film->extras[i].file.id;
    cc_film_free(film);
    return file_id ? cs_door_send_still(r->req, file_id) : jf_reply_not_found(r);
}

int jf_image(jf_req *r, const char *id, const char *type)
{
    bool backdrop = !strcmp(type, "backdrop");
    if (!backdrop && strcmp(type, "primary") && strcmp(type, "thumb"))
        return jf_reply_not_found(r);
    int64_t film_id, person_id;
    bool extra;
    if (!backdrop && jf_id_of(id, JF_ID_PERSON, &person_id) == 0)
        return jf_person_image(r, person_id);
    if (jf_item_of(id, &film_id, &extra) < 0)
        return jf_reply_not_found(r);
    /* An extra has no artwork of its own in the catalog: its Primary is a
     * still from its trickplay sheets (cs_door_still.h), no backdrop. */
    if (extra)
        return backdrop ? jf_reply_not_found(r) : extra_still(r, film_id);
    if (!cs_door_film_visible(r->req, film_id))
        return jf_reply_not_found(r);
    int64_t w = 0;
    const char *names[] = {"maxWidth", "fillWidth", "width"};
    for (size_t i = 0; i < 3 && !w; i++)
        if (jf_param_int(r, names[i], 1, 100000, &w) < 0)
            return jf_reply_error(r, 400, "widths are numbers");
    int64_t h = 0;
    const char *hnames[] = {"maxHeight", "fillHeight", "height"};
    for (size_t i = 0; i < 3 && !h; i++)
        if (jf_param_int(r, hnames[i], 1, 100000, &h) < 0)
            return jf_reply_error(r, 400, "heights are numbers");
    if (!w && h) /* a poster is 2:3, a backdrop 16:9: the width that height asks */
        w = backdrop ? h * 16 / 9 : h * 2 / 3;
    return cs_door_send_image(r->req, film_id, backdrop, w);
}

/* The catalog file an item (a film, an extra or a file) and an optional
 * MediaSourceId name; visible to the user. 0, or a reply queued. */
int jf_resolve_file(jf_req *r, const char *id, const char *source, int64_t *file_id, int *ret)
{
    jf_id_kind kind;
    uint64_t x;
    if (jf_id_parse(id, strlen(id), &kind, &x) < 0 || x > INT64_MAX) {
        *ret = jf_reply_error(r, 400, "not an item id of this server");
        return -1;
    }
    int64_t fid = 0;
    if (source && *source && jf_id_of(source, JF_ID_FILE, &fid) < 0) {
        *ret = jf_reply_error(r, 400, "not a media source id of this server");
        return -1;
    }
    cu_err err = {0};
    if (!fid && kind == JF_ID_FILE) {
        fid = (int64_t)x;
    } else if (!fid && (kind == JF_ID_FILM || kind == JF_ID_EXTRA)) {
        int64_t film_id = (int64_t)x;
        if (kind == JF_ID_EXTRA && cc_extra_film_id(r->db, film_id, &film_id, &err) < 0) {
            *ret = jf_reply_catalog(r, &err);
            return -1;
        }
        cc_film *film = NULL;
        if (!cs_door_film_visible(r->req, film_id) ||
            cc_film_get(r->db, film_id, &film, &err) < 0) {
            *ret = jf_reply_not_found(r);
            return -1;
        }
        if (kind == JF_ID_FILM && film->file_count)
            fid = film->files[0].id;
        for (size_t i = 0; kind == JF_ID_EXTRA && i < film->extra_count; i++)
            if (film->extras[i].id == (int64_t)x)
                fid = film->extras[i].file.id;
        cc_film_free(film);
    }
    bool visible = false;
    if (!fid || cs_door_file_visible(r->req, fid, &visible, &err) < 0 || !visible) {
        *ret = jf_reply_not_found(r);
        return -1;
    }
    *file_id = fid;
    return 0;
}

int jf_stream(jf_req *r, const char *id)
{
    int64_t file_id;
    int ret;
    const char *source = jf_param(r, "MediaSourceId");
    if (jf_resolve_file(r, id, source, &file_id, &ret) < 0)
        return ret;
    return cs_door_send_file(r->req, file_id, NULL);
}

int jf_hls(jf_req *r, const char *id, const char *tail)
{
    int64_t file_id;
    int ret;
    if (jf_resolve_file(r, id, jf_param(r, "MediaSourceId"), &file_id, &ret) < 0)
        return ret;
    return cs_door_send_hls(r->req, file_id, tail);
}

int jf_subtitle(jf_req *r, const char *id, const char *msid, const char *index, const char *format)
{
    if (strcmp(format, "vtt") && strcmp(format, "srt"))
        return jf_reply_error(r, 404,
                              "subtitles are served as WebVTT (Stream.vtt) or SubRip "
                              "(Stream.srt)");
    int64_t file_id;
    int ret;
    if (jf_resolve_file(r, id, msid, &file_id, &ret) < 0)
        return ret;
    char *end;
    long n = strtol(index, &end, 10);
    if (*end || n < 0 || n > 100000)
        return jf_reply_error(r, 400, "the subtitle index is a number");
    /* The index is the container's stream number, or past the last one a
     * sidecar's place (as jf_dto_media numbers them). */
    cu_arena *arena = cu_arena_new();
    cc_stream *streams = NULL;
    size_t count = 0;
    cu_err err = {0};
    if (cc_stream_list(r->db, arena, file_id, &streams, &count, &err) < 0) {
        cu_arena_free(arena);
        return jf_reply_catalog(r, &err);
    }
    int max_index = -1;
    bool embedded = false;
    for (size_t i = 0; i < count; i++) {
        if (streams[i].type == CC_STREAM_SUBTITLE && streams[i].index == n)
            embedded = true;
        if (!streams[i].attached_pic && streams[i].index > max_index &&
            (streams[i].type == CC_STREAM_VIDEO || streams[i].type == CC_STREAM_AUDIO ||
             streams[i].type == CC_STREAM_SUBTITLE))
            max_index = streams[i].index;
    }
    cu_arena_free(arena);
    char tail[64];
    if (embedded)
        snprintf(tail, sizeof tail, "subs/s%ld.%s", n, format);
    else if (n > max_index)
        snprintf(tail, sizeof tail, "subs/x%ld.%s", n - max_index - 1, format);
    else
        return jf_reply_not_found(r);
    return cs_door_send_hls(r->req, file_id, tail);
}

/* The codecs a file is judged by: its first video stream and its default
 * (else first) audio stream. */
static void main_codecs(const cc_file *f, const char **video, const char **audio)
{
    *video = *audio = NULL;
    for (size_t i = 0; i < f->stream_count; i++) {
        const cc_stream *s = &f->streams[i];
        if (s->type == CC_STREAM_VIDEO && !s->attached_pic && !*video)
            *video = s->codec;
        if (s->type == CC_STREAM_AUDIO && (!*audio || s->is_default))
            *audio = s->codec;
    }
}

static bool flag(jf_req *r, const json_t *body, const char *name, bool fallback)
{
    const json_t *v = json_object_get(body, name);
    if (json_is_boolean(v))
        return json_is_true(v);
    const char *p = jf_param(r, name);
    if (p)
        return !strcasecmp(p, "true");
    return fallback;
}

int jf_playback_info(jf_req *r, const char *id)
{
    int ret;
    json_t *body = jf_body(r, &ret);
    if (!body)
        return ret;
    int64_t item_id;
    bool is_extra;
    if (jf_item_of(id, &item_id, &is_extra) < 0) {
        json_decref(body);
        return jf_reply_error(r, 400, "not an item id of this server");
    }
    const json_t *profile = json_object_get(body, "DeviceProfile");
    if (profile && !json_is_object(profile) && !json_is_null(profile)) {
        json_decref(body);
        return jf_reply_error(r, 400, "DeviceProfile is an object");
    }
    r->subtitle_format = jf_profile_subtitle_format(profile);
    const char *source = json_string_value(json_object_get(body, "MediaSourceId"));
    if (!source)
        source = jf_param(r, "MediaSourceId");
    int64_t want = 0;
    if (source && *source && jf_id_of(source, JF_ID_FILE, &want) < 0) {
        json_decref(body);
        return jf_reply_error(r, 400, "not a media source id of this server");
    }
    int64_t max_rate = 0;
    const json_t *mr = json_object_get(body, "MaxStreamingBitrate");
    if (json_is_integer(mr))
        max_rate = json_integer_value(mr);
    else
        jf_param_int(r, "MaxStreamingBitrate", 1, INT64_MAX, &max_rate);
    bool allow_direct =
        flag(r, body, "EnableDirectPlay", true) || flag(r, body, "EnableDirectStream", true);
    int64_t film_id = item_id;
    cu_err err = {0};
    if (is_extra && cc_extra_film_id(r->db, item_id, &film_id, &err) < 0) {
        json_decref(body);
        return jf_reply_catalog(r, &err);
    }
    cc_film *film = NULL;
    if (!cs_door_film_visible(r->req, film_id) || cc_film_get(r->db, film_id, &film, &err) < 0) {
        json_decref(body);
        return jf_reply_not_found(r);
    }
    json_t *sources = json_array();
    const cc_file *files = film->files;
    size_t count = film->file_count;
    for (size_t i = 0; is_extra && i < film->extra_count; i++)
        if (film->extras[i].id == item_id) {
            files = &film->extras[i].file;
            count = 1;
        }
    if (is_extra && files == film->files)
        count = 0;
    for (size_t i = 0; i < count; i++) {
        const cc_file *f = &files[i];
        if (want && f->id != want)
            continue;
        bool visible = false;
        if (cs_door_file_visible(r->req, f->id, &visible, &err) < 0 || !visible)
            continue;
        const char *video, *audio;
        main_codecs(f, &video, &audio);
        int64_t rate = f->duration > 0 ? (int64_t)((double)f->size * 8 / f->duration) : 0;
        bool direct = allow_direct && jf_profile_direct(profile, f->container, video, audio) &&
                      (!max_rate || rate <= max_rate);
        char name[512];
        if (f->version)
            snprintf(name, sizeof name, "%s%s", f->version, f->part > 1 ? " (part)" : "");
        else
            snprintf(name, sizeof name, "%s", film->title);
        json_t *s = jf_dto_media_source(r, item_id, f, name, direct, &err);
        if (!s) {
            json_decref(sources);
            cc_film_free(film);
            json_decref(body);
            return jf_reply_catalog(r, &err);
        }
        json_array_append_new(sources, s);
    }
    cc_film_free(film);
    json_decref(body);
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    char session[33];
    for (size_t i = 0; i < 16; i++)
        snprintf(session + 2 * i, 3, "%02x", raw[i]);
    return jf_reply_json(
        r, 200, json_pack("{s:o, s:s}", "MediaSources", sources, "PlaySessionId", session));
}
