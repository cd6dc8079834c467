/* cli_backup: `cinemateca backup --db FILE OUT` and `cinemateca restore
 * --db FILE IN`. The work is cc_backup's; this file reads the options and
 * says what happened. */
#include "catalog/cc_backup.h"
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void backup_usage(FILE *out)
{
    fprintf(out, "usage: cinemateca backup --db FILE OUT\n"
                 "Copies the catalog FILE into the new file OUT, consistent even while a\n"
                 "server runs and scans (SQLite's online backup). OUT must not exist.\n");
}

static void restore_usage(FILE *out)
{
    fprintf(out, "usage: cinemateca restore --db FILE IN\n"
                 "Replaces the catalog FILE with the backup IN. Refused while a server or\n"
                 "a scan has FILE open. The catalog it replaces is kept first, as\n"
                 "FILE.before-restore-DATE.\n");
}

/* --db FILE and one operand; returns the exit code, or -1 to go on. */
static int parse(int argc, char **argv, void (*usage)(FILE *), const char **db,
                 const char **operand)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    *db = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': *db = optarg; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (!*db || optind != argc - 1 || !*argv[optind]) {
        cli_error("%s needs --db FILE and one file name", argv[0]);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    *operand = argv[optind];
    return -1;
}

int cli_backup(int argc, char **argv)
{
    const char *db, *out;
    int rc = parse(argc, argv, backup_usage, &db, &out);
    if (rc >= 0)
        return rc;
    cu_err err = {0};
    if (cc_backup_write(db, out, &err) < 0) {
        cli_error("backup failed: %s", err.msg);
        return CLI_EXIT_FAIL;
    }
    printf("backed up %s to %s\n", db, out);
    return CLI_EXIT_OK;
}

int cli_restore(int argc, char **argv)
{
    const char *db, *in;
    int rc = parse(argc, argv, restore_usage, &db, &in);
    if (rc >= 0)
        return rc;
    cu_err err = {0};
    char *kept = NULL;
    if (cc_backup_restore(db, in, &kept, &err) < 0) {
        cli_error("restore failed: %s", err.msg);
        return CLI_EXIT_FAIL;
    }
    printf("restored %s from %s\n", db, in);
    if (kept)
        printf("the catalog it replaced is kept as %s\n", kept);
    free(kept);
    return CLI_EXIT_OK;
}
