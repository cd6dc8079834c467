/* cs_prehead: request heads checked before libmicrohttpd parses them
 * (why and how: cs_prehead.h). */
#include "server/cs_prehead.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define VALUE_MAX 40     /* of a Content-Length value kept: past 20 digits it overflows anyway */
#define NAME_MAX_KEPT 24 /* longer than "transfer-encoding" */

typedef enum { IN_HEAD, IN_BODY, OPAQUE } scan_mode;

/* One connection's place in its stream of requests. */
typedef struct scan {
    scan_mode mode;
    uint64_t body_left;
    /* The head being read: */
    size_t lines;                 /* complete lines of this head so far */
    size_t line_len;              /* bytes of the current line so far */
    char name[NAME_MAX_KEPT + 1]; /* the current line's name, lowercased */
    size_t name_len;
    bool name_long;       /* longer than any name looked for */
    bool in_value;        /* past the colon of the current line */
    bool value_is_length; /* the current line is the head's first Content-Length */
    bool value_started;   /* past the spaces after the colon */
    bool length_seen;     /* the head has a Content-Length (the first one counts) */
    bool last_was_length; /* the previous line was it (continuation lines join it) */
    bool encoding_seen;   /* the head has a Transfer-Encoding */
    char value[VALUE_MAX + 1];
    size_t value_len;
    bool value_long;
    bool value_cut;  /* a NUL ended the value, as it does the library's */
    bool pending_cr; /* a CR, not yet known to end the line */
} scan;

/* Registered sockets, by fd; a slot is written by the connection's own
 * thread only (libmicrohttpd keeps a connection on one thread). */
static _Atomic(scan *) scans[CS_PREHEAD_MAX_FDS];

static void head_reset(scan *s)
{
    s->lines = s->line_len = s->value_len = 0;
    s->in_value = s->value_is_length = s->value_started = false;
    s->length_seen = s->last_was_length = s->encoding_seen = s->value_long = false;
    s->value_cut = s->pending_cr = false;
    s->name[0] = '\0';
    s->name_len = 0;
    s->name_long = false;
}

/* libmicrohttpd's reading of a Content-Length value: digits to the very
 * end (no sign, no list, no trailing space) that fit in 64 bits. */
