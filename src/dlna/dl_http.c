/* dl_http: the /dlna/ door of the HTTP core: descriptions, SOAP control,
 * media (as they are, and transcoded to MPEG-TS), posters and subtitles. Every request is first checked against
 * the allowed subnets (the core has already checked Host, which stops DNS
 * rebinding, and the path). Eventing (GENA) is dl_gena's, whose callbacks
 * go only to the subscriber's own address (CallStranger, CVE-2020-12695). */
#include "catalog/cc_film.h"
#include "catalog/cc_stream.h"
#include "util/cu_arena.h"
#include "dlna/dl_gena.h"
#include "dlna/dl_internal.h"
#include "dlna/dl_view.h"
#include "dlna/dl_profile.h"
#include "dlna/dl_soap.h"
#include "dlna/dl_srt.h"
#include "dlna/dl_npt.h"
#include "media/cm_hls.h"
#include "playback/cp_media.h"
#include "playback/cp_ts.h"
#include "server/cs_door_stream.h"
#include "util/cu_time.h"
#include "util/cu_log.h"
#include "util/cu_str.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char xml_type[] = "text/xml; charset=\"utf-8\"";

static int reply_text(cs_request *req, unsigned status, const char *type, const cu_buf *b,
                      const char *const *headers)
{
    return cs_door_reply(req, status, type, b->data ? b->data : "", b->len, headers);
}

static int plain(cs_request *req, unsigned status, const char *text)
{
    return cs_door_reply(req, status, "text/plain; charset=utf-8", text, strlen(text), NULL);
}

static void make_base(cs_request *req, const dl_server *dl, char *out, size_t size)
{
    struct sockaddr_storage local;
    char addr[INET_ADDRSTRLEN] = "";
    if (cs_door_local(req, &local) == 0 && local.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&local)->sin_addr, addr, sizeof addr);
    else
        inet_ntop(AF_INET, &dl->ifaces[0].addr, addr, sizeof addr);
    snprintf(out, size, "http://%s:%d", addr, dl->http_port);
}

static int control(dl_server *dl, cs_request *req, bool cds)
{
    size_t len;
    const char *body = cs_door_body(req, &len);
    dl_soap_call call;
    cu_err err = {0};
    cu_buf reply = {0};
    unsigned status;
    if (dl_soap_parse(body, len, &call, &err) < 0) {
        dl_soap_fault(&reply, 401, "Invalid Action");
        status = 500;
        cu_log(CU_LOG_DEBUG, "dlna: bad SOAP request: %s", err.msg);
        goto send;
    }
    /* SOAPACTION, when sent, must name the same action. */
    const char *sa = cs_door_header(req, "SOAPACTION");
    const char *hash = sa ? strrchr(sa, '#') : NULL;
    if (hash) {
        size_t an = strlen(call.action);
        if (strncmp(hash + 1, call.action, an) || (hash[1 + an] && hash[1 + an] != '"')) {
            dl_soap_fault(&reply, 401, "Invalid Action");
            status = 500;
            goto send;
        }
    }
    if (strcmp(call.service, cds ? DL_CDS_TYPE : DL_CMS_TYPE)) {
        dl_soap_fault(&reply, 401, "Invalid Action");
        status = 500;
        goto send;
    }
    dl_ctx ctx = {.dl = dl, .watch = cs_door_watch_writer(req)};
    ctx.db = cs_door_db(req, &err);
    if (!ctx.db || dl_view_load(&ctx, &err) < 0) {
        dl_soap_fault(&reply, 501, "Action failed: the catalog is not available");
        status = 500;
        goto send;
    }
    make_base(req, dl, ctx.base, sizeof ctx.base);
    status = cds ? dl_cds_action(&ctx, &call, &reply) : dl_cms_action(&ctx, &call, &reply);
    dl_view_clear(&ctx);
send:;
    const char *headers[] = {"EXT", "", NULL};
    int ret = reply_text(req, status, xml_type, &reply, headers);
    cu_buf_free(&reply);
    dl_soap_call_clear(&call);
    return ret;
}

/* Whether the LAN's view (dl_view) holds the file, or the film (file_id
 * 0). Anything else is answered as absent. */
