/* cs_hls: the HLS endpoints of a file, /api/v1/files/{id}/hls/...:
 *   master.m3u8?caps=h264,aac&audio=N&lang=xx   what this client gets
 *   media.m3u8?o=V, init.mp4?o=V, seg-N.m4s?o=V one rendition (V names it)
 *   subs/K.m3u8, subs/K.vtt                     text subtitles as WebVTT
 * URL -> playback call -> reply. The work is playback's (cp_hls); what
 * is still being made (an index, a transcoded segment) is waited for with
 * the connection suspended, never on a request thread, and answered 503
 * with Retry-After when it takes too long or when this client already
 * waits for too much. */
#include "catalog/cc_file.h"
#include "playback/cp_hls_request.h"
#include "server/cs_auth.h"
#include "server/cs_internal.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cs_hls {
    cp_hls *playback;
};

static const char *const PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
static const char *const SEGMENT_CACHE = "private, max-age=86400";

int cs_hls_new(const char *cache_dir, cs_hls **out, cu_err *err)
{
    *out = NULL;
    cs_hls *h = cu_xcalloc(1, sizeof *h);
    int rc = cp_hls_new(cache_dir, &h->playback, err);
    if (rc < 0) {
        free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void cs_hls_stop(cs_hls *h)
{
    if (h)
        cp_hls_stop(h->playback);
}

void cs_hls_transcodes(cs_hls *h, int *running, int *max)
{
    cp_hls_transcodes(h->playback, running, max);
}

struct cp_hls *cs_hls_playback(cs_hls *h)
{
    return h->playback;
}

void cs_hls_free(cs_hls *h)
{
    if (!h)
        return;
    cp_hls_free(h->playback);
    free(h);
}

/* ---- replies ---- */

/* 503 (cs_reply adds Retry-After): players (hls.js, Safari) ask again. */
static enum MHD_Result reply_later(cs_request *req, const char *code, const char *message)
{
    return cs_reply_error(req, 503, code, "%s", message);
}

static enum MHD_Result reply_media_error(cs_request *req, const cu_err *err)
{
    switch (err->code) {
    case CU_EBUSY: return reply_later(req, "busy", err->msg);
    case CU_ELIMIT:
    case CU_EPENDING: return reply_later(req, "not_ready", err->msg);
    case CU_ENOTFOUND: return cs_reply_error(req, 404, "not_found", "%s", err->msg);
    case -ENOENT: return cs_reply_error(req, 404, "not_found", "the file is no longer on disk");
    /* The file's own state, as the stream answers it: not the server's
     * fault, so a 4xx like the stream's, never a 500. */
    case -EACCES:
    case -EPERM: return cs_reply_error(req, 403, "forbidden", "the file cannot be read");
    case CU_EMEDIA:
        return cs_reply_error(req, 415, "not_playable", "the file cannot be played: %s",
                              err->msg);
    case CU_EDB: return cs_reply_catalog_error(req, err);
    default:
        cu_log(CU_LOG_WARN, "hls %s: %s", req->route.path, err->msg);
        return cs_reply_error(req, 500, "media_error", "%s", err->msg);
    }
}

static enum MHD_Result reply_body(cs_request *req, cp_body *b, const char *type,
                                  const char *cache_control)
{
    struct MHD_Response *r;
    if (b->fd >= 0) {
        r = MHD_create_response_from_fd64(b->size, b->fd);
        b->fd = r ? -1 : b->fd; /* the response owns it now */
    } else {
        r = MHD_create_response_from_buffer(b->len, b->data, MHD_RESPMEM_MUST_FREE);
        b->data = r ? NULL : b->data;
    }
    cp_body_clear(b);
    if (!r)
        return MHD_NO;
    cs_reply_common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
    enum MHD_Result ret = MHD_queue_response(req->conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_playlist(cs_request *req, int rc, char *text, const cu_err *err)
{
    enum MHD_Result ret = rc < 0 ? reply_media_error(req, err)
                                 : cs_reply_text(req, 200, PLAYLIST_TYPE, text);
    free(text);
    return ret;
}

/* ---- waiting without a thread ---- */

static void park_connection(void *cls)
{
    cs_request *req = cls;
    req->parked = true;
    MHD_suspend_connection(req->conn);
}

static void wake_connection(void *cls)
{
    cs_request *req = cls;
    MHD_resume_connection(req->conn); /* MHD calls the handler again */
}

/* A call answered CU_EPENDING: park the request until it is ready (the
 * handler runs again then), unless its time is up or its client waits
 * for too much already. */
static enum MHD_Result wait_or_refuse(cs_request *req, cs_hls *h, const cp_media *m,
                                      const cp_variant *v, long segment, const cu_err *why)
{
    if (req->wait_until && cu_time_mono_ms() >= req->wait_until)
        return reply_media_error(req, why);
    char client[64];
    cs_auth_client_address(req, client, sizeof client);
    /* The whole wait, over any number of parkings, is bounded from the first. */
    if (!req->wait_until)
        req->wait_until = cu_time_mono_ms() + CP_HLS_WAIT_MS;
    cp_hls_wait w = {.client = client, .deadline_ms = req->wait_until, .park = park_connection,
                     .wake = wake_connection, .cls = req};
    cu_err err = {0};
    if (cp_hls_park(h->playback, m, v, segment, &w, &err) < 0)
        return reply_media_error(req, &err);
    return MHD_YES; /* suspended: no reply yet */
}

/* ---- endpoints ---- */

/* Every file but the master: by name, through playback. */
static enum MHD_Result serve(cs_request *req, cs_hls *h, const cp_media *m, const cp_hls_name *n,
                             const cs_hls_clip *clip)
{
    cp_variant v;
    bool has_variant = cp_hls_name_has_variant(n);
    if (has_variant && !cp_variant_parse(cs_query_get(&req->query, "o"), &v))
        return cs_reply_error(req, 400, "bad_request", "o= names the rendition (from master.m3u8)");
    if (clip && has_variant) { /* a clip is transcoded only: a copied rendition would start on a keyframe */
        if (v.copy_video || v.copy_audio)
            return cs_reply_error(req, 404, "not_found", "no such rendition of this clip");
        v.clip_from_ms = clip->from_ms;
        v.clip_to_ms = clip->to_ms;
    }
    if (n->kind == CP_HLS_SEGMENT && !v.copy_video && !req->wait_until) {
        /* A client already waiting for all it may is refused before its
         * request moves the transcoding worker. */
        char client[64];
        cs_auth_client_address(req, client, sizeof client);
        if (!cp_hls_client_may_wait(h->playback, client))
            return reply_later(req, "busy", "this client already waits for several segments; "
                                            "ask again soon");
    }
    /* A clip's subtitles are cut to it: they carry the clip, not a rendition. */
    const cp_variant *with = has_variant ? &v : NULL;
    cp_variant clip_only = {.audio = -1};
    if (clip && !has_variant && (n->kind == CP_HLS_SUBTITLES || n->kind == CP_HLS_VTT)) {
        clip_only.clip_from_ms = clip->from_ms;
        clip_only.clip_to_ms = clip->to_ms;
        with = &clip_only;
    }
    cu_err err = {0};
    char *text = NULL;
    cp_body body = {.fd = -1};
    int rc = cp_hls_request_get(h->playback, m, n, with, &text, &body, &err);
    if (rc == CU_EPENDING)
        return wait_or_refuse(req, h, m, has_variant ? &v : NULL, n->segment, &err);
    if (n->kind == CP_HLS_MEDIA || n->kind == CP_HLS_SUBTITLES)
        return reply_playlist(req, rc, text, &err);
    if (rc < 0)
        return reply_media_error(req, &err);
    return reply_body(req, &body, cp_hls_name_type(n),
                      n->kind == CP_HLS_VTT || n->kind == CP_HLS_SRT ? "no-cache" : SEGMENT_CACHE);
}

/* The master playlist, from the catalog's facts about the file: the file
 * itself is not opened (nor probed, nor indexed). */
static enum MHD_Result master(cs_request *req, cs_hls *h, cc_db *db, const cc_file_location *loc,
                              const char *root, const cs_hls_clip *clip)
{
    int64_t audio = -1;
    if (cs_query_int(&req->query, "audio", 0, CM_MEDIA_MAX_STREAMS - 1, &audio) < 0)
        return cs_reply_error(req, 400, "bad_request", "audio must be a stream number");
    /* ?height=480: a transcode's height cap, for a player's quality menu. */
    int64_t height = 0;
    if (cs_query_int(&req->query, "height", 0, 4320, &height) < 0 ||
        (height && !cp_variant_height_ok((int)height)))
        return cs_reply_error(req, 400, "bad_request", "height must be 360, 480, 720 or 1080");
    /* ?burn=N: picture subtitle stream N painted into a transcoded picture. */
    int64_t burn = -1;
    if (cs_query_int(&req->query, "burn", 0, CM_MEDIA_MAX_STREAMS - 1, &burn) < 0)
        return cs_reply_error(req, 400, "bad_request", "burn must be a subtitle stream number");
    cu_err err = {0};
    char *text = NULL;
    cp_master_query q = {.db = db, .file_id = loc->id, .path = loc->path, .root = root,
                         .bit_rate = loc->bit_rate, .caps = cs_query_get(&req->query, "caps"),
                         .audio = (int)audio, .lang = cs_query_get(&req->query, "lang"),
                         .clip_from_ms = clip ? clip->from_ms : 0,
                         .clip_to_ms = clip ? clip->to_ms : 0, .height = (int)height,
                         .burn = (int)burn + 1};
    int rc = cp_hls_master_of(h->playback, &q, &text, &err);
    if (rc == CU_EPARSE) /* what the query asked for (burn=) is not in the file */
        return cs_reply_error(req, 400, "bad_request", "%s", err.msg);
    return reply_playlist(req, rc, text, &err);
}

enum MHD_Result cs_api_hls(cs_request *req)
{
    const char *tail = strstr(req->route.path, "/hls/");
    if (!tail)
        return cs_reply_error(req, 404, "not_found", "no such endpoint");
    return cs_hls_serve_file(req, req->route.id, tail + 5, NULL);
}

enum MHD_Result cs_hls_serve_file(cs_request *req, int64_t file_id, const char *tail,
                                  const cs_hls_clip *clip)
{
    cs_hls *h = cs_server_hls(req->server);
    if (!h)
        return cs_reply_error(req, 404, "not_found", "no such endpoint");
    req->parked = false; /* asked again after a wait */
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_file_location loc;
    if (cc_file_locate(db, file_id, &loc, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    /* The path the scanner recorded must still lead inside its root: the
     * checked opener refuses a link swapped in since (404, as direct play). */
    char *root = loc.root ? cu_path_real(loc.root) : NULL;
    cp_hls_name name;
    cp_media m;
    enum MHD_Result ret;
    if (!root) {
        ret = cs_reply_error(req, 404, "not_found", "the file is not in the library");
    } else if (!cp_hls_name_parse(tail, &name)) {
        ret = cs_reply_error(req, 404, "not_found", "no such HLS file");
    } else if (name.kind == CP_HLS_MASTER) {
        ret = master(req, h, db, &loc, root, clip);
    } else if (cp_media_open_title(&m, loc.id, loc.path, loc.disc_title, root, &err) < 0) {
        if (err.code == CU_ENOTFOUND)
            cu_log(CU_LOG_DEBUG, "hls refused: %s", err.msg);
        ret = cs_reply_open_error(req, &err);
    } else {
        m.db = db;
        ret = serve(req, h, &m, &name, clip);
        cp_media_close(&m);
    }
    free(root);
    cc_file_location_clear(&loc);
    return ret;
}
