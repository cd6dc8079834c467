/* cs_door: the request accessors and replies a front door outside
 * src/server uses (cs_door.h), over the server's own request state. */
#include "server/cs_door.h"
#include "server/cs_internal.h"
#include "util/cu_str.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

const char *cs_door_method(const cs_request *req)
{
    switch (req->method) {
    case CS_METHOD_GET: return "GET";
    case CS_METHOD_HEAD: return "HEAD";
    case CS_METHOD_POST: return "POST";
    case CS_METHOD_PUT: return "PUT";
    case CS_METHOD_PATCH: return "PATCH";
    case CS_METHOD_DELETE: return "DELETE";
    default: return req->method_name; /* SUBSCRIBE, UNSUBSCRIBE... ("" when too long) */
    }
}

const char *cs_door_path(const cs_request *req)
{
    return req->route.path;
}

const char *cs_door_param(const cs_request *req, const char *name)
{
    return cs_query_get(&req->query, name);
}

const char *cs_door_header(const cs_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *cs_door_body(const cs_request *req, size_t *len)
{
    *len = req->body ? req->body_len : 0;
    return req->body ? req->body : "";
}

int cs_door_peer(const cs_request *req, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof *out);
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return CU_EINVAL;
    size_t len = info->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                          : sizeof(struct sockaddr_in);
    memcpy(out, info->client_addr, len);
    return 0;
}

int cs_door_local(const cs_request *req, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof *out);
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!info)
        return CU_EINVAL;
    socklen_t len = sizeof *out;
    if (getsockname(info->connect_fd, (struct sockaddr *)out, &len) < 0)
        return CU_EINVAL;
    return 0;
}

cc_db *cs_door_db(cs_request *req, cu_err *err)
{
    return cs_server_db(req->server, err);
}

struct cc_watch_writer *cs_door_watch_writer(cs_request *req)
{
    return cs_server_watch_writer(req->server);
}

int cs_door_reply(cs_request *req, unsigned status, const char *content_type, const char *body,
                  size_t len, const char *const *headers)
{
    char *copy = cu_xmalloc(len + 1);
    memcpy(copy, body, len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(copy);
        return MHD_NO;
    }
    cs_reply_common_headers(r);
    if (content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(r, headers[i], headers[i + 1]);
    enum MHD_Result ret = MHD_queue_response(req->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

int cs_door_send_file(cs_request *req, int64_t file_id, const char *const *headers)
{
    return cs_stream_file(req, file_id, headers);
}

int cs_door_send_poster(cs_request *req, int64_t film_id)
{
    req->route.id = film_id;
    return cs_api_artwork(req, false);
}