static bool in_view(dl_server *dl, cs_request *req, int64_t file_id, int64_t film_id)
{
    cu_err err = {0};
    dl_ctx ctx = {.dl = dl};
    ctx.db = cs_door_db(req, &err);
    if (!ctx.db || dl_view_load(&ctx, &err) < 0)
        return false;
    bool ok = file_id ? dl_view_file(&ctx, file_id) : dl_view_film(&ctx, film_id);
    dl_view_clear(&ctx);
    return ok;
}

/* The profile a located file's recorded streams give: the one its
 * DIDL-Lite res announced, so a TV comparing the two finds them equal.
 * The streams stay in arena for the caller (none when they cannot be
 * read). */
static void file_profile(cc_db *db, const cc_file_location *loc, cu_arena *arena,
                         cc_stream **streams, size_t *count, dl_profile *prof)
{
    cu_err err = {0};
    *streams = NULL;
    *count = 0;
    if (cc_stream_list(db, arena, loc->id, streams, count, &err) < 0)
        *count = 0;
    dl_profile_of(loc->container, *streams, *count, prof);
}

static int media(dl_server *dl, cs_request *req, int64_t file_id)
{
    if (!in_view(dl, req, file_id, 0))
        return plain(req, 404, "no such file\n");
    /* OP=01: bytes only. A time seek is refused as the flags promise. */
    if (cs_door_header(req, "TimeSeekRange.dlna.org"))
        return plain(req, 406, "time seeking is not offered for this file; use Range\n");
    cu_err err = {0};
    cc_db *db = cs_door_db(req, &err);
    if (!db)
        return plain(req, 503, "the catalog is not available\n");
    /* The profile for contentFeatures comes from the catalog's facts. */
    cc_file_location loc;
    if (cc_file_locate(db, file_id, &loc, &err) < 0)
        return plain(req, 404, "no such file\n");
    cu_arena *arena = cu_arena_new();
    cc_stream *streams;
    size_t stream_count;
    dl_profile prof;
    file_profile(db, &loc, arena, &streams, &stream_count, &prof);
    cu_arena_free(arena);
    cc_file_location_clear(&loc);
    char features[160];
    dl_profile_features(&prof, features, sizeof features);
    const char *mode = cs_door_header(req, "transferMode.dlna.org");
    const char *headers[] = {
        "transferMode.dlna.org",
        mode && (!strcmp(mode, "Interactive") || !strcmp(mode, "Background")) ? mode : "Streaming",
        "contentFeatures.dlna.org", features, NULL};
    return cs_door_send_file(req, file_id, headers);
}

/* The transcoded MPEG-TS (/dlna/ts/FILE): one stream, sent as it is made. */
typedef struct ts_reply {
    cp_ts *ts;
    int64_t waiting_since; /* cu_time_mono_ms() of the first park for the next piece */
    int64_t file_id;
} ts_reply;

static long ts_read(void *cls, cs_door_stream *s, uint8_t *buf, size_t max)
{
    ts_reply *r = cls;
    cu_err err = {0};
    long n = cp_ts_read(r->ts, buf, max, &err);
    if (n == CU_EPENDING) {
        /* Parked until the worker has the next segment; bounded over all
         * parkings for one piece, so a stuck worker ends the stream. */
        int64_t now = cu_time_mono_ms();
        if (!r->waiting_since)
            r->waiting_since = now;
        if (now - r->waiting_since < 2 * CP_HLS_WAIT_MS) {
            cp_hls_wait w;
            cs_door_stream_wait(s, &w);
            if (cp_ts_park(r->ts, &w, &err) == 0)
                return CS_DOOR_STREAM_WAIT;
        }
        cu_log(CU_LOG_INFO, "dlna: the MPEG-TS of file %" PRId64 " stops: %s", r->file_id,
               err.msg[0] ? err.msg : "its next piece took too long");
        return -1;
    }
    r->waiting_since = 0;
    if (n < 0)
        cu_log(CU_LOG_INFO, "dlna: the MPEG-TS of file %" PRId64 " stops: %s", r->file_id, err.msg);
    return n;
}

static void ts_done(void *cls)
{
    ts_reply *r = cls;
    cp_ts_free(r->ts);
    free(r);
}

static void npt_text(double s, char *out, size_t size)
{
    snprintf(out, size, "%.3f", s < 0 ? 0 : s);
}

