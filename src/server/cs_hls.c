/* cs_hls: the HLS endpoints of a file, /api/v1/files/{id}/hls/...:
 *   master.m3u8?caps=h264,aac&audio=N&lang=xx   what this client gets
 *   media.m3u8?o=V          every segment, VOD        (V: audio-stream and
 *   init.mp4?o=V, seg-N.m4s?o=V                        copy/encode choice)
 *   subs/K.m3u8, subs/K.vtt  text subtitles as WebVTT (K: "sN" embedded
 *                            stream N, "xN" the N-th sidecar file)
 * The media work is cm_hls's; here are URLs, caching and the playbacks'
 * transcoding workers. Transcoded segments, init segments and subtitles are
 * cached on disk under the cache directory (size-capped, LRU); keyframe
 * indexes beside them. Copied segments are cut anew each time. */
#include "catalog/cc_film.h"
#include "catalog/cc_subtitle.h"
#include "media/cm_cache.h"
#include "media/cm_hls.h"
#include "server/cs_internal.h"
#include "util/cu_buf.h"
#include "util/cu_log.h"
#include "util/cu_map.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HLS_DEFAULT_CACHE_MB 2048
#define HLS_DEFAULT_TRANSCODES 2
#define HLS_WORKER_IDLE_MS 60000 /* a playback nobody asked for in a minute is gone */
#define HLS_SEGMENT_WAIT_MS 30000
_Static_assert(HLS_WORKER_IDLE_MS > HLS_SEGMENT_WAIT_MS, "a worker waited on must not look idle");
#define HLS_AHEAD 3
/* Transcoded renditions: shorter segments (a seek waits for one to be
 * encoded), the first two shorter still (playback starts after the first),
 * cut at times rather than keyframes so long GOPs do not make long
 * segments. */
#define HLS_TRANSCODE_TARGET 4.0
#define HLS_TRANSCODE_FIRST 2.0
#define HLS_TRANSCODE_FIRST_COUNT 2
#define HLS_MAX_SIDECARS 64

struct cs_hls {
    pthread_mutex_t lock; /* guards indexes and workers */
    char *index_dir;      /* NULL: indexes only in memory */
    cm_cache *cache;      /* NULL: nothing cached on disk */
    cm_transcode_limit *limit;
    cu_map *indexes; /* identity -> cm_keyframes* */
    cu_map *workers; /* identity/variant -> cm_transcode* */
};

static long env_long(const char *name, long fallback, long min, long max)
{
    const char *v = getenv(name);
    if (!v || !v[0])
        return fallback;
    char *end;
    long n = strtol(v, &end, 10);
    return *end || n < min || n > max ? fallback : n;
}

