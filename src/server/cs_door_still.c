/* cs_door_still: a still of a video file for a front door that wants a
 * picture of an item the catalog has no artwork for (a film's extras in
 * the Jellyfin API). The picture is one tile of the file's trickplay
 * sheets (cm_sprite, made by the background pass and shown by the web
 * app's player above its seek bar): no video is decoded for it. The tile
 * is cut out once into the trickplay cache beside its sheets, under a name
 * that holds the file's size and modification time as theirs does, so a
 * changed file gets a new still and the sweep of old sheets removes it. */
#include "server/cs_door_still.h"
#include "catalog/cc_file.h"
#include "media/cm_media.h"
#include "media/cm_sprite.h"
#include "playback/cp_file.h"
#include "server/cs_internal.h"
#include "util/cu_hash.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One cut at a time in the server: the cutter writes to a temporary name
 * of this process, and two threads cutting the same still would share it.
 * A cut is one small JPEG decoded and one tile encoded (milliseconds). */
static pthread_mutex_t cut_lock = PTHREAD_MUTEX_INITIALIZER;

/* The base name of the file's sheets (malloc'd) and their layout; NULL
 * when the server keeps no cache or the sheets are not made (yet). */
static char *sheets_of(cs_request *req, int64_t file_id, cm_sprite_info *info)
{
    const char *cache = cs_server_cache_dir(req->server);
    cu_err err = {0};
    cc_db *db = cache ? cs_server_db(req->server, &err) : NULL;
    cc_file_location loc;
    if (!db || cc_file_locate(db, file_id, &loc, &err) < 0)
        return NULL;
    char *dir = cu_path_join(cache, "trickplay");
    char *base = cm_sprite_base(dir, loc.id, loc.size, loc.mtime_ns);
    free(dir);
    cc_file_location_clear(&loc);
    if (cm_sprite_manifest_read(base, info, NULL) < 0 || info->tiles < 1 || info->columns < 1 ||
        info->rows < 1) {
        free(base);
        return NULL;
    }
    return base;
}

bool cs_door_still_tag(cs_request *req, int64_t file_id, char out[17])
{
    cm_sprite_info info;
    char *base = sheets_of(req, file_id, &info);
    if (!base)
        return false;
    /* FNV-1a of the base name: it changes with the file's version. */
    uint64_t h = cu_hash64(CU_HASH64_INIT, base, strlen(base));
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    free(base);
    return true;
}

int cs_door_send_still(cs_request *req, int64_t file_id)
{
    cm_sprite_info info;
    char *base = sheets_of(req, file_id, &info);
    if (!base)
        return cs_reply_error(req, 404, "not_found", "no still of this file (yet)");
    char *dir = cu_path_dirname(base);
    char *root = dir ? cu_path_real(dir) : NULL;
    const char *roots[1] = {root};
    char *still = cu_xasprintf("%s-still.jpg", base);
    char *sheet = NULL;
    enum MHD_Result ret;
    struct stat st;
    if (!root) {
        ret = cs_reply_error(req, 404, "not_found", "no still of this file");
        goto done;
    }
    pthread_mutex_lock(&cut_lock);
    bool missing = stat(still, &st) < 0; /* asked again under the lock */
    if (missing) {
        /* A third of the way in: past the opening titles, short of the
         * end credits. */
        int per_sheet = info.columns * info.rows;
        int tile = info.tiles / 3;
        int n = tile / per_sheet, at = tile % per_sheet;
        sheet = cu_xasprintf("%s-%d.jpg", base, n);
        cu_err err = {0};
        struct stat sheet_st;
        int fd = cp_file_open(sheet, roots, 1, &sheet_st, &err);
        int rc = fd < 0 ? fd
                        : cm_media_image_cut_fd(fd, (at % info.columns) * info.tile_width,
                                                (at / info.columns) * info.tile_height,
                                                info.tile_width, info.tile_height, still, &err);
        if (fd >= 0)
            close(fd);
        if (rc < 0) {
            pthread_mutex_unlock(&cut_lock);
            cu_log(CU_LOG_WARN, "still of file %lld: %s", (long long)file_id, err.msg);
            ret = cs_reply_error(req, 404, "not_found", "no still of this file");
            goto done;
        }
    }
    pthread_mutex_unlock(&cut_lock);
    cs_file_reply f = {.path = still,
                       .content_type = "image/jpeg",
                       .cache_control = "private, max-age=86400",
                       .roots = roots,
                       .root_count = 1};
    ret = cs_send_file(req, &f);
done:
    free(sheet);
    free(still);
    free(root);
    free(dir);
    free(base);
    return ret;
}
