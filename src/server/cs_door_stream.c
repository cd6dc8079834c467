/* cs_door_stream: see cs_door_stream.h. */
#include "server/cs_door_stream.h"
#include "server/cs_internal.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdlib.h>
#include <string.h>

cp_hls *cs_door_hls(cs_request *req)
{
    cs_hls *h = cs_server_hls(req->server);
    return h ? cs_hls_playback(h) : NULL;
}

static void park_request(void *cls)
{
    cs_request *req = cls;
    req->parked = true;
    MHD_suspend_connection(req->conn);
}

static void wake_request(void *cls)
{
    cs_request *req = cls;
    MHD_resume_connection(req->conn); /* MHD calls the handler again */
}

bool cs_door_wait(cs_request *req, cp_hls_wait *w, char *client, size_t size)
{
    int64_t now = cu_time_mono_ms();
    if (req->wait_until && now >= req->wait_until)
        return false;
    if (!req->wait_until)
        req->wait_until = now + CP_HLS_WAIT_MS;
    cs_auth_client_address(req, client, size);
    *w = (cp_hls_wait){.client = client,
                       .deadline_ms = req->wait_until,
                       .park = park_request,
                       .wake = wake_request,
                       .cls = req};
    return true;
}

struct cs_door_stream {
    struct MHD_Connection *conn;
    cs_door_stream_read read;
    void (*done)(void *cls);
    void *cls;
    char client[64];
};

static void park_stream(void *cls)
{
    cs_door_stream *s = cls;
    MHD_suspend_connection(s->conn);
}

static void wake_stream(void *cls)
{
    cs_door_stream *s = cls;
    MHD_resume_connection(s->conn); /* MHD calls the reader again */
}

void cs_door_stream_wait(cs_door_stream *s, cp_hls_wait *w)
{
    *w = (cp_hls_wait){
        .client = s->client, .deadline_ms = 0, .park = park_stream, .wake = wake_stream, .cls = s};
}

/* MHD's reader. Returning 0 is allowed only with the connection suspended
 * (else MHD would spin on it): the read callback has parked it then. */
static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    cs_door_stream *s = cls;
    long n = s->read(s->cls, s, (uint8_t *)buf, max);
    if (n > 0)
        return (ssize_t)n;
    if (n == 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (n == CS_DOOR_STREAM_WAIT)
        return 0;
    return MHD_CONTENT_READER_END_WITH_ERROR;
}

static void stream_free(void *cls)
{
    cs_door_stream *s = cls;
    s->done(s->cls);
    free(s);
}

int cs_door_send_stream(cs_request *req, const char *type, const char *const *headers,
                        cs_door_stream_read read, void (*done)(void *cls), void *cls)
{
    cs_door_stream *s = cu_xcalloc(1, sizeof *s);
    s->conn = req->conn;
    s->read = read;
    s->done = done;
    s->cls = cls;
    cs_auth_client_address(req, s->client, sizeof s->client);
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
                                                               stream_reader, s, stream_free);
    if (!r) {
        stream_free(s);
        return MHD_NO;
    }
    cs_reply_common_headers(r);
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    for (size_t i = 0; headers && headers[i] && headers[i + 1]; i += 2)
        MHD_add_response_header(r, headers[i], headers[i + 1]);
    enum MHD_Result ret = MHD_queue_response(req->conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}
