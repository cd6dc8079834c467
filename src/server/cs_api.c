/* cs_api: the catalog's JSON endpoints under /api/v1: films (filtered,
 * sorted, paged), one film, a person, an extra, festivals, genres and
 * the server's status. */
#include "catalog/cc_browse.h"
#include "catalog/cc_cursor.h"
#include "catalog/cc_person.h"
#include "catalog/cc_film.h"
#include "catalog/cc_watch.h"
#include "catalog/cc_scan_status.h"
#include "catalog/cc_scope.h"
#include "server/cs_internal.h"
#include "json/cj_user.h"
#include "json/cj_browse.h"
#include "json/cj_film.h"
#include "json/cj_person.h"
#include "json/cj_text.h"
#include "json/cj_write.h"
#include "util/cu_str.h"
#include "util/cu_time.h"
#include "util/cu_year.h"

#include <stdlib.h>
#include <string.h>

/* Upper bound on the ids a ?q= search may restrict the list to. */
#define FILMS_SEARCH_MAX 5000
/* The year and decade filters take years before any film (they find none). */
#define QUERY_YEAR_MIN 1800

static enum MHD_Result bad_param(cs_request *req, const char *name, const char *what)
{
    return cs_reply_error(req, 400, "bad_request", "%s must be %s", name, what);
}

/* Filters and order from the query string into filter; 0, or a queued
 * 400 reply in *ret. */
static int read_film_filter(cs_request *req, cc_film_filter *filter, enum MHD_Result *ret)
{
    const cs_query *q = &req->query;
    int64_t v;
    int rc;
    memset(filter, 0, sizeof *filter);
    filter->genre = cs_query_get(q, "genre");
    if (filter->genre && !*filter->genre)
        filter->genre = NULL;
    filter->festival = cs_query_get(q, "festival");
    if (filter->festival && !*filter->festival)
        filter->festival = NULL;
    if ((rc = cs_query_int(q, "person", 1, INT64_MAX / 2, &v)) < 0)
        goto bad_person;
    if (rc)
        filter->person_id = v;
    if ((rc = cs_query_int(q, "year", QUERY_YEAR_MIN, CU_YEAR_MAX, &v)) < 0)
        goto bad_year;
    if (rc)
        filter->year = (int)v;
    if ((rc = cs_query_int(q, "decade", QUERY_YEAR_MIN, CU_YEAR_MAX, &v)) < 0 || (rc && v % 10))
        goto bad_decade;
    if (rc)
        filter->decade = (int)v;
    if ((rc = cs_query_int(q, "offset", 0, 1000000000, &v)) < 0)
        goto bad_offset;
    if (rc)
        filter->offset = v;
    filter->limit = 50;
    if ((rc = cs_query_int(q, "limit", 1, 500, &v)) < 0)
        goto bad_limit;
    if (rc)
        filter->limit = v;
    const char *sort = cs_query_get(q, "sort");
    static const struct {
        const char *name;
        cc_sort sort;
    } sorts[] = {
        {"title", CC_SORT_TITLE},     {"year", CC_SORT_YEAR},     {"added", CC_SORT_ADDED},
        {"runtime", CC_SORT_RUNTIME}, {"rating", CC_SORT_RATING}, {"release", CC_SORT_RELEASE},
        {"played", CC_SORT_PLAYED},   {"plays", CC_SORT_PLAYS},   {"random", CC_SORT_RANDOM}};
    filter->sort = CC_SORT_TITLE;
    if (sort && *sort) {
        size_t i;
        for (i = 0; i < sizeof sorts / sizeof *sorts; i++)
            if (!strcmp(sort, sorts[i].name))
                break;
        if (i == sizeof sorts / sizeof *sorts) {
            *ret =
                bad_param(req, "sort",
                          "title, year, added, runtime, rating, release, played, plays or random");
            return -1;
        }
        filter->sort = sorts[i].sort;
    }
    const char *watched = cs_query_get(q, "watched");
    if (watched && *watched) {
        if (strcmp(watched, "true") && strcmp(watched, "false")) {
            *ret = bad_param(req, "watched", "true or false");
            return -1;
        }
        filter->watched = !strcmp(watched, "true") ? 1 : -1;
        filter->watch_user = req->user_id;
    }
    const char *order = cs_query_get(q, "order");
    if (order && *order) {
        if (strcmp(order, "asc") && strcmp(order, "desc")) {
            *ret = bad_param(req, "order", "asc or desc");
            return -1;
        }
        filter->descending = !strcmp(order, "desc");
    }
    filter->watch_user = req->user_id; /* sorts by date played and play count */
    /* The page after a page's "next" (the catalog reads the token). */
    const char *after = cs_query_get(q, "after");
    if (after && *after) {
        if (strlen(after) > CC_CURSOR_MAX) {
            *ret = bad_param(req, "after", "a page's next cursor");
            return -1;
        }
        filter->after = after;
    }
    return cs_shelf_read_filter(req, filter, ret);
bad_person:
    *ret = bad_param(req, "person", "a person id");
    return -1;
bad_year:
    *ret = bad_param(req, "year", "a year");
    return -1;
bad_decade:
    *ret = bad_param(req, "decade", "a decade such as 1990");
    return -1;
bad_offset:
    *ret = bad_param(req, "offset", "a non-negative integer");
    return -1;
bad_limit:
    *ret = bad_param(req, "limit", "between 1 and 500");
    return -1;
}