static int length_verdict(const scan *s, uint64_t *length)
{
    if (s->value_len == 0)
        return 400;
    uint64_t n = 0;
    for (size_t i = 0; i < s->value_len; i++) {
        char c = s->value[i];
        if (c < '0' || c > '9')
            return 400;
        if (n > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
            return 413;
        n = n * 10 + (uint64_t)(c - '0');
    }
    if (s->value_long)
        return s->value[0] >= '0' && s->value[0] <= '9' ? 413 : 400;
    *length = n;
    return 0;
}

/* The end of one line of a head (its CR, if any, already dropped). */
static int line_end(scan *s)
{
    if (s->line_len == 0) {
        if (s->lines == 0) /* an empty line before a request: skipped */
            return 0;
        /* The end of a head: what the library will decide. */
        uint64_t length = 0;
        int verdict = 0;
        if (s->encoding_seen) {
            s->mode = OPAQUE; /* chunked or worse: not followed */
        } else if (s->length_seen) {
            verdict = length_verdict(s, &length);
            if (verdict == 0 && length > 0) {
                s->mode = IN_BODY;
                s->body_left = length;
            }
        }
        head_reset(s);
        return verdict;
    }
    s->last_was_length = s->value_is_length;
    s->value_cut = false;
    s->lines++;
    s->line_len = 0;
    s->in_value = s->value_is_length = s->value_started = false;
    s->name[0] = '\0';
    s->name_len = 0;
    s->name_long = false;
    return 0;
}

static void value_byte(scan *s, char c)
{
    if (!s->value_started && (c == ' ' || c == '\t'))
        return;
    if (c == '\0')
        s->value_cut = true; /* the library keeps lines as C strings */
    if (s->value_cut)
        return;
    s->value_started = true;
    if (s->value_len < VALUE_MAX)
        s->value[s->value_len++] = c;
    else
        s->value_long = true;
}

/* One byte of a head line. */
static void head_byte(scan *s, char c)
{
    size_t at = s->line_len++;
    if (s->lines == 0)
        return; /* the request line */
    if (at == 0 && (c == ' ' || c == '\t') && s->last_was_length) {
        /* A continuation of the Content-Length line: the library joins its
         * text (leading spaces dropped) to the value. */
        s->in_value = s->value_is_length = true;
        s->value_started = false;
        return;
    }
    if (s->in_value) {
        if (s->value_is_length)
            value_byte(s, c);
        return;
    }
    if (c == '\0')
        s->name_long = true; /* the library finds no colon past a NUL */
    if (c == ':') {
        s->in_value = true;
        if (s->name_long)
            return;
        if (!strcmp(s->name, "content-length") && !s->length_seen)
            s->length_seen = s->value_is_length = true;
        else if (!strcmp(s->name, "transfer-encoding"))
            s->encoding_seen = true;
        return;
    }
    if (s->name_len < NAME_MAX_KEPT) {
        s->name[s->name_len++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        s->name[s->name_len] = '\0';
    } else {
        s->name_long = true;
    }
}

/* Feeds bytes; the first verdict (400/413) of a head the library would
 * refuse, or 0. */
static int scan_bytes(scan *s, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (s->mode) {
        case OPAQUE: return 0;
        case IN_BODY: {
            size_t skip = len - i;
            if (skip > s->body_left)
                skip = (size_t)s->body_left;
            s->body_left -= skip;
            i += skip - 1;
            if (s->body_left == 0)
                s->mode = IN_HEAD;
            break;
        }
        case IN_HEAD: {
            /* As the library reads lines: one ends at LF or CRLF; a CR
             * followed by anything else is part of the line. A CR waits
             * for the next byte, which may come in the next read. */
            char c = data[i];
            if (c == '\n') {
                s->pending_cr = false;
                int verdict = line_end(s);
                if (verdict)
                    return verdict;
                break;
            }
            if (s->pending_cr)
                head_byte(s, '\r');
            s->pending_cr = c == '\r';
            if (!s->pending_cr)
                head_byte(s, c);
            break;
        }
        }
    }
    return 0;
}

int cs_prehead_check(const char *data, size_t len, size_t cut)
{
    scan s = {0};
    head_reset(&s);
    if (cut > len)
        cut = len;
    int verdict = scan_bytes(&s, data, cut);
    return verdict ? verdict : scan_bytes(&s, data + cut, len - cut);
}

void cs_prehead_watch(int fd)
{
    if (fd < 0 || fd >= CS_PREHEAD_MAX_FDS)
        return;
    scan *s = calloc(1, sizeof *s);
    if (!s)
        return; /* not watched: the library's own answer, as before */
    head_reset(s);
    free(atomic_exchange(&scans[fd], s));
}

void cs_prehead_forget(int fd)
{
    if (fd >= 0 && fd < CS_PREHEAD_MAX_FDS)
        free(atomic_exchange(&scans[fd], NULL));
}

#define BAD_BODY                                                                                   \
    "{\"error\":{\"code\":\"bad_request\","                                                        \
    "\"message\":\"the Content-Length header is malformed\"}}"
#define LARGE_BODY                                                                                 \
    "{\"error\":{\"code\":\"too_large\","                                                          \
    "\"message\":\"the Content-Length header is past any limit\"}}"
#define HEAD_COMMON                                                                                \
    "Connection: close\r\nContent-Type: application/json\r\n"                                      \
    "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"

/* Our answer, written before the connection is closed. */
static void answer(int fd, int status)
{
    char text[512];
    int len = status == 413 ? snprintf(text, sizeof text,
                                       "HTTP/1.1 413 Content Too Large\r\n" HEAD_COMMON
                                       "Content-Length: %zu\r\n\r\n%s",
                                       sizeof LARGE_BODY - 1, LARGE_BODY)
                            : snprintf(text, sizeof text,
                                       "HTTP/1.1 400 Bad Request\r\n" HEAD_COMMON
                                       "Content-Length: %zu\r\n\r\n%s",
                                       sizeof BAD_BODY - 1, BAD_BODY);
    /* A few hundred bytes into a socket buffer the client has not filled
     * (it is sending, not reading): one send. If it comes short, the
     * client gets the close all the same. */
    const char *p = text;
    while (len > 0) {
        ssize_t n = send(fd, p, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0)
            break;
        p += n;
        len -= (int)n;
    }
}

/* The recv() libmicrohttpd's calls bind to (see cs_prehead.h). recvfrom
 * with no address is recv. */
ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    ssize_t n = recvfrom(fd, buf, len, flags, NULL, NULL);
    if (n <= 0 || fd < 0 || fd >= CS_PREHEAD_MAX_FDS || (flags & MSG_PEEK))
        return n;
    scan *s = atomic_load_explicit(&scans[fd], memory_order_relaxed);
    if (!s)
        return n;
    int verdict = scan_bytes(s, buf, (size_t)n);
    if (verdict == 0)
        return n;
    answer(fd, verdict);
    shutdown(fd, SHUT_WR);
    s->mode = OPAQUE;
    return 0; /* the end of the stream: the library closes, writing nothing */
}
