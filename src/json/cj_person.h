/* cj_person: a person's page as JSON. */
#ifndef CJ_PERSON_H
#define CJ_PERSON_H

#include <jansson.h>

#include "catalog/cc_person.h"

/* {id, name, thumb, films: [{film_id, title, year, poster_url, roles:
 * [{job, character}]}], collaborators: [{id, name, films}]}: one form for
 * `person --json` and GET /api/v1/people/{id}. */
json_t *cj_person(const cc_person *person);

#endif
