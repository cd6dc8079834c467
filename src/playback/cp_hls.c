/* cp_hls: see cp_hls.h. State shared by the request threads, under one
 * lock: the keyframe indexes (with the plans cut from them) and the
 * transcoding workers, both by file identity. Indexes are built by one
 * background thread; transcoded segments by the workers; requests never
 * wait for either (they are parked in the waitlist instead). */
#include "playback/cp_hls.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/cc_keyframes.h"
#include "catalog/cc_subtitle.h"
#include "media/cm_hls_segment.h"
#include "media/cm_keyframes.h"
#include "media/cm_subtitle.h"
#include "media/cm_transcode.h"
#include "playback/cp_cache.h"
#include "playback/cp_file.h"
#include "playback/cp_wait.h"
#include "util/cu_buf.h"
#include "util/cu_log.h"
#include "util/cu_map.h"
#include "util/cu_path.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#define HLS_DEFAULT_CACHE_MB 2048
#define HLS_DEFAULT_TRANSCODES 2
#define HLS_WORKER_IDLE_MS 60000 /* a playback nobody asked for in a minute is gone */
_Static_assert(HLS_WORKER_IDLE_MS > CP_HLS_WAIT_MS, "a worker waited on must not look idle");
#define HLS_AHEAD 3 /* segments a worker makes ahead of the player */
#define HLS_MAX_SIDECARS 64
#define HLS_INDEX_QUEUE_MAX 64 /* index builds waiting for the builder */
#define HLS_REAP_MAX 16        /* idle workers stopped per request */
#define HLS_INDEX_DIR "keyframes"
#define HLS_SEGMENT_DIR "hls"

/* A file's keyframe index and what is cut from it. Entries live until the
 * server stops (tens of kilobytes per film played), so a request may use
 * one without a reference count. */
typedef struct index_entry {
    cm_keyframes *kf; /* NULL while building, or when it failed */
    bool building;
    int error; /* the build's failure, 0 when none */
    char message[256];
    cm_hls_plan *plans[2]; /* [copied, transcoded], cut on first use */
} index_entry;

typedef struct build_job {
    char identity[96];
    int fd; /* our duplicate of the checked descriptor */
} build_job;

