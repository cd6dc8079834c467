/* reports: the progress-report load of bench/progress.sh. N clients, one
 * keep-alive connection each, each sending PUT /api/v1/files/{id}/progress
 * ten times a second (paced, not as fast as it can), all from one thread
 * with epoll, so the load generator itself takes little of the CPU that
 * the server under test shares with it (a thread per client in Python took
 * a good part of a core on a 2-core machine).
 *
 *   reports PORT SECONDS ID...
 *
 * Prints "R reports/s from N clients, p99 X ms, E not 200, T in all".
 * Bench-only code: it trusts the server to answer with a Content-Length. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PERIOD_S 0.1

typedef struct {
    int fd;
    long id;
    long sent;   /* reports sent so far: the next one is due at start + sent * PERIOD_S */
    int waiting; /* a request is out, its answer not read whole yet */
    double t_sent;
    char in[4096];
    size_t have;
} client;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A whole answer in c->in: its length, or 0 if more is to come. */
static size_t answer_length(const client *c)
{
    const char *end = memmem(c->in, c->have, "\r\n\r\n", 4);
    if (!end)
        return 0;
    size_t head = (size_t)(end - c->in) + 4;
    const char *cl = memmem(c->in, head, "Content-Length:", 15);
    if (!cl)
        cl = memmem(c->in, head, "content-length:", 15);
    size_t body = cl ? strtoul(cl + 15, NULL, 10) : 0;
    return c->have >= head + body ? head + body : 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: reports PORT SECONDS ID...\n");
        return 2;
    }
    int port = atoi(argv[1]);
    double secs = atof(argv[2]);
    int n = argc - 3;
    client *cs = calloc((size_t)n, sizeof *cs);
    size_t cap = (size_t)(n * (secs / PERIOD_S + 2));
    double *lat = calloc(cap, sizeof *lat);
    int ep = epoll_create1(0);
    if (!cs || !lat || ep < 0)
        return 1;
    for (int i = 0; i < n; i++) {
        cs[i].id = atol(argv[3 + i]);
        if ((cs[i].fd = connect_to(port)) < 0) {
            perror("connect");
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    size_t done = 0, errors = 0;
    double start = now_s() + 0.5, end = start + secs;
    for (;;) {
        double t = now_s(), next = 1e300;
        int busy = 0;
        for (int i = 0; i < n; i++) {
            client *c = &cs[i];
            double due = start + (double)c->sent * PERIOD_S;
            if (c->waiting) {
                busy = 1;
                continue;
            }
            if (due >= end - 1e-9) /* ten a second for SECONDS: no extra one at the end */
                continue;
            if (due > t) {
                if (due < next)
                    next = due;
                continue;
            }
            char body[96], req[512];
            int bl =
                snprintf(body, sizeof body, "{\"position\":%ld,\"duration\":1000000}", 1 + c->sent);
            int rl = snprintf(req, sizeof req,
                              "PUT /api/v1/files/%ld/progress HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                              "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                              c->id, port, bl, body);
            c->t_sent = now_s();
            if (send(c->fd, req, (size_t)rl, MSG_NOSIGNAL) != rl) {
                errors++;
                c->sent++;
                continue;
            }
            c->sent++;
            c->waiting = 1;
            c->have = 0;
            busy = 1;
        }
        if (!busy && next == 1e300)
            break;
        int wait_ms = next == 1e300 ? 1000 : (int)((next - now_s()) * 1000);
        if (wait_ms < 0)
            wait_ms = 0;
        struct epoll_event evs[64];
        int k = epoll_wait(ep, evs, 64, wait_ms);
        for (int e = 0; e < k; e++) {
            client *c = &cs[evs[e].data.u32];
            ssize_t r = recv(c->fd, c->in + c->have, sizeof c->in - c->have, 0);
            if (r <= 0) { /* closed or failed: count it, reconnect */
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                if (c->waiting)
                    errors++;
                c->waiting = 0;
                if ((c->fd = connect_to(port)) < 0)
                    return 1;
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = evs[e].data.u32};
                epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
                continue;
            }
            c->have += (size_t)r;
            size_t len = answer_length(c);
            if (!len && c->have < sizeof c->in)
                continue;
            if (!c->waiting)
                continue;
            if (done < cap)
                lat[done++] = now_s() - c->t_sent;
            if (c->have < 12 || strncmp(c->in + 9, "200", 3) != 0)
                errors++;
            c->waiting = 0;
            c->have = 0;
        }
    }
    qsort(lat, done, sizeof *lat, cmp_double);
    double p99 = done ? lat[(size_t)((double)done * 0.99)] * 1000 : 0;
    printf("%.0f reports/s from %d clients, p99 %.1f ms, %zu not 200, %zu in all\n",
           (double)done / secs, n, p99, errors, done);
    return 0;
}
