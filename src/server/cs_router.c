/* cs_router: decoding and matching request targets. */
#include "server/cs_router.h"
#include "util/cu_str.h"

#include <string.h>

int64_t cs_route_id(const char *s, size_t len)
{
    if (len == 0 || len > 18 || s[0] == '0')
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Decodes the raw path [s, end) into out; false when it must be refused. */
static bool decode_path(const char *s, const char *end, char *out, size_t size)
{
    size_t o = 0;
    while (s < end) {
        unsigned char c = (unsigned char)*s;
        bool escaped = false;
        if (c == '%') {
            if (end - s < 3)
                return false;
            int hi = cu_hex_value(s[1]), lo = cu_hex_value(s[2]);
            if (hi < 0 || lo < 0)
                return false;
            c = (unsigned char)(hi * 16 + lo);
            escaped = true;
            s += 3;
        } else {
            s++;
        }
        /* A separator must be literal; backslashes never are. */
        if (c == '\\' || (escaped && c == '/'))
            return false;
        if (c < 0x20 || c == 0x7f)
            return false;
        if (o + 1 >= size)
            return false;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    if (!cu_utf8_valid(out, o))
        return false;
    /* No "." or ".." segment, literal or decoded. */
    for (const char *seg = out; *seg;) {
        const char *slash = strchr(seg + 1, '/');
        size_t seg_len = slash ? (size_t)(slash - seg) : strlen(seg);
        /* seg points at the '/' that starts the segment. */
        if ((seg_len == 2 && seg[1] == '.') || (seg_len == 3 && seg[1] == '.' && seg[2] == '.'))
            return false;
        if (!slash)
            break;
        seg = slash;
    }
    return true;
}

/* Splits path after prefix into at most 2 segments. Returns the segment
 * count (0..2), or 3 for more. */
static int split2(const char *rest, const char **a, size_t *alen, const char **b, size_t *blen)
{
    *a = *b = NULL;
    *alen = *blen = 0;
    if (!*rest)
        return 0;
    const char *slash = strchr(rest, '/');
    *a = rest;
    *alen = slash ? (size_t)(slash - rest) : strlen(rest);
    if (!slash)
        return 1;
    *b = slash + 1;
    const char *slash2 = strchr(*b, '/');
    if (slash2)
        return 3;
    *blen = strlen(*b);
    return 2;
}

static bool seg_is(const char *seg, size_t len, const char *word)
{
    return seg && strlen(word) == len && !memcmp(seg, word, len);
}

/* /api/v1/me/{sessions,tokens}/{id}, /api/v1/users/{id}[/sessions|/preferences],
 * /api/v1/files/{id}/urls. True when the path is one of them. */
static bool route_account(cs_route *r)
{
    static const struct {
        const char *prefix;
        cs_route_kind one; /* prefix{id} */
        const char *tail;  /* prefix{id}/tail, or NULL */
        cs_route_kind with_tail;
    } forms[] = {
        {"/api/v1/me/sessions/", CS_ROUTE_ME_SESSION, NULL, CS_ROUTE_API_UNKNOWN},
        {"/api/v1/me/tokens/", CS_ROUTE_ME_TOKEN, NULL, CS_ROUTE_API_UNKNOWN},
        {"/api/v1/users/", CS_ROUTE_API_UNKNOWN, "preferences", CS_ROUTE_USER_PREFERENCES},
        {"/api/v1/users/", CS_ROUTE_USER, "sessions", CS_ROUTE_USER_SESSIONS},
        {"/api/v1/files/", CS_ROUTE_API_UNKNOWN, "urls", CS_ROUTE_FILE_URLS},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        if (!cu_str_has_prefix(r->path, forms[i].prefix))
            continue;
        const char *a, *b;
        size_t alen, blen;
        int n = split2(r->path + strlen(forms[i].prefix), &a, &alen, &b, &blen);
        int64_t id = n >= 1 && n <= 2 ? cs_route_id(a, alen) : -1;
        cs_route_kind kind = CS_ROUTE_API_UNKNOWN;
        if (id > 0 && n == 1)
            kind = forms[i].one;
        else if (id > 0 && n == 2 && forms[i].tail && seg_is(b, blen, forms[i].tail))
            kind = forms[i].with_tail;
        if (kind == CS_ROUTE_API_UNKNOWN && forms[i].one == CS_ROUTE_API_UNKNOWN)
            continue; /* a later form, or for files/ the stream table, decides */
        if (kind == CS_ROUTE_API_UNKNOWN)
            return true;
        r->kind = kind;
        r->id = id;
        return true;
    }
    return false;
}

/* The player's routes under /api/v1/files/{id}/ (cs_trickplay.c checks
 * the sheet's number itself). */
static cs_route_kind cs_route_file_extra(const char *seg, size_t len)
{
    if (seg_is(seg, len, "trickplay.json"))
        return CS_ROUTE_FILE_TRICKPLAY;
    if (seg_is(seg, len, "chapters"))
        return CS_ROUTE_FILE_CHAPTERS;
    if (len > 14 && !memcmp(seg, "trickplay-", 10) && !memcmp(seg + len - 4, ".jpg", 4))
        return CS_ROUTE_FILE_TRICKPLAY_SHEET;
    return CS_ROUTE_API_UNKNOWN;
}

/* /api/v1/films/{id}/{poster,backdrop}/frame: the one three-segment form. */
static bool route_frame(cs_route *r)
{
    static const char prefix[] = "/api/v1/films/";
    if (!cu_str_has_prefix(r->path, prefix))
        return false;
    const char *rest = r->path + strlen(prefix), *slash = strchr(rest, '/');
    if (!slash)
        return false;
    cs_route_kind kind = !strcmp(slash, "/poster/frame")     ? CS_ROUTE_FILM_POSTER_FRAME
                         : !strcmp(slash, "/backdrop/frame") ? CS_ROUTE_FILM_BACKDROP_FRAME
                                                             : CS_ROUTE_API_UNKNOWN;
    int64_t id = cs_route_id(rest, (size_t)(slash - rest));
    if (kind == CS_ROUTE_API_UNKNOWN || id <= 0)
        return false;
    r->kind = kind;
    r->id = id;
    return true;
}

static void route_api(cs_route *r)
{
    static const struct {
        const char *name;
        cs_route_kind kind;
    } plain[] = {
        {"/api/v1/films", CS_ROUTE_FILMS},
        {"/api/v1/films/letters", CS_ROUTE_FILM_LETTERS},
        {"/api/v1/collections", CS_ROUTE_COLLECTIONS},
        {"/api/v1/search", CS_ROUTE_SEARCH},
        {"/api/v1/festivals", CS_ROUTE_FESTIVALS},
        {"/api/v1/genres", CS_ROUTE_GENRES},
        {"/api/v1/status", CS_ROUTE_STATUS},
        {"/api/v1/continue", CS_ROUTE_CONTINUE},
        {"/api/v1/auth/login", CS_ROUTE_AUTH_LOGIN},
        {"/api/v1/auth/logout", CS_ROUTE_AUTH_LOGOUT},
        {"/api/v1/auth/setup", CS_ROUTE_AUTH_SETUP},
        {"/api/v1/me", CS_ROUTE_ME},
        {"/api/v1/me/sessions", CS_ROUTE_ME_SESSIONS},
        {"/api/v1/me/tokens", CS_ROUTE_ME_TOKENS},
        {"/api/v1/me/preferences", CS_ROUTE_ME_PREFERENCES},
        {"/api/v1/users", CS_ROUTE_USERS},
        {"/api/v1/roots", CS_ROUTE_ROOTS},
        {"/api/v1/scan", CS_ROUTE_SCAN},
        {"/api/v1/dlna", CS_ROUTE_DLNA},
        {"/api/v1/scan/failed", CS_ROUTE_SCAN_FAILED},
        {"/api/v1/shares", CS_ROUTE_SHARES},
    };
    r->kind = CS_ROUTE_API_UNKNOWN;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (!strcmp(r->path, plain[i].name)) {
            r->kind = plain[i].kind;
            return;
        }
    if (cu_str_has_prefix(r->path, "/api/v1/shares/")) {
        r->kind = CS_ROUTE_SHARES;
        return;
    }
    if (route_account(r) || route_frame(r))
        return;
    static const struct {
        const char *prefix;
        cs_route_kind one, poster, backdrop, stream;
    } with_id[] = {
        {"/api/v1/films/", CS_ROUTE_FILM, CS_ROUTE_FILM_POSTER, CS_ROUTE_FILM_BACKDROP,
         CS_ROUTE_API_UNKNOWN},
        {"/api/v1/people/", CS_ROUTE_PERSON, CS_ROUTE_API_UNKNOWN, CS_ROUTE_API_UNKNOWN,
         CS_ROUTE_API_UNKNOWN},
        {"/api/v1/extras/", CS_ROUTE_EXTRA, CS_ROUTE_API_UNKNOWN, CS_ROUTE_API_UNKNOWN,
         CS_ROUTE_API_UNKNOWN},
        {"/api/v1/collections/", CS_ROUTE_COLLECTION, CS_ROUTE_API_UNKNOWN, CS_ROUTE_API_UNKNOWN,
         CS_ROUTE_API_UNKNOWN},
        {"/api/v1/files/", CS_ROUTE_API_UNKNOWN, CS_ROUTE_API_UNKNOWN, CS_ROUTE_API_UNKNOWN,
         CS_ROUTE_FILE_STREAM},
    };
    for (size_t i = 0; i < sizeof with_id / sizeof *with_id; i++) {
        if (!cu_str_has_prefix(r->path, with_id[i].prefix))
            continue;
        /* /api/v1/files/{id}/hls/<name...>: the HLS handler names its files. */
        if (with_id[i].stream == CS_ROUTE_FILE_STREAM) {
            const char *rest = r->path + strlen(with_id[i].prefix);
            const char *slash = strchr(rest, '/');
            if (slash && cu_str_has_prefix(slash, "/hls/") && slash[5]) {
                int64_t id = cs_route_id(rest, (size_t)(slash - rest));
                if (id > 0) {
                    r->kind = CS_ROUTE_FILE_HLS;
                    r->id = id;
                }
                return;
            }
        }
        const char *a, *b;
        size_t alen, blen;
        int n = split2(r->path + strlen(with_id[i].prefix), &a, &alen, &b, &blen);
        int64_t id = n >= 1 && n <= 2 ? cs_route_id(a, alen) : -1;
        if (id <= 0)
            return;
        cs_route_kind kind = CS_ROUTE_API_UNKNOWN;
        if (n == 1)
            kind = with_id[i].one;
        else if (seg_is(b, blen, "poster"))
            kind = with_id[i].poster;
        else if (seg_is(b, blen, "backdrop"))
            kind = with_id[i].backdrop;
        else if (seg_is(b, blen, "stream"))
            kind = with_id[i].stream;
        else if (seg_is(b, blen, "watched") && with_id[i].one == CS_ROUTE_FILM)
            kind = CS_ROUTE_FILM_WATCHED;
        else if (seg_is(b, blen, "metadata") && with_id[i].one == CS_ROUTE_FILM)
            kind = CS_ROUTE_FILM_METADATA;
        else if (seg_is(b, blen, "disctitle") && with_id[i].one == CS_ROUTE_FILM)
            kind = CS_ROUTE_FILM_DISCTITLE;
        else if (seg_is(b, blen, "similar") && with_id[i].one == CS_ROUTE_FILM)
            kind = CS_ROUTE_FILM_SIMILAR;
        else if (seg_is(b, blen, "progress") && with_id[i].stream == CS_ROUTE_FILE_STREAM)
            kind = CS_ROUTE_FILE_PROGRESS;
        else if (with_id[i].stream == CS_ROUTE_FILE_STREAM)
            kind = cs_route_file_extra(b, blen);
        if (kind != CS_ROUTE_API_UNKNOWN) {
            r->kind = kind;
            r->id = id;
        }
        return;
    }
}

void cs_route_parse(const char *target, size_t len, cs_route *r)
{
    memset(r, 0, sizeof *r);
    r->kind = CS_ROUTE_BAD;
    if (!target)
        return;
    if (len > CS_URL_MAX) {
        r->kind = CS_ROUTE_TOO_LONG;
        return;
    }
    /* origin-form only: "/path?query". */
    if (len == 0 || target[0] != '/' || memchr(target, '\0', len) || memchr(target, '#', len))
        return;
    const char *q = memchr(target, '?', len);
    const char *path_end = q ? q : target + len;
    if (q) {
        r->query = q + 1;
        r->query_len = (size_t)(target + len - (q + 1));
    }
    if (!decode_path(target, path_end, r->path, sizeof r->path)) {
        r->path[0] = '\0';
        r->query = NULL;
        r->query_len = 0;
        return;
    }
    if (!strcmp(r->path, "/api") || cu_str_has_prefix(r->path, "/api/"))
        route_api(r);
    else
        r->kind = CS_ROUTE_STATIC;
}

bool cs_route_sends_file(cs_route_kind kind)
{
    switch (kind) {
    case CS_ROUTE_STATIC:
    case CS_ROUTE_FILE_STREAM:
    case CS_ROUTE_FILE_HLS:
    case CS_ROUTE_FILM_POSTER:
    case CS_ROUTE_FILM_BACKDROP:
    case CS_ROUTE_FILE_TRICKPLAY_SHEET: return true;
    default: return false;
    }
}
