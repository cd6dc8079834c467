/* cm_subtitle_srt: WebVTT to SubRip (cm_subtitle_srt.h). */
#include "media/cm_subtitle_srt.h"
#include "util/cu_buf.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* One line of [p, end): its length without "\r\n" or "\n", and where the
 * next starts. */
static size_t line_at(const char *p, const char *end, const char **next)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    *next = nl ? nl + 1 : end;
    size_t n = (size_t)(stop - p);
    if (n && p[n - 1] == '\r')
        n--;
    return n;
}

/* "[HH:]MM:SS.mmm" at *p (at most n bytes) into ms; advances *p. */
static bool parse_time(const char **p, const char *end, int64_t *ms)
{
    int64_t parts[3] = {0};
    int count = 0;
    const char *s = *p;
    for (;;) {
        int digits = 0;
        int64_t v = 0;
        while (s < end && *s >= '0' && *s <= '9' && digits < 10) {
            v = v * 10 + (*s++ - '0');
            digits++;
        }
        if (!digits || count == 3)
            return false;
        parts[count++] = v;
        if (s < end && *s == ':')
            s++;
        else
            break;
    }
    if (count < 2 || s >= end || *s != '.')
        return false;
    s++;
    int64_t frac = 0;
    int digits = 0;
    while (s < end && *s >= '0' && *s <= '9' && digits < 3) {
        frac = frac * 10 + (*s++ - '0');
        digits++;
    }
    if (digits != 3)
        return false;
    int64_t h = count == 3 ? parts[0] : 0, m = parts[count - 2], sec = parts[count - 1];
    if (m > 59 || sec > 59)
        return false;
    *ms = ((h * 60 + m) * 60 + sec) * 1000 + frac;
    *p = s;
    return true;
}

/* "start --> end[ settings]" */
static bool parse_timing(const char *p, size_t n, int64_t *start, int64_t *stop)
{
    const char *end = p + n;
    if (!parse_time(&p, end, start))
        return false;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (end - p < 3 || memcmp(p, "-->", 3))
        return false;
    p += 3;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return parse_time(&p, end, stop) && (p == end || *p == ' ' || *p == '\t');
}

static void put_time(cu_buf *b, int64_t ms)
{
    if (ms < 0)
        ms = 0;
    cu_buf_printf(b, "%02lld:%02lld:%02lld,%03lld", (long long)(ms / 3600000),
                  (long long)(ms / 60000 % 60), (long long)(ms / 1000 % 60),
                  (long long)(ms % 1000));
}

/* A text line with WebVTT's entities as characters. */
static void put_text(cu_buf *b, const char *p, size_t n)
{
    static const struct {
        const char *entity, *text;
    } map[] = {{"&amp;", "&"},
               {"&lt;", "<"},
               {"&gt;", ">"},
               {"&nbsp;", "\xc2\xa0"},
               {"&lrm;", "\xe2\x80\x8e"},
               {"&rlm;", "\xe2\x80\x8f"}};
    size_t i = 0;
    while (i < n) {
        bool done = false;
        if (p[i] == '&')
            for (size_t k = 0; k < sizeof map / sizeof map[0] && !done; k++) {
                size_t len = strlen(map[k].entity);
                if (n - i >= len && !memcmp(p + i, map[k].entity, len)) {
                    cu_buf_puts(b, map[k].text);
                    i += len;
                    done = true;
                }
            }
        if (!done)
            cu_buf_putc(b, p[i++]);
    }
}

int cm_subtitle_vtt_to_srt(const char *vtt, size_t len, char **srt, cu_err *err)
{
    *srt = NULL;
    if (len > CM_SRT_MAX_INPUT)
        return cu_err_set(err, CU_ELIMIT, "a subtitle document over %u bytes", CM_SRT_MAX_INPUT);
    const char *p = vtt, *end = vtt + len;
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) /* a byte order mark */
        p += 3;
    if (end - p < 6 || memcmp(p, "WEBVTT", 6) ||
        (end - p > 6 && p[6] != '\n' && p[6] != '\r' && p[6] != ' ' && p[6] != '\t'))
        return cu_err_set(err, CU_EPARSE, "not a WebVTT document");
    cu_buf out = CU_BUF_INIT;
    cu_buf_puts(&out, ""); /* an empty document is "" */
    long number = 0;
    const char *next;
    /* Blocks are separated by blank lines; the first is the header. */
    bool header = true;
    while (p < end) {
        size_t n = line_at(p, end, &next);
        if (n == 0) {
            p = next;
            continue;
        }
        /* A cue: an optional identifier line, then its timing line. Any
         * other block (the header, NOTE, STYLE, REGION) is skipped. */
        int64_t start, stop;
        bool cue = false;
        if (!header && memmem(p, n, "-->", 3)) {
            cue = parse_timing(p, n, &start, &stop);
        } else if (!header && next < end) {
            const char *after;
            size_t m = line_at(next, end, &after);
            if (m && memmem(next, m, "-->", 3) && !memmem(p, n, "-->", 3)) {
                p = next;
                n = m;
                next = after;
                cue = parse_timing(p, n, &start, &stop);
            }
        }
        header = false;
        if (cue) {
            cu_buf_printf(&out, "%ld\n", ++number);
            put_time(&out, start);
            cu_buf_puts(&out, " --> ");
            put_time(&out, stop);
            cu_buf_putc(&out, '\n');
        }
        /* The rest of the block: the cue's text, or skipped. */
        for (p = next; p < end; p = next) {
            n = line_at(p, end, &next);
            if (n == 0)
                break;
            if (cue) {
                put_text(&out, p, n);
                cu_buf_putc(&out, '\n');
            }
        }
        if (cue)
            cu_buf_putc(&out, '\n');
    }
    *srt = cu_buf_take(&out);
    return 0;
}
