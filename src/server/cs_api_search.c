/* cs_api_search: GET /api/v1/search and the ?q= of the films list, both
 * answered by the catalog's full-text search (cc_search). */
#include "catalog/cc_search_query.h"
#include "catalog/cc_search_why.h"
#include "server/cs_internal.h"
#include "json/cj_search.h"
#include "json/cj_text.h"

/* The scope of req's user, or NULL when they see everything. */
static const cc_search_scope *request_scope(cs_request *req, cc_search_scope *scope)
{
    bool restricted;
    scope->film_ids = cs_auth_visible(req, &scope->film_count, &restricted);
    return restricted ? scope : NULL;
}

int cs_search_film_ids(cs_request *req, cc_db *db, const char *query, size_t max, int64_t **ids,
                       size_t *count, cu_err *err)
{
    cc_search_scope scope;
    return cc_search_query_film_ids_scoped(db, query, max, request_scope(req, &scope), ids, count,
                                           err);
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
    cc_search_scope scope;
    if (cc_search_query_scoped(db, q ? q : "", (int)limit, request_scope(req, &scope), &result,
                               &err) < 0) {
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
