/* cs_artwork: a film's poster and backdrop, as found by the scanner (or
 * generated into the cache), optionally as a smaller copy (?w=) made once
 * with cm_media_image_resize and kept under <cache>/resized/. */
#include "catalog/cc_film.h"
#include "media/cm_media.h"
#include "server/cs_internal.h"
#include "server/cs_static.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ?w= is rounded up to one of these (so the cache stays small and a
 * client cannot make the server resize to every width). */
static const int allowed_widths[] = {160, 320, 480, 780, 1280};

static int clamp_width(int64_t w)
{
    size_t n = sizeof allowed_widths / sizeof *allowed_widths;
    for (size_t i = 0; i < n; i++)
        if (w <= allowed_widths[i])
            return allowed_widths[i];
    return allowed_widths[n - 1];
}

/* FNV-1a: names the resized copy after the source's path, size and mtime,
 * so a changed source gets a new copy. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The resized copy's path, made if missing; NULL when it cannot be made
 * (the original is served instead). */
static char *resized_copy(const char *cache_dir, const char *source, int64_t film_id,
                          const char *kind, int width)
{
    struct stat st;
    if (stat(source, &st) < 0 || !S_ISREG(st.st_mode))
        return NULL;
    uint64_t h = fnv1a(0xcbf29ce484222325ull, source, strlen(source));
    int64_t stamp[2] = {(int64_t)st.st_size,
                        (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    h = fnv1a(h, stamp, sizeof stamp);
    char *dir = cu_path_join(cache_dir, "resized");
    char *path = cu_xasprintf("%s/%" PRId64 "-%s-%d-%016" PRIx64 ".jpg", dir, film_id, kind,
                              width, h);
    if (stat(path, &st) == 0) {
        free(dir);
        return path;
    }
    mkdir(cache_dir, 0755);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        cu_log(CU_LOG_WARN, "artwork cache %s: %s", dir, strerror(errno));
        free(dir);
        free(path);
        return NULL;
    }
    free(dir);
    /* Two requests may resize at once; the write is atomic, so either
     * copy wins whole. */
    cu_err err = {0};
    if (cm_media_image_resize(source, width, path, &err) < 0) {
        cu_log(CU_LOG_WARN, "resizing %s: %s", source, err.msg);
        free(path);
        return NULL;
    }
    return path;
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
    enum MHD_Result ret;
    if (!source) {
        ret = cs_reply_error(req, 404, "not_found", "film %lld has no %s",
                             (long long)req->route.id, kind);
        cc_film_free(film);
        return ret;
    }
    const char *cache_dir = cs_server_cache_dir(req->server);
    char *resized = has_w > 0 && cache_dir
                        ? resized_copy(cache_dir, source, film->id, kind, clamp_width(w))
                        : NULL;
    cs_file_reply f = {
        .path = resized ? resized : source,
        .content_type = cs_static_content_type(resized ? resized : source),
        .cache_control = "public, max-age=86400",
        .ranges = false,
    };
    ret = cs_send_file(req, &f);
    free(resized);
    cc_film_free(film);
    return ret;
}
