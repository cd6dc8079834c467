/* dl_gena: see dl_gena.h. One lock guards the table; the thread copies
 * what is due under it and sends with the lock released, so a slow
 * subscriber never holds up a SUBSCRIBE. */
#include "dlna/dl_gena.h"
#include "catalog/cc_db.h"
#include "catalog/cc_facet.h"
#include "dlna/dl_gena_msg.h"
#include "dlna/dl_soap.h"
#include "util/cu_buf.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct sub {
    bool used;
    bool cds;
    char sid[48];
    dl_gena_url url;
    int64_t expires_ms;    /* cu_time_mono_ms() */
    uint32_t seq;          /* the SEQ of the next NOTIFY */
    int64_t initial_at_ms; /* 0: the initial event is sent */
    uint32_t sent_update;  /* the SystemUpdateID last sent */
    int failures;
} sub;

struct dl_gena {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running, stopping;
    char *db_path;
    char *source_info;
    cc_db *db; /* the thread's */
    sub subs[DL_GENA_MAX];
};

/* One NOTIFY to send, copied out of the table. */
typedef struct job {
    char sid[48];
    dl_gena_url url;
    uint32_t seq;
    bool cds, initial;
    uint32_t update;
} job;

static sub *find(dl_gena *g, const char *sid, bool cds)
{
    for (size_t i = 0; i < DL_GENA_MAX; i++)
        if (g->subs[i].used && g->subs[i].cds == cds && !strcmp(g->subs[i].sid, sid))
            return &g->subs[i];
    return NULL;
}