struct cp_hls {
    pthread_mutex_t lock; /* guards indexes, workers, the build queue */
    pthread_cond_t queued;
    char *index_dir; /* NULL: indexes only in memory */
    cp_cache *cache; /* NULL: nothing cached on disk */
    cm_transcode_limit *limit;
    int transcode_max; /* the limit's size, for the status page */
    cu_map *indexes;   /* identity -> index_entry* */
    cu_map *workers;   /* identity/variant -> cm_transcode* */
    build_job queue[HLS_INDEX_QUEUE_MAX];
    size_t queued_count;
    bool stopping;
    pthread_t builder;
    bool builder_started;
    cp_waitlist *waits;
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

static void save_index(cp_hls *h, const char *identity, const cm_keyframes *kf)
{
    if (!h->index_dir)
        return;
    char name[128];
    snprintf(name, sizeof name, "%s.kf", identity);
    char *file = cu_path_join(h->index_dir, name);
    cu_err err = {0};
    if (cm_keyframes_save(kf, file, &err) < 0)
        cu_log(CU_LOG_WARN, "hls: %s", err.msg);
    free(file);
}

/* The builder: one index at a time, in the order asked (a film being
 * opened by a person; never more than HLS_INDEX_QUEUE_MAX waiting). */
static void *builder_thread(void *arg)
{
    cp_hls *h = arg;
    pthread_mutex_lock(&h->lock);
    for (;;) {
        while (!h->stopping && h->queued_count == 0)
            pthread_cond_wait(&h->queued, &h->lock);
        if (h->stopping)
            break;
        build_job job = h->queue[0];
        memmove(h->queue, h->queue + 1, (h->queued_count - 1) * sizeof *h->queue);
        h->queued_count--;
        pthread_mutex_unlock(&h->lock);
        cm_keyframes *kf = NULL;
        cu_err err = {0};
        int rc = cm_keyframes_build(job.fd, &kf, &err);
        close(job.fd);
        if (rc == 0)
            save_index(h, job.identity, kf);
        pthread_mutex_lock(&h->lock);
        index_entry *e = cu_map_get(h->indexes, job.identity);
        if (e) {
            e->building = false;
            e->kf = kf;
            if (rc < 0) {
                e->error = rc;
                cu_strlcpy(e->message, err.msg, sizeof e->message);
            }
        } else {
            cm_keyframes_free(kf);
        }
    }
    for (size_t i = 0; i < h->queued_count; i++)
        close(h->queue[i].fd);
    h->queued_count = 0;
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

int cp_hls_new(const char *cache_dir, cp_hls **out, cu_err *err)
{
    *out = NULL;
    cp_hls *h = cu_xcalloc(1, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->queued, NULL);
    h->indexes = cu_map_new();
    h->workers = cu_map_new();
    h->transcode_max = (int)env_long("CINEMATECA_HLS_TRANSCODES", HLS_DEFAULT_TRANSCODES, 1, 64);
    h->limit = cm_transcode_limit_new(h->transcode_max);
    if (cache_dir) {
        h->index_dir = cu_path_join(cache_dir, HLS_INDEX_DIR);
        if (mkdir(cache_dir, 0755) != 0 && errno != EEXIST)
            cu_log(CU_LOG_WARN, "hls: cannot create %s: %s", cache_dir, strerror(errno));
        if (mkdir(h->index_dir, 0755) != 0 && errno != EEXIST) {
            cu_log(CU_LOG_WARN, "hls: cannot create %s: %s", h->index_dir, strerror(errno));
            free(h->index_dir);
            h->index_dir = NULL;
        }
        char *dir = cu_path_join(cache_dir, HLS_SEGMENT_DIR);
        uint64_t mb =
            (uint64_t)env_long("CINEMATECA_HLS_CACHE_MB", HLS_DEFAULT_CACHE_MB, 16, 1L << 30);
        cu_err cerr = {0};
        if (cp_cache_new(dir, mb * 1024 * 1024, &h->cache, &cerr) < 0)
            cu_log(CU_LOG_WARN, "hls: no segment cache: %s", cerr.msg);
        free(dir);
    }
    int rc = cp_waitlist_new(&h->waits, err);
    if (rc == 0) {
        rc = pthread_create(&h->builder, NULL, builder_thread, h);
        if (rc != 0)
            rc = cu_err_set(err, -rc, "cannot start the index builder");
        else
            h->builder_started = true;
    }
    if (rc < 0) {
        cp_hls_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void cp_hls_stop(cp_hls *h)
{
    if (h)
        cp_waitlist_stop(h->waits);
}

void cp_hls_free(cp_hls *h)
{
    if (!h)
        return;
    cp_waitlist_free(h->waits); /* wakes whoever still waits */
    pthread_mutex_lock(&h->lock);
    h->stopping = true;
    pthread_cond_broadcast(&h->queued);
    pthread_mutex_unlock(&h->lock);
    if (h->builder_started)
        pthread_join(h->builder, NULL);
    size_t pos = 0;
    const char *key;
    void *v;
    while (cu_map_next(h->workers, &pos, &key, &v))
        cm_transcode_free(v);
    cu_map_free(h->workers);
    pos = 0;
    while (cu_map_next(h->indexes, &pos, &key, &v)) {
        index_entry *e = v;
        cm_keyframes_free(e->kf);
        cm_hls_plan_free(e->plans[0]);
        cm_hls_plan_free(e->plans[1]);
        free(e);
    }
    cu_map_free(h->indexes);
    cm_transcode_limit_free(h->limit);
    cp_cache_free(h->cache);
    free(h->index_dir);
    pthread_cond_destroy(&h->queued);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

void cp_body_clear(cp_body *b)
{
    free(b->data);
    if (b->fd >= 0)
        close(b->fd);
    memset(b, 0, sizeof *b);
    b->fd = -1;
}

/* ---- the index ---- */

/* An index the catalog stores for the file (the library's background pass
 * puts them there): NULL when none, or when it does not parse. */
static cm_keyframes *stored_index(const cp_media *m)
{
    if (!m->db)
        return NULL;
    void *blob = NULL;
    size_t len = 0;
    cu_err err = {0};
    cm_keyframes *kf = NULL;
    if (cc_keyframes_get(m->db, m->id, &blob, &len, &err) == 0 &&
        cm_keyframes_parse(blob, len, &kf, &err) < 0)
        kf = NULL;
    free(blob);
    return kf;
}

/* The file's index: memory, then the catalog, then the index folder, else
 * a build queued for the background (CU_EPENDING until it is done). */
static int index_get(cp_hls *h, const cp_media *m, index_entry **out, cu_err *err)
{
    *out = NULL;
    pthread_mutex_lock(&h->lock);
    index_entry *e = cu_map_get(h->indexes, m->identity);
    pthread_mutex_unlock(&h->lock);
    cm_keyframes *loaded = e ? NULL : stored_index(m);
    if (!e && !loaded && h->index_dir) {
        char name[128];
        snprintf(name, sizeof name, "%s.kf", m->identity);
        char *file = cu_path_join(h->index_dir, name);
        cu_err ignored = {0};
        if (cm_keyframes_load(file, &loaded, &ignored) < 0)
            loaded = NULL;
        free(file);
    }
    int rc = 0;
    pthread_mutex_lock(&h->lock);
    e = cu_map_get(h->indexes, m->identity);
    if (!e) {
        e = cu_xcalloc(1, sizeof *e);
        if (loaded) {
            e->kf = loaded;
            loaded = NULL;
        } else if (h->queued_count >= HLS_INDEX_QUEUE_MAX || h->stopping) {
            free(e);
            e = NULL;
            rc = cu_err_set(err, CU_EBUSY, "too many films are being indexed; try again soon");
        } else {
            int fd = fcntl(m->fd, F_DUPFD_CLOEXEC, 0);
            if (fd < 0) {
                free(e);
                e = NULL;
                rc = cu_err_set(err, -errno, "%s", strerror(errno));
            } else {
                build_job *job = &h->queue[h->queued_count++];
                cu_strlcpy(job->identity, m->identity, sizeof job->identity);
                job->fd = fd;
                e->building = true;
                pthread_cond_signal(&h->queued);
            }
        }
        if (e)
            cu_map_put(h->indexes, m->identity, e, NULL);
    }
    if (e && rc == 0) {
        if (e->building)
            rc = cu_err_set(err, CU_EPENDING, "the film is being indexed");
        else if (e->error)
            rc = cu_err_set(err, e->error, "%s", e->message);
        else
            *out = e;
    }
    pthread_mutex_unlock(&h->lock);
    cm_keyframes_free(loaded); /* made twice at once: the first one stays */
    return rc;
}

/* The plan of a rendition, cut once per file and kind. A clip's is cut
 * for the caller, who frees *owned (arithmetic over the index: cheap). */
static int plan_get(cp_hls *h, index_entry *e, const cp_variant *v, const cm_hls_plan **out,
                    cm_hls_plan **owned, cu_err *err)
{
    int rc = 0;
    *owned = NULL;
    if (v->clip_to_ms > 0) {
        rc = cp_variant_plan(e->kf, v, owned, err);
        *out = *owned;
        return rc;
    }
    pthread_mutex_lock(&h->lock);
    cm_hls_plan **slot = &e->plans[v->copy_video ? 0 : 1];
    if (!*slot)
        rc = cp_variant_plan(e->kf, v, slot, err);
    *out = *slot;
    pthread_mutex_unlock(&h->lock);
    return rc;
}

/* ---- cache keys ---- */

/* A clip's renditions have their own segments and workers ("@from-to"
 * after the rendition's name); its init segment is the file's. */
static void clip_suffix(char *buf, size_t size, const cp_variant *v)
{
    if (v->clip_to_ms > 0)
        snprintf(buf, size, "@%lld-%lld", (long long)v->clip_from_ms, (long long)v->clip_to_ms);
    else
        buf[0] = '\0';
}

static void key_file(char *buf, size_t size, const cp_media *m, const cp_variant *v, long segment)
{
    char clip[48];
    clip_suffix(clip, sizeof clip, v);
    if (segment < 0)
        snprintf(buf, size, "%s/%s/init", m->identity, v->text);
    else
        snprintf(buf, size, "%s/%s%s/%ld", m->identity, v->text, clip, segment);
}

static void key_worker(char *buf, size_t size, const char *identity, const cp_variant *v)
{
    char clip[48];
    clip_suffix(clip, sizeof clip, v);
    snprintf(buf, size, "%s/%s%s", identity, v->text, clip);
}

/* A clip's track is its own document (cut and shifted): "@from-to" too. */
static void key_subtitle(char *buf, size_t size, const cp_media *m, const char *track,
                         const cp_variant *clip)
{
    char suffix[48] = "";
    if (clip)
        clip_suffix(suffix, sizeof suffix, clip);
    snprintf(buf, size, "%s/subs/%s%s", m->identity, track, suffix);
}

static bool cache_open(cp_hls *h, const char *key, cp_body *out)
{
    int fd;
    uint64_t size;
    if (!h->cache || cp_cache_open(h->cache, key, &fd, &size) != 0)
        return false;
    out->fd = fd;
    out->size = size;
    return true;
}

static void cache_put(cp_hls *h, const char *key, const void *data, size_t len)
{
    cu_err err = {0};
    if (h->cache && cp_cache_put(h->cache, key, data, len, &err) < 0)
        cu_log(CU_LOG_WARN, "hls cache: %s", err.msg);
}

/* ---- workers ---- */

/* Stops the workers of playbacks nobody asked anything of lately. */
static void reap_workers(cp_hls *h)
{
    cm_transcode *idle[HLS_REAP_MAX];
    char *keys[HLS_REAP_MAX];
    size_t n = 0;
    pthread_mutex_lock(&h->lock);
    size_t pos = 0;
    const char *key;
    void *v;
    while (n < HLS_REAP_MAX && cu_map_next(h->workers, &pos, &key, &v))
        if (cm_transcode_idle_ms(v) > HLS_WORKER_IDLE_MS) {
            idle[n] = v;
            keys[n++] = cu_xstrdup(key);
        }
    for (size_t i = 0; i < n; i++) {
        cu_map_remove(h->workers, keys[i]);
        free(keys[i]);
    }
    pthread_mutex_unlock(&h->lock);
    for (size_t i = 0; i < n; i++) /* joins threads: outside the lock */
        cm_transcode_free(idle[i]);
}

/* Segment n of a transcoded rendition if its worker has made it, else
 * CU_EPENDING (the worker now makes it first). */
static int transcoded_segment(cp_hls *h, const cp_media *m, const cp_variant *v,
                              const cm_keyframes *kf, const cm_hls_plan *plan, size_t n,
                              cm_hls_bytes *seg, cu_err *err)
{
    char key[160];
    key_worker(key, sizeof key, m->identity, v);
    pthread_mutex_lock(&h->lock);
    cm_transcode *tc = cu_map_get(h->workers, key);
    if (!tc) {
        cm_hls_output out = cp_variant_output(v);
        int rc = cm_transcode_new(h->limit, m->fd, kf, plan, &out, HLS_AHEAD, &tc, err);
        if (rc < 0) {
            pthread_mutex_unlock(&h->lock);
            return rc;
        }
        cu_map_put(h->workers, key, tc, NULL);
    }
    /* Workers are freed only by the reaper, under this lock, when idle
     * for longer than any wait, or at shutdown: touched here, this one
     * cannot go while we use it. */
    cm_transcode_touch(tc);
    pthread_mutex_unlock(&h->lock);
    cu_err wait_err = {0};
    int rc = cm_transcode_get(tc, n, 0, seg, &wait_err);
    if (rc == CU_ELIMIT)
        return cu_err_set(err, CU_EPENDING, "segment %zu is being made", n);
    if (rc < 0)
        *err = wait_err;
    return rc;
}

/* ---- waiting ---- */

typedef struct ticket {
    cp_hls *h;
    char identity[96];
    char worker[160]; /* "" when not waiting for a worker */
    long segment;
} ticket;

static bool ticket_ready(void *arg)
{
    ticket *t = arg;
    cp_hls *h = t->h;
    bool ready = true;
    pthread_mutex_lock(&h->lock);
    index_entry *e = cu_map_get(h->indexes, t->identity);
    if (e && e->building) {
        ready = false;
    } else if (t->worker[0] && t->segment >= 0) {
        cm_transcode *tc = cu_map_get(h->workers, t->worker);
        if (tc && !cm_transcode_ready(tc, (size_t)t->segment)) {
            cm_transcode_touch(tc); /* waited on: not idle */
            cm_transcode_nudge(tc, (size_t)t->segment);
            ready = false;
        }
    }
    pthread_mutex_unlock(&h->lock);
    return ready;
}

bool cp_hls_client_may_wait(cp_hls *h, const char *client)
{
    return cp_waitlist_has_room(h->waits, client);
}

int cp_hls_park(cp_hls *h, const cp_media *m, const cp_variant *v, long segment,
                const cp_hls_wait *w, cu_err *err)
{
    ticket *t = cu_xcalloc(1, sizeof *t);
    t->h = h;
    cu_strlcpy(t->identity, m->identity, sizeof t->identity);
    t->segment = segment;
    if (v && !v->copy_video && segment >= 0)
        key_worker(t->worker, sizeof t->worker, m->identity, v);
    cp_waiter waiter = {
        .client = w->client,
        .deadline_ms = w->deadline_ms > 0 ? w->deadline_ms : cu_time_mono_ms() + CP_HLS_WAIT_MS,
        .ready = ticket_ready,
        .ticket = t,
        .ticket_free = free,
        .park = w->park,
        .wake = w->wake,
        .cls = w->cls,
    };
    return cp_waitlist_add(h->waits, &waiter, err);
}

/* ---- subtitles ---- */

typedef struct sub_track {
    char key[24]; /* "s3", "x0": room for any size_t, so -O0 -Werror builds */
    char *path;   /* NULL: the film itself; else a sidecar file */
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

/* The catalog's streams as media's structs (malloc'd, NULL for none):
 * media decides renditions from a probe result, playback has the
 * catalog's record of that probe. */
static cm_media_stream *media_streams(const cc_stream *in, size_t count)
{
    static const cm_stream_type types[] = {
        [CC_STREAM_VIDEO] = CM_STREAM_VIDEO,       [CC_STREAM_AUDIO] = CM_STREAM_AUDIO,
        [CC_STREAM_SUBTITLE] = CM_STREAM_SUBTITLE, [CC_STREAM_ATTACHMENT] = CM_STREAM_ATTACHMENT,
        [CC_STREAM_DATA] = CM_STREAM_DATA,
    };
    cm_media_stream *out = count ? cu_xcalloc(count, sizeof *out) : NULL;
    for (size_t i = 0; i < count; i++) {
        const cc_stream *a = &in[i];
        cm_media_stream *b = &out[i];
        b->index = a->index;
        b->type =
            (unsigned)a->type < sizeof types / sizeof *types ? types[a->type] : CM_STREAM_DATA;
        b->width = a->width;
        b->height = a->height;
        b->frame_rate = a->frame_rate;
        b->bit_depth = a->bit_depth;
        b->attached_pic = a->attached_pic;
        b->channels = a->channels;
        b->sample_rate = a->sample_rate;
        b->bit_rate = a->bit_rate;
        b->is_default = a->is_default;
        b->is_forced = a->is_forced;
        b->is_hearing_impaired = a->is_hearing_impaired;
        cu_strlcpy(b->codec, a->codec, sizeof b->codec);
        cu_strlcpy(b->profile, a->profile, sizeof b->profile);
        cu_strlcpy(b->pix_fmt, a->pix_fmt, sizeof b->pix_fmt);
        cu_strlcpy(b->hdr, a->hdr, sizeof b->hdr);
        cu_strlcpy(b->channel_layout, a->channel_layout, sizeof b->channel_layout);
        cu_strlcpy(b->language, a->language, sizeof b->language);
        cu_strlcpy(b->title, a->title, sizeof b->title);
    }
    return out;
}

/* Every text subtitle of the film (embedded, then sidecars); picture
 * subtitles are counted in *image_count. */
static size_t list_subtitles(cc_db *db, int64_t file_id, const char *root,
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
        t->stream = s->index;
        cu_strlcpy(t->language, s->language, sizeof t->language);
        snprintf(t->name, sizeof t->name, "%s%s",
                 s->title[0]      ? s->title
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
        snprintf(t->name, sizeof t->name, "%s%s%s",
                 side->language[0] ? side->language : "Subtitles",
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

/* Names come from files: keep them playlist-safe. */
static void playlist_safe(char *s, char with)
{
    for (; *s; s++)
        if (*s == '"' || (unsigned char)*s < 0x20)
            *s = with;
}

/* ---- playlists ---- */

int cp_hls_master(cp_hls *h, const cp_master_query *q, char **text, cu_err *err)
{
    *text = NULL;
    reap_workers(h);
    sub_track *subs = NULL;
    size_t nsubs = 0, image_subs = 0;
    cm_hls_subtitle_entry *entries = NULL;
    char **uris = NULL;
    char *media_uri = NULL;
    /* The catalog's streams as a probe result, for the decision. */
    cm_media_info info = {.bit_rate = q->bit_rate,
                          .stream_count = q->stream_count,
                          .streams = media_streams(q->streams, q->stream_count)};
    cm_client_caps caps = cm_client_caps_parse(q->caps);
    cm_hls_decision d;
    int rc = cm_hls_decide(&info, &caps, q->audio, q->lang, &d, err);
    if (rc < 0)
        goto done;
    cp_variant v = cp_variant_of(&d);
    if (q->clip_to_ms > 0) {
        v.copy_video = v.copy_audio = false;
        cp_variant_format(&v);
        snprintf(d.reason, sizeof d.reason, "a clip: transcoded for a frame-exact start");
    }
    if (q->burn > 0 && q->clip_to_ms <= 0) {
        const cc_stream *burned = NULL;
        for (size_t i = 0; i < q->stream_count; i++)
            if (q->streams[i].index == q->burn - 1 && q->streams[i].type == CC_STREAM_SUBTITLE)
                burned = &q->streams[i];
        if (!burned || cm_subtitle_kind(burned->codec) != CM_SUB_IMAGE) {
            rc = cu_err_set(err, CU_EPARSE, "burn=%d: this file has no picture subtitles there",
                            q->burn - 1);
            goto done;
        }
        v.copy_video = false;
        v.burn = q->burn;
        cp_variant_format(&v);
        size_t used = strlen(d.reason);
        snprintf(d.reason + used, sizeof d.reason - used, "; subtitles %d (%s%s%s) burned in",
                 q->burn - 1, burned->codec, burned->language[0] ? ", " : "", burned->language);
    }
    if (!v.copy_video && cp_variant_height_ok(q->height)) {
        v.height = q->height;
        cp_variant_format(&v);
    }
    const cm_media_stream *media_video = cm_media_info_video(&info);
    const cc_stream *video = media_video ? &q->streams[media_video - info.streams] : NULL;
    const cc_stream *audio = NULL;
    for (size_t i = 0; i < q->stream_count; i++)
        if (q->streams[i].index == d.audio_index && q->streams[i].type == CC_STREAM_AUDIO)
            audio = &q->streams[i];
    char codecs[128];
    cp_variant_codecs(&v, video, audio, codecs, sizeof codecs);
    int width = video ? video->width : 0, height = video ? video->height : 0;
    cp_variant_size(&v, &width, &height);

    /* A clip's subtitles are the file's, cut to it when asked for. */
    nsubs = list_subtitles(q->db, q->file_id, q->root, &info, &subs, &image_subs);
    entries = cu_xcalloc(nsubs ? nsubs : 1, sizeof *entries);
    uris = cu_xcalloc(nsubs ? nsubs : 1, sizeof *uris);
    for (size_t i = 0; i < nsubs; i++) {
        uris[i] = cu_xasprintf("subs/%s.m3u8", subs[i].key);
        playlist_safe(subs[i].name, '\'');
        playlist_safe(subs[i].language, '-');
        entries[i] = (cm_hls_subtitle_entry){.uri = uris[i],
                                             .name = subs[i].name,
                                             .language = subs[i].language,
                                             .is_default = subs[i].is_default,
                                             .is_forced = subs[i].is_forced};
    }
    media_uri = cu_xasprintf("media.m3u8?o=%s", v.text);
    cm_hls_master master = {.media_uri = media_uri,
                            .codecs = codecs,
                            .bandwidth = cp_variant_bandwidth(&v, q->bit_rate),
                            .width = width,
                            .height = height,
                            .frame_rate = video ? video->frame_rate : 0,
                            .subtitle_count = nsubs,
                            .subtitles = entries};
    char *playlist = cm_hls_master_playlist(&master);
    if (!playlist) {
        rc = cu_err_set(err, CU_EINVAL, "cannot write the playlist");
        goto done;
    }
    cu_buf b = CU_BUF_INIT;
    cu_buf_puts(&b, playlist);
    free(playlist);
    /* A note for people reading the playlist; players skip comments. */
    cu_buf_printf(&b, "# cinemateca: %s\n", d.reason);
    if (image_subs)
        cu_buf_printf(&b, "# cinemateca: %zu picture subtitle track(s) need burn-in\n", image_subs);
    /* Each embedded one by the number that burns it in (sidecar .sup/.sub
     * files are not burned in yet). */
    for (size_t i = 0; i < q->stream_count && q->clip_to_ms <= 0; i++) {
        const cc_stream *s = &q->streams[i];
        if (s->type != CC_STREAM_SUBTITLE || cm_subtitle_kind(s->codec) != CM_SUB_IMAGE)
            continue;
        char language[16];
        cu_strlcpy(language, s->language[0] ? s->language : "und", sizeof language);
        playlist_safe(language, '-');
        cu_buf_printf(&b, "# cinemateca: burn=%d: %s picture subtitles (%s)%s\n", s->index,
                      language, s->codec, q->burn == s->index + 1 ? ", burned in here" : "");
    }
    *text = cu_xstrdup(cu_buf_str(&b));
    cu_buf_free(&b);
done:
    free(media_uri);
    for (size_t i = 0; uris && i < nsubs; i++)
        free(uris[i]);
    free(uris);
    free(entries);
    free_subtitles(subs, nsubs);
    free(info.streams);
    return rc;
}

int cp_hls_media_playlist(cp_hls *h, const cp_media *m, const cp_variant *v, char **text,
                          cu_err *err)
{
    *text = NULL;
    index_entry *e;
    const cm_hls_plan *plan;
    cm_hls_plan *owned = NULL;
    int rc = index_get(h, m, &e, err);
    if (rc < 0 || (rc = plan_get(h, e, v, &plan, &owned, err)) < 0)
        return rc;
    char *init = cu_xasprintf("init.mp4?o=%s", v->text);
    char *suffix = cu_xasprintf(".m4s?o=%s", v->text);
    *text = cm_hls_media_playlist(plan, init, "seg-", suffix);
    free(init);
    free(suffix);
    cm_hls_plan_free(owned);
    return *text ? 0 : cu_err_set(err, CU_EINVAL, "cannot write the playlist");
}

/* ---- media files ---- */

int cp_hls_init(cp_hls *h, const cp_media *m, const cp_variant *v, cp_body *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    char key[200];
    key_file(key, sizeof key, m, v, -1);
    if (cache_open(h, key, out))
        return 0;
    index_entry *e;
    int rc = index_get(h, m, &e, err);
    if (rc < 0)
        return rc;
    cm_hls_output o = cp_variant_output(v);
    cm_hls_bytes bytes = {0};
    if ((rc = cm_hls_init_segment(m->fd, e->kf, &o, &bytes, err)) < 0)
        return rc;
    cache_put(h, key, bytes.data, bytes.len);
    out->data = bytes.data;
    out->len = bytes.len;
    return 0;
}

int cp_hls_segment(cp_hls *h, const cp_media *m, const cp_variant *v, size_t n, cp_body *out,
                   cu_err *err)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    reap_workers(h);
    char key[200];
    key_file(key, sizeof key, m, v, (long)n);
    /* Copied segments are not kept: cutting one again takes milliseconds,
     * and keeping them would copy whole films into the cache and push the
     * transcoded segments (seconds of work each) out of it. */
    bool keep = !v->copy_video;
    if (keep && cache_open(h, key, out))
        return 0;
    index_entry *e;
    const cm_hls_plan *plan;
    cm_hls_plan *owned = NULL;
    int rc = index_get(h, m, &e, err);
    if (rc < 0 || (rc = plan_get(h, e, v, &plan, &owned, err)) < 0)
        return rc;
    if (n >= plan->count) {
        cm_hls_plan_free(owned);
        return cu_err_set(err, CU_ENOTFOUND, "no segment %zu", n);
    }
    cm_hls_output o = cp_variant_output(v);
    cm_hls_bytes bytes = {0};
    if (v->copy_video) /* milliseconds: right here, no worker */
        rc = cm_hls_media_segment(m->fd, e->kf, plan, &o, n, &bytes, err);
    else
        rc = transcoded_segment(h, m, v, e->kf, plan, n, &bytes, err);
    cm_hls_plan_free(owned); /* a worker keeps its own copy */
    if (rc < 0)
        return rc;
    if (keep)
        cache_put(h, key, bytes.data, bytes.len);
    out->data = bytes.data;
    out->len = bytes.len;
    return 0;
}

int cp_hls_span_of(cp_hls *h, const cp_media *m, const cp_variant *v, double from_s, double to_s,
                   cp_hls_span *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    index_entry *e;
    const cm_hls_plan *plan;
    cm_hls_plan *owned = NULL;
    int rc = index_get(h, m, &e, err);
    if (rc < 0 || (rc = plan_get(h, e, v, &plan, &owned, err)) < 0)
        return rc;
    if (plan->count == 0 || !(from_s >= 0) || from_s >= plan->total_s ||
        (to_s >= 0 && to_s < from_s)) {
        rc = cu_err_set(err, CU_EINVAL, "%.3f s is not within the film's %.3f s", from_s,
                        plan->total_s);
        goto done;
    }
    size_t first = 0, last = plan->count - 1;
    while (first + 1 < plan->count && plan->segments[first + 1].start_s <= from_s)
        first++;
    if (to_s >= 0)
        for (last = first; last + 1 < plan->count && plan->segments[last + 1].start_s < to_s;)
            last++;
    out->first = first;
    out->last = last;
    out->start_s = plan->segments[first].start_s;
    out->end_s = plan->segments[last].start_s + plan->segments[last].duration_s;
    out->total_s = plan->total_s;
done:
    cm_hls_plan_free(owned);
    return rc;
}

/* ---- subtitles ---- */

/* Whether clip names a stretch (else the whole file). */
static bool is_clip(const cp_variant *clip)
{
    return clip && clip->clip_to_ms > 0;
}

int cp_hls_subtitle_playlist(cp_hls *h, const cp_media *m, const char *key, const cp_variant *clip,
                             char **text, cu_err *err)
{
    *text = NULL;
    index_entry *e;
    int rc = index_get(h, m, &e, err);
    if (rc < 0)
        return rc;
    const cm_keyframes *kf = e->kf;
    double total = (double)(kf->end - kf->pts[0]) * kf->tb_num / kf->tb_den;
    if (is_clip(clip)) { /* as long as the clip's media playlist */
        double to = clip->clip_to_ms / 1000.0, from = clip->clip_from_ms / 1000.0;
        total = (to < total ? to : total) - from;
        if (!(total > 0))
            return cu_err_set(err, CU_ENOTFOUND, "the clip lies outside the file");
    }
    char *uri = cu_xasprintf("%s.vtt", key);
    *text = cm_hls_subtitle_playlist(total, uri);
    free(uri);
    return *text ? 0 : cu_err_set(err, CU_ENOTFOUND, "no such track");
}

/* Track of the open file fd as WebVTT, cut to clip when it names one. */
static int track_webvtt(int fd, int stream, const cm_keyframes *kf, const cp_variant *clip,
                        char **vtt, cu_err *err)
{
    if (clip)
        return cm_subtitle_webvtt_clip(fd, stream, kf, clip->clip_from_ms, clip->clip_to_ms, vtt,
                                       err);
    return cm_subtitle_webvtt(fd, stream, kf, vtt, err);
}

/* A text track as WebVTT: on the playlists' timeline (on_timeline; cut to
 * clip when it names one), or on the file's own (for a player of the file
 * itself: no index needed, never a clip). */
static int subtitle_doc(cp_hls *h, const cp_media *m, const char *key, const cp_variant *clip,
                        bool on_timeline, cp_body *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (!is_clip(clip))
        clip = NULL;
    char cache_key[200];
    key_subtitle(cache_key, sizeof cache_key, m, key, clip);
    if (!on_timeline) {
        size_t used = strlen(cache_key);
        snprintf(cache_key + used, sizeof cache_key - used, ".own");
    }
    if (cache_open(h, cache_key, out))
        return 0;
    index_entry *e = NULL;
    int rc = on_timeline ? index_get(h, m, &e, err) : 0;
    if (rc < 0)
        return rc;
    const cm_keyframes *kf = e ? e->kf : NULL;
    cm_media_info *info = NULL;
    if ((rc = cm_media_probe_fd(m->fd, m->path, &info, err)) < 0)
        return rc;
    sub_track *subs;
    size_t image_subs;
    size_t n = list_subtitles(m->db, m->id, m->root, info, &subs, &image_subs);
    cm_media_info_free(info);
    const sub_track *track = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(subs[i].key, key))
            track = &subs[i];
    char *vtt = NULL;
    if (!track) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no such subtitle track");
    } else if (!track->path) {
        rc = track_webvtt(m->fd, track->stream, kf, clip, &vtt, err);
    } else {
        /* A sidecar: through the checked opener too, under the same root. */
        const char *roots[1] = {m->root};
        int fd = cp_file_open(track->path, roots, 1, NULL, err);
        rc = fd < 0 ? fd : track_webvtt(fd, track->stream, kf, clip, &vtt, err);
        if (fd >= 0)
            close(fd);
    }
    free_subtitles(subs, n);
    if (rc < 0)
        return rc;
    out->len = strlen(vtt);
    out->data = (uint8_t *)vtt;
    cache_put(h, cache_key, vtt, out->len);
    return 0;
}

int cp_hls_subtitle(cp_hls *h, const cp_media *m, const char *key, const cp_variant *clip,
                    cp_body *out, cu_err *err)
{
    return subtitle_doc(h, m, key, clip, true, out, err);
}

int cp_hls_subtitle_own(cp_hls *h, const cp_media *m, const char *key, cp_body *out, cu_err *err)
{
    return subtitle_doc(h, m, key, NULL, false, out, err);
}

void cp_hls_transcodes(cp_hls *h, int *running, int *max)
{
    *running = cm_transcode_limit_running(h->limit);
    *max = h->transcode_max;
}
