/* cj_search: search results in their three groups, as JSON. */
#include "json/cj_search.h"
#include "json/cj_film.h"
#include "json/cj_text.h"

static json_t *search_result(const cc_search_result *r, bool with_urls)
{
    json_t *films = json_array(), *people = json_array(), *extras = json_array();
    for (size_t i = 0; i < r->film_count; i++) {
        const cc_search_film *f = &r->films[i];
        json_t *o =
            json_pack("{s:I, s:o, s:o}", "id", (json_int_t)f->id, "title", cj_text(f->title),
                      "year", f->year ? json_integer(f->year) : json_null());
        if (with_urls)
            json_object_set_new(o, "poster_url", cj_poster_url(f->id, f->has_poster));
        json_array_append_new(films, o);
    }
    for (size_t i = 0; i < r->person_count; i++) {
        const cc_search_person *p = &r->people[i];
        json_array_append_new(
            people, json_pack("{s:I, s:o}", "id", (json_int_t)p->id, "name", cj_text(p->name)));
    }
    for (size_t i = 0; i < r->extra_count; i++) {
        const cc_search_extra *e = &r->extras[i];
        json_t *o =
            json_pack("{s:I, s:o, s:o, s:I}", "id", (json_int_t)e->id, "title", cj_text(e->title),
                      "type", cj_text(e->type), "film_id", (json_int_t)e->film_id);
        /* The film the extra belongs to, as every film reference carries it. */
        if (with_urls)
            json_object_set_new(o, "film_poster_url",
                                cj_poster_url(e->film_id, e->film_has_poster));
        json_array_append_new(extras, o);
    }
    return json_pack("{s:o, s:o, s:o}", "films", films, "people", people, "extras", extras);
}

json_t *cj_search_result(const cc_search_result *r)
{
    return search_result(r, false);
}

json_t *cj_search_result_api(const cc_search_result *r)
{
    return search_result(r, true);
}
