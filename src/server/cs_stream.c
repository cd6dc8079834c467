/* cs_stream: files from disk over HTTP: conditional requests, single byte
 * ranges, and zero-copy bodies (MHD sends an fd response with sendfile).
 * Also the direct-play endpoint, which only opens what the scanner found
 * under a library root. */
#include "catalog/cc_film.h"
#include "playback/cp_file.h"
#include "server/cs_internal.h"
#include "server/cs_range.h"
#include "server/cs_realroot.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *header(cs_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* The validators of what is on disk now: a strong ETag from inode, size
 * and modification time (any change to the file changes one of them). */
static void make_etag(const struct stat *st, char *out, size_t size)
{
    snprintf(out, size, "\"%" PRIx64 "-%" PRIx64 "-%" PRIx64 "\"", (uint64_t)st->st_ino,
             (uint64_t)st->st_size,
             (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec);
}

static void add_validators(struct MHD_Response *r, const char *etag, const char *last_modified,
                           const cs_file_reply *f)
{
    cs_reply_common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, last_modified);
    if (f->cache_control)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, f->cache_control);
    if (f->ranges)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    if (f->csp)
        MHD_add_response_header(r, "Content-Security-Policy", f->csp);
    for (size_t i = 0; f->headers && f->headers[i] && f->headers[i + 1]; i += 2)
        MHD_add_response_header(r, f->headers[i], f->headers[i + 1]);
}

static enum MHD_Result queue_empty(cs_request *req, unsigned status, const char *etag,
                                   const char *last_modified, const cs_file_reply *f,
                                   const char *content_range, const char *content_type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    add_validators(r, etag, last_modified, f);
    if (content_range)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, content_range);
    if (content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    enum MHD_Result ret = MHD_queue_response(req->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

enum MHD_Result cs_reply_open_error(cs_request *req, const cu_err *err)
{
    if (err->code == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "the file is not in the library");
    if (err->code == -EACCES || err->code == -EPERM)
        return cs_reply_error(req, 403, "forbidden", "the file cannot be read");
    cu_log(CU_LOG_WARN, "open %s", err->msg);
    return cs_reply_error(req, 500, "internal", "the file cannot be opened");
}

enum MHD_Result cs_send_file(cs_request *req, const cs_file_reply *f)
{
    struct stat st;
    if (f->roots) {
        cu_err err = {0};
        int fd = cp_file_open(f->path, f->roots, f->root_count, &st, &err);
        if (fd < 0) {
            if (err.code == CU_ENOTFOUND)
                cu_log(CU_LOG_DEBUG, "refused: %s", err.msg);
            return cs_reply_open_error(req, &err);
        }
        return cs_send_fd(req, fd, &st, f);
    }
    int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == EACCES || e == EPERM)
            return cs_reply_error(req, 403, "forbidden", "the file cannot be read");
        if (e == ENOENT || e == ENOTDIR || e == ELOOP)
            return cs_reply_error(req, 404, "not_found", "the file is no longer on disk");
        cu_log(CU_LOG_WARN, "open %s: %s", f->path, strerror(e));
        return cs_reply_error(req, 500, "internal", "the file cannot be opened");
    }
    /* O_NONBLOCK only guards the open against a FIFO; reads are plain. */
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cs_reply_error(req, 404, "not_found", "not a regular file");
    }
    return cs_send_fd(req, fd, &st, f);
}

enum MHD_Result cs_send_fd(cs_request *req, int fd, const struct stat *stp, const cs_file_reply *f)
{
    const struct stat st = *stp;
    char etag[80], last_modified[40], content_range[96];
    make_etag(&st, etag, sizeof etag);
    cs_http_date_format(st.st_mtime, last_modified, sizeof last_modified);

