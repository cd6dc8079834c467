/* cu_path: joining and splitting paths, and the containment check that
 * keeps every opened file inside a library root. */
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *cu_path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/')
        la--;
    while (*b == '/')
        b++;
    if (la == 0)
        return cu_xstrdup(b);
    return cu_xasprintf("%.*s%s%s", (int)la, a, a[la - 1] == '/' ? "" : "/", b);
}

const char *cu_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *cu_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return cu_xstrdup(".");
    if (slash == path)
        return cu_xstrdup("/");
    return cu_xstrndup(path, (size_t)(slash - path));
}

const char *cu_path_ext(const char *path)
{
    const char *base = cu_path_basename(path);
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return base + strlen(base);
    return dot + 1;
}

char *cu_path_stem(const char *path)
{
    const char *base = cu_path_basename(path);
    const char *ext = cu_path_ext(base);
    size_t len = *ext ? (size_t)(ext - 1 - base) : strlen(base);
    return cu_xstrndup(base, len);
}

bool cu_path_is_within(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return path[0] == '/';
    return strncmp(root, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

char *cu_path_real(const char *path)
{
    char *r = realpath(path, NULL);
    return r;
}

char *cu_path_absolute(const char *path)
{
    char *dir = cu_path_dirname(path);
    char *real_dir = realpath(dir, NULL);
    free(dir);
    if (real_dir) {
        char *out = cu_path_join(real_dir, cu_path_basename(path));
        free(real_dir);
        return out;
    }
    if (path[0] == '/')
        return cu_xstrdup(path);
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        return NULL;
    char *out = cu_path_join(cwd, path);
    free(cwd);
    return out;
}
