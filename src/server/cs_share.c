/* cs_share: the share door, anonymous by design, like the DLNA door:
 *   /s/{token}                 the public page (server-written, Open Graph tags)
 *   /s/{token}/embed           the player alone, framable by frame-ancestors
 *   /s/{token}/info.json       what the page's script reads (a contract)
 *   /s/{token}/poster.jpg      the film's poster, while live
 *   /s/{token}/hls/...?sig=S   the share's HLS, signed for this share only
 * A share reveals nothing before it opens (no media, poster or subtitle
 * URL answers, guessed or not: 404), everything under it is 410 Gone once
 * it closed or was revoked, and an unknown token is 404 after the same
 * catalog lookup a known one costs. Every request is rate limited per
 * client address, and failed guesses (unknown tokens, bad signatures) lock
 * an address out for a while (cs_limit). */
#include "catalog/cc_share.h"
#include "catalog/cc_writer.h"
#include "json/cj_share.h"
#include "server/cs_internal.h"
#include "server/cs_limit.h"
#include "server/cs_share_page.h"
#include "util/cu_buf.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Requests per client address per minute on the share door (pages,
 * playlists, segments): a clip's viewer asks for a few a second at most.
 * CINEMATECA_SHARE_RATE overrides it (tests lower it). */
#define SHARE_RATE_DEFAULT 1200
#define SHARE_RATE_SLOTS 1024
/* Unknown tokens and bad signatures an address may send before it is
 * locked out (1 s, 2 s, ... up to 5 minutes). */
#define SHARE_GUESSES_FREE 20
#define SHARE_GUESS_LOCK_MAX_S 300
/* A signed media URL lives this long at most (and never past closing). */
#define SHARE_SIG_S (6 * 3600)

typedef struct rate_slot {
    char address[48];
    int64_t window; /* the minute (epoch minutes) counted */
    unsigned count;
} rate_slot;

struct cs_shares {
    pthread_mutex_t lock; /* guards slots */
    rate_slot slots[SHARE_RATE_SLOTS];
    unsigned rate;
    cs_limit *guesses;
};

int cs_shares_new(cs_shares **out, cu_err *err)
{
    (void)err;
    cs_shares *s = cu_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->rate = SHARE_RATE_DEFAULT;
    const char *env = getenv("CINEMATECA_SHARE_RATE");
    if (env) {
        long v = strtol(env, NULL, 10);
        if (v >= 1 && v <= 1000000)
            s->rate = (unsigned)v;
    }
    s->guesses = cs_limit_new(SHARE_GUESSES_FREE, SHARE_GUESS_LOCK_MAX_S);
    *out = s;
    return 0;
}

void cs_shares_free(cs_shares *s)
{
    if (!s)
        return;
    cs_limit_free(s->guesses);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* False when address asked for more than its share this minute. One slot
 * per address hash: two addresses in one slot share a budget (bounded
 * memory whatever arrives). */
static bool rate_ok(cs_shares *s, const char *address)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *c = address; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    int64_t minute = cu_time_now() / 60;
    pthread_mutex_lock(&s->lock);
    rate_slot *slot = &s->slots[h % SHARE_RATE_SLOTS];
    if (slot->window != minute || strcmp(slot->address, address)) {
        if (slot->window != minute || slot->count == 0) {
            cu_strlcpy(slot->address, address, sizeof slot->address);
            slot->window = minute;
            slot->count = 0;
        }
    }
    bool ok = ++slot->count <= s->rate;
    pthread_mutex_unlock(&s->lock);
    return ok;
}

bool cs_share_path(const char *path)
{
    return cu_str_has_prefix(path, "/s/");
}

/* ---- signatures: sig = VIEWER "." EXPIRES "." base64url(HMAC(key,
 * "cinemateca-share-v1" \n SHARE \n VIEWER \n EXPIRES)). Another domain
 * string than file signatures (cs_sign.c), so neither opens the other. */

#define VIEWER_CHARS 16 /* hex of 8 random bytes */
#define CS_SIG_MAX_SHARE 96