    /* Conditional GET: If-None-Match wins over If-Modified-Since. */
    const char *inm = header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);
    const char *ims = header(req, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
    bool not_modified = false;
    if (inm) {
        not_modified = cs_etag_list_matches(inm, etag);
    } else if (ims) {
        time_t since = cs_http_date_parse(ims);
        not_modified = since >= 0 && st.st_mtime <= since;
    }
    if (not_modified) {
        close(fd);
        return queue_empty(req, MHD_HTTP_NOT_MODIFIED, etag, last_modified, f, NULL, NULL);
    }

    int64_t size = st.st_size, first = 0, last = size - 1;
    unsigned status = MHD_HTTP_OK;
    const char *range = f->ranges ? header(req, MHD_HTTP_HEADER_RANGE) : NULL;
    if (range) {
        /* If-Range: the range only applies to the version the client has. */
        const char *if_range = header(req, MHD_HTTP_HEADER_IF_RANGE);
        if (!if_range || cs_if_range_matches(if_range, etag, st.st_mtime)) {
            switch (cs_range_parse(range, size, &first, &last)) {
            case CS_RANGE_UNSATISFIABLE:
                close(fd);
                snprintf(content_range, sizeof content_range, "bytes */%" PRId64, size);
                return queue_empty(req, MHD_HTTP_RANGE_NOT_SATISFIABLE, etag, last_modified, f,
                                   content_range, NULL);
            case CS_RANGE_PARTIAL: status = MHD_HTTP_PARTIAL_CONTENT; break;
            case CS_RANGE_NONE:
                first = 0;
                last = size - 1;
                break;
            }
        }
    }
    uint64_t length =
        status == MHD_HTTP_PARTIAL_CONTENT ? (uint64_t)(last - first + 1) : (uint64_t)size;
    if (length == 0) {
        close(fd);
        return queue_empty(req, status, etag, last_modified, f, NULL, f->content_type);
    }
    struct MHD_Response *r = MHD_create_response_from_fd_at_offset64(length, fd, (uint64_t)first);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    add_validators(r, etag, last_modified, f);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, f->content_type);
    if (status == MHD_HTTP_PARTIAL_CONTENT) {
        snprintf(content_range, sizeof content_range, "bytes %" PRId64 "-%" PRId64 "/%" PRId64,
                 first, last, size);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, content_range);
    }
    cs_server_cork(req);
    enum MHD_Result ret = MHD_queue_response(req->conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Media types by the container the probe named (cm_media_info.container),
 * falling back on the file's extension. */
static const char *media_type(const char *container, const char *path)
{
    static const struct {
        const char *name, *type;
    } types[] = {
        {"mkv", "video/x-matroska"}, {"webm", "video/webm"},     {"mp4", "video/mp4"},
        {"m4v", "video/mp4"},        {"mov", "video/quicktime"}, {"avi", "video/x-msvideo"},
        {"ts", "video/mp2t"},        {"m2ts", "video/mp2t"},     {"mts", "video/mp2t"},
        {"wmv", "video/x-ms-wmv"},   {"mpg", "video/mpeg"},      {"mpeg", "video/mpeg"},
        {"ogv", "video/ogg"},        {"flv", "video/x-flv"},     {"3gp", "video/3gpp"},
    };
    const char *keys[2] = {container, cu_path_ext(path)};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; keys[k] && i < sizeof types / sizeof *types; i++)
            if (cu_str_eq_ci(keys[k], types[i].name))
                return types[i].type;
    return "application/octet-stream";
}

enum MHD_Result cs_api_stream(cs_request *req)
{
    return cs_stream_file(req, req->route.id, NULL);
}

enum MHD_Result cs_stream_file(cs_request *req, int64_t file_id, const char *const *headers)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_file_location loc;
    if (cc_file_locate(db, file_id, &loc, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    enum MHD_Result ret;
    /* The path as the scanner recorded it must still lead inside its
     * library root: a symbolic link swapped in since the scan, or a root
     * that changed, must not lead anywhere else (cp_file_open checks,
     * against where the root led at most a second ago: cs_realroot.c). */
    char *root = loc.root ? cs_realroots_get(cs_server_realroots(req->server), loc.root) : NULL;
    if (!root) {
        ret = cs_reply_error(req, 404, "not_found", "the file is not in the library");
    } else {
        const char *roots[1] = {root};
        cs_file_reply f = {
            .path = loc.path,
            .content_type = media_type(loc.container, loc.path),
            .cache_control = "no-cache",
            .ranges = true,
            .roots = roots,
            .root_count = 1,
            .headers = headers,
        };
        ret = cs_send_file(req, &f);
    }
    free(root);
    cc_file_location_clear(&loc);
    return ret;
}
