/* cs_static: the whitelist of web app files, built once at start. */
#include "server/cs_static.h"
#include "server/cs_compress.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct static_entry {
    char *url;        /* "/app.js" */
    char *path;       /* "/abs/web/app.js" */
    void *encoded[3]; /* by cs_encoding; [0] unused */
    size_t encoded_len[3];
    struct stat made; /* the file the copies were made from */
} static_entry;

struct cs_static {
    static_entry *entries;
    size_t count, cap;
    int index; /* entry of /index.html, or -1 */
};

/* Hashed and versioned files could be cached for long; ours are served
 * as they are in the tree, so a browser revalidates (cheap with ETag). */
static const char *const revalidate = "no-cache";
static const char *const vendor_cache = "public, max-age=86400";

const char *cs_static_content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"json", "application/json; charset=utf-8"},
        {"map", "application/json; charset=utf-8"},
        {"webmanifest", "application/manifest+json"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"ico", "image/x-icon"},
        {"woff", "font/woff"},
        {"woff2", "font/woff2"},
        {"ttf", "font/ttf"},
        {"txt", "text/plain; charset=utf-8"},
        {"vtt", "text/vtt; charset=utf-8"},
        {"wasm", "application/wasm"},
    };
    const char *ext = cu_path_ext(name);
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (cu_str_eq_ci(ext, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

static void add_entry(cs_static *s, const char *url, const char *path)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->entries = cu_xreallocarray(s->entries, s->cap, sizeof *s->entries);
    }
    memset(&s->entries[s->count], 0, sizeof s->entries[s->count]);
    s->entries[s->count].url = cu_xstrdup(url);
    s->entries[s->count].path = cu_xstrdup(path);
    s->count++;
}

/* Walks dir (url_prefix is its URL, "" for the root). Symbolic links are
 * not followed (lstat), so the set stays inside the root. */
static int walk(cs_static *s, const char *dir, const char *url_prefix, int depth)
{
    if (depth > CS_STATIC_MAX_DEPTH)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return depth == 0 ? -errno : 0;
    struct dirent *e;
    while ((e = readdir(d)) && s->count < CS_STATIC_MAX_FILES) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "node_modules"))
            continue;
        /* Names that a URL could not select cleanly are left out. */
        if (strpbrk(e->d_name, "?#%\\") || !cu_utf8_valid(e->d_name, strlen(e->d_name)))
            continue;
        char *path = cu_path_join(dir, e->d_name);
        char *url = cu_xasprintf("%s/%s", url_prefix, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                walk(s, path, url, depth + 1);
            else if (S_ISREG(st.st_mode) && strlen(url) < 1000)
                add_entry(s, url, path);
        }
        free(path);
        free(url);
    }
    closedir(d);
    return 0;
}

