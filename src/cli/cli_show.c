/* cli_show: `cinemateca film`, `person`: one record, as text or JSON. */
#include "catalog/cc_browse.h"
#include "catalog/cc_person.h"
#include "catalog/cc_db.h"
#include "catalog/cc_film.h"
#include "cli/cli.h"
#include "json/cj_film.h"
#include "json/cj_person.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Options shared by the record commands: --db FILE [--json] ARG. */
typedef struct show_args {
    const char *db_path;
    int as_json;
    const char *arg;
} show_args;

static int parse_show_args(int argc, char **argv, const char *usage, show_args *out)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(out, 0, sizeof *out);
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "d:jh", options, NULL)) != -1) {
        switch (opt) {
        case 'd': out->db_path = optarg; break;
        case 'j': out->as_json = 1; break;
        case 'h': printf("%s", usage); return CLI_EXIT_OK;
        default: fprintf(stderr, "%s", usage); return CLI_EXIT_USAGE;
        }
    }
    if (!out->db_path || optind != argc - 1) {
        fprintf(stderr, "%s", usage);
        return CLI_EXIT_USAGE;
    }
    out->arg = argv[optind];
    return -1; /* go on */
}

/* Catalog ids are positive decimal integers. */
int cli_parse_id(const char *s, int64_t *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v <= 0 || s[0] == '+' || s[0] == '-')
        return -1;
    *id = v;
    return 0;
}

int cli_parse_int(const char *s, int min, int max, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || s[0] == '+' || isspace((unsigned char)s[0]) || v < min ||
        v > max)
        return -1;
    *out = (int)v;
    return 0;
}

static void print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2));
    putchar('\n');
    json_decref(j);
}

static void print_film(const cc_film *f)
{
    printf("%s", f->title);
    if (f->year)
        printf(" (%d)", f->year);
    if (f->original_title && strcmp(f->original_title, f->title))
        printf("  [%s]", f->original_title);
    printf("\n");
    if (f->tagline)
        printf("%s\n", f->tagline);
    if (f->runtime)
        printf("runtime: %d min\n", f->runtime);
    for (size_t i = 0; i < f->genres.count; i++)
        printf("%s%s", i ? ", " : "genres: ", f->genres.items[i]);
    if (f->genres.count)
        printf("\n");
    if (f->plot)
        printf("\n%s\n", f->plot);
    if (f->credit_count)
        printf("\ncredits:\n");
    for (size_t i = 0; i < f->credit_count; i++) {
        const cc_credit *c = &f->credits[i];
        printf("  %-10s %s", c->job, c->name);
        if (c->character)
            printf(" as %s", c->character);
        printf("  (person %lld)\n", (long long)c->person_id);
    }
    if (f->release_count)
        printf("\nreleases:\n");
    for (size_t i = 0; i < f->release_count; i++) {
        const cc_release *r = &f->releases[i];
        printf("  %-10s %-12s %s", r->date ? r->date : "?", r->type, r->country ? r->country : "");
        if (r->event)
            printf("  %s", r->event);
        if (r->section)
            printf(" (%s)", r->section);
        if (r->distributor)
            printf("  %s", r->distributor);
        if (r->format)
            printf("  %s", r->format);
        printf("\n");
    }
    if (f->extra_count)
        printf("\nspecial features:\n");
    for (size_t i = 0; i < f->extra_count; i++)
        printf("  %-16s %s  (%.0f s)\n", f->extras[i].type, f->extras[i].title,
               f->extras[i].file.duration);
    printf("\nfiles:\n");
    for (size_t i = 0; i < f->file_count; i++)
        printf("  part %d%s%s  %s\n", f->files[i].part, f->files[i].version ? "  version " : "",
               f->files[i].version ? f->files[i].version : "", f->files[i].path);
}

int cli_film(int argc, char **argv)
{
    static const char usage[] = "usage: cinemateca film --db FILE [--json] ID\n"
                                "Shows one film's whole record: synopsis, credits, releases,\n"
                                "special features, files and artwork.\n";
    show_args a;
    int rc = parse_show_args(argc, argv, usage, &a);
    if (rc >= 0)
        return rc;
    int64_t id;
    if (cli_parse_id(a.arg, &id) < 0) {
        cli_error("'%s' is not a film id", a.arg);
        return CLI_EXIT_USAGE;
    }
    cu_err err = {0};
    cc_db *db = NULL;
    cc_film *film = NULL;
    if (cc_db_open(a.db_path, CC_OPEN_READONLY, &db, &err) < 0 ||
        cc_film_get(db, id, &film, &err) < 0) {
        cli_error("%s", err.msg);
        cc_db_close(db);
        return CLI_EXIT_FAIL;
    }
    if (a.as_json)
        print_json(cj_film(film));
    else
        print_film(film);
    cc_film_free(film);
    cc_db_close(db);
    return CLI_EXIT_OK;
}

int cli_person(int argc, char **argv)
{
    static const char usage[] = "usage: cinemateca person --db FILE [--json] ID\n"
                                "Shows a person's films in the library, with roles, and the\n"
                                "people they worked with most often.\n";
    show_args a;
    int rc = parse_show_args(argc, argv, usage, &a);
    if (rc >= 0)
        return rc;
    int64_t id;
    if (cli_parse_id(a.arg, &id) < 0) {
        cli_error("'%s' is not a person id", a.arg);
        return CLI_EXIT_USAGE;
    }
    cu_err err = {0};
    cc_db *db = NULL;
    cc_person *p = NULL;
    if (cc_db_open(a.db_path, CC_OPEN_READONLY, &db, &err) < 0 ||
        cc_person_get(db, id, &p, &err) < 0) {
        cli_error("%s", err.msg);
        cc_db_close(db);
        return CLI_EXIT_FAIL;
    }
    if (a.as_json) {
        print_json(cj_person(p));
    } else {
        printf("%s\n", p->name);
        for (size_t i = 0; i < p->role_count; i++) {
            const cc_person_role *r = &p->roles[i];
            printf("  %s (%d)  %s%s%s\n", r->title, r->year, r->job, r->character ? " as " : "",
                   r->character ? r->character : "");
        }
        if (p->collaborator_count)
            printf("worked most often with:\n");
        for (size_t i = 0; i < p->collaborator_count; i++)
            printf("  %s (%d films)\n", p->collaborators[i].name, p->collaborators[i].films);
    }
    cc_person_free(p);
    cc_db_close(db);
    return CLI_EXIT_OK;
}
