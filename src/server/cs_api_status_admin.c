/* cs_api_status_admin: what /api/v1/status adds for admins: the library
 * folders that are offline (with why and since when), the catalog's size
 * on disk, the daily backups beside it, and the transcodes running. A
 * viewer gets empty or null members, so the shape is the same for all and
 * a restricted user learns nothing of folders or files they may not see. */
#include "catalog/cc_backup.h"
#include "catalog/cc_root.h"
#include "server/cs_internal.h"
#include "json/cj_text.h"
#include "json/cj_user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The size of path on disk, 0 when it is not there. */
static int64_t file_bytes(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (int64_t)st.st_size : 0;
}

/* The catalog and its write-ahead log: what a backup or a disk holds. */
static json_t *catalog_json(const char *db_path)
{
    char wal[4096];
    int n = snprintf(wal, sizeof wal, "%s-wal", db_path);
    int64_t bytes = file_bytes(db_path);
    int64_t wal_bytes = n > 0 && (size_t)n < sizeof wal ? file_bytes(wal) : 0;
    return json_pack("{s:I, s:I}", "bytes", (json_int_t)(bytes + wal_bytes), "wal_bytes",
                     (json_int_t)wal_bytes);
}

/* The daily backups, newest first: name, size, when written. */
static json_t *backups_json(const char *db_path)
{
    json_t *items = json_array();
    char **paths = NULL;
    size_t count = 0;
    cu_err err = {0};
    if (cc_backup_list(db_path, &paths, &count, &err) < 0)
        return items;
    for (size_t i = count; i-- > 0;) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode)) {
            const char *slash = strrchr(paths[i], '/');
            const char *name = slash ? slash + 1 : paths[i];
            json_array_append_new(items,
                                  json_pack("{s:o, s:o, s:I, s:o}", "name", cj_text(name), "path",
                                            cj_text(paths[i]), "bytes", (json_int_t)st.st_size,
                                            "written_at", cj_time((int64_t)st.st_mtime)));
        }
        free(paths[i]);
    }
    free(paths);
    return items;
}

/* Every root the catalog knows to be offline, by path. */
static json_t *offline_roots_json(cc_db *db)
{
    json_t *items = json_array();
    cc_root_info *roots = NULL;
    size_t count = 0;
    cu_err err = {0};
    if (!db || cc_root_list(db, &roots, &count, &err) < 0)
        return items;
    for (size_t i = 0; i < count; i++)
        if (roots[i].offline)
            json_array_append_new(items,
                                  json_pack("{s:o, s:o, s:o}", "path", cj_text(roots[i].path),
                                            "reason", cj_text_or_null(roots[i].reason), "since",
                                            cj_time(roots[i].since)));
    cc_root_list_free(roots, count);
    return items;
}

void cs_status_admin(cs_request *req, cc_db *db, json_t *body)
{
    if (!req->admin) {
        json_object_set_new(body, "offline_roots", json_array());
        json_object_set_new(body, "catalog", json_null());
        json_object_set_new(body, "backups", json_array());
        json_object_set_new(body, "transcodes", json_null());
        return;
    }
    const cs_config *config = cs_server_config(req->server);
    json_object_set_new(body, "offline_roots", offline_roots_json(db));
    json_object_set_new(body, "catalog", catalog_json(config->db_path));
    json_object_set_new(body, "backups", backups_json(config->db_path));
    int running = 0, max = 0;
    cs_hls_transcodes(cs_server_hls(req->server), &running, &max);
    json_object_set_new(body, "transcodes",
                        json_pack("{s:i, s:i}", "running", running, "limit", max));
}
