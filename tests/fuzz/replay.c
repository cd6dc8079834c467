/* replay: a main() for fuzz targets built without libFuzzer. Feeds
 * LLVMFuzzerTestOneInput every file named on the command line and every
 * regular file in the directories named (not recursively, sorted), so a
 * corpus runs as an ordinary test, typically under ASan and UBSan. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Corpus inputs are small; a bigger file is a mistake, not a test. */
#define REPLAY_FILE_MAX (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as with libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Runs one file; returns 0, or -1 after saying why on stderr. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    /* An exact-size heap copy, so reading one byte past the input is an
     * ASan error as it would be under libFuzzer. */
    uint8_t *data = malloc(REPLAY_FILE_MAX);
    size_t size = data ? fread(data, 1, REPLAY_FILE_MAX, f) : 0;
    int rc = 0;
    if (!data || ferror(f) || !feof(f)) {
        fprintf(stderr, "replay: %s: unreadable or larger than %d bytes\n", path,
                REPLAY_FILE_MAX - 1);
        rc = -1;
    }
    fclose(f);
    if (rc == 0) {
        uint8_t *exact = malloc(size ? size : 1);
        if (!exact) {
            rc = -1;
        } else {
            memcpy(exact, data, size);
            LLVMFuzzerTestOneInput(exact, size);
            free(exact);
        }
    }
    free(data);
    return rc;
}

static int skip_hidden(const struct dirent *entry)
{
    return entry->d_name[0] != '.';
}

/* Runs every regular file in dir; adds the count to *count. */
static int replay_dir(const char *dir, size_t *count)
{
    struct dirent **entries;
    int n = scandir(dir, &entries, skip_hidden, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(entries[i]->d_name) + 2;
        char *path = malloc(len);
        struct stat st;
        if (path) {
            snprintf(path, len, "%s/%s", dir, entries[i]->d_name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                if (replay_file(path) < 0)
                    rc = -1;
                else
                    (*count)++;
            }
        } else {
            rc = -1;
        }
        free(path);
        free(entries[i]);
    }
    free(entries);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (replay_dir(argv[i], &count) < 0)
                rc = 1;
        } else if (replay_file(argv[i]) < 0) {
            rc = 1;
        } else {
            count++;
        }
    }
    printf("replay: %zu inputs\n", count);
    /* An empty corpus proves nothing: treat it as a failure. */
    return rc != 0 || count == 0 ? 1 : 0;
}
