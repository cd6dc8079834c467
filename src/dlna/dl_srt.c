/* dl_srt: WebVTT cues renumbered, with SubRip's comma before the
 * milliseconds and hours always written. */
#include "dlna/dl_srt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* "01:02:03.456" or "02:03.456" -> milliseconds; -1 when malformed. */
static long long vtt_time(const char *s, size_t n)
{
    int h = 0, m = 0, sec = 0, ms = 0, used = 0;
    char buf[32];
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (sscanf(buf, "%d:%d:%d.%3d%n", &h, &m, &sec, &ms, &used) == 4 && (size_t)used == n) {
    } else if (h = 0, sscanf(buf, "%d:%d.%3d%n", &m, &sec, &ms, &used) == 3 && (size_t)used == n) {
    } else {
        return -1;
    }
    if (h < 0 || m < 0 || m > 59 || sec < 0 || sec > 59 || ms < 0)
        return -1;
    return ((long long)h * 3600 + m * 60 + sec) * 1000 + ms;
}

static void srt_time(cu_buf *out, long long t)
{
    cu_buf_printf(out, "%02lld:%02lld:%02lld,%03lld", t / 3600000, t / 60000 % 60, t / 1000 % 60,
                  t % 1000);
}

void dl_srt_from_webvtt(const char *vtt, size_t len, cu_buf *out)
{
    const char *p = vtt, *end = vtt + len;
    int number = 0;
    bool in_cue = false;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = eol ? eol : end;
        size_t n = (size_t)(line_end - p);
        if (n && p[n - 1] == '\r')
            n--;
        const char *arrow = memmem(p, n, " --> ", 5);
        if (n == 0) {
            if (in_cue)
                cu_buf_puts(out, "\n");
            in_cue = false;
        } else if (arrow && !in_cue) {
            const char *t2 = arrow + 5;
            size_t t2n = 0;
            while (t2 + t2n < p + n && t2[t2n] != ' ' && t2[t2n] != '\t')
                t2n++;
            long long a = vtt_time(p, (size_t)(arrow - p)), b = vtt_time(t2, t2n);
            if (a >= 0 && b >= 0) {
                cu_buf_printf(out, "%d\n", ++number);
                srt_time(out, a);
                cu_buf_puts(out, " --> ");
                srt_time(out, b);
                cu_buf_puts(out, "\n");
                in_cue = true;
            }
        } else if (in_cue) {
            cu_buf_append(out, p, n);
            cu_buf_puts(out, "\n");
        }
        p = eol ? eol + 1 : end;
    }
    if (in_cue)
        cu_buf_puts(out, "\n");
}
