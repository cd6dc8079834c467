/* cj_person: a person's page as JSON: the films they are credited on, with
 * every role in each, and their most frequent collaborators. */
#include "json/cj_person.h"
#include "json/cj_film.h"
#include "json/cj_text.h"

json_t *cj_person(const cc_person *p)
{
    json_t *o = json_pack("{s:I, s:o}", "id", (json_int_t)p->id, "name", cj_text(p->name));
    json_object_set_new(o, "thumb", cj_text_or_null(p->thumb));
    /* One entry per film, with every role the person had in it. */
    json_t *films = json_array();
    json_t *current = NULL;
    int64_t current_id = 0;
    for (size_t i = 0; i < p->role_count; i++) {
        const cc_person_role *r = &p->roles[i];
        if (!current || current_id != r->film_id) {
            current = json_pack("{s:I, s:o, s:o, s:[]}", "film_id", (json_int_t)r->film_id, "title",
                                cj_text(r->title), "year",
                                r->year ? json_integer(r->year) : json_null(), "roles");
            json_object_set_new(current, "poster_url", cj_poster_url(r->film_id, r->has_poster));
            json_array_append_new(films, current);
            current_id = r->film_id;
        }
        json_t *role = json_pack("{s:o}", "job", cj_text(r->job));
        json_object_set_new(role, "character", cj_text_or_null(r->character));
        json_array_append_new(json_object_get(current, "roles"), role);
    }
    json_object_set_new(o, "films", films);
    json_t *collab = json_array();
    for (size_t i = 0; i < p->collaborator_count; i++) {
        const cc_collaborator *c = &p->collaborators[i];
        json_array_append_new(collab, json_pack("{s:I, s:o, s:i}", "id", (json_int_t)c->person_id,
                                                "name", cj_text(c->name), "films", c->films));
    }
    json_object_set_new(o, "collaborators", collab);
    return o;
}
