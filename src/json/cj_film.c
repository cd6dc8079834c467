/* cj_film: films, their files and extras, and the rows of the films list,
 * as JSON: the plain form (`films --json`, `film --json`) and the API's,
 * which adds the URLs a client fetches. */
#include "json/cj_film.h"
#include "catalog/cc_edition.h"
#include "json/cj_text.h"
#include "json/cj_user.h"
#include "json/cj_write.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char poster_fmt[] = "/api/v1/films/%lld/poster";

json_t *cj_poster_url(int64_t film_id, int has_poster)
{
    return cj_url(has_poster, poster_fmt, film_id);
}

bool cj_poster_path(int64_t film_id, int has_poster, char *out, size_t size)
{
    return has_poster && snprintf(out, size, poster_fmt, (long long)film_id) < (int)size;
}

json_t *cj_file(const cc_file *f, int with_part)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(f->id));
    json_object_set_new(o, "path", cj_text(f->path));
    if (with_part) {
        json_object_set_new(o, "part", json_integer(f->part));
        json_object_set_new(o, "version", cj_text_or_null(f->version));
    }
    json_object_set_new(o, "duration", json_real(f->duration));
    json_object_set_new(o, "container", cj_text_or_null(f->container));
    json_object_set_new(o, "size", json_integer(f->size));
    json_t *video = json_null(), *audio = json_array(), *subs = json_array();
    for (size_t i = 0; i < f->stream_count; i++) {
        const cc_stream *s = &f->streams[i];
        if (s->type == CC_STREAM_VIDEO && !s->attached_pic && json_is_null(video)) {
            video = json_pack("{s:s, s:i, s:i}", "codec", s->codec, "width", s->width, "height",
                              s->height);
            json_object_set_new(video, "frame_rate", json_real(s->frame_rate));
            json_object_set_new(video, "bit_depth", json_integer(s->bit_depth));
            json_object_set_new(video, "hdr", cj_text_or_null(s->hdr));
        } else if (s->type == CC_STREAM_AUDIO) {
            json_t *a = json_pack("{s:s, s:i}", "codec", s->codec, "channels", s->channels);
            json_object_set_new(a, "language", cj_text_or_null(s->language));
            /* For a player's audio menu: the container index is what
             * HLS's audio=N takes; the title names a commentary. */
            json_object_set_new(a, "index", json_integer(s->index));
            json_object_set_new(a, "title", cj_text_or_null(s->title));
            json_object_set_new(a, "default", json_boolean(s->is_default));
            json_array_append_new(audio, a);
        } else if (s->type == CC_STREAM_SUBTITLE) {
            json_t *t = json_pack("{s:s}", "codec", s->codec);
            json_object_set_new(t, "language", cj_text_or_null(s->language));
            json_object_set_new(t, "forced", json_boolean(s->is_forced));
            json_array_append_new(subs, t);
        }
    }
    json_object_set_new(o, "video", video);
    json_object_set_new(o, "audio", audio);
    json_object_set_new(o, "subtitles", subs);
    if (f->probe_error)
        json_object_set_new(o, "error", json_string(f->probe_error));
    if (f->title_kind)
        json_object_set_new(o, "title_kind", json_string(f->title_kind));
    return o;
}

/* A film's editions with their versions and files (issue 15's shape):
 * labels null for the default edition or version. */
static json_t *editions_json(const cc_film *film)
{
    json_t *editions = json_array();
    for (size_t i = 0; i < film->edition_count; i++) {
        const cc_edition *e = &film->editions[i];
        json_t *versions = json_array();
        for (size_t j = 0; j < e->version_count; j++) {
            const cc_version *v = &e->versions[j];
            json_t *files = json_array();
            for (size_t k = 0; k < v->file_count; k++)
                json_array_append_new(files, cj_file(&v->files[k], 1));
            json_t *vo = json_object();
            json_object_set_new(vo, "id", json_integer(v->id));
            json_object_set_new(vo, "label", cj_text_or_null(v->label));
            json_object_set_new(vo, "kind", json_string(v->kind));
            json_object_set_new(vo, "files", files);
            json_array_append_new(versions, vo);
        }
        json_t *eo = json_object();
        json_object_set_new(eo, "id", json_integer(e->id));
        json_object_set_new(eo, "label", cj_text_or_null(e->label));
        json_object_set_new(eo, "runtime", json_real(e->runtime));
        json_object_set_new(eo, "versions", versions);
        json_array_append_new(editions, eo);
    }
    return editions;
}

