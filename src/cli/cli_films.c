/* cli_films: `cinemateca films --db FILE [--json]`. */
#include "catalog/cc_db.h"
#include "catalog/cc_film.h"
#include "cli/cli.h"
#include "util/cu_str.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON needs UTF-8: names that are not (odd file names) are shown with
 * U+FFFD for the bytes that do not decode. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    if (!j) {
        char *fixed = cu_utf8_repair(s, strlen(s));
        j = json_string(fixed);
        free(fixed);
    }
    return j;
}

static json_t *string_or_null(const char *s)
{
    return s && *s ? text(s) : json_null();
}

static json_t *file_json(const cc_file *f, bool with_part)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(f->id));
    json_object_set_new(o, "path", text(f->path));
    if (with_part) {
        json_object_set_new(o, "part", json_integer(f->part));
        json_object_set_new(o, "version", string_or_null(f->version));
    }
    json_object_set_new(o, "duration", json_real(f->duration));
    json_object_set_new(o, "container", string_or_null(f->container));
    json_object_set_new(o, "size", json_integer(f->size));
    json_t *video = json_null(), *audio = json_array(), *subs = json_array();
    for (size_t i = 0; i < f->stream_count; i++) {
        const cm_media_stream *s = &f->streams[i];
        if (s->type == CM_STREAM_VIDEO && !s->attached_pic && json_is_null(video)) {
            video = json_pack("{s:s, s:i, s:i}", "codec", s->codec, "width", s->width, "height",
                              s->height);
            json_object_set_new(video, "frame_rate", json_real(s->frame_rate));
            json_object_set_new(video, "bit_depth", json_integer(s->bit_depth));
            json_object_set_new(video, "hdr", string_or_null(s->hdr));
        } else if (s->type == CM_STREAM_AUDIO) {
            json_t *a = json_pack("{s:s, s:i}", "codec", s->codec, "channels", s->channels);
            json_object_set_new(a, "language", string_or_null(s->language));
            json_array_append_new(audio, a);
        } else if (s->type == CM_STREAM_SUBTITLE) {
            json_t *t = json_pack("{s:s}", "codec", s->codec);
            json_object_set_new(t, "language", string_or_null(s->language));
            json_object_set_new(t, "forced", json_boolean(s->is_forced));
            json_array_append_new(subs, t);
        }
    }
    json_object_set_new(o, "video", video);
    json_object_set_new(o, "audio", audio);
    json_object_set_new(o, "subtitles", subs);
    if (f->probe_error)
        json_object_set_new(o, "error", json_string(f->probe_error));
    return o;
}

static json_t *film_json(const cc_film *film)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(film->id));
    json_object_set_new(o, "title", text(film->title));
    json_object_set_new(o, "year", film->year ? json_integer(film->year) : json_null());
    json_object_set_new(o, "ids", json_pack("{s:o, s:o}", "tmdb", string_or_null(film->tmdb_id),
                                            "imdb", string_or_null(film->imdb_id)));
    json_t *files = json_array();
    for (size_t i = 0; i < film->file_count; i++)
        json_array_append_new(files, file_json(&film->files[i], true));
    json_object_set_new(o, "files", files);
    json_t *extras = json_array();
    for (size_t i = 0; i < film->extra_count; i++) {
        const cc_extra *e = &film->extras[i];
        json_t *x = json_object();
        json_object_set_new(x, "id", json_integer(e->id));
        json_object_set_new(x, "type", json_string(e->type));
        json_object_set_new(x, "title", text(e->title));
        json_object_set_new(x, "path", text(e->file.path));
        json_object_set_new(x, "duration", json_real(e->file.duration));
        json_object_set_new(x, "file_id", json_integer(e->file.id));
        json_array_append_new(extras, x);
    }
    json_object_set_new(o, "extras", extras);
    return o;
}

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
            json_array_append_new(list, film_json(film));
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
