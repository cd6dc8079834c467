/* cs_trickplay: what a player's seek bar shows, per file:
 *   /api/v1/files/{id}/trickplay.json   the sheets' layout and URLs
 *   /api/v1/files/{id}/trickplay-N.jpg  one sheet of preview frames
 *   /api/v1/files/{id}/chapters         the chapters the probe recorded
 * Behind the same checks as the file's stream (cs_auth: a restricted user
 * sees only files of visible films; a signed URL for the file works here
 * too, and the sheets' URLs carry its signature on). The sheets are made by
 * the background pass (cl_background); until then trickplay.json is a 404. */
#include "catalog/cc_chapter.h"
#include "catalog/cc_file.h"
#include "media/cm_sprite.h"
#include "server/cs_internal.h"
#include "util/cu_arena.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The base name of the file's sheets for its current version, or NULL
 * with a reply queued in *ret. */
static char *sheet_base(cs_request *req, enum MHD_Result *ret)
{
    const char *cache = cs_server_cache_dir(req->server);
    if (!cache) {
        *ret = cs_reply_error(req, 404, "not_found", "this server keeps no trickplay sheets");
        return NULL;
    }
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db) {
        *ret = cs_reply_catalog_error(req, &err);
        return NULL;
    }
    cc_file_location loc;
    if (cc_file_locate(db, req->route.id, &loc, &err) < 0) {
        *ret = cs_reply_catalog_error(req, &err);
        return NULL;
    }
    char *dir = cu_path_join(cache, "trickplay");
    char *base = cm_sprite_base(dir, loc.id, loc.size, loc.mtime_ns);
    free(dir);
    cc_file_location_clear(&loc);
    return base;
}

static enum MHD_Result trickplay_json(cs_request *req)
{
    enum MHD_Result ret;
    char *base = sheet_base(req, &ret);
    if (!base)
        return ret;
    cm_sprite_info info;
    cu_err err = {0};
    int rc = cm_sprite_manifest_read(base, &info, &err);
    free(base);
    if (rc < 0)
        return cs_reply_error(req, 404, "not_found",
                              "no trickplay sheets for file %lld (yet: they are made after a scan)",
                              (long long)req->route.id);
    json_t *sheets = json_array();
    for (int i = 0; i < info.sheets; i++) {
        char url[256];
        if (req->sig[0])
            snprintf(url, sizeof url, "/api/v1/files/%lld/trickplay-%d.jpg?sig=%s",
                     (long long)req->route.id, i, req->sig);
        else
            snprintf(url, sizeof url, "/api/v1/files/%lld/trickplay-%d.jpg",
                     (long long)req->route.id, i);
        json_array_append_new(sheets, json_string(url));
    }
    json_t *o = json_object();
    json_object_set_new(o, "interval", json_real(info.interval));
    json_object_set_new(o, "tile_width", json_integer(info.tile_width));
    json_object_set_new(o, "tile_height", json_integer(info.tile_height));
    json_object_set_new(o, "columns", json_integer(info.columns));
    json_object_set_new(o, "rows", json_integer(info.rows));
    json_object_set_new(o, "tiles", json_integer(info.tiles));
    json_object_set_new(o, "sheets", sheets);
    return cs_reply_json(req, 200, o);
}

/* "trickplay-N.jpg" at the end of the path: N, or -1. */
static int sheet_number(const char *path)
{
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    if (!cu_str_has_prefix(name, "trickplay-"))
        return -1;
    const char *digits = name + strlen("trickplay-");
    int n = 0;
    size_t len = 0;
    while (digits[len] >= '0' && digits[len] <= '9' && len < 3)
        n = n * 10 + (digits[len++] - '0');
    if (len == 0 || (len > 1 && digits[0] == '0') || strcmp(digits + len, ".jpg") != 0)
        return -1;
    return n;
}

static enum MHD_Result trickplay_sheet(cs_request *req)
{
    int n = sheet_number(req->route.path);
    if (n < 0 || n >= CM_SPRITE_MAX_SHEETS)
        return cs_reply_error(req, 404, "not_found", "no such trickplay sheet");
    enum MHD_Result ret;
    char *base = sheet_base(req, &ret);
    if (!base)
        return ret;
    cm_sprite_info info;
    if (cm_sprite_manifest_read(base, &info, NULL) < 0 || n >= info.sheets) {
        free(base);
        return cs_reply_error(req, 404, "not_found", "no such trickplay sheet");
    }
    char *path = cu_xasprintf("%s-%d.jpg", base, n);
    char *dir = cu_path_dirname(base);
    char *root = dir ? cu_path_real(dir) : NULL;
    const char *roots[1] = {root};
    /* The name holds the file's size and mtime: a changed file gets new
     * sheets under a new URL's content, so a day's caching is safe. */
    cs_file_reply f = {.path = path,
                       .content_type = "image/jpeg",
                       .cache_control = "private, max-age=86400",
                       .roots = roots,
                       .root_count = root ? 1 : 0};
    ret = root ? cs_send_file(req, &f)
               : cs_reply_error(req, 404, "not_found", "no such trickplay sheet");
    free(root);
    free(dir);
    free(path);
    free(base);
    return ret;
}

static enum MHD_Result chapters_json(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_file_location loc;
    if (cc_file_locate(db, req->route.id, &loc, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    cc_file_location_clear(&loc);
    cu_arena *arena = cu_arena_new();
    cm_media_chapter *chapters;
    size_t count;
    if (cc_chapter_list(db, arena, req->route.id, &chapters, &count, &err) < 0) {
        cu_arena_free(arena);
        return cs_reply_catalog_error(req, &err);
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "start", json_real(chapters[i].start));
        json_object_set_new(c, "end", json_real(chapters[i].end));
        json_object_set_new(c, "title",
                            chapters[i].title[0] &&
                                    cu_utf8_valid(chapters[i].title, strlen(chapters[i].title))
                                ? json_string(chapters[i].title)
                                : json_null());
        json_array_append_new(list, c);
    }
    cu_arena_free(arena);
    return cs_reply_json(req, 200, json_pack("{s:o}", "chapters", list));
}

enum MHD_Result cs_api_trickplay(cs_request *req)
{
    switch (req->route.kind) {
    case CS_ROUTE_FILE_TRICKPLAY: return trickplay_json(req);
    case CS_ROUTE_FILE_TRICKPLAY_SHEET: return trickplay_sheet(req);
    case CS_ROUTE_FILE_CHAPTERS: return chapters_json(req);
    default: return cs_reply_error(req, 404, "not_found", "no such endpoint");
    }
}
