/* cs_encoded: sending text compressed when the client asks: the web app's
 * files from their compressed copies (cs_static), and JSON/text replies
 * compressed on the fly (cs_reply.c calls cs_encode_reply). Every reply
 * whose body could be compressed says `Vary: Accept-Encoding`, compressed
 * or not, so a cache never hands one client's coding to another. */
#include "server/cs_compress.h"
#include "server/cs_internal.h"
#include "server/cs_range.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *accept_encoding(cs_request *req)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

enum MHD_Result cs_send_static(cs_request *req, const cs_static_file *file, const cs_file_reply *f)
{
    static const char *const vary[] = {MHD_HTTP_HEADER_VARY, "Accept-Encoding", NULL};
    cs_file_reply plain = *f;
    if (!file->compressible)
        return cs_send_file(req, &plain);
    plain.headers = vary;
    unsigned offered = 0;
    for (int k = CS_ENCODING_GZIP; k <= CS_ENCODING_BR; k++)
        if (file->encoded[k])
            offered |= 1u << k;
    cs_encoding enc = cs_compress_pick(accept_encoding(req), offered);
    struct stat st;
    /* A file changed since its copies were made goes as it is now. */
    if (enc == CS_ENCODING_IDENTITY || stat(file->path, &st) != 0 || !same_file(&st, &file->made))
        return cs_send_file(req, &plain);

    char etag[96], last_modified[40];
    snprintf(etag, sizeof etag, "\"%" PRIx64 "-%" PRIx64 "-%" PRIx64 "-%s\"", (uint64_t)st.st_ino,
             (uint64_t)st.st_size,
             (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec,
             cs_compress_name(enc));
    cs_http_date_format(st.st_mtime, last_modified, sizeof last_modified);
    const char *inm =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool not_modified = inm && cs_etag_list_matches(inm, etag);
    struct MHD_Response *r =
        not_modified
            ? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
            : MHD_create_response_from_buffer(file->encoded_len[enc], (void *)file->encoded[enc],
                                              MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    cs_reply_common_headers(r);
    MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, last_modified);
    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (f->cache_control)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, f->cache_control);
    if (f->csp)
        MHD_add_response_header(r, "Content-Security-Policy", f->csp);
    if (!not_modified) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, f->content_type);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, cs_compress_name(enc));
    }
    enum MHD_Result ret = MHD_queue_response(req->conn, not_modified ? 304 : 200, r);
    MHD_destroy_response(r);
    return ret;
}

bool cs_encode_reply(cs_request *req, const char *content_type, char **data, size_t *len,
                     const char **encoding)
{
    *encoding = NULL;
    /* JSON only: other text replies (DLNA's XML to TVs, error pages) keep
     * going as they always did. */
    if (!content_type || strncmp(content_type, "application/json", 16) != 0)
        return false;
    if (*len >= CS_COMPRESS_MIN && *len <= CS_COMPRESS_MAX) {
        cs_encoding enc = cs_compress_pick(accept_encoding(req), cs_compress_available());
        void *out = NULL;
        size_t out_len = 0;
        /* Quick settings: a reply is compressed once, for one client. */
        if (enc != CS_ENCODING_IDENTITY && cs_compress_buffer(enc, enc == CS_ENCODING_BR ? 4 : 5,
                                                              *data, *len, &out, &out_len) == 0) {
            if (out_len < *len) {
                free(*data);
                *data = out;
                *len = out_len;
                *encoding = cs_compress_name(enc);
            } else {
                free(out);
            }
        }
    }
    return true;
}
