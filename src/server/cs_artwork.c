/* cs_artwork: a film's poster and backdrop, as found by the scanner (or
 * generated into the cache), optionally as a smaller copy (?w=) made once
 * with cm_media_image_resize_fd and kept under <cache>/resized/.
 * Every image is opened with cp_file_open (inside the film's library
 * roots, or the poster cache for generated posters; no symbolic link as
 * the last component; regular files only), its header is checked against
 * the pixel limit before anything decodes it, and the resizer reads the
 * same descriptor. Resizes are bounded: one at a time in the server, and
 * only a few requests may wait for one; the rest get the original. */
#include "server/cs_internal.h"
#include "catalog/cc_film.h"
#include "media/cm_media.h"
#include "playback/cp_file.h"
#include "server/cs_static.h"
#include "util/cu_hash.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"
#include "util/cu_tmp.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ?w= is rounded up to one of these (so the cache stays small and a
 * client cannot make the server resize to every width). */
static const int allowed_widths[] = {160, 320, 480, 780, 1280};

/* Resizes running at once in the whole server (a 40-megapixel source is
 * about 160 MB decoded), and requests allowed to wait for one, fewer when
 * the server has fewer threads: at least one request thread always stays
 * free for everything else. A request beyond these gets the original
 * file at once. */
#define RESIZE_RUNNING_MAX 1
#define RESIZE_WAITING_MAX 2
#define RESIZE_WAIT_SECONDS 20
/* Film roots one artwork request checks against (a film's files are
 * normally all under one root). */
#define ARTWORK_MAX_ROOTS 8

struct cs_artwork {
    char *resized_dir; /* <cache>/resized, or NULL: no resizing */
    char *poster_dir;  /* <cache>/posters (generated posters) */
    pthread_mutex_t lock;
    pthread_cond_t done; /* a resize finished */
    int running, waiting;
    char *running_out; /* the copy being made (RESIZE_RUNNING_MAX == 1) */
};

int cs_artwork_new(const char *cache_dir, cs_artwork **out, cu_err *err)
{
    (void)err;
    cs_artwork *a = cu_xcalloc(1, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->done, NULL);
    if (cache_dir) {
        a->resized_dir = cu_path_join(cache_dir, "resized");
        a->poster_dir = cu_path_join(cache_dir, "posters");
        /* Copies cut short by a crash or kill -9 of an earlier server. */
        size_t swept = cu_tmp_sweep(a->resized_dir) + cu_tmp_sweep(a->poster_dir);
        if (swept)
            cu_log(CU_LOG_INFO, "removed %zu unfinished artwork file(s) from %s", swept, cache_dir);
    }
    *out = a;
    return 0;
}

void cs_artwork_free(cs_artwork *a)
{
    if (!a)
        return;
    pthread_cond_destroy(&a->done);
    pthread_mutex_destroy(&a->lock);
    free(a->resized_dir);
    free(a->poster_dir);
    free(a);
}

static int clamp_width(int64_t w)
{
    size_t n = sizeof allowed_widths / sizeof *allowed_widths;
    for (size_t i = 0; i < n; i++)
        if (w <= allowed_widths[i])
            return allowed_widths[i];
    return allowed_widths[n - 1];
}