static int transcoded(dl_server *dl, cs_request *req, int64_t file_id)
{
    if (!in_view(dl, req, file_id, 0))
        return plain(req, 404, "no such file\n");
    double from = 0, to = -1;
    const char *seek = cs_door_header(req, "TimeSeekRange.dlna.org");
    if (seek && !dl_npt_parse(seek, &from, &to))
        return plain(req, 400, "TimeSeekRange.dlna.org: npt=START-[END] in seconds or H:MM:SS\n");
    cp_hls *hls = cs_door_hls(req);
    cu_err err = {0};
    cc_db *db = cs_door_db(req, &err);
    if (!hls || !db)
        return plain(req, 503, "transcoding is not available\n");
    /* Located and opened as HLS does (cp_media: the checked opener, under
     * the file's root made real; a disc title read as its stream). */
    cp_place place;
    if (cp_place_find(db, file_id, &place, &err) < 0)
        return plain(req, 404, "no such file\n");
    cu_arena *arena = cu_arena_new();
    cc_stream *streams;
    size_t stream_count;
    dl_profile prof;
    file_profile(db, &place.loc, arena, &streams, &stream_count, &prof);
    int audio = -1, w = 0, h = 0;
    bool wanted = dl_profile_wants_ts(&prof, streams, stream_count, &audio);
    for (size_t i = 0; i < stream_count; i++)
        if (streams[i].type == CC_STREAM_VIDEO && !streams[i].attached_pic) {
            w = streams[i].width;
            h = streams[i].height;
            break;
        }
    cu_arena_free(arena);
    char features[160];
    dl_profile_ts_features(w, h, features, sizeof features);
    cp_media m;
    int ret;
    ts_reply *r = NULL;
    if (!wanted) {
        /* Only files whose DIDL-Lite offers the transcode (others play as
         * they are: no encoder is spent on them). */
        ret = plain(req, 404, "this file plays as it is: no transcode is offered\n");
        goto done;
    }
    if (cp_media_open_place(&m, &place, db, &err) < 0) {
        ret = plain(req, 404, "the file is not in the library\n");
        goto done;
    }
    r = cu_xcalloc(1, sizeof *r);
    r->file_id = file_id;
    r->ts = cp_ts_new(hls, &m, audio);
    cp_hls_span span;
    int rc = cp_ts_seek(r->ts, from, to, &span, &err);
    if (rc == CU_EPENDING) {
        /* The file is being indexed: wait without a thread, then this
         * handler runs again from the start. */
        char client[64];
        cp_hls_wait wait;
        if (cs_door_wait(req, &wait, client, sizeof client) && cp_ts_park(r->ts, &wait, &err) == 0)
            ret = 1; /* parked: no reply yet */
        else
            ret = plain(req, 503, "the film is being prepared; ask again soon\n");
        goto done;
    }
    if (rc == CU_EINVAL) {
        ret = plain(req, 416, "that time is not within the film\n");
        goto done;
    }
    if (rc < 0) {
        cu_log(CU_LOG_INFO, "dlna: no MPEG-TS of file %" PRId64 ": %s", file_id, err.msg);
        ret = plain(req, err.code == CU_EBUSY ? 503 : 415, "this file cannot be transcoded now\n");
        goto done;
    }
    char range[96] = "", a[24], b[24], total[24];
    if (seek) {
        npt_text(span.start_s, a, sizeof a);
        npt_text(span.end_s, b, sizeof b);
        npt_text(span.total_s, total, sizeof total);
        snprintf(range, sizeof range, "npt=%s-%s/%s", a, b, total);
    }
    const char *mode = cs_door_header(req, "transferMode.dlna.org");
    const char *headers[] = {"transferMode.dlna.org",
                             mode && !strcmp(mode, "Background") ? mode : "Streaming",
                             "contentFeatures.dlna.org",
                             features,
                             "Accept-Ranges",
                             "none",
                             seek ? "TimeSeekRange.dlna.org" : NULL,
                             range,
                             NULL};
    ret = cs_door_send_stream(req, DL_TS_MIME, headers, ts_read, ts_done, r);
    r = NULL; /* the reply's now */
done:
    if (r)
        ts_done(r);
    cp_place_clear(&place);
    return ret;
}

