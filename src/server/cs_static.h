/* cs_static: the browser app's files. The set of servable files is fixed
 * when the server starts (a walk of the web root, skipping dotfiles and
 * node_modules): a URL can only select one of them, never build a path. */
#ifndef CS_STATIC_H
#define CS_STATIC_H

#include <stdbool.h>

#include "util/cu_err.h"

typedef struct cs_static cs_static;

/* Bounds on the walk. */
#define CS_STATIC_MAX_FILES 4096
#define CS_STATIC_MAX_DEPTH 8

/* Lists the files under root. A missing root is not an error: the set is
 * empty and cs_static_available() is false. *out is NULL on failure. */
int cs_static_new(const char *root, cs_static **out, cu_err *err);
void cs_static_free(cs_static *s);

/* True when the root held an index.html. */
bool cs_static_available(const cs_static *s);
size_t cs_static_count(const cs_static *s);

typedef struct cs_static_file {
    const char *path;          /* absolute file path */
    const char *content_type;
    const char *cache_control;
} cs_static_file;

/* The file for a decoded URL path ("/", "/app.js", "/vendor/hls.min.js").
 * Returns false when there is none. */
bool cs_static_lookup(const cs_static *s, const char *url_path, cs_static_file *out);

/* The index.html to answer client-side routes ("/film/12") with. */
bool cs_static_index(const cs_static *s, cs_static_file *out);

/* Content-Type for a file name by its extension. */
const char *cs_static_content_type(const char *name);

#endif