json_t *cj_film_summary(const cc_film *film)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(film->id));
    json_object_set_new(o, "title", cj_text(film->title));
    json_object_set_new(o, "year", film->year ? json_integer(film->year) : json_null());
    json_object_set_new(o, "ids",
                        json_pack("{s:o, s:o}", "tmdb", cj_text_or_null(film->tmdb_id), "imdb",
                                  cj_text_or_null(film->imdb_id)));
    json_t *files = json_array();
    for (size_t i = 0; i < film->file_count; i++)
        json_array_append_new(files, cj_file(&film->files[i], 1));
    json_object_set_new(o, "files", files);
    json_object_set_new(o, "editions", editions_json(film));
    json_t *extras = json_array();
    for (size_t i = 0; i < film->extra_count; i++) {
        const cc_extra *e = &film->extras[i];
        json_t *x = json_object();
        json_object_set_new(x, "id", json_integer(e->id));
        json_object_set_new(x, "type", json_string(e->type));
        json_object_set_new(x, "title", cj_text(e->title));
        json_object_set_new(x, "path", cj_text(e->file.path));
        json_object_set_new(x, "duration", json_real(e->file.duration));
        json_object_set_new(x, "file_id", json_integer(e->file.id));
        json_array_append_new(extras, x);
    }
    json_object_set_new(o, "extras", extras);
    return o;
}

static json_t *term_array(const cc_term_list *list)
{
    json_t *a = json_array();
    for (size_t i = 0; i < list->count; i++)
        json_array_append_new(a, cj_text(list->items[i]));
    return a;
}

json_t *cj_film(const cc_film *film)
{
    json_t *o = cj_film_summary(film);
    json_object_set_new(o, "original_title", cj_text_or_null(film->original_title));
    json_object_set_new(o, "sort_title", cj_text_or_null(film->sort_title));
    json_object_set_new(o, "runtime", film->runtime ? json_integer(film->runtime) : json_null());
    json_object_set_new(o, "tagline", cj_text_or_null(film->tagline));
    json_object_set_new(o, "plot", cj_text_or_null(film->plot));
    json_object_set_new(o, "outline", cj_text_or_null(film->outline));
    json_object_set_new(o, "premiered", cj_text_or_null(film->premiered));
    json_object_set_new(o, "mpaa", cj_text_or_null(film->mpaa));
    json_object_set_new(o, "set",
                        film->set_name ? json_pack("{s:o, s:o}", "name", cj_text(film->set_name),
                                                   "overview", cj_text_or_null(film->set_overview))
                                       : json_null());
    json_object_set_new(o, "genres", term_array(&film->genres));
    json_object_set_new(o, "countries", term_array(&film->countries));
    json_object_set_new(o, "studios", term_array(&film->studios));
    json_object_set_new(o, "tags", term_array(&film->tags));
    json_object_set_new(o, "metadata_source", cj_text_or_null(film->metadata_source));
    json_t *credits = json_array();
    for (size_t i = 0; i < film->credit_count; i++) {
        const cc_credit *c = &film->credits[i];
        json_t *x = json_pack("{s:I, s:o, s:o}", "person_id", (json_int_t)c->person_id, "name",
                              cj_text(c->name), "job", cj_text(c->job));
        json_object_set_new(x, "character", cj_text_or_null(c->character));
        json_object_set_new(x, "order", json_integer(c->billing));
        json_array_append_new(credits, x);
    }
    json_object_set_new(o, "credits", credits);
    json_t *releases = json_array();
    for (size_t i = 0; i < film->release_count; i++) {
        const cc_release *r = &film->releases[i];
        json_t *x = json_object();
        json_object_set_new(x, "type", cj_text(r->type));
        json_object_set_new(x, "date", cj_text_or_null(r->date));
        json_object_set_new(x, "country", cj_text_or_null(r->country));
        json_object_set_new(x, "event", cj_text_or_null(r->event));
        json_object_set_new(x, "section", cj_text_or_null(r->section));
        json_object_set_new(x, "distributor", cj_text_or_null(r->distributor));
        json_object_set_new(x, "format", cj_text_or_null(r->format));
        json_object_set_new(x, "note", cj_text_or_null(r->note));
        json_array_append_new(releases, x);
    }
    json_object_set_new(o, "releases", releases);
    json_t *ratings = json_array();
    for (size_t i = 0; i < film->rating_count; i++) {
        const cc_rating *r = &film->ratings[i];
        json_t *x = json_pack("{s:o, s:f, s:f, s:i}", "source", cj_text(r->source), "value",
                              r->value, "max", r->max, "votes", r->votes);
        json_array_append_new(ratings, x);
    }
    json_object_set_new(o, "ratings", ratings);
    /* Extras gain their plots in the whole record. */
    json_t *extras = json_object_get(o, "extras");
    for (size_t i = 0; i < film->extra_count && i < json_array_size(extras); i++)
        json_object_set_new(json_array_get(extras, i), "plot",
                            cj_text_or_null(film->extras[i].plot));
    json_t *art = json_object();
    json_object_set_new(art, "poster", cj_text_or_null(film->poster));
    json_object_set_new(art, "poster_generated",
                        json_boolean(film->poster && film->poster_generated));
    json_object_set_new(art, "backdrop", cj_text_or_null(film->backdrop));
    json_object_set_new(o, "artwork", art);
    return o;
}

