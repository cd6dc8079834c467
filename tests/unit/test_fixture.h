/* test_fixture.h: what the unit tests that make files share. */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

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

#endif
