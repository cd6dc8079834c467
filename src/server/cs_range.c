/* cs_range: Range, If-Range and If-None-Match, as pure functions. Every
 * loop is bounded by the header length, itself bounded by
 * CS_RANGE_HEADER_MAX. */
#include "server/cs_range.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Reads decimal digits at *p; saturates at INT64_MAX instead of
 * overflowing. Returns false when there is no digit. */
static bool read_number(const char **p, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    bool any = false;
    while (*s >= '0' && *s <= '9') {
        int d = *s - '0';
        if (v > (INT64_MAX - d) / 10)
            v = INT64_MAX;
        else
            v = v * 10 + d;
        s++;
        any = true;
    }
    *p = s;
    *out = v;
    return any;
}

cs_range_result cs_range_parse(const char *header, int64_t size, int64_t *first, int64_t *last)
{
    if (!header || strnlen(header, CS_RANGE_HEADER_MAX + 1) > CS_RANGE_HEADER_MAX || size < 0)
        return CS_RANGE_NONE;
    const char *p = skip_ows(header);
    if (strncasecmp(p, "bytes", 5) != 0)
        return CS_RANGE_NONE;
    p = skip_ows(p + 5);
    if (*p != '=')
        return CS_RANGE_NONE;
    p = skip_ows(p + 1);

    int64_t a = -1, b = -1;
    bool suffix = false;
    if (*p == '-') {
        suffix = true;
        p++;
        if (!read_number(&p, &b))
            return CS_RANGE_NONE;
    } else {
        if (!read_number(&p, &a))
            return CS_RANGE_NONE;
        if (*p != '-')
            return CS_RANGE_NONE;
        p++;
        if (*p >= '0' && *p <= '9')
            read_number(&p, &b);
    }
    p = skip_ows(p);
    /* Several ranges (or trailing garbage): ignored, the whole file is sent.
     * Empty list elements (",,") are allowed by the grammar. */
    while (*p == ',' || *p == ' ' || *p == '\t')
        p++;
    if (*p != '\0')
        return CS_RANGE_NONE;

    if (suffix) {
        if (b == 0 || size == 0)
            return CS_RANGE_UNSATISFIABLE;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return CS_RANGE_PARTIAL;
    }
    if (b >= 0 && b < a)
        return CS_RANGE_UNSATISFIABLE;
    if (a >= size)
        return CS_RANGE_UNSATISFIABLE;
    *first = a;
    *last = (b < 0 || b >= size) ? size - 1 : b;
    return CS_RANGE_PARTIAL;
}

/* Next entity tag of a list at *p: its opaque part (quotes included) in
 * [*tag, *tag + *len) and whether it was weak. false at the end or on a
 * malformed element. */
static bool next_etag(const char **pp, const char **tag, size_t *len, bool *weak)
{
    const char *p = *pp;
    while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
    if (!*p)
        return false;
    *weak = false;
    if (p[0] == 'W' && p[1] == '/') {
        *weak = true;
        p += 2;
    }
    if (*p != '"')
        return false;
    const char *end = strchr(p + 1, '"');
    if (!end)
        return false;
    *tag = p;
    *len = (size_t)(end - p) + 1;
    *pp = end + 1;
    return true;
}

/* etag as we send it: a strong tag, quotes included. */
static bool same_opaque(const char *tag, size_t len, const char *etag)
{
    return strlen(etag) == len && memcmp(tag, etag, len) == 0;
}

bool cs_etag_list_matches(const char *header, const char *etag)
{
    if (!header || !etag || strnlen(header, CS_RANGE_HEADER_MAX + 1) > CS_RANGE_HEADER_MAX)
        return false;
    const char *p = skip_ows(header);
    if (*p == '*')
        return *skip_ows(p + 1) == '\0';
    const char *tag;
    size_t len;
    bool weak;
    while (next_etag(&p, &tag, &len, &weak))
        if (same_opaque(tag, len, etag))
            return true;
    return false;
}

bool cs_if_range_matches(const char *header, const char *etag, time_t last_modified)
{
    if (!header || strnlen(header, CS_RANGE_HEADER_MAX + 1) > CS_RANGE_HEADER_MAX)
        return false;
    const char *p = skip_ows(header);
    if (*p == '"' || (p[0] == 'W' && p[1] == '/')) {
        const char *tag;
        size_t len;
        bool weak;
        if (!etag || !next_etag(&p, &tag, &len, &weak) || weak)
            return false;
        return *skip_ows(p) == '\0' && same_opaque(tag, len, etag);
    }
    time_t t = cs_http_date_parse(p);
    return t >= 0 && t == last_modified;
}

static const char *const day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int two_digits(const char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

time_t cs_http_date_parse(const char *s)
{
    /* "Sun, 06 Nov 1994 08:49:37 GMT": exactly 29 characters. */
    if (!s || strnlen(s, 30) != 29)
        return -1;
    int day_ok = 0;
    for (int i = 0; i < 7; i++)
        if (!strncmp(s, day_names[i], 3))
            day_ok = 1;
    if (!day_ok || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[19] != ':' || s[22] != ':' || s[25] != ' ' || strcmp(s + 26, "GMT") != 0)
        return -1;
    int mday = two_digits(s + 5), month = -1;
    for (int i = 0; i < 12; i++)
        if (!strncmp(s + 8, month_names[i], 3))
            month = i;
    int century = two_digits(s + 12), year2 = two_digits(s + 14);
    int hour = two_digits(s + 17), min = two_digits(s + 20), sec = two_digits(s + 23);
    if (mday < 1 || mday > 31 || month < 0 || century < 0 || year2 < 0 || hour < 0 || hour > 23 ||
        min < 0 || min > 59 || sec < 0 || sec > 60)
        return -1;
    struct tm tm = {
        .tm_year = century * 100 + year2 - 1900,
        .tm_mon = month,
        .tm_mday = mday,
        .tm_hour = hour,
        .tm_min = min,
        .tm_sec = sec,
    };
    time_t t = timegm(&tm);
    return t < 0 ? -1 : t;
}

void cs_http_date_format(time_t t, char *out, size_t size)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year < 0 || tm.tm_year > 8099) {
        snprintf(out, size, "Thu, 01 Jan 1970 00:00:00 GMT");
        return;
    }
    snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d GMT", day_names[tm.tm_wday], tm.tm_mday,
             month_names[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
