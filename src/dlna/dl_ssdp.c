/* dl_ssdp: the SSDP thread. One UDP socket on port 1900 joined to
 * 239.255.255.250 on each of our interfaces: NOTIFY ssdp:alive at start and
 * every few minutes (jittered, so a room of devices does not pulse
 * together), answers to M-SEARCH after a random part of MX (multicast) or
 * at once (unicast), only to allowed subnets and within a rate limit, and
 * ssdp:byebye on the way out. */
#include "dlna/dl_internal.h"
#include "dlna/dl_ssdp_msg.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SSDP_GROUP "239.255.255.250"
#define PENDING_MAX 64
#define BUCKET_MAX 40.0  /* answers in a burst */
#define BUCKET_RATE 20.0 /* answers per second, sustained */

typedef struct pending {
    int64_t due_ms;
    struct sockaddr_in peer;
    struct in_addr local;
    unsigned targets;
} pending;

static const char server_header[] = "Linux UPnP/1.0 DLNADOC/1.50 cinemateca/" CINEMATECA_VERSION;

static void send_to(int fd, const char *msg, const struct sockaddr_in *to)
{
    if (sendto(fd, msg, strlen(msg), 0, (const struct sockaddr *)to, sizeof *to) < 0)
        cu_log(CU_LOG_DEBUG, "ssdp: sendto: %s", strerror(errno));
}

static void usn_for(const dl_server *dl, int target, char *out, size_t size)
{
    if (target == 1)
        snprintf(out, size, "%s", dl->uuid);
    else
        snprintf(out, size, "%s::%s", dl->uuid, dl_ssdp_target(target, dl->uuid));
}

static void notify_all(dl_server *dl, const char *nts)
{
    struct sockaddr_in group = {.sin_family = AF_INET, .sin_port = htons((uint16_t)dl->ssdp_port)};
    inet_pton(AF_INET, SSDP_GROUP, &group.sin_addr);
    for (size_t i = 0; i < dl->iface_count; i++) {
        const dl_iface *f = &dl->ifaces[i];
        struct ip_mreqn m = {.imr_address = f->addr, .imr_ifindex = (int)f->index};
        setsockopt(dl->ssdp_fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof m);
        char addr[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &f->addr, addr, sizeof addr);
        for (int t = 0; t < DL_SSDP_TARGETS; t++) {
            char usn[200], msg[768];
            usn_for(dl, t, usn, sizeof usn);
            if (!strcmp(nts, "ssdp:alive"))
                snprintf(
                    msg, sizeof msg,
                    "NOTIFY * HTTP/1.1\r\nHOST: " SSDP_GROUP ":1900\r\n"
                    "CACHE-CONTROL: max-age=%d\r\nLOCATION: http://%s:%d/dlna/description.xml\r\n"
                    "NT: %s\r\nNTS: ssdp:alive\r\nSERVER: %s\r\nUSN: %s\r\n"
                    "BOOTID.UPNP.ORG: %u\r\nCONFIGID.UPNP.ORG: 1\r\n\r\n",
                    DL_MAX_AGE, addr, dl->http_port, dl_ssdp_target(t, dl->uuid), server_header,
                    usn, dl->boot_id);
            else
                snprintf(msg, sizeof msg,
                         "NOTIFY * HTTP/1.1\r\nHOST: " SSDP_GROUP ":1900\r\n"
                         "NT: %s\r\nNTS: ssdp:byebye\r\nUSN: %s\r\n"
                         "BOOTID.UPNP.ORG: %u\r\nCONFIGID.UPNP.ORG: 1\r\n\r\n",
                         dl_ssdp_target(t, dl->uuid), usn, dl->boot_id);
            send_to(dl->ssdp_fd, msg, &group);
        }
    }
}

static void answer(dl_server *dl, const pending *p)
{
    char addr[INET_ADDRSTRLEN], date[64];
    inet_ntop(AF_INET, &p->local, addr, sizeof addr);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    for (int i = 0; i < DL_SSDP_TARGETS; i++) {
        if (!(p->targets & (1u << i)))
            continue;
        char usn[200], msg[768];
        usn_for(dl, i, usn, sizeof usn);
        snprintf(msg, sizeof msg,
                 "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=%d\r\nDATE: %s\r\nEXT:\r\n"
                 "LOCATION: http://%s:%d/dlna/description.xml\r\nSERVER: %s\r\nST: %s\r\n"
                 "USN: %s\r\nBOOTID.UPNP.ORG: %u\r\nCONFIGID.UPNP.ORG: 1\r\n"
                 "Content-Length: 0\r\n\r\n",
                 DL_MAX_AGE, date, addr, dl->http_port, server_header, dl_ssdp_target(i, dl->uuid),
                 usn, dl->boot_id);
        send_to(dl->ssdp_fd, msg, &p->peer);
    }
}