/* The genres "Drama, Comedy" as ["Drama","Comedy"] (each trimmed, empty
 * ones left out). */
static void write_genres(cu_buf *b, const char *genres)
{
    cu_buf_putc(b, '[');
    bool first = true;
    for (const char *p = genres; p && *p;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        char *g = cu_xstrndup(p, (size_t)(end - p));
        cu_str_trim(g);
        if (*g) {
            if (!first)
                cu_buf_putc(b, ',');
            cj_write_str(b, g);
            first = false;
        }
        free(g);
        p = comma ? comma + 1 : end;
    }
    cu_buf_putc(b, ']');
}

void cj_film_item_write(cu_buf *b, const cc_film_item *it, const cc_watch *watch, bool offline)
{
    cu_buf_putc(b, '{');
    cj_write_key(b, true, "id");
    cj_write_int(b, it->id);
    cj_write_key(b, false, "title");
    cj_write_str(b, it->title);
    cj_write_key(b, false, "original_title");
    cj_write_str_or_null(b, it->original_title);
    cj_write_key(b, false, "year");
    if (it->year)
        cj_write_int(b, it->year);
    else
        cj_write_null(b);
    cj_write_key(b, false, "runtime");
    if (it->runtime)
        cj_write_int(b, it->runtime);
    else
        cj_write_null(b);
    cj_write_key(b, false, "genres");
    write_genres(b, it->genres);
    cj_write_key(b, false, "director");
    cj_write_str_or_null(b, it->director);
    cj_write_key(b, false, "poster_url");
    char url[96];
    if (cj_poster_path(it->id, it->has_poster, url, sizeof url))
        cj_write_str(b, url);
    else
        cj_write_null(b);
    /* The list view's columns, and the A-Z bar's letter. */
    const char *res = it->height >= 2000   ? "4K"
                      : it->height >= 1000 ? "1080p"
                      : it->height >= 700  ? "720p"
                      : it->height > 0     ? "SD"
                                           : NULL;
    cj_write_key(b, false, "resolution");
    cj_write_str_or_null(b, res);
    cj_write_key(b, false, "hdr");
    cj_write_bool(b, it->hdr);
    cj_write_key(b, false, "sort_key");
    cj_write_str_or_null(b, it->sort_key);
    if (watch) {
        cj_write_key(b, false, "watch");
        cj_watch_write(b, watch);
        cj_write_key(b, false, "offline");
        cj_write_bool(b, offline);
    }
    cu_buf_putc(b, '}');
}

static void add_stream_url(json_t *file, int64_t file_id)
{
    json_object_set_new(file, "stream_url", cj_url(1, "/api/v1/files/%lld/stream", file_id));
}

json_t *cj_film_api(const cc_film *film)
{
    json_t *o = cj_film(film);
    json_object_set_new(o, "poster_url", cj_poster_url(film->id, film->poster != NULL));
    json_object_set_new(o, "backdrop_url",
                        cj_url(film->backdrop != NULL, "/api/v1/films/%lld/backdrop", film->id));
    json_t *files = json_object_get(o, "files");
    for (size_t i = 0; i < film->file_count && i < json_array_size(files); i++)
        add_stream_url(json_array_get(files, i), film->files[i].id);
    json_t *extras = json_object_get(o, "extras");
    for (size_t i = 0; i < film->extra_count && i < json_array_size(extras); i++) {
        json_t *x = json_array_get(extras, i);
        add_stream_url(x, film->extras[i].file.id);
        json_object_set_new(x, "url", cj_url(1, "/api/v1/extras/%lld", film->extras[i].id));
    }
    return o;
}

json_t *cj_extra_api(const cc_film *film, const cc_extra *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "type", cj_text(e->type));
    json_object_set_new(o, "title", cj_text(e->title));
    json_object_set_new(o, "plot", cj_text_or_null(e->plot));
    json_t *file = cj_file(&e->file, 0);
    add_stream_url(file, e->file.id);
    json_object_set_new(o, "file", file);
    json_t *f = json_object();
    json_object_set_new(f, "id", json_integer(film->id));
    json_object_set_new(f, "title", cj_text(film->title));
    json_object_set_new(f, "year", film->year ? json_integer(film->year) : json_null());
    json_object_set_new(f, "url", cj_url(1, "/api/v1/films/%lld", film->id));
    json_object_set_new(f, "poster_url", cj_poster_url(film->id, film->poster != NULL));
    json_object_set_new(o, "film", f);
    return o;
}
