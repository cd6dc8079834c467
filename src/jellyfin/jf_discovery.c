/* jf_discovery: Jellyfin's UDP discovery on 7359 (jf_discovery.h). */
#include "jellyfin/jf_discovery.h"
#include "jellyfin/jf_id.h"
#include "server/cs_door_user.h"
#include "server/cs_server.h"
#include "util/cu_str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct jf_discovery {
    int fd;
    int port;
    pthread_t thread;
    atomic_bool stop;
    char address[300], id[JF_ID_CHARS + 1], name[256];
};

char *jf_discovery_answer(const char *datagram, size_t len, const char *address, const char *id,
                          const char *name)
{
    static const char question[] = "who is JellyfinServer?";
    /* Clients send the question as it is, some with a line end or a NUL. */
    while (len && (datagram[len - 1] == '\n' || datagram[len - 1] == '\r' ||
                   datagram[len - 1] == '\0' || datagram[len - 1] == ' '))
        len--;
    if (len != sizeof question - 1 || strncasecmp(datagram, question, len))
        return NULL;
    json_t *o = json_pack("{s:s, s:s, s:s, s:n}", "Address", address, "Id", id, "Name", name,
                          "EndpointAddress");
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

static void *run(void *arg)
{
    jf_discovery *d = arg;
    time_t second = 0;
    int answered = 0;
    while (!atomic_load(&d->stop)) {
        struct pollfd p = {.fd = d->fd, .events = POLLIN};
        if (poll(&p, 1, 250) <= 0)
            continue;
        char buf[512];
        struct sockaddr_in from;
        socklen_t fromlen = sizeof from;
        ssize_t n = recvfrom(d->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
        if (n <= 0 || fromlen != sizeof from || from.sin_family != AF_INET)
            continue;
        time_t now = time(NULL);
        if (now != second) {
            second = now;
            answered = 0;
        }
        if (answered >= JF_DISCOVERY_RATE)
            continue;
        char *text = jf_discovery_answer(buf, (size_t)n, d->address, d->id, d->name);
        if (!text)
            continue;
        answered++;
        (void)sendto(d->fd, text, strlen(text), 0, (struct sockaddr *)&from, fromlen);
        free(text);
    }
    return NULL;
}

int jf_discovery_new(struct cs_server *server, const char *host, int port, jf_discovery **out,
                     cu_err *err)
{
    *out = NULL;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (!host || inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        return cu_err_set(err, CU_EINVAL, "Jellyfin discovery needs an IPv4 listen address");
    jf_discovery *d = calloc(1, sizeof *d);
    if (!d)
        return cu_err_set(err, -ENOMEM, "out of memory");
    d->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (d->fd < 0 || setsockopt(d->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(d->fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        int e = errno;
        if (d->fd >= 0)
            close(d->fd);
        free(d);
        return cu_err_set(err, -e, "Jellyfin discovery on udp %s:%d: %s", host, port, strerror(e));
    }
    socklen_t len = sizeof addr;
    getsockname(d->fd, (struct sockaddr *)&addr, &len);
    d->port = ntohs(addr.sin_port);
    /* The Address: the server's URL without its final slash. */
    cu_strlcpy(d->address, cs_server_url(server), sizeof d->address);
    size_t n = strlen(d->address);
    if (n && d->address[n - 1] == '/')
        d->address[n - 1] = '\0';
    jf_server_id(cs_door_server_key(server), d->id);
    if (gethostname(d->name, sizeof d->name) < 0 || !d->name[0])
        cu_strlcpy(d->name, "cinemateca", sizeof d->name);
    d->name[sizeof d->name - 1] = '\0';
    atomic_init(&d->stop, false);
    if (pthread_create(&d->thread, NULL, run, d) != 0) {
        close(d->fd);
        free(d);
        return cu_err_set(err, CU_EBUSY, "cannot start the discovery thread");
    }
    *out = d;
    return 0;
}

int jf_discovery_port(const jf_discovery *d)
{
    return d->port;
}

void jf_discovery_free(jf_discovery *d)
{
    if (!d)
        return;
    atomic_store(&d->stop, true);
    pthread_join(d->thread, NULL);
    close(d->fd);
    free(d);
}
