/* cc_scope_facet: filter menus over a set of films (cc_scope_facet.h). */
#include "catalog/cc_scope_facet.h"
#include "catalog/cc_ids.h"
#include "catalog/cc_internal.h"
#include "util/cu_buf.h"

#include <string.h>

int cc_scope_facet_list(cc_db *db, cc_scope_facet facet, const int64_t *ids, size_t count,
                        cc_count_list *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (ids && count == 0)
        return 0;
    static const char *const head[] = {
        [CC_FACET_GENRE] = "SELECT value, count(*) FROM film_terms WHERE kind = 'genre'",
        [CC_FACET_TAG] = "SELECT value, count(*) FROM film_terms WHERE kind = 'tag'",
        [CC_FACET_STUDIO] = "SELECT value, count(*) FROM film_terms WHERE kind = 'studio'",
        [CC_FACET_RATING] = "SELECT mpaa, count(*) FROM films"
                            " WHERE mpaa IS NOT NULL AND mpaa != ''",
        [CC_FACET_YEAR] = "SELECT CAST(year AS TEXT), count(*) FROM films"
                          " WHERE year IS NOT NULL AND year > 0",
    };
    static const char *const tail[] = {
        [CC_FACET_GENRE] = " GROUP BY value ORDER BY value COLLATE NOCASE",
        [CC_FACET_TAG] = " GROUP BY value ORDER BY value COLLATE NOCASE",
        [CC_FACET_STUDIO] = " GROUP BY value ORDER BY value COLLATE NOCASE",
        [CC_FACET_RATING] = " GROUP BY mpaa ORDER BY mpaa COLLATE NOCASE",
        [CC_FACET_YEAR] = " GROUP BY year ORDER BY year DESC",
    };
    if ((unsigned)facet > CC_FACET_YEAR)
        return cu_err_set(err, CU_EINVAL, "no such facet");
    bool terms = facet <= CC_FACET_STUDIO;
    cu_buf sql = CU_BUF_INIT;
    cu_buf_puts(&sql, head[facet]);
    if (ids) {
        cu_buf_puts(&sql, " AND ");
        cc_ids_sql(&sql, terms ? "film_id" : "id", ids, count);
    }
    cu_buf_puts(&sql, tail[facet]);
    int rc = cc_count_list_read(db, cu_buf_str(&sql), ids, count, out, err);
    cu_buf_free(&sql);
    return rc;
}
