/* cli_share: `cinemateca share add|list|revoke`: public links to a film,
 * an extra or a clip of a film, opening and closing at given times. */
#include "catalog/cc_db.h"
#include "catalog/cc_share.h"
#include "catalog/cc_writer.h"
#include "cli/cli.h"
#include "json/cj_share.h"
#include "util/cu_str.h"
#include "util/cu_time.h"
#include "util/cu_when.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void share_usage(FILE *out)
{
    fprintf(out, "usage: cinemateca share add --db FILE (--film ID | --extra ID)\n"
                 "                            [--from HH:MM:SS --to HH:MM:SS]\n"
                 "                            [--opens WHEN] [--closes WHEN] [--title TEXT]\n"
                 "                            [--note TEXT] [--views N] [--json]\n"
                 "       cinemateca share list --db FILE [--json]\n"
                 "       cinemateca share revoke --db FILE TOKEN\n"
                 "A share is a public link, /s/TOKEN, to one film, one extra, or a clip cut\n"
                 "from a film (--from/--to). It opens at --opens (default now) and closes at\n"
                 "--closes (default never). WHEN is ISO 8601 with an offset\n"
                 "(2026-11-30T18:00:00+01:00, ...Z), `now`, or relative: +1h, +30m, +2d.\n"
                 "--views N closes it to new viewers after N views.\n");
}

typedef struct add_job {
    cc_share_new spec;
    char token[CC_SHARE_TOKEN_CHARS + 1];
    int64_t now;
} add_job;

static int add_fn(cc_db *db, void *user, cu_err *err)
{
    add_job *j = user;
    return cc_share_add(db, &j->spec, j->now, j->token, NULL, err);
}

static int revoke_fn(cc_db *db, void *user, cu_err *err)
{
    return cc_share_revoke_token(db, user, err);
}

static int share_add(cc_db *db, add_job *j, bool json)
{
    cu_err err = {0};
    if (cc_writer_run(db, add_fn, j, &err) < 0) {
        cli_error("share add: %s", err.msg);
        return err.code == CU_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
    }
    char url[8 + CC_SHARE_TOKEN_CHARS];
    snprintf(url, sizeof url, "/s/%s", j->token);
    if (!json) {
        printf("%s\n", url);
        return CLI_EXIT_OK;
    }
    json_t *o = json_pack("{s:s,s:s,s:o,s:o}", "token", j->token, "url", url, "opens_at",
                          cj_share_time(j->spec.opens_at > 0 ? j->spec.opens_at : 1), "closes_at",
                          cj_share_time(j->spec.closes_at));
    char *text = json_dumps(o, JSON_COMPACT);
    printf("%s\n", text);
    free(text);
    json_decref(o);
    return CLI_EXIT_OK;
}

static int share_list(cc_db *db, bool json)
{
    cu_err err = {0};
    cc_share *shares;
    size_t count;
    if (cc_share_list(db, &shares, &count, &err) < 0) {
        cli_error("share list: %s", err.msg);
        return CLI_EXIT_FAIL;
    }
    int64_t now = cu_time_now();
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < count; i++)
            json_array_append_new(arr, cj_share(&shares[i], now));
        char *text = json_dumps(arr, JSON_INDENT(2));
        printf("%s\n", text);
        free(text);
        json_decref(arr);
    } else {
        if (!count)
            printf("no shares\n");
        for (size_t i = 0; i < count; i++) {
            const cc_share *s = &shares[i];
            char opens[32], closes[32] = "never";
            cu_when_format(s->opens_at, opens, sizeof opens);
            if (s->closes_at > 0)
                cu_when_format(s->closes_at, closes, sizeof closes);
            char what[96];
            if (s->clip_to_ms > 0) {
                char from[24], to[24];
                cu_when_format_clock(s->clip_from_ms, from, sizeof from);
                cu_when_format_clock(s->clip_to_ms, to, sizeof to);
                snprintf(what, sizeof what, "film %lld clip %s-%s", (long long)s->film_id, from,
                         to);
            } else if (s->extra) {
                snprintf(what, sizeof what, "extra %lld", (long long)s->extra_id);
            } else {
                snprintf(what, sizeof what, "film %lld", (long long)s->film_id);
            }
            printf("/s/%s  %-9s  %s  opens %s  closes %s  views %lld%s%s%s\n", s->token,
                   cc_share_state_name(cc_share_state_at(s, now)), what, opens, closes,
                   (long long)s->views, cc_share_available(s) ? "" : "  (no longer available)",
                   s->title ? "  " : "", s->title ? s->title : "");
        }
    }
    cc_share_list_free(shares, count);
    return CLI_EXIT_OK;
}

