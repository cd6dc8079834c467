/* cs_json: catalog records as JSON (jansson). The same shapes are what
 * the HTTP API returns, so a script can use either. */
#ifndef CS_JSON_H
#define CS_JSON_H

#include <jansson.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_person.h"
#include "catalog/cc_film.h"
#include "catalog/cc_search_query.h"

/* A string that is valid UTF-8 (odd bytes shown as U+FFFD; NULL as ""). */
json_t *cs_json_text(const char *s);
/* cs_json_text, or null for NULL and "". */
json_t *cs_json_text_or_null(const char *s);

/* One file with its streams, as in `films --json`. */
json_t *cs_json_file(const cc_file *file, int with_part);
/* A film as `films --json` lists it: ids, files, extras. */
json_t *cs_json_film_summary(const cc_film *film);
/* The whole record: the summary plus synopsis, credits, releases, terms,
 * ratings and artwork. */
json_t *cs_json_film(const cc_film *film);
json_t *cs_json_person(const cc_person *person);
/* Search results in groups, as `search --json` prints them and
 * GET /api/v1/search returns them: {"films":[{id,title,year}],
 * "people":[{id,name}], "extras":[{id,title,type,film_id}]}. */
json_t *cs_json_search_result(const cc_search_result *result);

/* The API's additions: the same records with URLs a client can fetch. */

/* One row of GET /api/v1/films: id, title, original_title, year, runtime,
 * genres (array), director, poster_url. */
json_t *cs_json_film_item(const cc_film_item *item);
/* cs_json_film plus poster_url, backdrop_url and a stream_url on every
 * file and extra. */
json_t *cs_json_film_api(const cc_film *film);
/* One extra with its file (streams included) and the film it belongs to. */
json_t *cs_json_extra_api(const cc_film *film, const cc_extra *extra);
/* {"items":[{"name":..,"count":..}]} */
json_t *cs_json_count_list(const cc_count_list *list);
/* {"error":{"code":code,"message":message}} */
json_t *cs_json_error(const char *code, const char *message);

#endif
