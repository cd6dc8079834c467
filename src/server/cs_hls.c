/* cs_hls: the HLS endpoints of a file, /api/v1/files/{id}/hls/...:
 *   master.m3u8?caps=h264,aac&audio=N&lang=xx   what this client gets
 *   media.m3u8?o=V, init.mp4?o=V, seg-N.m4s?o=V one rendition (V names it)
 *   subs/K.m3u8, subs/K.vtt                     text subtitles as WebVTT
 * URL -> playback call -> reply. The work is playback's (cp_hls); what
 * is still being made (an index, a transcoded segment) is waited for on
 * the connection's own thread (on_request), bounded, and answered 503
 * with Retry-After when it takes too long or when this client already
 * waits for too much. */
#include "playback/cp_hls_request.h"
#include "server/cs_auth.h"
#include "server/cs_door_stream.h"
#include "server/cs_internal.h"
#include "util/cu_log.h"

#include <stdlib.h>
#include <string.h>

static const char *const PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

/* A call answered CU_EPENDING: park the request until it is ready (the
 * handler runs again then), unless its time (bounded from the first
 * parking) is up. */
static enum MHD_Result wait_or_refuse(cs_request *req, cs_hls *h, const cp_media *m,
                                      const cp_hls_ask *ask, const cu_err *why)
{
    char client[64];
    cp_hls_wait w;
    if (!cs_door_wait(req, &w, client, sizeof client))
        return cs_reply_media_error(req, why);
    cu_err err = {0};
    if (cp_hls_request_park(h, m, ask, &w, &err) < 0)
        return cs_reply_media_error(req, &err);
    return MHD_YES; /* parked: on_request waits, then asks again */
}

/* ---- endpoints ---- */

/* Every file but the master: by name, through playback. */
static enum MHD_Result serve(cs_request *req, cs_hls *h, const cp_media *m, const cp_hls_name *n,
                             const cs_hls_clip *clip)
{
    char client[64];
    cs_auth_client_address(req, client, sizeof client);
    cp_hls_ask ask = {.name = *n,
                      .clip_from_ms = clip ? clip->from_ms : 0,
                      .clip_to_ms = clip ? clip->to_ms : 0,
                      .client = client,
                      .again = req->wait_until != 0};
    if (cp_hls_name_has_variant(n) &&
        !cp_variant_parse(cs_query_get(&req->query, "o"), &ask.variant))
        return cs_reply_error(req, 400, "bad_request", "o= names the rendition (from master.m3u8)");
    cu_err err = {0};
    char *text = NULL;
    cp_body body;
    int rc = cp_hls_request_get(h, m, &ask, &text, &body, &err);
    if (rc == CU_EPENDING)
        return wait_or_refuse(req, h, m, &ask, &err);
    if (rc < 0)
        return cs_reply_media_error(req, &err);
    if (!text)
        return cs_reply_body(req, &body, cp_hls_name_type(n), cp_hls_name_cache(n));
    enum MHD_Result ret = cs_reply_text(req, 200, PLAYLIST_TYPE, text);
    free(text);
    return ret;
}

/* The master playlist, from the catalog's facts about the file: the file
 * itself is not opened (nor probed, nor indexed). */
static enum MHD_Result master(cs_request *req, cs_hls *h, cc_db *db, const cp_place *place,
                              const cs_hls_clip *clip)
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
    cp_master_query q = {.caps = cs_query_get(&req->query, "caps"),
                         .audio = (int)audio,
                         .lang = cs_query_get(&req->query, "lang"),
                         .clip_from_ms = clip ? clip->from_ms : 0,
                         .clip_to_ms = clip ? clip->to_ms : 0,
                         .height = (int)height,
                         .burn = (int)burn + 1};
    int rc = cp_hls_master_of(h, db, place, &q, &text, &err);
    enum MHD_Result ret;
    if (rc == CU_EPARSE) /* what the query asked for (burn=) is not in the file */
        ret = cs_reply_error(req, 400, "bad_request", "%s", err.msg);
    else if (rc < 0)
        ret = cs_reply_media_error(req, &err);
    else
        ret = cs_reply_text(req, 200, PLAYLIST_TYPE, text);
    free(text);
    return ret;
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
    cp_place place;
    if (!db || cp_place_find(db, file_id, &place, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    cp_hls_name name;
    cp_media m;
    enum MHD_Result ret;
    if (!cp_hls_name_parse(tail, &name)) {
        ret = cs_reply_error(req, 404, "not_found", "no such HLS file");
    } else if (name.kind == CP_HLS_MASTER) {
        ret = master(req, h, db, &place, clip);
    } else if (cp_media_open_place(&m, &place, db, &err) < 0) {
        if (err.code == CU_ENOTFOUND)
            cu_log(CU_LOG_DEBUG, "hls refused: %s", err.msg);
        ret = cs_reply_open_error(req, &err);
    } else {
        ret = serve(req, h, &m, &name, clip);
        cp_media_close(&m);
    }
    cp_place_clear(&place);
    return ret;
}