static int subtitle(dl_server *dl, cs_request *req, int64_t file_id, const char *rest)
{
    if (!in_view(dl, req, file_id, 0))
        return plain(req, 404, "no such subtitle\n");
    const char *tail;
    int64_t stream = 0;
    if (rest[0] == '/' && rest[1] == '0')
        tail = rest + 2;
    else if (rest[0] != '/' || (stream = dl_parse_id(rest + 1, &tail)) < 0)
        return plain(req, 404, "no such subtitle\n");
    if (strcmp(tail, ".srt") || stream > 10000)
        return plain(req, 404, "no such subtitle\n");
    cu_err err = {0};
    cc_db *db = cs_door_db(req, &err);
    if (!db)
        return plain(req, 503, "the catalog is not available\n");
    cp_place place;
    if (cp_place_find(db, file_id, &place, &err) < 0)
        return plain(req, 404, "no such file\n");
    int ret;
    /* Opened as HLS opens it (cp_media: the house's checked opener, a
     * regular file inside its root, checked on the descriptor). */
    cp_media m;
    char *vtt = NULL;
    if (cp_media_open_place(&m, &place, db, &err) < 0) {
        cp_place_clear(&place);
        return plain(req, 404, "the file is not in the library\n");
    }
    if (cm_subtitle_webvtt(m.fd, (int)stream, NULL, &vtt, &err) < 0) {
        ret = plain(req, 404, "no text subtitle in that stream\n");
    } else {
        cu_buf srt = {0};
        dl_srt_from_webvtt(vtt, strlen(vtt), &srt);
        const char *headers[] = {"transferMode.dlna.org", "Interactive", NULL};
        ret = reply_text(req, 200, "text/srt; charset=utf-8", &srt, headers);
        cu_buf_free(&srt);
    }
    free(vtt);
    cp_media_close(&m);
    cp_place_clear(&place);
    return ret;
}

int dl_http_handle(void *user, cs_request *req)
{
    dl_server *dl = user;
    if (!atomic_load(&dl->enabled))
        return plain(req, 404, "DLNA is switched off on this server\n");
    struct sockaddr_storage peer;
    if (cs_door_peer(req, &peer) < 0 || !dl_peer_allowed(dl, &peer))
        return plain(req, 403, "this address is not on a network allowed to see the server\n");
    const char *method = cs_door_method(req);
    const char *path = cs_door_path(req) + 6; /* after "/dlna/" */
    bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    bool post = !strcmp(method, "POST");
    if (!strcmp(path, "event/cds") || !strcmp(path, "event/cms")) {
        uint32_t addr;
        if (!dl->gena || !dl_peer_ipv4(&peer, &addr))
            return plain(req, 503, "eventing is not available\n");
        return dl_gena_handle(dl->gena, req, method, path[7] == 'd', addr);
    }
    if (post && !strcmp(path, "control/cds"))
        return control(dl, req, true);
    if (post && !strcmp(path, "control/cms"))
        return control(dl, req, false);
    if (!get) {
        const char *h[] = {"Allow", "GET, HEAD, POST", NULL};
        return cs_door_reply(req, 405, "text/plain; charset=utf-8", "method not allowed\n", 19, h);
    }
    if (!strcmp(path, "description.xml")) {
        cu_buf b = {0};
        dl_desc_device(dl, &b);
        int ret = reply_text(req, 200, xml_type, &b, NULL);
        cu_buf_free(&b);
        return ret;
    }
    if (!strcmp(path, "cds.xml") || !strcmp(path, "cms.xml")) {
        cu_buf b = {0};
        dl_desc_scpd(path[1] == 'd', &b);
        int ret = reply_text(req, 200, xml_type, &b, NULL);
        cu_buf_free(&b);
        return ret;
    }
    const char *rest;
    int64_t id;
    if (cu_str_has_prefix(path, "res/") && (id = dl_parse_id(path + 4, &rest)) > 0 && !*rest)
        return media(dl, req, id);
    if (cu_str_has_prefix(path, "ts/") && (id = dl_parse_id(path + 3, &rest)) > 0 && !*rest)
        return transcoded(dl, req, id);
    if (cu_str_has_prefix(path, "art/") && (id = dl_parse_id(path + 4, &rest)) > 0 &&
        (!*rest || !strcmp(rest, ".jpg")))
        return in_view(dl, req, 0, id) ? cs_door_send_poster(req, id)
                                       : plain(req, 404, "no such poster\n");
    if (cu_str_has_prefix(path, "sub/") && (id = dl_parse_id(path + 4, &rest)) > 0)
        return subtitle(dl, req, id, rest);
    return plain(req, 404, "no such DLNA resource\n");
}
