/* cinemateca-precompress SRC OUT STAMP: the build step that writes gzip
 * (level 9) and brotli (quality 11) copies of the web app's text files
 * and hls.js to OUT/URL.gz and OUT/URL.br, so a server never spends
 * seconds of brotli on them at start or per request. A copy newer than
 * its file is kept, so a rebuild only redoes what changed. The server
 * takes a copy only while it is newer than its file (cs_static.c). */
#include "server/cs_compress.h"
#include "server/cs_static.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdirs(const char *path)
{
    char *copy = cu_xstrdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
            free(copy);
            return -1;
        }
        *p = '/';
    }
    int rc = mkdir(copy, 0755) != 0 && errno != EEXIST ? -1 : 0;
    free(copy);
    return rc;
}

static int write_atomic(const char *path, const void *data, size_t len)
{
    char *tmp = cu_xasprintf("%s.tmp.%d", path, (int)getpid());
    FILE *fp = fopen(tmp, "wb");
    int rc = -1;
    if (fp) {
        bool ok = fwrite(data, 1, len, fp) == len;
        ok = fclose(fp) == 0 && ok;
        rc = ok && rename(tmp, path) == 0 ? 0 : -1;
    }
    if (rc < 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

static bool fresh(const char *copy, const struct stat *src)
{
    struct stat st;
    return stat(copy, &st) == 0 && (st.st_mtim.tv_sec > src->st_mtim.tv_sec ||
                                    (st.st_mtim.tv_sec == src->st_mtim.tv_sec &&
                                     st.st_mtim.tv_nsec >= src->st_mtim.tv_nsec));
}

static void *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= CS_STATIC_MAX_COMPRESS)
                break;
            cap = cap ? cap * 2 : 65536;
            buf = cu_xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        if (got == 0)
            break;
        n += got;
    }
    bool too_big = !feof(fp);
    fclose(fp);
    if (too_big) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s WEB_DIR OUT_DIR STAMP\n", argv[0]);
        return 2;
    }
    cs_static *web = NULL;
    cu_err err = {0};
    if (cs_static_new(argv[1], &web, &err) < 0) {
        fprintf(stderr, "precompress: %s\n", err.msg);
        return 1;
    }
    int made = 0, failed = 0;
    for (size_t i = 0; i < cs_static_count(web); i++) {
        const char *url, *path;
        cs_static_entry(web, i, &url, &path);
        struct stat st;
        if (!cs_compress_type_ok(cs_static_content_type(path)) || stat(path, &st) != 0 ||
            st.st_size < CS_COMPRESS_MIN)
            continue;
        unsigned available = cs_compress_available();
        void *plain = NULL;
        size_t plain_len = 0;
        for (int enc = CS_ENCODING_GZIP; enc <= CS_ENCODING_BR; enc++) {
            if (!(available & (1u << enc)))
                continue;
            char *out = cu_xasprintf("%s%s%s", argv[2], url, cs_compress_suffix((cs_encoding)enc));
            if (!fresh(out, &st)) {
                char *dir = cu_path_dirname(out);
                if (!plain)
                    plain = slurp(path, &plain_len);
                void *z = NULL;
                size_t z_len = 0;
                if (plain && dir && mkdirs(dir) == 0 &&
                    cs_compress_buffer((cs_encoding)enc, enc == CS_ENCODING_BR ? 11 : 9, plain,
                                       plain_len, &z, &z_len) == 0 &&
                    write_atomic(out, z, z_len) == 0)
                    made++;
                else
                    failed++;
                free(z);
                free(dir);
            }
            free(out);
        }
        free(plain);
    }
    cs_static_free(web);
    FILE *stamp = fopen(argv[3], "w");
    if (stamp) {
        fprintf(stamp, "%d made, %d failed\n", made, failed);
        fclose(stamp);
    }
    if (failed)
        fprintf(stderr, "precompress: %d copies could not be made\n", failed);
    return 0;
}
