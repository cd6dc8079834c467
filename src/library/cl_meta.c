/* cl_meta: storing what a film's .nfo or container tags say: both are the
 * catalog's one metadata record (cc_film), so nothing is copied here. */
#include "library/cl_meta.h"
#include "catalog/cc_film.h"
#include "library/cl_name.h"
#include "util/cu_str.h"
#include "util/cu_year.h"

#include <stdlib.h>
#include <string.h>

int cl_meta_apply_nfo(cc_db *db, int64_t film_id, cl_nfo *nfo, cu_err *err)
{
    cc_film *film = nfo->film;
    film->metadata_source = cc_film_strdup(film, "nfo");
    /* A year only in <premiered> still dates the film. */
    if (!film->year && film->premiered && strlen(film->premiered) >= 4)
        film->year = (int)strtol(film->premiered, NULL, 10);
    return cc_film_set_meta(db, film_id, film, err);
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
    int year = cu_year_leading(tags->date);
    if (year < CU_YEAR_MIN || year > CU_YEAR_NAME_MAX)
        year = 0;
    const char *plot = tags->description && *tags->description ? tags->description : NULL;
    if (!title && !plot)
        return 0;
    cc_film *meta = cc_film_new();
    meta->metadata_source = cc_film_strdup(meta, "tags");
    meta->title = cc_film_strdup(meta, title);
    meta->year = title ? year : 0;
    meta->plot = cc_film_strdup(meta, plot);
    int rc = cc_film_set_meta(db, film_id, meta, err);
    cc_film_free(meta);
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