static void make_sid(char *out, size_t size)
{
    unsigned char u[16];
    if (getrandom(u, sizeof u, 0) != (ssize_t)sizeof u) {
        /* No entropy to be had: unique is what a SID needs; the clock and
         * an address make it so within this process. */
        uint64_t a = (uint64_t)cu_time_mono_ms(), b = (uint64_t)(uintptr_t)out ^ (uint64_t)rand();
        memcpy(u, &a, 8);
        memcpy(u + 8, &b, 8);
    }
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    snprintf(out, size, "uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

/* ---- the HTTP side ---- */

static int answer(cs_request *req, unsigned status, const char *text)
{
    return cs_door_reply(req, status, "text/plain; charset=utf-8", text, strlen(text), NULL);
}

static int granted(cs_request *req, const char *sid, int seconds)
{
    char timeout[32];
    snprintf(timeout, sizeof timeout, "Second-%d", seconds);
    const char *headers[] = {"SID", sid, "TIMEOUT", timeout, NULL};
    return cs_door_reply(req, 200, NULL, "", 0, headers);
}

static int subscribe(dl_gena *g, cs_request *req, bool cds, uint32_t peer)
{
    const char *sid = cs_door_header(req, "SID");
    const char *callback = cs_door_header(req, "CALLBACK");
    const char *nt = cs_door_header(req, "NT");
    int seconds = dl_gena_timeout_parse(cs_door_header(req, "TIMEOUT"));
    if (seconds < 0)
        return answer(req, 400, "TIMEOUT is Second-N or Second-infinite\n");
    int64_t now = cu_time_mono_ms();
    if (sid) {
        /* A renewal: the SID alone (with a CALLBACK or NT it is both). */
        if (callback || nt)
            return answer(req, 400, "a renewal has a SID and no CALLBACK or NT\n");
        pthread_mutex_lock(&g->lock);
        sub *s = dl_gena_sid_ok(sid) ? find(g, sid, cds) : NULL;
        if (s && s->expires_ms > now)
            s->expires_ms = now + (int64_t)seconds * 1000;
        bool ok = s && s->expires_ms > now;
        pthread_mutex_unlock(&g->lock);
        return ok ? granted(req, sid, seconds)
                  : answer(req, 412, "no such subscription (expired, or never made)\n");
    }
    if (!nt || strcmp(nt, "upnp:event"))
        return answer(req, 412, "NT must be upnp:event\n");
    dl_gena_url url;
    int rc = dl_gena_callback_parse(callback, peer, &url);
    if (rc == CU_EINVAL)
        return answer(req, 412,
                      "CALLBACK must be an http:// URL at your own address "
                      "(events go nowhere else)\n");
    if (rc < 0)
        return answer(req, 412, "CALLBACK must be <http://ADDRESS:PORT/PATH>\n");
    char new_sid[48];
    make_sid(new_sid, sizeof new_sid);
    pthread_mutex_lock(&g->lock);
    sub *free_slot = NULL;
    size_t from_peer = 0;
    for (size_t i = 0; i < DL_GENA_MAX; i++) {
        sub *s = &g->subs[i];
        if (s->used && s->expires_ms <= now)
            s->used = false; /* expired: its slot is free */
        if (!s->used && !free_slot)
            free_slot = s;
        else if (s->used && s->url.addr == peer)
            from_peer++;
    }
    if (!free_slot || from_peer >= DL_GENA_PER_PEER) {
        pthread_mutex_unlock(&g->lock);
        return answer(req, 503, "too many subscriptions; try again later\n");
    }
    *free_slot = (sub){.used = true,
                       .cds = cds,
                       .url = url,
                       .expires_ms = now + (int64_t)seconds * 1000,
                       .initial_at_ms = now + DL_GENA_INITIAL_DELAY_MS};
    cu_strlcpy(free_slot->sid, new_sid, sizeof free_slot->sid);
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    return granted(req, new_sid, seconds);
}

static int unsubscribe(dl_gena *g, cs_request *req, bool cds)
{
    const char *sid = cs_door_header(req, "SID");
    if (!sid)
        return answer(req, 412, "UNSUBSCRIBE needs the SID\n");
    if (cs_door_header(req, "CALLBACK") || cs_door_header(req, "NT"))
        return answer(req, 400, "UNSUBSCRIBE has a SID and no CALLBACK or NT\n");
    pthread_mutex_lock(&g->lock);
    sub *s = dl_gena_sid_ok(sid) ? find(g, sid, cds) : NULL;
    if (s)
        s->used = false;
    pthread_mutex_unlock(&g->lock);
    return s ? answer(req, 200, "") : answer(req, 412, "no such subscription\n");
}

int dl_gena_handle(dl_gena *g, cs_request *req, const char *method, bool cds, uint32_t peer)
{
    if (!strcmp(method, "SUBSCRIBE"))
        return subscribe(g, req, cds, peer);
    if (!strcmp(method, "UNSUBSCRIBE"))
        return unsubscribe(g, req, cds);
    const char *h[] = {"Allow", "SUBSCRIBE, UNSUBSCRIBE", NULL};
    return cs_door_reply(req, 405, "text/plain; charset=utf-8", "method not allowed\n", 19, h);
}

void dl_gena_clear(dl_gena *g)
{
    pthread_mutex_lock(&g->lock);
    for (size_t i = 0; i < DL_GENA_MAX; i++)
        g->subs[i].used = false;
    pthread_mutex_unlock(&g->lock);
}

size_t dl_gena_count(dl_gena *g)
{
    size_t n = 0;
    int64_t now = cu_time_mono_ms();
    pthread_mutex_lock(&g->lock);
    for (size_t i = 0; i < DL_GENA_MAX; i++)
        n += g->subs[i].used && g->subs[i].expires_ms > now;
    pthread_mutex_unlock(&g->lock);
    return n;
}

/* ---- sending ---- */

static void property(cu_buf *b, const char *name, const char *value)
{
    cu_buf_printf(b, "<e:property><%s>", name);
    dl_xml_escape(b, value);
    cu_buf_printf(b, "</%s></e:property>", name);
}

static void event_body(const dl_gena *g, const job *j, cu_buf *b)
{
    cu_buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                   "<e:propertyset xmlns:e=\"urn:schemas-upnp-org:event-1-0\">");
    if (j->cds) {
        char id[16];
        snprintf(id, sizeof id, "%" PRIu32, j->update);
        property(b, "SystemUpdateID", id);
        /* Changes are not tracked per container: a change names the
         * lists every rescan may touch, with the new SystemUpdateID. */
        char containers[64] = "";
        if (!j->initial)
            snprintf(containers, sizeof containers, "films/all,%s,recent,%s", id, id);
        property(b, "ContainerUpdateIDs", containers);
    } else {
        property(b, "SourceProtocolInfo", g->source_info);
        property(b, "SinkProtocolInfo", "");
        property(b, "CurrentConnectionIDs", "0");
    }
    cu_buf_puts(b, "</e:propertyset>");
}

/* Connects within DL_GENA_SEND_MS; a socket in blocking mode with send
 * and receive timeouts, or -1. */
static int connect_to(const dl_gena_url *url)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {
        .sin_family = AF_INET, .sin_port = htons(url->port), .sin_addr.s_addr = htonl(url->addr)};
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS)
        goto fail;
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (poll(&p, 1, DL_GENA_SEND_MS) != 1 ||
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr)
        goto fail;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct timeval tv = {.tv_sec = DL_GENA_SEND_MS / 1000,
                         .tv_usec = (DL_GENA_SEND_MS % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
fail:
    close(fd);
    return -1;
}

/* One NOTIFY; true when the subscriber answered 2xx. */
static bool send_notify(const dl_gena *g, const job *j)
{
    cu_buf body = {0}, msg = {0};
    event_body(g, j, &body);
    char host[INET_ADDRSTRLEN];
    struct in_addr a = {.s_addr = htonl(j->url.addr)};
    inet_ntop(AF_INET, &a, host, sizeof host);
    cu_buf_printf(&msg,
                  "NOTIFY %s HTTP/1.1\r\nHOST: %s:%u\r\n"
                  "CONTENT-TYPE: text/xml; charset=\"utf-8\"\r\nNT: upnp:event\r\n"
                  "NTS: upnp:propchange\r\nSID: %s\r\nSEQ: %" PRIu32 "\r\n"
                  "CONTENT-LENGTH: %zu\r\nCONNECTION: close\r\n\r\n",
                  j->url.path, host, (unsigned)j->url.port, j->sid, j->seq, body.len);
    cu_buf_append(&msg, body.data, body.len);
    bool ok = false;
    int fd = connect_to(&j->url);
    size_t sent = 0;
    while (fd >= 0 && sent < msg.len) {
        ssize_t n = send(fd, msg.data + sent, msg.len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    if (fd >= 0 && sent == msg.len) {
        /* The status line is enough: "HTTP/1.1 200 OK". */
        char line[64];
        size_t got = 0;
        while (got < sizeof line - 1) {
            ssize_t n = recv(fd, line + got, sizeof line - 1 - got, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
            if (memchr(line, '\n', got))
                break;
        }
        line[got] = '\0';
        ok = got >= 12 && !strncmp(line, "HTTP/1.", 7) && line[9] == '2';
    }
    if (fd >= 0)
        close(fd);
    cu_buf_free(&body);
    cu_buf_free(&msg);
    return ok;
}

/* The catalog's SystemUpdateID; false when it cannot be read now. */
static bool read_update(dl_gena *g, uint32_t *out)
{
    cu_err err = {0};
    if (!g->db && cc_db_open(g->db_path, CC_OPEN_READONLY, &g->db, &err) < 0) {
        g->db = NULL;
        return false;
    }
    if (cc_facet_update_stamp(g->db, out, &err) < 0) {
        cu_log(CU_LOG_DEBUG, "dlna events: %s", err.msg);
        cc_db_close(g->db); /* opened anew next time */
        g->db = NULL;
        return false;
    }
    return true;
}

static void *event_thread(void *arg)
{
    dl_gena *g = arg;
    job *jobs = cu_xcalloc(DL_GENA_MAX, sizeof *jobs);
    int64_t next_poll = 0;
    uint32_t update = 0;
    bool known = false;
    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        int64_t now = cu_time_mono_ms();
        bool any_cds = false;
        for (size_t i = 0; i < DL_GENA_MAX; i++) {
            sub *s = &g->subs[i];
            if (s->used && s->expires_ms <= now)
                s->used = false;
            any_cds |= s->used && s->cds;
        }
        if (any_cds && now >= next_poll) {
            next_poll = now + DL_GENA_POLL_MS;
            pthread_mutex_unlock(&g->lock); /* SQLite, outside the lock */
            uint32_t u;
            bool ok = read_update(g, &u);
            pthread_mutex_lock(&g->lock);
            if (ok) {
                update = u;
                known = true;
            }
        }
        /* What is due: initial events, and changes of SystemUpdateID. */
        size_t n = 0;
        int64_t soonest = now + DL_GENA_POLL_MS;
        for (size_t i = 0; i < DL_GENA_MAX; i++) {
            sub *s = &g->subs[i];
            if (!s->used)
                continue;
            bool initial = s->initial_at_ms > 0;
            if (initial && s->initial_at_ms > now) {
                if (s->initial_at_ms < soonest)
                    soonest = s->initial_at_ms;
                continue;
            }
            if (s->cds && !known)
                continue; /* nothing to say yet */
            if (!initial && (!s->cds || s->sent_update == update))
                continue;
            job *j = &jobs[n++];
            *j = (job){
                .url = s->url, .seq = s->seq, .cds = s->cds, .initial = initial, .update = update};
            cu_strlcpy(j->sid, s->sid, sizeof j->sid);
            /* SEQ: 0 for the initial event, then 1, 2, ...; past the
             * largest ui4 it wraps to 1. */
            s->seq = s->seq == UINT32_MAX ? 1 : s->seq + 1;
            s->initial_at_ms = 0;
            s->sent_update = update;
        }
        if (n > 0) {
            pthread_mutex_unlock(&g->lock);
            for (size_t i = 0; i < n; i++) {
                bool ok = send_notify(g, &jobs[i]);
                pthread_mutex_lock(&g->lock);
                sub *s = find(g, jobs[i].sid, jobs[i].cds);
                if (s && ok) {
                    s->failures = 0;
                } else if (s && ++s->failures >= DL_GENA_FAILURES_MAX) {
                    cu_log(CU_LOG_INFO, "dlna events: %s dropped after %d failed NOTIFYs", s->sid,
                           s->failures);
                    s->used = false;
                }
                pthread_mutex_unlock(&g->lock);
            }
            pthread_mutex_lock(&g->lock);
            continue;
        }
        int64_t wait_ms = soonest - cu_time_mono_ms();
        if (wait_ms < 10)
            wait_ms = 10;
        struct timespec ts;
        cu_time_deadline(CLOCK_MONOTONIC, wait_ms, &ts);
        pthread_cond_timedwait(&g->wake, &g->lock, &ts);
    }
    pthread_mutex_unlock(&g->lock);
    free(jobs);
    if (g->db)
        cc_db_close(g->db);
    g->db = NULL;
    return NULL;
}

int dl_gena_new(const char *db_path, const char *source_info, dl_gena **out, cu_err *err)
{
    *out = NULL;
    dl_gena *g = cu_xcalloc(1, sizeof *g);
    g->db_path = cu_xstrdup(db_path ? db_path : "");
    g->source_info = cu_xstrdup(source_info ? source_info : "");
    pthread_mutex_init(&g->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->wake, &ca);
    pthread_condattr_destroy(&ca);
    int rc = pthread_create(&g->thread, NULL, event_thread, g);
    if (rc) {
        pthread_cond_destroy(&g->wake);
        pthread_mutex_destroy(&g->lock);
        free(g->db_path);
        free(g->source_info);
        free(g);
        return cu_err_set(err, -rc, "cannot start the DLNA event thread: %s", strerror(rc));
    }
    g->running = true;
    *out = g;
    return 0;
}

void dl_gena_free(dl_gena *g)
{
    if (!g)
        return;
    if (g->running) {
        pthread_mutex_lock(&g->lock);
        g->stopping = true;
        pthread_cond_signal(&g->wake);
        pthread_mutex_unlock(&g->lock);
        pthread_join(g->thread, NULL);
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->lock);
    free(g->db_path);
    free(g->source_info);
    free(g);
}
