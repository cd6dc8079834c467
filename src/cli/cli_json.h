/* cli_json: catalog records as JSON (jansson). The same shapes are what
 * the HTTP API returns, so a script can use either. */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include <jansson.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_film.h"

/* A string that is valid UTF-8 (odd bytes shown as U+FFFD). */
json_t *cli_json_text(const char *s);
/* cli_json_text, or null for NULL and "". */
json_t *cli_json_text_or_null(const char *s);

/* One file with its streams, as in `films --json`. */
json_t *cli_json_file(const cc_file *file, int with_part);
/* A film as `films --json` lists it: ids, files, extras. */
json_t *cli_json_film_summary(const cc_film *film);
/* The whole record: the summary plus synopsis, credits, releases, terms,
 * ratings and artwork. */
json_t *cli_json_film(const cc_film *film);
json_t *cli_json_person(const cc_person *person);

#endif
