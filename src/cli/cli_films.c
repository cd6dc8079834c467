/* cli_films: `cinemateca films --db FILE [--json]`. */
#include "catalog/cc_db.h"
#include "catalog/cc_film.h"
#include "cli/cli.h"
#include "json/cj_film.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t count_versions(const cc_film *film)
{
    size_t n = 0;
    for (size_t i = 0; i < film->file_count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *a = film->files[i].version, *b = film->files[j].version;
            seen = (!a && !b) || (a && b && !strcmp(a, b));
        }
        if (!seen)
            n++;
    }
    return n;
}

static int max_part(const cc_film *film)
{
    int parts = 0;
    for (size_t i = 0; i < film->file_count; i++)
        if (film->files[i].part > parts)
            parts = film->files[i].part;
    return parts;
}

static void films_usage(FILE *out)
{
    fprintf(out, "usage: cinemateca films --db FILE [--json]\n"
                 "Lists every film in the catalog: title, year, parts, versions, extras.\n");
}

int cli_films(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL;
    int as_json = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "d:jh", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db_path = optarg; break;
        case 'j': as_json = 1; break;
        case 'h': films_usage(stdout); return CLI_EXIT_OK;
        default: films_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (!db_path || optind != argc) {
        films_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    cu_err err = {0};
    cc_db *db = NULL;
    int64_t *ids = NULL;
    size_t count = 0;
    int status = CLI_EXIT_FAIL;
    if (cc_db_open(db_path, CC_OPEN_READONLY, &db, &err) < 0 ||
        cc_film_list_ids(db, &ids, &count, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    json_t *list = as_json ? json_array() : NULL;
    for (size_t i = 0; i < count; i++) {
        cc_film *film;
        if (cc_film_get(db, ids[i], &film, &err) < 0) {
            cli_error("%s", err.msg);
            json_decref(list);
            goto done;
        }
        if (as_json) {
            json_array_append_new(list, cj_film_summary(film));
        } else {
            char year[16] = "";
            if (film->year)
                snprintf(year, sizeof year, " (%d)", film->year);
            printf("%-6lld %s%s  parts: %d  versions: %zu  extras: %zu\n", (long long)film->id,
                   film->title, year, max_part(film), count_versions(film), film->extra_count);
        }
        cc_film_free(film);
    }
    if (as_json) {
        json_t *root = json_pack("{s:o}", "films", list);
        json_dumpf(root, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(root);
    }
    status = CLI_EXIT_OK;
done:
    free(ids);
    cc_db_close(db);
    return status;
}
