/* cs_static: the browser app's files. The set of servable files is fixed
 * when the server starts (a walk of the web root, skipping dotfiles and
 * node_modules): a URL can only select one of them, never build a path. */
#ifndef CS_STATIC_H
#define CS_STATIC_H

#include <stdbool.h>
#include <sys/stat.h>

#include "util/cu_err.h"

typedef struct cs_static cs_static;

/* Bounds on the walk. */
#define CS_STATIC_MAX_FILES 4096
#define CS_STATIC_MAX_DEPTH 8

/* Precompressed copies: a folder holding URL.gz and URL.br for the files
 * of the default web root (made at build time, see src/server/meson.build).
 * A copy older than its file is ignored; files without a gzip copy are
 * gzipped in memory when the set is made (brotli is too slow for that). */
#ifndef CS_WEB_Z_DIR
#define CS_WEB_Z_DIR ""
#endif
#ifndef CS_WEB_SRC_DIR
#define CS_WEB_SRC_DIR ""
#endif
#define CS_STATIC_MAX_COMPRESS (32u * 1024 * 1024)

/* The URL and file path of entry i (0 <= i < cs_static_count), for the
 * build's precompressor. */
void cs_static_entry(const cs_static *s, size_t i, const char **url, const char **path);

/* Lists the files under root. A missing root is not an error: the set is
 * empty and cs_static_available() is false. *out is NULL on failure. */
int cs_static_new(const char *root, cs_static **out, cu_err *err);
void cs_static_free(cs_static *s);

/* True when the root held an index.html. */
bool cs_static_available(const cs_static *s);
size_t cs_static_count(const cs_static *s);

typedef struct cs_static_file {
    const char *path; /* absolute file path */
    const char *content_type;
    const char *cache_control;
    /* Compressed copies held in memory (index: cs_encoding; NULL when
     * none), valid only while the file on disk is still the one they were
     * made from: the same inode, size and modification time as `made`. */
    const void *encoded[3];
    size_t encoded_len[3];
    struct stat made;
    bool compressible; /* text: Vary: Accept-Encoding applies */
} cs_static_file;

/* The file for a decoded URL path ("/", "/app.js", "/vendor/hls.min.js").
 * Returns false when there is none. */
bool cs_static_lookup(const cs_static *s, const char *url_path, cs_static_file *out);

/* The index.html to answer client-side routes ("/film/12") with. */
bool cs_static_index(const cs_static *s, cs_static_file *out);

/* Content-Type for a file name by its extension. */
const char *cs_static_content_type(const char *name);

#endif