static void share_mac(const unsigned char *key, int64_t share_id, const char *viewer,
                      int64_t expires, char out[48])
{
    char msg[160];
    int n = snprintf(msg, sizeof msg, "cinemateca-share-v1\n%lld\n%s\n%lld", (long long)share_id,
                     viewer, (long long)expires);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)msg, (unsigned long long)n, key);
    sodium_bin2base64(out, 48, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void share_sign(const unsigned char *key, int64_t share_id, const char *viewer,
                       int64_t expires, char *out, size_t size)
{
    char mac[48];
    share_mac(key, share_id, viewer, expires, mac);
    snprintf(out, size, "%s.%lld.%s", viewer, (long long)expires, mac);
}

/* True when sig was made for share_id and has not expired. */
static bool share_sig_ok(const unsigned char *key, int64_t share_id, const char *sig, int64_t now)
{
    if (!sig || strlen(sig) > CS_SIG_MAX_SHARE)
        return false;
    const char *dot1 = strchr(sig, '.');
    if (!dot1 || dot1 - sig != VIEWER_CHARS)
        return false;
    char viewer[VIEWER_CHARS + 1];
    memcpy(viewer, sig, VIEWER_CHARS);
    viewer[VIEWER_CHARS] = '\0';
    for (int i = 0; i < VIEWER_CHARS; i++)
        if (!((viewer[i] >= '0' && viewer[i] <= '9') || (viewer[i] >= 'a' && viewer[i] <= 'f')))
            return false;
    const char *p = dot1 + 1;
    int64_t expires = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 18) {
        expires = expires * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits || *p != '.' || expires < now)
        return false;
    char want[48];
    share_mac(key, share_id, viewer, expires, want);
    const char *mac = p + 1;
    return strlen(mac) == strlen(want) && sodium_memcmp(mac, want, strlen(want)) == 0;
}

/* ---- replies ---- */

static const char *const PAGE_CSP =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/* An HTML reply under the share CSP; embed_ancestors non-NULL lets those
 * sources frame it (and drops X-Frame-Options). */