/* The address to put in LOCATION for a search that came in on ifindex
 * from peer: the interface it arrived on, else the one whose subnet holds
 * the peer, else the first. */
static struct in_addr local_for(const dl_server *dl, unsigned ifindex, uint32_t peer)
{
    for (size_t i = 0; i < dl->iface_count; i++)
        if (dl->ifaces[i].index == ifindex)
            return dl->ifaces[i].addr;
    for (size_t i = 0; i < dl->iface_count; i++)
        if (dl_subnet_contains(&dl->ifaces[i].net, peer))
            return dl->ifaces[i].addr;
    return dl->ifaces[0].addr;
}

typedef struct ssdp_state {
    pending queue[PENDING_MAX];
    size_t queued;
    double tokens;
    int64_t refilled_ms;
    unsigned seed;
} ssdp_state;

static void on_datagram(dl_server *dl, ssdp_state *st, const char *buf, size_t len,
                        const struct sockaddr_in *peer, const struct in_pktinfo *info)
{
    dl_msearch ms;
    if (!atomic_load(&dl->enabled) || dl_ssdp_parse_msearch(buf, len, &ms) < 0)
        return; /* switched off; NOTIFYs of other devices, answers, junk */
    struct sockaddr_storage ss = {0};
    memcpy(&ss, peer, sizeof *peer);
    if (!dl_peer_allowed(dl, &ss))
        return;
    bool multicast = info && IN_MULTICAST(ntohl(info->ipi_addr.s_addr));
    if (multicast && ms.mx == 0)
        return; /* UDA 1.1: a multicast search without MX is invalid */
    unsigned targets = dl_ssdp_match(ms.st, dl->uuid);
    if (!targets)
        return;
    /* Rate limit: a token per answer datagram set. */
    int64_t now = cu_time_mono_ms();
    st->tokens += (double)(now - st->refilled_ms) * BUCKET_RATE / 1000.0;
    if (st->tokens > BUCKET_MAX)
        st->tokens = BUCKET_MAX;
    st->refilled_ms = now;
    if (st->tokens < 1.0 || st->queued == PENDING_MAX) {
        cu_log(CU_LOG_DEBUG, "ssdp: search dropped (rate limit)");
        return;
    }
    st->tokens -= 1.0;
    pending *p = &st->queue[st->queued++];
    p->peer = *peer;
    p->local = local_for(dl, info ? (unsigned)info->ipi_ifindex : 0, ntohl(peer->sin_addr.s_addr));
    p->targets = targets;
    /* Multicast: a random moment within MX seconds, so a thousand devices
     * do not answer at once; unicast: right away. */
    p->due_ms = now + (multicast ? (int64_t)(rand_r(&st->seed) % (ms.mx * 1000)) : 0);
}