int cs_hls_new(const char *cache_dir, cs_hls **out, cu_err *err)
{
    *out = NULL;
    cs_hls *h = cu_xcalloc(1, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    h->indexes = cu_map_new();
    h->workers = cu_map_new();
    h->limit = cm_transcode_limit_new(
        (int)env_long("CINEMATECA_HLS_TRANSCODES", HLS_DEFAULT_TRANSCODES, 1, 64));
    if (cache_dir) {
        h->index_dir = cu_path_join(cache_dir, "keyframes");
        if (mkdir(cache_dir, 0755) != 0 && errno != EEXIST)
            cu_log(CU_LOG_WARN, "hls: cannot create %s: %s", cache_dir, strerror(errno));
        if (mkdir(h->index_dir, 0755) != 0 && errno != EEXIST) {
            cu_log(CU_LOG_WARN, "hls: cannot create %s: %s", h->index_dir, strerror(errno));
            free(h->index_dir);
            h->index_dir = NULL;
        }
        char *dir = cu_path_join(cache_dir, "hls");
        uint64_t mb = (uint64_t)env_long("CINEMATECA_HLS_CACHE_MB", HLS_DEFAULT_CACHE_MB, 16,
                                         1L << 30);
        cu_err cerr = {0};
        if (cm_cache_new(dir, mb * 1024 * 1024, &h->cache, &cerr) < 0)
            cu_log(CU_LOG_WARN, "hls: no segment cache: %s", cerr.msg);
        free(dir);
    }
    (void)err;
    *out = h;
    return 0;
}

void cs_hls_free(cs_hls *h)
{
    if (!h)
        return;
    size_t pos = 0;
    const char *key;
    void *v;
    while (cu_map_next(h->workers, &pos, &key, &v))
        cm_transcode_free(v);
    cu_map_free(h->workers);
    pos = 0;
    while (cu_map_next(h->indexes, &pos, &key, &v))
        cm_keyframes_free(v);
    cu_map_free(h->indexes);
    cm_transcode_limit_free(h->limit);
    cm_cache_free(h->cache);
    free(h->index_dir);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

/* ---- the file ---- */

typedef struct hls_file {
    int64_t id;         /* the catalog's file id */
    char *path;         /* real path, checked to lie inside its library root */
    char *root;         /* that root, real */
    char identity[96];  /* "id-size-mtime": changes when the file does */
} hls_file;

static void hls_file_clear(hls_file *f)
{
    free(f->path);
    free(f->root);
    f->path = f->root = NULL;
}

/* Finds the file by id and checks it is still where the scanner found it.
 * On failure the reply is queued and *ret set. */
static bool locate(cs_request *req, hls_file *f, enum MHD_Result *ret)
{
    memset(f, 0, sizeof *f);
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db) {
        *ret = cs_reply_catalog_error(req, &err);
        return false;
    }
    cc_file_location loc;
    if (cc_file_locate(db, req->route.id, &loc, &err) < 0) {
        *ret = cs_reply_catalog_error(req, &err);
        return false;
    }
    char *real = cu_path_real(loc.path);
    char *root = loc.root ? cu_path_real(loc.root) : NULL;
    struct stat sb;
    bool ok = false;
    if (!real || stat(real, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *ret = cs_reply_error(req, 404, "not_found", "the file is no longer on disk");
    } else if (!root || !cu_path_is_within(root, real)) {
        cu_log(CU_LOG_WARN, "file %lld resolves outside its library root; refused",
               (long long)loc.id);
        *ret = cs_reply_error(req, 404, "not_found", "the file is not in the library");
    } else {
        snprintf(f->identity, sizeof f->identity, "%lld-%lld-%lld", (long long)loc.id,
                 (long long)sb.st_size, (long long)sb.st_mtime);
        f->id = loc.id;
        f->path = real;
        f->root = root;
        real = root = NULL;
        ok = true;
    }
    free(real);
    free(root);
    cc_file_location_clear(&loc);
    return ok;
}

/* The keyframe index: memory, then the index folder, then a scan. It
 * stays in memory until the server stops (tens of kilobytes per film
 * played), so requests can use it without a reference count. */
static int get_index(cs_hls *h, const hls_file *f, cm_keyframes **out, cu_err *err)
{
    pthread_mutex_lock(&h->lock);
    cm_keyframes *kf = cu_map_get(h->indexes, f->identity);
    pthread_mutex_unlock(&h->lock);
    if (kf) {
        *out = kf;
        return 0;
    }
    char *file = NULL;
    if (h->index_dir) {
        char name[128];
        snprintf(name, sizeof name, "%s.kf", f->identity);
        file = cu_path_join(h->index_dir, name);
        cu_err ignored = {0};
        if (cm_keyframes_load(file, &kf, &ignored) < 0)
            kf = NULL;
    }
    if (!kf) {
        int rc = cm_keyframes_build(f->path, &kf, err);
        if (rc < 0) {
            free(file);
            return rc;
        }
        cu_err save_err = {0};
        if (file && cm_keyframes_save(kf, file, &save_err) < 0)
            cu_log(CU_LOG_WARN, "hls: %s", save_err.msg);
    }
    free(file);
    pthread_mutex_lock(&h->lock);
    cm_keyframes *other = cu_map_get(h->indexes, f->identity);
    if (other) { /* made twice at once: keep the first */
        cm_keyframes_free(kf);
        kf = other;
    } else {
        cu_map_put(h->indexes, f->identity, kf, NULL);
    }
    pthread_mutex_unlock(&h->lock);
    *out = kf;
    return 0;
}

/* ---- replies ---- */

static enum MHD_Result reply_media_error(cs_request *req, const cu_err *err)
{
    switch (err->code) {
    case CU_EBUSY: return cs_reply_error(req, 503, "busy", "%s", err->msg);
    case CU_ELIMIT: return cs_reply_error(req, 503, "not_ready", "%s", err->msg);
    case CU_ENOTFOUND: return cs_reply_error(req, 404, "not_found", "%s", err->msg);
    case -ENOENT: return cs_reply_error(req, 404, "not_found", "the file is no longer on disk");
    default:
        cu_log(CU_LOG_WARN, "hls %s: %s", req->route.path, err->msg);
        return cs_reply_error(req, 500, "media_error", "%s", err->msg);
    }
}

static enum MHD_Result reply_bytes(cs_request *req, uint8_t *data /* stolen */, size_t len,
                                   const char *type, const char *cache_control)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return MHD_NO;
    }
    cs_reply_common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
    enum MHD_Result ret = MHD_queue_response(req->conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_cached(cs_request *req, int fd, uint64_t size, const char *type,
                                    const char *cache_control)
{
    struct MHD_Response *r = MHD_create_response_from_fd64(size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    cs_reply_common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
    enum MHD_Result ret = MHD_queue_response(req->conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

static const char *const PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
static const char *const SEGMENT_CACHE = "private, max-age=86400";

/* ---- variants: which audio, copy or encode ---- */

typedef struct variant {
    int audio; /* container index, -1: none */
    bool copy_video, copy_audio;
    char text[32]; /* "1-ct", "n-c" */
} variant;

static void variant_format(variant *v)
{
    if (v->audio >= 0)
        snprintf(v->text, sizeof v->text, "%d-%c%c", v->audio, v->copy_video ? 'c' : 't',
                 v->copy_audio ? 'c' : 't');
    else
        snprintf(v->text, sizeof v->text, "n-%c", v->copy_video ? 'c' : 't');
}

static bool variant_parse(const char *s, variant *v)
{
    memset(v, 0, sizeof *v);
    if (!s)
        return false;
    char vc, ac = 'c';
    int audio = -1, n = 0;
    if (s[0] == 'n') {
        if (sscanf(s, "n-%c%n", &vc, &n) != 1)
            return false;
    } else if (sscanf(s, "%3d-%c%c%n", &audio, &vc, &ac, &n) != 3 || audio < 0) {
        return false;
    }
    if (s[n] || (vc != 'c' && vc != 't') || (ac != 'c' && ac != 't'))
        return false;
    v->audio = audio;
    v->copy_video = vc == 'c';
    v->copy_audio = ac == 'c';
    variant_format(v);
    return strcmp(v->text, s) == 0;
}

static cm_hls_output variant_output(const variant *v)
{
    return (cm_hls_output){.audio_index = v->audio, .copy_video = v->copy_video,
                           .copy_audio = v->copy_audio};
}

/* ---- subtitles ---- */

typedef struct sub_track {
    char key[24]; /* "s3", "x0": room for any size_t, so -O0 -Werror builds */
    char *path;   /* the file to read: the film or a sidecar */
    int stream;   /* in that file; -1: its first subtitle stream */
    char name[300];
    char language[16];
    bool is_default, is_forced;
} sub_track;

/* Sidecar subtitle files of the film, as the scanner found them (the
 * catalog's, sorted by path: their order gives them their key), at most
 * HLS_MAX_SIDECARS; each still a regular file resolving inside the library
 * root (a link out of it is not ours). No folder is listed here. */
static size_t list_sidecars(cc_db *db, int64_t file_id, const char *root, cc_subtitle **out)
{
    *out = NULL;
    cc_subtitle *all = NULL;
    size_t all_count = 0, count = 0;
    cu_err err = {0};
    if (!db || cc_subtitle_list(db, file_id, &all, &all_count, &err) < 0)
        return 0;
    for (size_t i = 0; i < all_count; i++) {
        char *real = count < HLS_MAX_SIDECARS ? cu_path_real(all[i].path) : NULL;
        struct stat sb;
        if (real && cu_path_is_within(root, real) && stat(real, &sb) == 0 && S_ISREG(sb.st_mode)) {
            free(all[i].path);
            all[i].path = real;
            all[count++] = all[i];
        } else {
            free(real);
            free(all[i].path);
        }
    }
    *out = all;
    return count;
}

/* Every text subtitle of the film (embedded, then sidecars); picture
 * subtitles are counted in *image_count. */
static size_t list_subtitles(cc_db *db, int64_t file_id, const char *film, const char *root,
                             const cm_media_info *info, sub_track **out, size_t *image_count)
{
    sub_track *tracks = NULL;
    size_t count = 0;
    *image_count = 0;
    for (size_t i = 0; info && i < info->stream_count; i++) {
        const cm_media_stream *s = &info->streams[i];
        if (s->type != CM_STREAM_SUBTITLE)
            continue;
        cm_sub_kind kind = cm_subtitle_kind(s->codec);
        if (kind == CM_SUB_IMAGE)
            (*image_count)++;
        if (kind != CM_SUB_TEXT)
            continue;
        tracks = cu_xreallocarray(tracks, count + 1, sizeof *tracks);
        sub_track *t = &tracks[count++];
        memset(t, 0, sizeof *t);
        snprintf(t->key, sizeof t->key, "s%d", s->index);
        t->path = cu_xstrdup(film);
        t->stream = s->index;
        cu_strlcpy(t->language, s->language, sizeof t->language);
        snprintf(t->name, sizeof t->name, "%s%s", s->title[0] ? s->title
                                                  : s->language[0] ? s->language
                                                                   : "Subtitles",
                 s->is_hearing_impaired ? " (SDH)" : "");
        t->is_default = s->is_default;
        t->is_forced = s->is_forced;
    }
    cc_subtitle *sidecars;
    size_t n = list_sidecars(db, file_id, root, &sidecars);
    for (size_t i = 0; i < n; i++) {
        const cc_subtitle *side = &sidecars[i];
        if (!strcmp(side->format, "sup") || !strcmp(side->format, "sub")) {
            (*image_count)++;
            continue;
        }
        tracks = cu_xreallocarray(tracks, count + 1, sizeof *tracks);
        sub_track *t = &tracks[count++];
        memset(t, 0, sizeof *t);
        snprintf(t->key, sizeof t->key, "x%zu", i);
        t->path = cu_xstrdup(side->path);
        t->stream = -1;
        cu_strlcpy(t->language, side->language, sizeof t->language);
        snprintf(t->name, sizeof t->name, "%s%s%s", side->language[0] ? side->language : "Subtitles",
                 side->is_forced ? " (forced)" : "", side->is_hearing_impaired ? " (SDH)" : "");
        t->is_default = side->is_default;
        t->is_forced = side->is_forced;
    }
    cc_subtitle_list_free(sidecars, n);
    *out = tracks;
    return count;
}

static void free_subtitles(sub_track *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].path);
    free(t);
}

/* ---- endpoints ---- */

static enum MHD_Result master_playlist(cs_request *req, cs_hls *h, const hls_file *f)
{
    cu_err err = {0};
    cm_media_info *info = NULL;
    if (cm_media_probe(f->path, &info, &err) < 0)
        return reply_media_error(req, &err);
    int64_t audio = -1;
    if (cs_query_int(&req->query, "audio", 0, CM_MEDIA_MAX_STREAMS - 1, &audio) < 0) {
        cm_media_info_free(info);
        return cs_reply_error(req, 400, "bad_request", "audio must be a stream number");
    }
    cm_client_caps caps = cm_client_caps_parse(cs_query_get(&req->query, "caps"));
    cm_hls_decision d;
    if (cm_hls_decide(info, &caps, (int)audio, cs_query_get(&req->query, "lang"), &d, &err) < 0) {
        cm_media_info_free(info);
        return reply_media_error(req, &err);
    }
    variant v = {.audio = d.audio_index, .copy_video = d.copy_video, .copy_audio = d.copy_audio};
    variant_format(&v);
    cm_keyframes *kf;
    if (get_index(h, f, &kf, &err) < 0) {
        cm_media_info_free(info);
        return reply_media_error(req, &err);
    }
    cm_hls_output out = variant_output(&v);
    char codecs[128];
    if (cm_hls_codecs(f->path, kf, &out, codecs, sizeof codecs, &err) < 0) {
        cm_media_info_free(info);
        return reply_media_error(req, &err);
    }
    const cm_media_stream *video = cm_media_info_video(info);
    int width = video ? video->width : 0, height = video ? video->height : 0;
    int64_t bandwidth = info->bit_rate > 0 ? info->bit_rate * 6 / 5 : 8000000;
    if (!v.copy_video && height > CM_HLS_DEFAULT_MAX_HEIGHT) {
        width = (int)((int64_t)width * CM_HLS_DEFAULT_MAX_HEIGHT / height) & ~1;
        height = CM_HLS_DEFAULT_MAX_HEIGHT;
    }
    if (!v.copy_video)
        bandwidth = 5000000;

    sub_track *subs = NULL;
    size_t image_subs = 0;
    cu_err db_err = {0};
    size_t nsubs = list_subtitles(cs_server_db(req->server, &db_err), f->id, f->path, f->root,
                                  info, &subs, &image_subs);
    cm_hls_subtitle_entry *entries = cu_xcalloc(nsubs ? nsubs : 1, sizeof *entries);
    char **uris = cu_xcalloc(nsubs ? nsubs : 1, sizeof *uris);
    for (size_t i = 0; i < nsubs; i++) {
        uris[i] = cu_xasprintf("subs/%s.m3u8", subs[i].key);
        /* Names come from files: keep them playlist-safe. */
        for (char *c = subs[i].name; *c; c++)
            if (*c == '"' || (unsigned char)*c < 0x20)
                *c = '\'';
        for (char *c = subs[i].language; *c; c++)
            if (*c == '"' || (unsigned char)*c < 0x20)
                *c = '-';
        entries[i] = (cm_hls_subtitle_entry){.uri = uris[i], .name = subs[i].name,
                                             .language = subs[i].language,
                                             .is_default = subs[i].is_default,
                                             .is_forced = subs[i].is_forced};
    }
    char *media_uri = cu_xasprintf("media.m3u8?o=%s", v.text);
    cm_hls_master m = {.media_uri = media_uri, .codecs = codecs, .bandwidth = bandwidth,
                       .width = width, .height = height,
                       .frame_rate = video ? video->frame_rate : 0,
                       .subtitle_count = nsubs, .subtitles = entries};
    char *text = cm_hls_master_playlist(&m);
    enum MHD_Result ret;
    if (!text) {
        ret = cs_reply_error(req, 500, "internal", "cannot write the playlist");
    } else {
        cu_buf b = CU_BUF_INIT;
        cu_buf_puts(&b, text);
        /* A note for people reading the playlist; players skip comments. */
        cu_buf_printf(&b, "# cinemateca: %s\n", d.reason);
        if (image_subs)
            cu_buf_printf(&b, "# cinemateca: %zu picture subtitle track(s) need burn-in\n",
                          image_subs);
        ret = cs_reply_text(req, 200, PLAYLIST_TYPE, cu_buf_str(&b));
        cu_buf_free(&b);
    }
    free(text);
    free(media_uri);
    for (size_t i = 0; i < nsubs; i++)
        free(uris[i]);
    free(uris);
    free(entries);
    free_subtitles(subs, nsubs);
    cm_media_info_free(info);
    return ret;
}

/* The segment plan of a rendition. */
static int plan_for(const cm_keyframes *kf, const variant *v, cm_hls_plan **plan, cu_err *err)
{
    if (v->copy_video)
        return cm_hls_plan_new(kf, CM_HLS_DEFAULT_TARGET, plan, err);
    return cm_hls_plan_new_timed(kf, HLS_TRANSCODE_TARGET, HLS_TRANSCODE_FIRST,
                                 HLS_TRANSCODE_FIRST_COUNT, plan, err);
}

static enum MHD_Result media_playlist(cs_request *req, cs_hls *h, const hls_file *f,
                                      const variant *v)
{
    cu_err err = {0};
    cm_keyframes *kf;
    if (get_index(h, f, &kf, &err) < 0)
        return reply_media_error(req, &err);
    cm_hls_plan *plan;
    if (plan_for(kf, v, &plan, &err) < 0)
        return reply_media_error(req, &err);
    char *init = cu_xasprintf("init.mp4?o=%s", v->text);
    char *suffix = cu_xasprintf(".m4s?o=%s", v->text);
    char *text = cm_hls_media_playlist(plan, init, "seg-", suffix);
    enum MHD_Result ret = text ? cs_reply_text(req, 200, PLAYLIST_TYPE, text)
                               : cs_reply_error(req, 500, "internal", "cannot write the playlist");
    free(text);
    free(init);
    free(suffix);
    cm_hls_plan_free(plan);
    return ret;
}

/* Frees the workers of playbacks nobody asked anything of lately. */
static void reap_workers(cs_hls *h)
{
    cm_transcode *idle[16];
    size_t n = 0;
    pthread_mutex_lock(&h->lock);
    size_t pos = 0;
    const char *key;
    void *v;
    char *keys[16];
    while (n < 16 && cu_map_next(h->workers, &pos, &key, &v))
        if (cm_transcode_idle_ms(v) > HLS_WORKER_IDLE_MS) {
            idle[n] = v;
            keys[n++] = cu_xstrdup(key);
        }
    for (size_t i = 0; i < n; i++) {
        cu_map_remove(h->workers, keys[i]);
        free(keys[i]);
    }
    pthread_mutex_unlock(&h->lock);
    for (size_t i = 0; i < n; i++) /* joins a thread: outside the lock */
        cm_transcode_free(idle[i]);
}

static int transcoded_segment(cs_hls *h, const hls_file *f, const variant *v,
                              const cm_keyframes *kf, const cm_hls_plan *plan, size_t n,
                              cm_hls_bytes *seg, cu_err *err)
{
    char key[160];
    snprintf(key, sizeof key, "%s/%s", f->identity, v->text);
    pthread_mutex_lock(&h->lock);
    cm_transcode *tc = cu_map_get(h->workers, key);
    if (!tc) {
        cm_hls_output out = variant_output(v);
        int rc = cm_transcode_new(h->limit, f->path, kf, plan, &out, HLS_AHEAD, &tc, err);
        if (rc < 0) {
            pthread_mutex_unlock(&h->lock);
            return rc;
        }
        cu_map_put(h->workers, key, tc, NULL);
    }
    /* Workers are freed only by the reaper, under this lock, when idle for
     * longer than any wait (HLS_WORKER_IDLE_MS > HLS_SEGMENT_WAIT_MS), or
     * at shutdown: touched here, this one cannot go while we wait on it. */
    cm_transcode_touch(tc);
    pthread_mutex_unlock(&h->lock);
    return cm_transcode_get(tc, n, HLS_SEGMENT_WAIT_MS, seg, err);
}

static enum MHD_Result media_file(cs_request *req, cs_hls *h, const hls_file *f,
                                  const variant *v, long segment /* -1: init */)
{
    char key[200];
    if (segment < 0)
        snprintf(key, sizeof key, "%s/%s/init", f->identity, v->text);
    else
        snprintf(key, sizeof key, "%s/%s/%ld", f->identity, v->text, segment);
    const char *type = segment < 0 ? "video/mp4" : "video/iso.segment";
    /* Copied segments are not kept: cutting one again takes milliseconds,
     * and keeping them would copy whole films into the cache and push the
     * transcoded segments (seconds of work each) out of it. */
    bool keep = segment < 0 || !v->copy_video;
    int fd;
    uint64_t size;
    if (keep && h->cache && cm_cache_open(h->cache, key, &fd, &size) == 0)
        return reply_cached(req, fd, size, type, SEGMENT_CACHE);

    cu_err err = {0};
    cm_keyframes *kf;
    if (get_index(h, f, &kf, &err) < 0)
        return reply_media_error(req, &err);
    cm_hls_output out = variant_output(v);
    cm_hls_bytes bytes = {0};
    int rc;
    if (segment < 0) {
        rc = cm_hls_init_segment(f->path, kf, &out, &bytes, &err);
    } else {
        cm_hls_plan *plan;
        if (plan_for(kf, v, &plan, &err) < 0)
            return reply_media_error(req, &err);
        if ((size_t)segment >= plan->count) {
            cm_hls_plan_free(plan);
            return cs_reply_error(req, 404, "not_found", "no segment %ld", segment);
        }
        if (v->copy_video) {
            /* Copying (and encoding only the sound) takes milliseconds:
             * done right here, no worker. */
            rc = cm_hls_media_segment(f->path, kf, plan, &out, (size_t)segment, &bytes, &err);
        } else {
            rc = transcoded_segment(h, f, v, kf, plan, (size_t)segment, &bytes, &err);
        }
        cm_hls_plan_free(plan);
    }
    if (rc < 0)
        return reply_media_error(req, &err);
    if (keep && h->cache) {
        cu_err cerr = {0};
        if (cm_cache_put(h->cache, key, bytes.data, bytes.len, &cerr) < 0)
            cu_log(CU_LOG_WARN, "hls cache: %s", cerr.msg);
    }
    return reply_bytes(req, bytes.data, bytes.len, type, SEGMENT_CACHE);
}

static enum MHD_Result subtitle(cs_request *req, cs_hls *h, const hls_file *f, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot || (strcmp(dot, ".m3u8") && strcmp(dot, ".vtt")))
        return cs_reply_error(req, 404, "not_found", "no such subtitle file");
    char key[16];
    size_t klen = (size_t)(dot - name);
    if (klen == 0 || klen >= sizeof key)
        return cs_reply_error(req, 404, "not_found", "no such subtitle track");
    memcpy(key, name, klen);
    key[klen] = '\0';

    cu_err err = {0};
    cm_keyframes *kf;
    if (get_index(h, f, &kf, &err) < 0)
        return reply_media_error(req, &err);
    if (!strcmp(dot, ".m3u8")) {
        double total = (double)(kf->end - kf->pts[0]) * kf->tb_num / kf->tb_den;
        char *uri = cu_xasprintf("%s.vtt", key);
        char *text = cm_hls_subtitle_playlist(total, uri);
        free(uri);
        enum MHD_Result ret = text ? cs_reply_text(req, 200, PLAYLIST_TYPE, text)
                                   : cs_reply_error(req, 404, "not_found", "no such track");
        free(text);
        return ret;
    }
    char cache_key[200];
    snprintf(cache_key, sizeof cache_key, "%s/subs/%s", f->identity, key);
    const char *type = "text/vtt; charset=utf-8";
    int fd;
    uint64_t size;
    if (h->cache && cm_cache_open(h->cache, cache_key, &fd, &size) == 0)
        return reply_cached(req, fd, size, type, "no-cache");

    cm_media_info *info = NULL;
    if (cm_media_probe(f->path, &info, &err) < 0)
        return reply_media_error(req, &err);
    sub_track *subs;
    size_t image_subs;
    cu_err db_err = {0};
    size_t n = list_subtitles(cs_server_db(req->server, &db_err), f->id, f->path, f->root, info,
                              &subs, &image_subs);
    cm_media_info_free(info);
    const sub_track *track = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(subs[i].key, key))
            track = &subs[i];
    enum MHD_Result ret;
    char *vtt = NULL;
    if (!track) {
        ret = cs_reply_error(req, 404, "not_found", "no such subtitle track");
    } else if (cm_subtitle_webvtt(track->path, track->stream, kf, &vtt, &err) < 0) {
        ret = reply_media_error(req, &err);
    } else {
        size_t len = strlen(vtt);
        if (h->cache) {
            cu_err cerr = {0};
            if (cm_cache_put(h->cache, cache_key, vtt, len, &cerr) < 0)
                cu_log(CU_LOG_WARN, "hls cache: %s", cerr.msg);
        }
        ret = reply_bytes(req, (uint8_t *)vtt, len, type, "no-cache");
    }
    free_subtitles(subs, n);
    return ret;
}

/* "seg-123.m4s" -> 123; -1 when not a segment name. */
static long segment_number(const char *name)
{
    if (strncmp(name, "seg-", 4) != 0)
        return -1;
    const char *p = name + 4;
    long n = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 9) {
        n = n * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits || strcmp(p, ".m4s") != 0 || (digits > 1 && name[4] == '0'))
        return -1;
    return n;
}

