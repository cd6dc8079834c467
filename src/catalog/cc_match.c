/* cc_match: films having any of several values of one field (cc_match.h). */
#include "catalog/cc_match.h"
#include "catalog/cc_internal.h"
#include "util/cu_buf.h"

#include <errno.h>
#include <stdlib.h>

int cc_match_any(cc_db *db, cc_match_field field, const char *const *values, size_t count,
                 int64_t **ids, size_t *found, cu_err *err)
{
    *ids = NULL;
    *found = 0;
    if (count > CC_MATCH_MAX)
        return cu_err_set(err, CU_EINVAL, "at most %d values", CC_MATCH_MAX);
    if (!count)
        return 0;
    bool numeric = field == CC_MATCH_YEAR || field == CC_MATCH_PERSON;
    long long numbers[CC_MATCH_MAX];
    for (size_t i = 0; numeric && i < count; i++) {
        char *end;
        errno = 0;
        numbers[i] = strtoll(values[i], &end, 10);
        if (errno || end == values[i] || *end)
            return cu_err_set(err, CU_EINVAL, "not a number: %.40s", values[i]);
    }
    cu_buf sql = CU_BUF_INIT;
    switch (field) {
    case CC_MATCH_GENRE:
    case CC_MATCH_STUDIO:
    case CC_MATCH_TAG:
        cu_buf_printf(&sql,
                      "SELECT DISTINCT film_id FROM film_terms WHERE kind = '%s'"
                      " AND value COLLATE NOCASE IN (",
                      field == CC_MATCH_GENRE    ? "genre"
                      : field == CC_MATCH_STUDIO ? "studio"
                                                 : "tag");
        break;
    case CC_MATCH_RATING:
        cu_buf_puts(&sql, "SELECT id FROM films WHERE mpaa COLLATE NOCASE IN (");
        break;
    case CC_MATCH_YEAR: cu_buf_puts(&sql, "SELECT id FROM films WHERE year IN ("); break;
    case CC_MATCH_PERSON:
        cu_buf_puts(&sql, "SELECT DISTINCT film_id FROM credits WHERE person_id IN (");
        break;
    }
    for (size_t i = 0; i < count; i++)
        cu_buf_puts(&sql, i ? ", ?" : "?");
    cu_buf_puts(&sql, ") ORDER BY 1");
    sqlite3_stmt *st = NULL;
    int rc = cc_prepare(db, cu_buf_str(&sql), &st, err);
    cu_buf_free(&sql);
    if (rc < 0)
        return CU_EDB;
    for (size_t i = 0; i < count; i++) {
        if (numeric)
            sqlite3_bind_int64(st, (int)i + 1, numbers[i]);
        else
            sqlite3_bind_text(st, (int)i + 1, values[i], -1, SQLITE_STATIC);
    }
    return cc_step_ids(db, st, ids, found, err, "matching films");
}
