/* cs_api_search: GET /api/v1/search and the ?q= of the films list, both
 * answered by the catalog's full-text search (cc_search). */
#include "catalog/cc_search_query.h"
#include "server/cs_internal.h"
#include "json/cj_search.h"

int cs_search_film_ids(cc_db *db, const char *query, size_t max, int64_t **ids, size_t *count,
                       cu_err *err)
{
    return cc_search_query_film_ids(db, query, max, ids, count, err);
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
    json_t *body = cj_search_result_api(&result);
    cc_search_query_clear(&result);
    return cs_reply_json(req, 200, body);
}
