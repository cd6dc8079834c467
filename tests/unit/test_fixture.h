/* test_fixture.h: what the unit tests that make files share. */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static inline int test_fixture_remove_entry(const char *path, const struct stat *sb, int flag,
                                            struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* Removes dir and everything under it (symbolic links, not their targets). */
static inline void test_fixture_remove_tree(const char *dir)
{
    if (dir && dir[0])
        nftw(dir, test_fixture_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Runs argv (no shell, stdin/stdout/stderr on /dev/null), for the tests
 * that make media with ffmpeg; true on exit status 0, else says which
 * command failed and on what (its last argument). */
static inline bool test_fixture_run(const char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return false;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    size_t last = 0;
    while (argv[last + 1])
        last++;
    fprintf(stderr, "%s failed (%s)\n", argv[0], argv[last]);
    return false;
}

#endif