/* The films a list may hold: ?q='s matches and a restricted user's
 * films, as filter->ids (*ids owns a search's list; free it). 1 when
 * nothing can match (an empty answer), 0 to go on, or a catalog error. */
static int films_scope(cs_request *req, cc_db *db, cc_film_filter *filter, int64_t **ids,
                       cu_err *err)
{
    *ids = NULL;
    const char *q = cs_query_get(&req->query, "q");
    /* A restricted user's list is drawn from the films they may see. */
    bool restricted;
    size_t visible_count;
    const int64_t *visible = cs_auth_visible(req, &visible_count, &restricted);
    if (restricted && visible_count == 0)
        return 1;
    if (q && *q) {
        size_t count = 0;
        /* The search applies the user's scope itself, before its limit. */
        if (cs_search_film_ids(req, db, q, FILMS_SEARCH_MAX, ids, &count, err) < 0)
            return CU_EDB;
        if (count == 0) {
            free(*ids);
            *ids = NULL;
            return 1;
        }
        filter->ids = *ids;
        filter->id_count = count;
    } else if (restricted) {
        filter->ids = visible;
        filter->id_count = visible_count;
    }
    return 0;
}

enum MHD_Result cs_api_films(cs_request *req)
{
    cc_film_filter filter;
    enum MHD_Result ret;
    if (read_film_filter(req, &filter, &ret) < 0)
        return ret;
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    int64_t *ids = NULL;
    int scope = films_scope(req, db, &filter, &ids, &err);
    if (scope < 0)
        return cs_reply_catalog_error(req, &err);
    if (scope > 0)
        return cs_reply_json(req, 200,
                             json_pack("{s:i, s:I, s:I, s:[], s:n}", "total", 0, "offset",
                                       (json_int_t)filter.offset, "limit", (json_int_t)filter.limit,
                                       "items", "next"));
    cc_film_page page = {0};
    if (cc_browse_films(db, &filter, &page, &err) < 0) {
        free(ids);
        if (err.code == CU_EINVAL) /* a cursor not ours, or of another sort */
            return cs_reply_error(req, 400, "bad_request", "%s", err.msg);
        return cs_reply_catalog_error(req, &err);
    }
    /* Written as text: the busiest list of all (cj_write.h). */
    cu_buf body = CU_BUF_INIT;
    cs_list_head(&body, page.total, filter.offset, filter.limit);
    int rc = cs_watch_page_items(req, db, &page, NULL, 0, &body, NULL, &err);
    if (rc == 0) {
        cj_write_key(&body, false, "next");
        cj_write_str_or_null(&body, page.next);
        cu_buf_putc(&body, '}');
    }
    cc_browse_films_clear(&page);
    free(ids);
    if (rc < 0) {
        cu_buf_free(&body);
        return cs_reply_catalog_error(req, &err);
    }
    return cs_reply_json_text(req, 200, cu_buf_take(&body));
}

