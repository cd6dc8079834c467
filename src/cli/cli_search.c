/* cli_search: `cinemateca search`: films, people and special features
 * matching a query, as grouped lines or JSON. */
#include "catalog/cc_db.h"
#include "catalog/cc_search_query.h"
#include "cli/cli.h"
#include "json/cj_search.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_result(const cc_search_result *r)
{
    if (!r->film_count && !r->person_count && !r->extra_count) {
        printf("nothing found\n");
        return;
    }
    if (r->film_count)
        printf("films:\n");
    for (size_t i = 0; i < r->film_count; i++) {
        const cc_search_film *f = &r->films[i];
        if (f->year)
            printf("  %s (%d)  [film %lld]\n", f->title, f->year, (long long)f->id);
        else
            printf("  %s  [film %lld]\n", f->title, (long long)f->id);
    }
    if (r->person_count)
        printf("people:\n");
    for (size_t i = 0; i < r->person_count; i++)
        printf("  %s  [person %lld]\n", r->people[i].name, (long long)r->people[i].id);
    if (r->extra_count)
        printf("special features:\n");
    for (size_t i = 0; i < r->extra_count; i++) {
        const cc_search_extra *e = &r->extras[i];
        printf("  %s (%s)  [extra %lld of film %lld]\n", e->title, e->type, (long long)e->id,
               (long long)e->film_id);
    }
}

int cli_search(int argc, char **argv)
{
    static const char usage[] =
        "usage: cinemateca search --db FILE [--json] [--limit N] QUERY...\n"
        "Finds films, people and special features by title, original title,\n"
        "name, character, plot or extra title. Case and accents never matter,\n"
        "the last word may be the start of a word, and one typo is forgiven in\n"
        "words of five letters or more.\n";
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"limit", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL;
    int as_json = 0, opt;
    int64_t limit = 20;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "d:jn:h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db_path = optarg; break;
        case 'j': as_json = 1; break;
        case 'n':
            if (cli_parse_id(optarg, &limit) < 0 || limit > 200) {
                cli_error("--limit takes a number from 1 to 200");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'h': printf("%s", usage); return CLI_EXIT_OK;
        default: fprintf(stderr, "%s", usage); return CLI_EXIT_USAGE;
        }
    }
    if (!db_path || optind >= argc) {
        fprintf(stderr, "%s", usage);
        return CLI_EXIT_USAGE;
    }
    /* Several arguments are one query: `search pain and glory`. */
    cu_buf query = CU_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            cu_buf_putc(&query, ' ');
        cu_buf_puts(&query, argv[i]);
    }
    cu_err err = {0};
    cc_db *db = NULL;
    cc_search_result result = {0};
    int rc = CLI_EXIT_FAIL;
    if (cc_db_open(db_path, CC_OPEN_READONLY, &db, &err) < 0 ||
        cc_search_query(db, cu_buf_str(&query), (int)limit, &result, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (as_json) {
        json_t *j = cj_search_result(&result);
        json_dumpf(j, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(j);
    } else {
        print_result(&result);
    }
    rc = CLI_EXIT_OK;
done:
    cc_search_query_clear(&result);
    cc_db_close(db);
    cu_buf_free(&query);
    return rc;
}
