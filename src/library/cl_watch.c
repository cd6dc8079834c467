/* cl_watch: recursive inotify with debouncing. A copy of a big film
 * produces a stream of IN_MODIFY events; we report once the tree has been
 * quiet for a moment, and the incremental rescan does the rest. */
#include "library/cl_watch.h"
#include "library/cl_name.h"
#include "util/cu_path.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCH_MASK                                                                                 \
    (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB |            \
     IN_DELETE_SELF | IN_MOVE_SELF)
#define MAX_DEPTH 32

struct cl_watch {
    int inotify_fd;
    int stop_fd;  /* eventfd written by cl_watch_stop */
    int degraded; /* the watch limit was hit: some folders are not watched */
    /* wd -> folder path, to add watches below newly created folders. */
    char **paths;
    size_t path_cap;
};

static void remember(cl_watch *w, int wd, const char *path)
{
    if (wd < 0)
        return;
    if ((size_t)wd >= w->path_cap) {
        size_t cap = w->path_cap ? w->path_cap : 64;
        while (cap <= (size_t)wd)
            cap *= 2;
        w->paths = cu_xreallocarray(w->paths, cap, sizeof *w->paths);
        memset(w->paths + w->path_cap, 0, (cap - w->path_cap) * sizeof *w->paths);
        w->path_cap = cap;
    }
    free(w->paths[wd]);
    w->paths[wd] = cu_xstrdup(path);
}

static void add_tree(cl_watch *w, const char *dir, int depth)
{
    if (depth > MAX_DEPTH || w->degraded)
        return;
    int wd = inotify_add_watch(w->inotify_fd, dir, WATCH_MASK);
    if (wd < 0) {
        if (errno == ENOSPC)
            w->degraded = 1;
        return;
    }
    remember(w, wd, dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            cl_name_is_hidden(de->d_name) || cl_name_is_ignored_dir(de->d_name))
            continue;
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        char *child = cu_path_join(dir, de->d_name);
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            add_tree(w, child, depth + 1);
        free(child);
    }
    closedir(d);
}

int cl_watch_new(const char *const *roots, size_t root_count, cl_watch **out, cu_err *err)
{
    *out = NULL;
    cl_watch *w = cu_xcalloc(1, sizeof *w);
    w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    w->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w->inotify_fd < 0 || w->stop_fd < 0) {
        int e = errno;
        cl_watch_free(w);
        return cu_err_set(err, -e, "cannot watch the library: %s", strerror(e));
    }
    for (size_t i = 0; i < root_count; i++)
        add_tree(w, roots[i], 0);
    *out = w;
    return 0;
}

void cl_watch_free(cl_watch *w)
{
    if (!w)
        return;
    if (w->inotify_fd >= 0)
        close(w->inotify_fd);
    if (w->stop_fd >= 0)
        close(w->stop_fd);
    for (size_t i = 0; i < w->path_cap; i++)
        free(w->paths[i]);
    free(w->paths);
    free(w);
}

/* Reads pending events; returns 1 when any was seen. */
static int drain(cl_watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int seen = 0;
    for (;;) {
        ssize_t n = read(w->inotify_fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            seen = 1;
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) && ev->len &&
                ev->wd >= 0 && (size_t)ev->wd < w->path_cap && w->paths[ev->wd]) {
                char *child = cu_path_join(w->paths[ev->wd], ev->name);
                add_tree(w, child, 0);
                free(child);
            }
            p += sizeof *ev + ev->len;
        }
    }
    return seen;
}

int cl_watch_wait(cl_watch *w, int quiet_ms, int timeout_ms)
{
    int64_t deadline = timeout_ms < 0 ? -1 : cu_time_mono_ms() + timeout_ms;
    int changed = 0;
    int64_t last_event = 0;
    for (;;) {
        int64_t now = cu_time_mono_ms();
        int wait_ms;
        if (changed) {
            wait_ms = (int)(last_event + quiet_ms - now);
            if (wait_ms <= 0)
                return 1;
        } else if (deadline >= 0) {
            wait_ms = (int)(deadline - now);
            if (wait_ms <= 0)
                return w->degraded ? 1 : 0;
        } else {
            wait_ms = -1;
        }
        struct pollfd fds[2] = {{w->inotify_fd, POLLIN, 0}, {w->stop_fd, POLLIN, 0}};
        int r = poll(fds, 2, wait_ms);
        if (r < 0 && errno != EINTR)
            return changed;
        if (fds[1].revents & POLLIN) {
            uint64_t count;
            ssize_t ignored = read(w->stop_fd, &count, sizeof count); /* re-arm */
            (void)ignored;
            return 0;
        }
        if (r > 0 && (fds[0].revents & POLLIN) && drain(w)) {
            changed = 1;
            last_event = cu_time_mono_ms();
        }
    }
}

void cl_watch_stop(cl_watch *w)
{
    uint64_t one = 1;
    ssize_t ignored = write(w->stop_fd, &one, sizeof one);
    (void)ignored;
}

int cl_watch_degraded(const cl_watch *w)
{
    return w->degraded;
}
