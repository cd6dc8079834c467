/* cs_door_stream: see cs_door_stream.h. */
#include "server/cs_door_stream.h"
#include "server/cs_internal.h"
#include "server/cs_wake.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <stdlib.h>
#include <string.h>

cp_hls *cs_door_hls(cs_request *req)
{
    cs_hls *h = cs_server_hls(req->server);
    return h ? cs_hls_playback(h) : NULL;
}

/* How long past its own bound a waiting thread waits for the wake-up:
 * the waitlist wakes every waiter at its deadline (cp_wait.h), so this
 * only bounds a wake-up that never comes. */
#define WAKE_SLACK_MS 2000

/* Called on the request's own thread, under the waitlist's lock, right
 * before it is listed: from here on the waitlist will call wake_request
 * exactly once, so it holds a reference. */
static void park_request(void *cls)
{
    cs_wake *w = cls;
    cs_request *req = cs_wake_owner(w);
    cs_wake_hold(w);
    req->parked = true;
}

static void wake_request(void *cls)
{
    cs_wake_signal(cls); /* the request's thread runs its handler again */
}

bool cs_door_wait(cs_request *req, cp_hls_wait *w, char *client, size_t size)
{
    int64_t now = cu_time_mono_ms();
    if (req->wait_until && now >= req->wait_until)
        return false;
    if (!req->wait_until)
        req->wait_until = now + CP_HLS_WAIT_MS;
    if (!req->wake) /* else one made for a parking that did not happen */
        req->wake = cs_wake_new(0, req);
    cs_auth_client_address(req, client, size);
    *w = (cp_hls_wait){.client = client,
                       .deadline_ms = req->wait_until,
                       .park = park_request,
                       .wake = wake_request,
                       .cls = req->wake};
    return true;
}

void cs_parked_wait(cs_request *req)
{
    cs_wake *w = req->wake;
    req->wake = NULL;
    req->parked = false;
    if (w)
        cs_wake_wait(w, req->wait_until + WAKE_SLACK_MS);
    cs_wake_drop(w);
}

struct cs_door_stream {
    cs_door_stream_read read;
    void (*done)(void *cls);
    void *cls;
    char client[64];
    cs_wake *wake; /* the next piece's wait (cs_door_stream_wait) */
    int64_t wait_until;
};

static void park_stream(void *cls)
{
    cs_wake_hold(cls);
}

static void wake_stream(void *cls)
{
    cs_wake_signal(cls); /* the reader, blocked in stream_reader, reads again */
}

void cs_door_stream_wait(cs_door_stream *s, cp_hls_wait *w)
{
    if (!s->wake)
        s->wake = cs_wake_new(0, s);
    s->wait_until = cu_time_mono_ms() + CP_HLS_WAIT_MS;
    *w = (cp_hls_wait){.client = s->client,
                       .deadline_ms = s->wait_until,
                       .park = park_stream,
                       .wake = wake_stream,
                       .cls = s->wake};
}

/* MHD's reader, on the connection's own thread: a piece not made yet is
 * waited for right here (bounded), then asked for again. */
static ssize_t stream_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    cs_door_stream *s = cls;
    for (;;) {
        long n = s->read(s->cls, s, (uint8_t *)buf, max);
        if (n > 0)
            return (ssize_t)n;
        if (n == 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (n != CS_DOOR_STREAM_WAIT || !s->wake)
            return MHD_CONTENT_READER_END_WITH_ERROR;
        cs_wake *w = s->wake;
        s->wake = NULL;
        bool woken = cs_wake_wait(w, s->wait_until + WAKE_SLACK_MS);
        cs_wake_drop(w);
        if (!woken)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
}

static void stream_free(void *cls)
{
    cs_door_stream *s = cls;
    s->done(s->cls);
    cs_wake_drop(s->wake);
    free(s);
}

int cs_door_send_stream(cs_request *req, const char *type, const char *const *headers,
                        cs_door_stream_read read, void (*done)(void *cls), void *cls)
{
    cs_door_stream *s = cu_xcalloc(1, sizeof *s);
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