static void *ssdp_main(void *arg)
{
    dl_server *dl = arg;
    ssdp_state st = {.tokens = BUCKET_MAX,
                     .refilled_ms = cu_time_mono_ms(),
                     .seed = (unsigned)time(NULL) ^ (unsigned)getpid()};
    /* Alive now, again about a second later (UDP is lossy), then every
     * third of max-age with up to a minute of jitter. */
    int64_t next_notify = cu_time_mono_ms();
    int announced = 0;
    /* Switched off before the start (the admin's saved switch): silent
     * from the first moment, no byebye for an alive never sent. */
    bool on = atomic_load(&dl->enabled);
    char buf[DL_SSDP_MAX + 1];
    for (;;) {
        int64_t now = cu_time_mono_ms();
        if (on != atomic_load(&dl->enabled)) {
            /* The admin's switch: byebye now, or announced as at start. */
            on = !on;
            if (!on)
                notify_all(dl, "ssdp:byebye");
            st.queued = 0;
            announced = 0;
            next_notify = now;
        }
        if (on && now >= next_notify) {
            notify_all(dl, "ssdp:alive");
            announced++;
            next_notify = now + (announced < 3 ? 800 + rand_r(&st.seed) % 400
                                               : DL_MAX_AGE * 1000 / 3 - rand_r(&st.seed) % 60000);
        }
        int64_t wait = on ? next_notify - now : 1000;
        for (size_t i = 0; i < st.queued; i++) {
            if (st.queue[i].due_ms <= now) {
                answer(dl, &st.queue[i]);
                st.queue[i--] = st.queue[--st.queued];
                continue;
            }
            if (st.queue[i].due_ms - now < wait)
                wait = st.queue[i].due_ms - now;
        }
        if (wait < 0)
            wait = 0;
        if (wait > 1000)
            wait = 1000; /* the switch is looked at every second */
        struct pollfd fds[2] = {{.fd = dl->ssdp_fd, .events = POLLIN},
                                {.fd = dl->stop_pipe[0], .events = POLLIN}};
        int n = poll(fds, 2, (int)(wait > 60000 ? 60000 : wait));
        if (n < 0 && errno != EINTR)
            break;
        if (fds[1].revents)
            break;
        if (n <= 0 || !(fds[0].revents & POLLIN))
            continue;
        for (int burst = 0; burst < 64; burst++) {
            struct sockaddr_in peer;
            char control[256];
            struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf - 1};
            struct msghdr mh = {.msg_name = &peer,
                                .msg_namelen = sizeof peer,
                                .msg_iov = &iov,
                                .msg_iovlen = 1,
                                .msg_control = control,
                                .msg_controllen = sizeof control};
            ssize_t got = recvmsg(dl->ssdp_fd, &mh, MSG_DONTWAIT);
            if (got <= 0)
                break;
            if (mh.msg_flags & MSG_TRUNC || peer.sin_family != AF_INET)
                continue;
            struct in_pktinfo *info = NULL;
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
                    info = (struct in_pktinfo *)CMSG_DATA(c);
            buf[got] = '\0';
            on_datagram(dl, &st, buf, (size_t)got, &peer, info);
        }
    }
    if (on)
        notify_all(dl, "ssdp:byebye");
    return NULL;
}

int dl_ssdp_start(dl_server *dl, cu_err *err)
{
    int one = 1;
    unsigned char ttl = 2, loop = 1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return cu_err_set(err, CU_EINVAL, "SSDP socket: %s", strerror(errno));
    /* Other UPnP software on this machine may hold 1900 too. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
    struct sockaddr_in any = {.sin_family = AF_INET,
                              .sin_port = htons((uint16_t)dl->ssdp_port),
                              .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(fd, (struct sockaddr *)&any, sizeof any) < 0) {
        int e = errno;
        close(fd);
        return cu_err_set(err, CU_EINVAL, "SSDP: cannot bind UDP port %d: %s", dl->ssdp_port,
                          strerror(e));
    }
    size_t joined = 0;
    for (size_t i = 0; i < dl->iface_count; i++) {
        struct ip_mreqn m = {.imr_address = dl->ifaces[i].addr,
                             .imr_ifindex = (int)dl->ifaces[i].index};
        inet_pton(AF_INET, SSDP_GROUP, &m.imr_multiaddr);
        if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) == 0)
            joined++;
        else
            cu_log(CU_LOG_WARN, "ssdp: cannot join %s on %s: %s (unicast searches only)",
                   SSDP_GROUP, dl->ifaces[i].name, strerror(errno));
    }
    (void)joined;
    if (pipe2(dl->stop_pipe, O_CLOEXEC) < 0) {
        close(fd);
        return cu_err_set(err, CU_EINVAL, "pipe: %s", strerror(errno));
    }
    dl->ssdp_fd = fd;
    if (pthread_create(&dl->ssdp_thread, NULL, ssdp_main, dl) != 0) {
        close(fd);
        close(dl->stop_pipe[0]);
        close(dl->stop_pipe[1]);
        dl->ssdp_fd = dl->stop_pipe[0] = dl->stop_pipe[1] = -1;
        return cu_err_set(err, CU_EINVAL, "cannot start the SSDP thread");
    }
    dl->ssdp_running = true;
    return 0;
}

void dl_ssdp_stop(dl_server *dl)
{
    if (dl->ssdp_running) {
        ssize_t w = write(dl->stop_pipe[1], "x", 1);
        (void)w;
        pthread_join(dl->ssdp_thread, NULL);
        dl->ssdp_running = false;
    }
    if (dl->ssdp_fd >= 0)
        close(dl->ssdp_fd);
    if (dl->stop_pipe[0] >= 0)
        close(dl->stop_pipe[0]);
    if (dl->stop_pipe[1] >= 0)
        close(dl->stop_pipe[1]);
    dl->ssdp_fd = dl->stop_pipe[0] = dl->stop_pipe[1] = -1;
}
