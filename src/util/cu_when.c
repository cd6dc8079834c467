/* cu_when: see cu_when.h. */
#include "util/cu_when.h"
#include "util/cu_err.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Exactly n digits at *p into *v; advances *p. */
static bool digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        x = x * 10 + (c - '0');
    }
    *v = x;
    *p += n;
    return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int relative(const char *s, int64_t now, int64_t *out)
{
    int sign = s[0] == '-' ? -1 : 1;
    const char *p = s + 1;
    int64_t n = 0;
    size_t count = 0;
    while (*p >= '0' && *p <= '9') {
        if (++count > 9)
            return CU_EPARSE;
        n = n * 10 + (*p++ - '0');
    }
    if (!count || !p[0] || p[1])
        return CU_EPARSE;
    int64_t unit;
    switch (*p) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return CU_EPARSE;
    }
    int64_t t = now + sign * n * unit;
    if (t < 0)
        return CU_EPARSE;
    *out = t;
    return 0;
}

int cu_when_parse(const char *s, int64_t now, int64_t *out)
{
    if (!s)
        return CU_EPARSE;
    if (!strcmp(s, "now")) {
        *out = now;
        return 0;
    }
    if (s[0] == '+' || s[0] == '-')
        return relative(s, now, out);
    if (strlen(s) > 40)
        return CU_EPARSE;
    const char *p = s;
    int y, mo, d, h, mi, sec = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
        return CU_EPARSE;
    p++;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
        return CU_EPARSE;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &sec))
            return CU_EPARSE;
        if (*p == '.') { /* fractions of a second are dropped */
            p++;
            int n = 0;
            while (*p >= '0' && *p <= '9' && n < 9) {
                p++;
                n++;
            }
            if (!n)
                return CU_EPARSE;
        }
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 ||
        sec > 60)
        return CU_EPARSE;
    int64_t offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (!digits(&p, 2, &oh))
            return CU_EPARSE;
        if (*p == ':')
            p++;
        if (!digits(&p, 2, &om) || oh > 18 || om > 59 || oh * 60 + om > 18 * 60)
            return CU_EPARSE;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return CU_EPARSE; /* no offset: which moment is meant is unknown */
    }
    if (*p)
        return CU_EPARSE;
    int64_t t =
        days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (sec == 60 ? 59 : sec) - offset;
    if (t < 0)
        return CU_EPARSE;
    *out = t;
    return 0;
}

int cu_when_clock_ms(const char *s, int64_t *ms)
{
    if (!s || !*s || strlen(s) > 20)
        return CU_EPARSE;
    int64_t fields[3];
    int nf = 0;
    const char *p = s;
    for (;;) {
        int64_t v = 0;
        int n = 0;
        while (*p >= '0' && *p <= '9') {
            if (++n > 3)
                return CU_EPARSE;
            v = v * 10 + (*p++ - '0');
        }
        if (!n || nf == 3)
            return CU_EPARSE;
        fields[nf++] = v;
        if (*p != ':')
            break;
        p++;
    }
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        int64_t scale = 100;
        while (*p >= '0' && *p <= '9') {
            if (++n > 3)
                return CU_EPARSE;
            frac += (*p++ - '0') * scale;
            scale /= 10;
        }
        if (!n)
            return CU_EPARSE;
    }
    if (*p)
        return CU_EPARSE;
    for (int i = 1; i < nf; i++)
        if (fields[i] > 59)
            return CU_EPARSE;
    int64_t total = 0;
    for (int i = 0; i < nf; i++)
        total = total * 60 + fields[i];
    *ms = total * 1000 + frac;
    return 0;
}

void cu_when_format(int64_t t, char *out, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        if (size)
            out[0] = '\0';
    }
}

void cu_when_format_clock(int64_t ms, char *out, size_t size)
{
    if (ms < 0)
        ms = 0;
    int64_t s = ms / 1000;
    if (ms % 1000)
        snprintf(out, size, "%02lld:%02lld:%02lld.%03lld", (long long)(s / 3600),
                 (long long)(s / 60 % 60), (long long)(s % 60), (long long)(ms % 1000));
    else
        snprintf(out, size, "%02lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
                 (long long)(s % 60));
}
