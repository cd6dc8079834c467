/* cs_reply: building and queueing responses: JSON bodies, the error
 * shape, plain text, and the headers every response carries. */
#include "server/cs_internal.h"
#include "json/cj_text.h"
#include "server/cs_sign.h"
#include "util/cu_log.h"
#include "util/cu_str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cs_reply_common_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    /* Other sites cannot embed a user's posters, streams or data. */
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
}

static enum MHD_Result queue_buffer(cs_request *req, unsigned status, const char *content_type,
                                    char *data /* malloc'd, stolen */, size_t len,
                                    const char *cache_control)
{
    const char *encoding = NULL;
    bool vary = cs_encode_reply(req, content_type, &data, &len, &encoding);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return MHD_NO;
    }
    cs_reply_common_headers(r);
    if (vary)
        MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (encoding)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, encoding);
    if (content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (cache_control)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, req->allow ? req->allow : "GET, HEAD");
    if (req->set_cookie[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, req->set_cookie);
    /* Every 503 is passing (a segment being made, the catalog being
     * opened): say when to come back rather than leave clients guessing. */
    if (req->retry_after > 0) {
        char seconds[24];
        snprintf(seconds, sizeof seconds, "%lld", (long long)req->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    } else if (status == MHD_HTTP_SERVICE_UNAVAILABLE) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, CS_RETRY_AFTER_SECONDS);
    }
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"cinemateca\"");
    enum MHD_Result ret = MHD_queue_response(req->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result cs_reply_json(cs_request *req, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        status = 500;
        text = cu_xstrdup("{\"error\":{\"code\":\"internal\",\"message\":\"encoding failed\"}}");
    }
    return cs_reply_json_text(req, status, text);
}

enum MHD_Result cs_reply_json_text(cs_request *req, unsigned status, char *text)
{
    return queue_buffer(req, status, "application/json; charset=utf-8", text, strlen(text),
                        "no-store");
}

enum MHD_Result cs_reply_error(cs_request *req, unsigned status, const char *code, const char *fmt,
                               ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return cs_reply_json(req, status, cj_error(code, message));
}

enum MHD_Result cs_reply_catalog_error(cs_request *req, const cu_err *err)
{
    if (err->code == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "%s", err->msg);
    if (err->code == CU_EBUSY)
        return cs_reply_error(req, 503, "unavailable", "%s", err->msg);
    cu_log(CU_LOG_WARN, "catalog: %s", err->msg);
    return cs_reply_error(req, 500, "internal", "%s", err->msg[0] ? err->msg : "catalog error");
}

enum MHD_Result cs_reply_text(cs_request *req, unsigned status, const char *content_type,
                              const char *text)
{
    /* A playlist opened by a signed URL hands its signature on to the
     * variants, segments and subtitles it names. */
    if (req->sig[0] && status == 200 && content_type &&
        cu_str_has_prefix(content_type, "application/vnd.apple.mpegurl")) {
        char *signed_text = cs_sign_playlist(text, req->sig);
        if (!signed_text)
            return cs_reply_error(req, 500, "internal", "the playlist is too large");
        return queue_buffer(req, status, content_type, signed_text, strlen(signed_text),
                            "no-store");
    }
    return queue_buffer(req, status, content_type, cu_xstrdup(text), strlen(text), "no-store");
}
