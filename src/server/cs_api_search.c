/* cs_api_search: GET /api/v1/search and the ?q= of the films list, both
 * answered by the catalog's full-text search (cc_search). */
#include "catalog/cc_scope.h"
#include "catalog/cc_search_query.h"
#include "catalog/cc_search_why.h"
#include "server/cs_internal.h"
#include "json/cj_search.h"
#include "json/cj_text.h"

int cs_search_film_ids(cc_db *db, const char *query, size_t max, int64_t **ids, size_t *count,
                       cu_err *err)
{
    return cc_search_query_film_ids(db, query, max, ids, count, err);
}

/* Keeps only hits a restricted user may see: films among visible, extras
 * of those films, people credited in one of them. */
static int restrict_result(cc_db *db, cc_search_result *r, const int64_t *visible, size_t count,
                           cu_err *err)
{
    size_t kept = 0;
    for (size_t i = 0; i < r->film_count; i++) {
        if (cc_scope_has(visible, count, r->films[i].id))
            r->films[kept++] = r->films[i];
        else
            free(r->films[i].title);
    }
    r->film_count = kept;
    kept = 0;
    for (size_t i = 0; i < r->extra_count; i++) {
        if (cc_scope_has(visible, count, r->extras[i].film_id)) {
            r->extras[kept++] = r->extras[i];
        } else {
            free(r->extras[i].title);
            free(r->extras[i].type);
        }
    }
    r->extra_count = kept;
    kept = 0;
    int rc = 0;
    for (size_t i = 0; i < r->person_count; i++) {
        bool seen = false;
        if (rc == 0)
            rc = cc_scope_person_visible(db, r->people[i].id, visible, count, &seen, err);
        if (seen)
            r->people[kept++] = r->people[i];
        else
            free(r->people[i].name);
    }
    r->person_count = kept;
    return rc;
}

/* ?q= (any text; empty gives empty groups) and ?limit= (1 to 200 hits per
 * group, 20 by default). The shape is `cinemateca search --json`'s. */
enum MHD_Result cs_api_search(cs_request *req)
{
    const char *q = cs_query_get(&req->query, "q");
    int64_t limit = 20;
    if (cs_query_int(&req->query, "limit", 1, 200, &limit) < 0)
        return cs_reply_error(req, 400, "bad_request", "limit must be between 1 and 200");
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_search_result result = {0};
    if (cc_search_query(db, q ? q : "", (int)limit, &result, &err) < 0) {
        cc_search_query_clear(&result);
        return cs_reply_catalog_error(req, &err);
    }
    bool restricted;
    size_t visible_count;
    const int64_t *visible = cs_auth_visible(req, &visible_count, &restricted);
    if (restricted && restrict_result(db, &result, visible, visible_count, &err) < 0) {
        cc_search_query_clear(&result);
        return cs_reply_catalog_error(req, &err);
    }
    json_t *body = cj_search_result_api(&result);
    /* Each film says why it came up when its title is not the reason. */
    json_t *films = json_object_get(body, "films");
    for (size_t i = 0; q && i < result.film_count && i < json_array_size(films); i++) {
        cc_search_why why;
        if (cc_search_why_film(db, result.films[i].id, q, &why, &err) < 0) {
            json_decref(body);
            cc_search_query_clear(&result);
            return cs_reply_catalog_error(req, &err);
        }
        json_t *m = json_null();
        if (why.field) {
            m = json_pack("{s:s, s:o}", "field", why.field, "text", cj_text_or_null(why.text));
            if (why.job)
                json_object_set_new(m, "job", cj_text(why.job));
        }
        json_object_set_new(json_array_get(films, i), "matched", m);
        cc_search_why_clear(&why);
    }
    cc_search_query_clear(&result);
    return cs_reply_json(req, 200, body);
}