/* The whole of a regular file, at most max bytes; NULL otherwise. */
static void *read_all(const char *path, size_t max, size_t *len, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    void *buf = NULL;
    if (fstat(fd, st) == 0 && S_ISREG(st->st_mode) && (uint64_t)st->st_size <= max) {
        buf = cu_xmalloc((size_t)st->st_size + 1);
        size_t got = 0;
        while (got < (size_t)st->st_size) {
            ssize_t n = read(fd, (char *)buf + got, (size_t)st->st_size - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (got != (size_t)st->st_size) {
            free(buf);
            buf = NULL;
        }
        *len = got;
    }
    close(fd);
    return buf;
}

static bool newer_or_same(const struct stat *a, const struct stat *b)
{
    return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
           (a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec >= b->st_mtim.tv_nsec);
}

/* Compressed copies of a text entry: the build's (z_dir) where they are
 * fresh, else gzip made now. */
static void precompress(static_entry *e, const char *z_dir)
{
    if (!cs_compress_type_ok(cs_static_content_type(e->path)))
        return;
    struct stat st;
    if (stat(e->path, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > CS_STATIC_MAX_COMPRESS || st.st_size < CS_COMPRESS_MIN)
        return;
    e->made = st;
    unsigned available = cs_compress_available();
    for (int enc = CS_ENCODING_GZIP; enc <= CS_ENCODING_BR; enc++) {
        if (!(available & (1u << enc)) || !z_dir)
            continue;
        char *z = cu_xasprintf("%s%s%s", z_dir, e->url, cs_compress_suffix((cs_encoding)enc));
        struct stat zst;
        size_t len = 0;
        void *data = read_all(z, CS_STATIC_MAX_COMPRESS, &len, &zst);
        if (data && newer_or_same(&zst, &st) && len > 0) {
            e->encoded[enc] = data;
            e->encoded_len[enc] = len;
        } else {
            free(data);
        }
        free(z);
    }
    if (!e->encoded[CS_ENCODING_GZIP]) {
        struct stat again;
        size_t len = 0;
        void *plain = read_all(e->path, CS_STATIC_MAX_COMPRESS, &len, &again);
        void *gz = NULL;
        size_t gz_len = 0;
        if (plain && again.st_ino == st.st_ino && again.st_size == st.st_size &&
            cs_compress_buffer(CS_ENCODING_GZIP, 6, plain, len, &gz, &gz_len) == 0) {
            e->encoded[CS_ENCODING_GZIP] = gz;
            e->encoded_len[CS_ENCODING_GZIP] = gz_len;
            e->made = again;
        }
        free(plain);
    }
}

void cs_static_entry(const cs_static *s, size_t i, const char **url, const char **path)
{
    *url = i < s->count ? s->entries[i].url : NULL;
    *path = i < s->count ? s->entries[i].path : NULL;
}

int cs_static_new(const char *root, cs_static **out, cu_err *err)
{
    (void)err;
    cs_static *s = cu_xcalloc(1, sizeof *s);
    s->index = -1;
    char *real = root ? cu_path_real(root) : NULL;
    if (real) {
        walk(s, real, "", 0);
        char *vendor = cu_path_join(real, "node_modules/hls.js/dist/hls.min.js");
        struct stat st;
        if (stat(vendor, &st) == 0 && S_ISREG(st.st_mode))
            add_entry(s, "/vendor/hls.min.js", vendor);
        free(vendor);
        /* The build's copies belong to the source tree's web app only. */
        char *src = CS_WEB_SRC_DIR[0] ? cu_path_real(CS_WEB_SRC_DIR) : NULL;
        const char *z_dir = src && !strcmp(src, real) && CS_WEB_Z_DIR[0] ? CS_WEB_Z_DIR : NULL;
        for (size_t i = 0; i < s->count; i++)
            precompress(&s->entries[i], z_dir);
        free(src);
        free(real);
    }
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->entries[i].url, "/index.html"))
            s->index = (int)i;
    *out = s;
    return 0;
}

void cs_static_free(cs_static *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++) {
        free(s->entries[i].url);
        free(s->entries[i].path);
        for (int k = 0; k < 3; k++)
            free(s->entries[i].encoded[k]);
    }
    free(s->entries);
    free(s);
}

bool cs_static_available(const cs_static *s)
{
    return s && s->index >= 0;
}

size_t cs_static_count(const cs_static *s)
{
    return s ? s->count : 0;
}

static void fill(const static_entry *e, cs_static_file *out)
{
    memset(out, 0, sizeof *out);
    for (int k = 0; k < 3; k++) {
        out->encoded[k] = e->encoded[k];
        out->encoded_len[k] = e->encoded_len[k];
    }
    out->made = e->made;
    out->path = e->path;
    out->content_type = cs_static_content_type(e->path);
    out->cache_control = cu_str_has_prefix(e->url, "/vendor/") ? vendor_cache : revalidate;
    out->compressible = cs_compress_type_ok(out->content_type);
}

bool cs_static_lookup(const cs_static *s, const char *url_path, cs_static_file *out)
{
    if (!s)
        return false;
    if (!strcmp(url_path, "/"))
        return cs_static_index(s, out);
    /* A few dozen files: a linear scan is fine. */
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->entries[i].url, url_path)) {
            fill(&s->entries[i], out);
            return true;
        }
    return false;
}

bool cs_static_index(const cs_static *s, cs_static_file *out)
{
    if (!cs_static_available(s))
        return false;
    fill(&s->entries[s->index], out);
    return true;
}
