/* cj_user: users, sessions, tokens and watch state as JSON (cj_user.h). */
#include "json/cj_user.h"
#include "json/cj_text.h"
#include "json/cj_write.h"

#include <time.h>

/* The one spelling of a time, "2026-11-30T02:51:05Z": false when there
 * is none (t <= 0). Days to a civil date by Howard Hinnant's published
 * algorithm (proleptic Gregorian, as gmtime): gmtime_r and strftime were
 * a twentieth of a page of played films. */
static bool time_text(int64_t t, char text[32])
{
    if (t <= 0 || t > 253402300799) /* after 9999-12-31T23:59:59Z */
        return false;
    int64_t days = t / 86400, secs = t % 86400;
    int64_t z = days + 719468, era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    const int64_t parts[6] = {year, month, day, secs / 3600, secs / 60 % 60, secs % 60};
    static const char after[6] = {'-', '-', 'T', ':', ':', 'Z'};
    char *p = text;
    for (int i = 0; i < 6; i++) {
        int digits = i == 0 ? 4 : 2;
        for (int d = digits - 1; d >= 0; d--) {
            int64_t v = parts[i];
            for (int k = 0; k < d; k++)
                v /= 10;
            *p++ = (char)('0' + v % 10);
        }
        *p++ = after[i];
    }
    *p = '\0';
    return true;
}

json_t *cj_time(int64_t t)
{
    char text[32];
    return time_text(t, text) ? json_string(text) : json_null();
}

void cj_time_write(cu_buf *b, int64_t t)
{
    char text[32];
    if (time_text(t, text))
        cj_write_str(b, text);
    else
        cj_write_null(b);
}

json_t *cj_user(const cc_user *u, bool full)
{
    json_t *o = json_pack("{s:I, s:o, s:b}", "id", (json_int_t)u->id, "name", cj_text(u->name),
                          "admin", u->admin);
    if (full) {
        json_object_set_new(o, "disabled", json_boolean(u->disabled));
        json_t *roots = json_null();
        if (!u->all_roots) {
            roots = json_array();
            for (size_t i = 0; i < u->root_count; i++)
                json_array_append_new(roots, cj_text(u->roots[i]));
        }
        json_object_set_new(o, "roots", roots);
        json_object_set_new(o, "max_certification", cj_text_or_null(u->max_cert));
        json_object_set_new(o, "created_at", cj_time(u->created_at));
    }
    return o;
}

json_t *cj_session(const cc_session *s, int64_t current)
{
    json_t *o = json_pack("{s:I}", "id", (json_int_t)s->id);
    json_object_set_new(o, "name", cj_text_or_null(s->name));
    if (s->kind == CC_SESSION_BROWSER) {
        json_object_set_new(o, "address", cj_text_or_null(s->address));
        json_object_set_new(o, "current", json_boolean(s->id == current));
        json_object_set_new(o, "expires_at", cj_time(s->expires_at));
    }
    json_object_set_new(o, "created_at", cj_time(s->created_at));
    json_object_set_new(o, "last_used", cj_time(s->last_used));
    return o;
}

void cj_watch_write(cu_buf *b, const cc_watch *w)
{
    cu_buf_putc(b, '{');
    cj_write_key(b, true, "position");
    cj_write_real(b, w->position);
    cj_write_key(b, false, "watched");
    cj_write_bool(b, w->watched);
    cj_write_key(b, false, "play_count");
    cj_write_int(b, w->play_count);
    cj_write_key(b, false, "last_played");
    cj_time_write(b, w->last_played);
    cu_buf_putc(b, '}');
}

/* The same form read back, for the records built with jansson (a film's
 * page, a progress report's answer): written in one place only. */
json_t *cj_watch(const cc_watch *w)
{
    cu_buf b = CU_BUF_INIT;
    cj_watch_write(&b, w);
    json_t *o = json_loadb(b.data, b.len, 0, NULL);
    cu_buf_free(&b);
    return o ? o : json_object();
}
