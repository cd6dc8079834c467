/* cli: the cinemateca command and its subcommands. Only this module (and
 * the server's log) decides what a person sees. */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>
#include <stdio.h>

/* Exit codes shared by every subcommand. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2 };

int cli_scan(int argc, char **argv);
int cli_films(int argc, char **argv);
int cli_film(int argc, char **argv);
int cli_person(int argc, char **argv);

/* Parses a catalog id (a positive decimal integer); -1 when it is not. */
int cli_parse_id(const char *s, int64_t *id);

/* Prints "cinemateca: <msg>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
