/* cs_api_search: GET /api/v1/search and the ?q= of the films list, both
 * answered by the catalog's full-text search (cc_search). */
#include "server/cs_internal.h"
#include "server/cs_json.h"

int cs_search_film_ids(cc_db *db, const char *query, size_t max, int64_t **ids, size_t *count,
                       cu_err *err)
{
    (void)db;
    (void)query;
    (void)max;
    *ids = NULL;
    *count = 0;
    return cu_err_set(err, CU_EBUSY, "search is not available yet");
}

enum MHD_Result cs_api_search(cs_request *req)
{
    return cs_reply_error(req, 503, "unavailable", "search is not available yet");
}
