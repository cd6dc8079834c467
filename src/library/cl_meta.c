/* cl_meta: converting parsed .nfo files and container tags into the
 * catalog's metadata record. */
#include "library/cl_meta.h"
#include "catalog/cc_film.h"
#include "library/cl_name.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

static void add_terms(cc_term_in *terms, size_t *count, const char *kind, const cl_nfo_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        terms[(*count)++] = (cc_term_in){kind, list->items[i]};
}

int cl_meta_apply_nfo(cc_db *db, int64_t film_id, const cl_nfo *nfo, cu_err *err)
{
    size_t term_total = nfo->genres.count + nfo->countries.count + nfo->studios.count +
                        nfo->tags.count;
    cc_term_in *terms = cu_xcalloc(term_total + 1, sizeof *terms);
    cc_credit_in *credits = cu_xcalloc(nfo->credit_count + 1, sizeof *credits);
    cc_release_in *releases = cu_xcalloc(nfo->release_count + 1, sizeof *releases);
    cc_rating_in *ratings = cu_xcalloc(nfo->rating_count + 1, sizeof *ratings);
    size_t term_count = 0;
    add_terms(terms, &term_count, "genre", &nfo->genres);
    add_terms(terms, &term_count, "country", &nfo->countries);
    add_terms(terms, &term_count, "studio", &nfo->studios);
    add_terms(terms, &term_count, "tag", &nfo->tags);
    for (size_t i = 0; i < nfo->credit_count; i++) {
        const cl_nfo_credit *c = &nfo->credits[i];
        credits[i] = (cc_credit_in){c->name, c->job, c->character, c->order, c->thumb};
    }
    for (size_t i = 0; i < nfo->release_count; i++) {
        const cl_nfo_release *r = &nfo->releases[i];
        releases[i] = (cc_release_in){r->type,  r->date,    r->country,     r->event,
                                      r->section, r->distributor, r->format, r->note};
    }
    for (size_t i = 0; i < nfo->rating_count; i++) {
        const cl_nfo_rating *r = &nfo->ratings[i];
        ratings[i] = (cc_rating_in){r->source, r->value, r->votes, r->max};
    }
    cc_film_meta meta = {
        .source = "nfo",
        .title = nfo->title,
        .original_title = nfo->original_title,
        .sort_title = nfo->sort_title,
        .year = nfo->year,
        .plot = nfo->plot,
        .outline = nfo->outline,
        .tagline = nfo->tagline,
        .runtime = nfo->runtime,
        .premiered = nfo->premiered,
        .mpaa = nfo->mpaa,
        .set_name = nfo->set_name,
        .set_overview = nfo->set_overview,
        .tmdb_id = cl_nfo_id(nfo, "tmdb"),
        .imdb_id = cl_nfo_id(nfo, "imdb"),
        .terms = terms,
        .term_count = term_count,
        .credits = credits,
        .credit_count = nfo->credit_count,
        .releases = releases,
        .release_count = nfo->release_count,
        .ratings = ratings,
        .rating_count = nfo->rating_count,
    };
    /* A year only in <premiered> still dates the film. */
    if (!meta.year && nfo->premiered && strlen(nfo->premiered) >= 4)
        meta.year = atoi(nfo->premiered);
    int rc = cc_film_set_meta(db, film_id, &meta, err);
    free(terms);
    free(credits);
    free(releases);
    free(ratings);
    return rc;
}

int cl_meta_apply_tags(cc_db *db, int64_t film_id, const cl_meta_tags *tags, int *applied,
                       cu_err *err)
{
    *applied = 0;
    const char *title = NULL;
    if (tags->title && *tags->title) {
        /* Release names in title tags are common; only a clean title counts. */
        cl_name parsed;
        cl_name_parse(tags->title, &parsed);
        if (!strcmp(parsed.title, tags->title))
            title = tags->title;
    }
    int year = 0;
    if (tags->date && strlen(tags->date) >= 4) {
        year = atoi(tags->date);
        if (year < 1870 || year > 2100)
            year = 0;
    }
    const char *plot = tags->description && *tags->description ? tags->description : NULL;
    if (!title && !plot)
        return 0;
    cc_film_meta meta = {.source = "tags", .title = title, .year = title ? year : 0, .plot = plot};
    int rc = cc_film_set_meta(db, film_id, &meta, err);
    if (rc == 0)
        *applied = 1;
    return rc;
}

void cl_meta_tags_clear(cl_meta_tags *tags)
{
    free(tags->title);
    free(tags->date);
    free(tags->description);
    memset(tags, 0, sizeof *tags);
}