enum MHD_Result cs_api_hls(cs_request *req)
{
    cs_hls *h = cs_server_hls(req->server);
    const char *tail = strstr(req->route.path, "/hls/");
    if (!h || !tail)
        return cs_reply_error(req, 404, "not_found", "no such endpoint");
    tail += 5;
    /* Any HLS request stops the workers of playbacks gone quiet. */
    reap_workers(h);
    hls_file f;
    enum MHD_Result ret;
    if (!locate(req, &f, &ret))
        return ret;
    if (!strcmp(tail, "master.m3u8")) {
        ret = master_playlist(req, h, &f);
    } else if (cu_str_has_prefix(tail, "subs/") && !strchr(tail + 5, '/')) {
        ret = subtitle(req, h, &f, tail + 5);
    } else {
        variant v;
        long segment = segment_number(tail);
        bool known = !strcmp(tail, "media.m3u8") || !strcmp(tail, "init.mp4") || segment >= 0;
        if (!known)
            ret = cs_reply_error(req, 404, "not_found", "no such HLS file");
        else if (!variant_parse(cs_query_get(&req->query, "o"), &v))
            ret = cs_reply_error(req, 400, "bad_request",
                                 "o= names the rendition (from master.m3u8)");
        else if (!strcmp(tail, "media.m3u8"))
            ret = media_playlist(req, h, &f, &v);
        else
            ret = media_file(req, h, &f, &v, segment);
    }
    hls_file_clear(&f);
    return ret;
}