int cli_share(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        share_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    const char *action = argv[1];
    bool is_add = !strcmp(action, "add"), is_list = !strcmp(action, "list"),
         is_revoke = !strcmp(action, "revoke");
    if (!is_add && !is_list && !is_revoke) {
        cli_error("share: unknown action '%s' (add, list, revoke)", action);
        return CLI_EXIT_USAGE;
    }
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"film", required_argument, NULL, 'f'},
        {"extra", required_argument, NULL, 'e'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"opens", required_argument, NULL, 'o'},
        {"closes", required_argument, NULL, 'c'},
        {"title", required_argument, NULL, 't'},
        {"note", required_argument, NULL, 'n'},
        {"views", required_argument, NULL, 'v'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db_path = NULL, *from = NULL, *to = NULL, *opens = NULL, *closes = NULL;
    bool json = false;
    add_job job = {.now = cu_time_now()};
    job.spec.opens_at = job.now;
    optind = 1;
    int c;
    char **args = argv + 1;
    int nargs = argc - 1;
    while ((c = getopt_long(nargs, args, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'f':
        case 'e':
            if (!is_add ||
                cli_parse_id(optarg, c == 'f' ? &job.spec.film_id : &job.spec.extra_id) < 0) {
                cli_error("share: --%s takes a catalog id", c == 'f' ? "film" : "extra");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'F': from = optarg; break;
        case 'T': to = optarg; break;
        case 'o': opens = optarg; break;
        case 'c': closes = optarg; break;
        case 't': job.spec.title = optarg; break;
        case 'n': job.spec.note = optarg; break;
        case 'v':
            if (cli_parse_id(optarg, &job.spec.view_limit) < 0) {
                cli_error("share: --views takes a positive number");
                return CLI_EXIT_USAGE;
            }
            break;
        case 'j': json = true; break;
        case 'h': share_usage(stdout); return CLI_EXIT_OK;
        default: share_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (!db_path) {
        cli_error("share %s: --db FILE is required", action);
        return CLI_EXIT_USAGE;
    }
    if ((is_revoke && optind != nargs - 1) || (!is_revoke && optind != nargs)) {
        cli_error("share %s: %s", action,
                  is_revoke ? "give exactly one TOKEN" : "unexpected argument");
        return CLI_EXIT_USAGE;
    }
    if (!is_add &&
        (from || to || opens || closes || job.spec.title || job.spec.note || job.spec.view_limit)) {
        cli_error("share %s: only add takes --from, --to, --opens, --closes, --title, --note "
                  "or --views",
                  action);
        return CLI_EXIT_USAGE;
    }
    if (is_add) {
        if ((job.spec.film_id > 0) == (job.spec.extra_id > 0)) {
            cli_error("share add: give --film ID or --extra ID (one of them)");
            return CLI_EXIT_USAGE;
        }
        if (!from != !to) {
            cli_error("share add: a clip needs both --from and --to");
            return CLI_EXIT_USAGE;
        }
        if (from && (cu_when_clock_ms(from, &job.spec.clip_from_ms) < 0 ||
                     cu_when_clock_ms(to, &job.spec.clip_to_ms) < 0)) {
            cli_error("share add: --from and --to are times in the film, HH:MM:SS[.mmm]");
            return CLI_EXIT_USAGE;
        }
        if (opens && cu_when_parse(opens, job.now, &job.spec.opens_at) < 0) {
            cli_error("share add: --opens '%s' is not a time (ISO 8601 with an offset, now, "
                      "+1h, +30m)",
                      opens);
            return CLI_EXIT_USAGE;
        }
        if (closes && cu_when_parse(closes, job.now, &job.spec.closes_at) < 0) {
            cli_error("share add: --closes '%s' is not a time (ISO 8601 with an offset, now, "
                      "+1h, +30m)",
                      closes);
            return CLI_EXIT_USAGE;
        }
        cu_err err = {0};
        if (cc_share_check(&job.spec, &err) < 0) {
            cli_error("share add: %s", err.msg);
            return CLI_EXIT_USAGE;
        }
    }
    cc_db *db;
    cu_err err = {0};
    if (cc_db_open(db_path, is_list ? CC_OPEN_READONLY : CC_OPEN_READWRITE, &db, &err) < 0) {
        cli_error("cannot open catalog %s: %s", db_path, err.msg);
        return CLI_EXIT_FAIL;
    }
    int rc;
    if (is_add) {
        rc = share_add(db, &job, json);
    } else if (is_list) {
        rc = share_list(db, json);
    } else {
        const char *token = args[optind];
        if (cu_str_has_prefix(token, "/s/")) /* the link's path is accepted too */
            token += 3;
        if (cc_writer_run(db, revoke_fn, (void *)token, &err) < 0) {
            cli_error("share revoke: %s", err.msg);
            rc = CLI_EXIT_FAIL;
        } else {
            printf("revoked /s/%s\n", token);
            rc = CLI_EXIT_OK;
        }
    }
    cc_db_close(db);
    return rc;
}
