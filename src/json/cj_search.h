/* cj_search: search results as JSON. */
#ifndef CJ_SEARCH_H
#define CJ_SEARCH_H

#include <jansson.h>

#include "catalog/cc_search_query.h"

/* As `search --json` prints them: {"films":[{id,title,year}],
 * "people":[{id,name}], "extras":[{id,title,type,film_id}]}. */
json_t *cj_search_result(const cc_search_result *result);
/* GET /api/v1/search: the same, films with their poster_url and extras
 * with their film's (film_poster_url). */
json_t *cj_search_result_api(const cc_search_result *result);

#endif