static enum MHD_Result reply_html(cs_request *req, unsigned status, char *html /* stolen */,
                                  const char *embed_ancestors)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(html), html, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(html);
        return MHD_NO;
    }
    cs_reply_common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (embed_ancestors) {
        /* Chromium applies CORP to an iframe's navigation too: the embed
         * page itself is meant for other sites (its media stay same-origin). */
        MHD_del_response_header(r, "X-Frame-Options", "DENY");
        MHD_del_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
        MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "cross-origin");
        char *csp = cu_xasprintf("%.*s; frame-ancestors %s", (int)(strlen(PAGE_CSP) - 24), PAGE_CSP,
                                 embed_ancestors);
        MHD_add_response_header(r, "Content-Security-Policy", csp);
        free(csp);
    } else {
        MHD_add_response_header(r, "Content-Security-Policy", PAGE_CSP);
    }
    MHD_add_response_header(r, "X-Robots-Tag", "noindex");
    enum MHD_Result ret = MHD_queue_response(req->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_plain_page(cs_request *req, unsigned status, const char *heading,
                                        const char *text)
{
    return reply_html(req, status, cs_share_page_plain(heading, text), NULL);
}

static enum MHD_Result not_found(cs_request *req)
{
    return reply_plain_page(req, 404, "Not found", "There is no share at this address.");
}

static enum MHD_Result gone(cs_request *req)
{
    return reply_plain_page(req, 410, "This share has closed",
                            "The link you followed is no longer open.");
}

/* ---- the door ---- */

typedef struct share_ctx {
    cs_request *req;
    cc_db *db;
    cc_share share;
    cc_share_state state;
    int64_t now;
    char address[64];
    char viewer[VIEWER_CHARS + 1]; /* a new viewer session's key (info.json) */
} share_ctx;

static int view_fn(cc_db *db, void *user, cu_err *err)
{
    share_ctx *c = user;
    return cc_share_view(db, c->share.id, c->viewer, c->now, err);
}

/* The origin this request came to ("https://films.example.org"), for the
 * absolute URLs Open Graph wants; "" when there is no Host. The Host was
 * checked against the server's names before any handler ran. */
static void request_origin(cs_request *req, char *out, size_t size)
{
    const char *host =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    out[0] = '\0';
    if (host && strlen(host) < 256 && !strpbrk(host, "\"'<> \\"))
        snprintf(out, size, "%s://%s", cs_auth_tls(cs_server_auth(req->server)) ? "https" : "http",
                 host);
}

static cs_share_page_facts facts_of(share_ctx *c, char **film_title, char **director)
{
    cs_share_page_facts f = {.token = c->share.token,
                             .title = c->share.title,
                             .note = c->share.note,
                             .opens_at = c->share.opens_at,
                             .state = c->state == CC_SHARE_SCHEDULED ? "scheduled" : "live",
                             .available = cc_share_available(&c->share)};
    *film_title = *director = NULL;
    cu_err err = {0};
    if (c->share.film_id > 0 &&
        cc_share_film_facts(c->db, c->share.film_id, film_title, &f.year, director, &err) == 0) {
        f.film_title = *film_title;
        f.director = *director;
    }
    return f;
}

static enum MHD_Result page(share_ctx *c, bool embed)
{
    char *film_title, *director;
    cs_share_page_facts f = facts_of(c, &film_title, &director);
    char origin[300];
    request_origin(c->req, origin, sizeof origin);
    f.origin = origin;
    f.embed = embed;
    char *html = cs_share_page(&f);
    free(film_title);
    free(director);
    const cs_config *config = cs_server_config(c->req->server);
    const char *ancestors = config->share_frame_ancestors && *config->share_frame_ancestors
                                ? config->share_frame_ancestors
                                : "'self'";
    return reply_html(c->req, 200, html, embed ? ancestors : NULL);
}

static enum MHD_Result info_json(share_ctx *c)
{
    cs_request *req = c->req;
    char *film_title, *director;
    cs_share_page_facts f = facts_of(c, &film_title, &director);
    bool live = c->state == CC_SHARE_LIVE && f.available;
    json_t *hls = json_null(), *poster = json_null();
    if (live) {
        /* A new viewer session: counted now, once (not per segment); its
         * key rides in the media URLs' signature. */
        unsigned char raw[VIEWER_CHARS / 2];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(c->viewer, sizeof c->viewer, raw, sizeof raw);
        cu_err err = {0};
        cs_auth *a = cs_server_auth(req->server);
        cc_db *w = cs_auth_writer(a, &err);
        int rc = w ? cc_writer_run(w, view_fn, c, &err) : CU_EBUSY;
        if (w)
            cs_auth_writer_release(a);
        if (rc == CU_ELIMIT) {
            free(film_title);
            free(director);
            json_decref(hls);
            json_decref(poster);
            return gone(req);
        }
        if (rc < 0) {
            free(film_title);
            free(director);
            return cs_reply_catalog_error(req, &err);
        }
        int64_t expires = c->now + SHARE_SIG_S;
        if (c->share.closes_at > 0 && c->share.closes_at < expires)
            expires = c->share.closes_at;
        char sig[CS_SIG_MAX_SHARE + 1];
        share_sign(cs_auth_key(a), c->share.id, c->viewer, expires, sig, sizeof sig);
        char *url = cu_xasprintf("/s/%s/hls/master.m3u8?sig=%s", c->share.token, sig);
        json_decref(hls);
        hls = json_string(url);
        free(url);
        if (c->share.film_id > 0) {
            url = cu_xasprintf("/s/%s/poster.jpg", c->share.token);
            poster = json_string(url);
            free(url);
        }
    }
    const char *state = c->state == CC_SHARE_SCHEDULED ? "scheduled" : live ? "live" : "closed";
    json_t *film =
        json_pack("{s:o,s:o,s:o}", "title", film_title ? json_string(film_title) : json_null(),
                  "year", f.year > 0 ? json_integer(f.year) : json_null(), "director",
                  director ? json_string(director) : json_null());
    const char *title = c->share.title ? c->share.title : film_title ? film_title : "";
    json_t *body =
        json_pack("{s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:o}", "title", title, "note",
                  c->share.note ? json_string(c->share.note) : json_null(), "film", film, "state",
                  state, "opens_at", cj_share_time(c->share.opens_at), "closes_at",
                  cj_share_time(c->share.closes_at), "hls", hls, "poster", poster);
    free(film_title);
    free(director);
    return cs_reply_json(req, 200, body);
}

/* Loads the share named by the path's token, counting a miss as a guess. */
static int load(share_ctx *c, const char *token, cu_err *err)
{
    c->db = cs_server_db(c->req->server, err);
    if (!c->db)
        return err->code ? err->code : CU_EDB;
    int rc = cc_share_find(c->db, token, &c->share, err);
    if (rc < 0)
        return rc;
    c->state = cc_share_state_at(&c->share, c->now);
    return 0;
}

enum MHD_Result cs_share_serve(cs_request *req)
{
    cs_shares *shares = cs_server_shares(req->server);
    share_ctx c = {.req = req, .now = cu_time_now()};
    cs_auth_client_address(req, c.address, sizeof c.address);
    bool resumed = req->parked || req->wait_until; /* a parked HLS request asked again */
    if (!resumed) {
        if (req->method != CS_METHOD_GET && req->method != CS_METHOD_HEAD)
            return cs_reply_method_not_allowed(req, "GET, HEAD");
        int64_t wait = cs_limit_wait(shares->guesses, c.address, cu_time_mono_ms());
        if (wait > 0 || !rate_ok(shares, c.address)) {
            req->retry_after = wait > 0 ? wait : 60;
            return cs_reply_text(req, 429, "text/plain; charset=utf-8",
                                 "Too many requests; try again later.\n");
        }
    }
    /* /s/TOKEN[/rest] */
    const char *token_at = req->route.path + 3;
    const char *slash = strchr(token_at, '/');
    size_t token_len = slash ? (size_t)(slash - token_at) : strlen(token_at);
    char token[CC_SHARE_TOKEN_CHARS + 2];
    if (token_len > CC_SHARE_TOKEN_CHARS) /* still one lookup, as for an unknown token */
        token_len = CC_SHARE_TOKEN_CHARS + 1;
    memcpy(token, token_at, token_len);
    token[token_len] = '\0';
    const char *rest = slash ? slash : "";
    cu_err err = {0};
    int rc = load(&c, token, &err);
    if (rc == CU_ENOTFOUND) {
        cs_limit_fail(shares->guesses, c.address, cu_time_mono_ms());
        return not_found(req);
    }
    if (rc < 0)
        return cs_reply_catalog_error(req, &err);
    enum MHD_Result ret;
    /* Closed for everyone: revoked, or past closing. A reached view limit
     * closes the door to new viewers (the pages, info.json); those counted
     * before keep watching with their signed URLs until those expire. */
    bool media = cu_str_has_prefix(rest, "/hls/") || !strcmp(rest, "/poster.jpg");
    bool time_closed = c.share.revoked || (c.share.closes_at > 0 && c.now >= c.share.closes_at);
    bool closed = time_closed || (!media && c.state == CC_SHARE_EXPIRED);
    if (closed) {
        ret = gone(req);
    } else if (!*rest || !strcmp(rest, "/embed")) {
        ret = page(&c, *rest != '\0');
    } else if (!strcmp(rest, "/info.json")) {
        ret = info_json(&c);
    } else if (c.state == CC_SHARE_SCHEDULED) {
        /* Nothing but the page and info.json answers before it opens. */
        ret = cs_reply_error(req, 404, "not_found", "no such file");
    } else if (!cc_share_available(&c.share)) {
        ret = cs_reply_error(req, 404, "not_found", "this film is no longer available");
    } else if (!strcmp(rest, "/poster.jpg")) {
        ret = c.share.film_id > 0 ? (enum MHD_Result)cs_door_send_poster(req, c.share.film_id)
                                  : cs_reply_error(req, 404, "not_found", "no poster");
    } else if (cu_str_has_prefix(rest, "/hls/") && rest[5]) {
        const char *sig = cs_query_get(&req->query, "sig");
        if (!share_sig_ok(cs_auth_key(cs_server_auth(req->server)), c.share.id, sig, c.now)) {
            cs_limit_fail(shares->guesses, c.address, cu_time_mono_ms());
            ret = cs_reply_error(req, 403, "forbidden", "this link is not signed for this share");
        } else {
            cu_strlcpy(req->sig, sig, sizeof req->sig); /* carried into the playlists */
            cs_hls_clip clip = {c.share.clip_from_ms, c.share.clip_to_ms};
            ret = cs_hls_serve_file(req, c.share.file_id, rest + 5,
                                    c.share.clip_to_ms > 0 ? &clip : NULL);
        }
    } else {
        ret = cs_reply_error(req, 404, "not_found", "no such file");
    }
    cc_share_clear(&c.share);
    return ret;
}
