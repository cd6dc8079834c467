/* cj_film: films, files, extras and the films list as JSON. The plain forms
 * are what the CLI prints; the _api forms add the URLs a client fetches.
 * Every reference to a film in the API carries its poster_url (a URL, or
 * null when the film has no poster), written by cj_poster_url alone. */
#ifndef CJ_FILM_H
#define CJ_FILM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_film.h"
#include "catalog/cc_watch.h"
#include "util/cu_buf.h"

/* The one place a poster's URL is spelled: as JSON (null when there is
 * no poster), or into out (false when none). */
json_t *cj_poster_url(int64_t film_id, int has_poster);
bool cj_poster_path(int64_t film_id, int has_poster, char *out, size_t size);

/* One file with its streams, as in `films --json`. */
json_t *cj_file(const cc_file *file, int with_part);
/* A film as `films --json` lists it: ids, files, extras. */
json_t *cj_film_summary(const cc_film *film);
/* The whole record: the summary plus synopsis, credits, releases, terms,
 * ratings and artwork. */
json_t *cj_film(const cc_film *film);

/* One row of GET /api/v1/films, as text (cj_write.h): id, title,
 * original_title, year, runtime, genres (array), director, poster_url,
 * resolution, hdr, sort_key, and with watch the user's watch state and
 * offline (its library folder is not mounted). */
void cj_film_item_write(cu_buf *b, const cc_film_item *item, const cc_watch *watch, bool offline);
/* cj_film plus poster_url, backdrop_url and a stream_url on every file and
 * extra. */
json_t *cj_film_api(const cc_film *film);
/* One extra with its file (streams included) and the film it belongs to
 * (id, title, year, url, poster_url). */
json_t *cj_extra_api(const cc_film *film, const cc_extra *extra);

#endif
