/* cs_reply_media: replies made of what playback gives (cp_hls and its
 * kin): its bodies (bytes in memory or a cached file sent with sendfile)
 * and its error codes as HTTP statuses, one mapping for every route that
 * plays a file. */
#include "playback/cp_hls.h"
#include "server/cs_internal.h"
#include "util/cu_log.h"

#include <errno.h>

enum MHD_Result cs_reply_media_error(cs_request *req, const cu_err *err)
{
    switch (err->code) {
    /* 503 (cs_reply adds Retry-After): players (hls.js, Safari) ask again. */
    case CU_EBUSY: return cs_reply_error(req, 503, "busy", "%s", err->msg);
    case CU_ELIMIT:
    case CU_EPENDING: return cs_reply_error(req, 503, "not_ready", "%s", err->msg);
    case CU_ENOTFOUND: return cs_reply_error(req, 404, "not_found", "%s", err->msg);
    case -ENOENT: return cs_reply_error(req, 404, "not_found", "the file is no longer on disk");
    /* The file's own state, as the stream answers it: not the server's
     * fault, so a 4xx like the stream's, never a 500. */
    case -EACCES:
    case -EPERM: return cs_reply_error(req, 403, "forbidden", "the file cannot be read");
    case CU_EMEDIA:
        return cs_reply_error(req, 415, "not_playable", "the file cannot be played: %s", err->msg);
    case CU_EDB: return cs_reply_catalog_error(req, err);
    default:
        cu_log(CU_LOG_WARN, "media %s: %s", req->route.path, err->msg);
        return cs_reply_error(req, 500, "media_error", "%s", err->msg);
    }
}

enum MHD_Result cs_reply_body(cs_request *req, cp_body *b, const char *type,
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
