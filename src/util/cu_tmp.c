/* cu_tmp: sweeping temporaries whose writer is gone. */
#include "util/cu_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The writer's PID from "...tmp.PID" or "...tmp.PID.N"; 0 when the name
 * is not a temporary's. */
static long temp_pid(const char *name)
{
    const char *t = strstr(name, ".tmp.");
    if (!t)
        return 0;
    const char *last;
    while ((last = strstr(t + 1, ".tmp.")))
        t = last;
    char *end;
    errno = 0;
    long pid = strtol(t + 5, &end, 10);
    if (errno || end == t + 5 || pid <= 0 || (*end && *end != '.'))
        return 0;
    if (*end == '.') {
        const char *n = end + 1;
        if (!*n)
            return 0;
        for (; *n; n++)
            if (*n < '0' || *n > '9')
                return 0;
    }
    return pid;
}

size_t cu_tmp_sweep(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t removed = 0;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(d))) {
        long pid = temp_pid(de->d_name);
        if (!pid)
            continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        bool gone = kill((pid_t)pid, 0) != 0 && errno == ESRCH;
        if (gone || now - st.st_mtime > CU_TMP_STALE_SECONDS)
            if (unlinkat(dirfd(d), de->d_name, 0) == 0)
                removed++;
    }
    closedir(d);
    return removed;
}
