/* main: dispatches `cinemateca <command> ...` to its subcommand. */
#include "cli/cli.h"
#include "media/cm_media.h"
#include "util/cu_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"scan", cli_scan, "scan or rescan library folders into a catalog"},
    {"films", cli_films, "list the films in a catalog"},
    {"film", cli_film, "show one film's whole record"},
    {"person", cli_person, "show a person's films, roles and collaborators"},
    {"search", cli_search, "find films, people and special features"},
    {"serve", cli_serve, "serve the catalog, the films and the web app over HTTP"},
    {"demo", cli_demo, "build a small demo library (once) and serve it"},
    {"backup", cli_backup, "copy the catalog, consistently, even while a server runs"},
    {"restore", cli_restore, "put a backup of the catalog back (refused while it is in use)"},
    {"user", cli_user, "add, list, change, disable or remove accounts"},
    {"share", cli_share, "public links to a film, an extra or a clip, opening and closing on time"},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("cinemateca: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: cinemateca <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`cinemateca <command> --help` describes a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("cinemateca %s\n", CINEMATECA_VERSION);
        return CLI_EXIT_OK;
    }
    const char *level = getenv("CINEMATECA_LOG");
    if (level && !strcmp(level, "debug"))
        cu_log_set_level(CU_LOG_DEBUG);
    else if (level && !strcmp(level, "info"))
        cu_log_set_level(CU_LOG_INFO);
    cm_media_init();
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