static char *resized_name(const cs_artwork *a, const char *source, const struct stat *st,
                          int64_t film_id, const char *kind, int width)
{
    uint64_t h = cu_hash64(CU_HASH64_INIT, source, strlen(source));
    int64_t stamp[3] = {(int64_t)st->st_size,
                        (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
                        (int64_t)st->st_ino};
    h = cu_hash64(h, stamp, sizeof stamp);
    return cu_xasprintf("%s/%" PRId64 "-%s-%d-%016" PRIx64 ".jpg", a->resized_dir, film_id, kind,
                        width, h);
}

/* Opens the finished copy at path (inside the resized folder), or -1. */
static int open_copy(const char *resized_root, const char *path, struct stat *st)
{
    if (!resized_root)
        return -1;
    const char *roots[1] = {resized_root};
    int fd = cp_file_open(path, roots, 1, st, NULL);
    return fd < 0 ? -1 : fd;
}

typedef enum { COPY_READY, COPY_FAILED, COPY_BUSY } copy_result;

/* Makes the copy at out from the source open on fd, unless another request
 * is making it (then waits, bounded) or the server is busy resizing. */
static copy_result make_copy(cs_artwork *a, int max_waiting, const char *resized_root, int fd,
                             const char *source, const char *out, int width)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += RESIZE_WAIT_SECONDS;
    copy_result result = COPY_BUSY;
    pthread_mutex_lock(&a->lock);
    for (;;) {
        struct stat st;
        int done_fd = open_copy(resized_root, out, &st);
        if (done_fd >= 0) { /* made meanwhile by another request */
            close(done_fd);
            result = COPY_READY;
            break;
        }
        if (a->running < RESIZE_RUNNING_MAX) {
            a->running++;
            a->running_out = cu_xstrdup(out);
            pthread_mutex_unlock(&a->lock);
            cu_err err = {0};
            int rc = cm_media_image_resize_fd(fd, width, out, &err);
            if (rc < 0)
                cu_log(CU_LOG_WARN, "resizing %s: %s", source, err.msg);
            pthread_mutex_lock(&a->lock);
            a->running--;
            free(a->running_out);
            a->running_out = NULL;
            pthread_cond_broadcast(&a->done);
            result = rc == 0 ? COPY_READY : COPY_FAILED;
            break;
        }
        if (a->waiting >= max_waiting)
            break;
        a->waiting++;
        int w = pthread_cond_timedwait(&a->done, &a->lock, &until);
        a->waiting--;
        if (w == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&a->lock);
    return result;
}

/* The canonical folders a film's artwork may lie in: the poster cache for
 * a generated poster, else the library roots of the film's files. Fills
 * roots (each malloc'd) and returns how many. */
static size_t artwork_roots(cs_request *req, cc_db *db, const cc_film *film, bool generated,
                            char *roots[ARTWORK_MAX_ROOTS])
{
    cs_artwork *a = cs_server_artwork(req->server);
    size_t n = 0;
    if (generated) {
        char *real = a->poster_dir ? cu_path_real(a->poster_dir) : NULL;
        if (real)
            roots[n++] = real;
        return n;
    }
    for (size_t i = 0; i < film->file_count + film->extra_count && n < ARTWORK_MAX_ROOTS; i++) {
        int64_t id =
            i < film->file_count ? film->files[i].id : film->extras[i - film->file_count].file.id;
        cc_file_location loc;
        cu_err err = {0};
        if (cc_file_locate(db, id, &loc, &err) < 0)
            continue;
        char *real = loc.root ? cu_path_real(loc.root) : NULL;
        cc_file_location_clear(&loc);
        if (!real)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = !strcmp(roots[k], real);
        if (seen)
            free(real);
        else
            roots[n++] = real;
    }
    return n;
}

enum MHD_Result cs_api_artwork(cs_request *req, bool backdrop)
{
    const char *kind = backdrop ? "backdrop" : "poster";
    int64_t w = 0;
    int has_w = cs_query_int(&req->query, "w", 1, 100000, &w);
    if (has_w < 0)
        return cs_reply_error(req, 400, "bad_request", "w must be a width in pixels");
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_film *film = NULL;
    if (cc_film_get(db, req->route.id, &film, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    const char *source = backdrop ? film->backdrop : film->poster;
    if (!source) {
        enum MHD_Result ret = cs_reply_error(req, 404, "not_found", "film %lld has no %s",
                                             (long long)req->route.id, kind);
        cc_film_free(film);
        return ret;
    }
    cs_artwork *a = cs_server_artwork(req->server);
    char *roots[ARTWORK_MAX_ROOTS];
    size_t root_count = artwork_roots(req, db, film, !backdrop && film->poster_generated, roots);
    char *resized_root = a->resized_dir ? cu_path_real(a->resized_dir) : NULL;
    char *copy = NULL;
    enum MHD_Result ret;
    struct stat st;
    int fd = cp_file_open(source, (const char *const *)roots, root_count, &st, &err);
    if (fd < 0) {
        if (err.code == CU_ENOTFOUND)
            cu_log(CU_LOG_WARN, "film %lld %s refused: %s", (long long)film->id, kind, err.msg);
        ret = cs_reply_open_error(req, &err);
        goto done;
    }
    /* Nothing the header says is too big to decode is served, whole or
     * resized: the client would decode it instead. */
    if (cm_image_check_size(fd, NULL, NULL, &err) < 0) {
        close(fd);
        cu_log(CU_LOG_WARN, "film %lld %s: %s", (long long)film->id, kind, err.msg);
        ret = cs_reply_error(req, 404, "not_found", "film %lld has no usable %s",
                             (long long)film->id, kind);
        goto done;
    }
    cs_file_reply f = {
        .path = source,
        .content_type = cs_static_content_type(source),
        .cache_control = "public, max-age=86400",
        .ranges = false,
    };
    if (has_w > 0 && a->resized_dir) {
        int width = clamp_width(w);
        copy = resized_name(a, source, &st, film->id, kind, width);
        struct stat copy_st;
        int copy_fd = open_copy(resized_root, copy, &copy_st);
        copy_result made = COPY_READY;
        if (copy_fd < 0) {
            const char *cache_dir = cs_server_cache_dir(req->server);
            if (mkdir(cache_dir, 0755) < 0 && errno != EEXIST)
                cu_log(CU_LOG_WARN, "cache folder %s: %s", cache_dir, strerror(errno));
            if (mkdir(a->resized_dir, 0755) < 0 && errno != EEXIST)
                cu_log(CU_LOG_WARN, "artwork cache %s: %s", a->resized_dir, strerror(errno));
            if (!resized_root)
                resized_root = cu_path_real(a->resized_dir);
            /* Threads left for waiting: all but the resizing one and one
             * kept free (the server's default is four). */
            int threads = cs_server_config(req->server)->threads;
            int max_waiting = (threads > 0 ? threads : 4) - 2;
            if (max_waiting > RESIZE_WAITING_MAX)
                max_waiting = RESIZE_WAITING_MAX;
            made = make_copy(a, max_waiting, resized_root, fd, source, copy, width);
            if (made == COPY_READY)
                copy_fd = open_copy(resized_root, copy, &copy_st);
        }
        if (copy_fd >= 0) {
            close(fd);
            f.path = copy;
            f.content_type = "image/jpeg";
            ret = cs_send_fd(req, copy_fd, &copy_st, &f);
            goto done;
        }
        /* Busy resizing, or the copy could not be made: the original,
         * which the header check allowed, and not to be kept long. */
        if (made == COPY_BUSY)
            f.cache_control = "no-cache";
    }
    ret = cs_send_fd(req, fd, &st, &f);
done:
    for (size_t i = 0; i < root_count; i++)
        free(roots[i]);
    free(resized_root);
    free(copy);
    cc_film_free(film);
    return ret;
}