enum MHD_Result cs_api_film_letters(cs_request *req)
{
    cc_film_filter filter;
    enum MHD_Result ret;
    if (read_film_filter(req, &filter, &ret) < 0)
        return ret;
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    int64_t *ids = NULL;
    int scope = films_scope(req, db, &filter, &ids, &err);
    if (scope < 0)
        return cs_reply_catalog_error(req, &err);
    cc_count_list letters = {0};
    if (scope == 0 && cc_browse_letters(db, &filter, &letters, &err) < 0) {
        free(ids);
        return cs_reply_catalog_error(req, &err);
    }
    free(ids);
    return cs_shelf_letters_reply(req, &letters);
}

enum MHD_Result cs_api_film(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_film *film = NULL;
    if (cc_film_get(db, req->route.id, &film, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *body = cj_film_api(film);
    int rc = cs_watch_add_to_film(req, db, film, body, &err);
    if (rc == 0)
        rc = cs_shelf_add_to_film(req, db, film->id, body, &err);
    cc_film_free(film);
    if (rc < 0) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    if (!req->admin)
        cs_json_strip_private(body);
    return cs_reply_json(req, 200, body);
}

enum MHD_Result cs_api_person(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_person *person = NULL;
    if (cc_person_get(db, req->route.id, &person, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    bool restricted;
    size_t visible_count;
    const int64_t *visible = cs_auth_visible(req, &visible_count, &restricted);
    if (restricted) {
        /* Only their roles in films the user may see; collaborators
         * (counted over every film) are not shown. A person with none
         * left does not exist for this user. */
        size_t kept = 0;
        for (size_t i = 0; i < person->role_count; i++) {
            cc_person_role *r = &person->roles[i];
            if (cc_scope_has(visible, visible_count, r->film_id)) {
                person->roles[kept++] = *r;
            } else {
                free(r->title);
                free(r->job);
                free(r->character);
            }
        }
        person->role_count = kept;
        for (size_t i = 0; i < person->collaborator_count; i++)
            free(person->collaborators[i].name);
        person->collaborator_count = 0;
        if (kept == 0) {
            cc_person_free(person);
            return cs_reply_error(req, 404, "not_found", "no person with id %lld",
                                  (long long)req->route.id);
        }
    }
    json_t *body = cj_person(person);
    cc_person_free(person);
    return cs_reply_json(req, 200, body);
}

enum MHD_Result cs_api_extra(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    int64_t film_id = 0;
    cc_film *film = NULL;
    if (cc_extra_film_id(db, req->route.id, &film_id, &err) < 0 ||
        cc_film_get(db, film_id, &film, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *body = NULL;
    cc_watch w;
    for (size_t i = 0; i < film->extra_count && !body; i++)
        if (film->extras[i].id == req->route.id) {
            body = cj_extra_api(film, &film->extras[i]);
            if (cc_watch_file_get(db, req->user_id, film->extras[i].file.id, &w, &err) == 0)
                json_object_set_new(json_object_get(body, "file"), "watch", cj_watch(&w));
        }
    cc_film_free(film);
    if (body && !req->admin)
        cs_json_strip_private(body);
    if (!body) /* removed between the two reads */
        return cs_reply_error(req, 404, "not_found", "no extra with id %lld",
                              (long long)req->route.id);
    return cs_reply_json(req, 200, body);
}

static enum MHD_Result count_list(cs_request *req, int (*list)(cc_db *, cc_count_list *, cu_err *),
                                  int (*scoped)(cc_db *, const int64_t *, size_t, cc_count_list *,
                                                cu_err *))
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_count_list l = {0};
    bool restricted;
    size_t visible_count;
    const int64_t *visible = cs_auth_visible(req, &visible_count, &restricted);
    if ((restricted ? scoped(db, visible, visible_count, &l, &err) : list(db, &l, &err)) < 0) {
        cc_browse_counts_clear(&l);
        return cs_reply_catalog_error(req, &err);
    }
    json_t *body = cj_count_list(&l);
    cc_browse_counts_clear(&l);
    return cs_reply_json(req, 200, body);
}

enum MHD_Result cs_api_festivals(cs_request *req)
{
    return count_list(req, cc_browse_festivals, cc_scope_festival_list);
}

enum MHD_Result cs_api_genres(cs_request *req)
{
    return count_list(req, cc_browse_genres, cc_scope_genre_list);
}

enum MHD_Result cs_api_status(cs_request *req)
{
    const cs_config *config = cs_server_config(req->server);
    /* Not signed in: the version and that sign-in is needed, nothing of
     * the library. */
    if (req->auth == CS_AUTH_NONE)
        return cs_reply_json(
            req, 200,
            json_pack("{s:s, s:b}", "version", CINEMATECA_VERSION, "sign_in_required", 1));
    json_t *roots = json_array();
    for (size_t i = 0; req->admin && i < config->root_count; i++)
        json_array_append_new(roots, cj_text(config->roots[i]));
    json_t *body = json_pack("{s:s, s:o}", "version", CINEMATECA_VERSION, "roots", roots);
    json_object_set_new(body, "sign_in_required", json_boolean(req->auth != CS_AUTH_LOCAL));
    if (req->admin)
        json_object_set_new(
            body, "uptime",
            json_integer(cu_time_now() - cs_auth_started_at(cs_server_auth(req->server))));

    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    json_t *scan = json_null();
    cc_scan_status s;
    if (config->scan_service && db && cc_scan_status_get(db, &s, &err) == 0) {
        scan = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "state", s.state, "found",
                         (json_int_t)s.found, "probed", (json_int_t)s.probed, "to_probe",
                         (json_int_t)s.to_probe, "scans", (json_int_t)s.scans, "started_at",
                         (json_int_t)s.started_at, "finished_at", (json_int_t)s.finished_at,
                         "watching", s.watching);
        json_object_set_new(scan, "last",
                            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "films",
                                      (json_int_t)s.films, "extras", (json_int_t)s.extras, "files",
                                      (json_int_t)s.files, "added", (json_int_t)s.added, "changed",
                                      (json_int_t)s.changed, "removed", (json_int_t)s.removed,
                                      "moved", (json_int_t)s.moved, "failed",
                                      (json_int_t)s.failed));
        json_object_set_new(scan, "error",
                            req->admin ? cj_text_or_null(s.last_error) : json_null());
    }
    json_object_set_new(body, "scan", scan);
    cs_status_admin(req, db, body);

    cc_counts counts = {0};
    bool restricted;
    size_t visible_count;
    const int64_t *visible = cs_auth_visible(req, &visible_count, &restricted);
    if (db && (restricted ? cc_scope_counts(db, visible, visible_count, &counts, &err)
                          : cc_browse_totals(db, &counts, &err)) == 0)
        json_object_set_new(
            body, "counts",
            json_pack("{s:I, s:I, s:I, s:I, s:I}", "films", (json_int_t)counts.films, "extras",
                      (json_int_t)counts.extras, "files", (json_int_t)counts.files, "failed_files",
                      (json_int_t)counts.failed_files, "people", (json_int_t)counts.people));
    else
        json_object_set_new(body, "counts", json_null());
    return cs_reply_json(req, 200, body);
}
