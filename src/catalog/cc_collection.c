/* cc_collection: reading collections (see cc_collection.h). */
#include "catalog/cc_collection.h"
#include "catalog/cc_ids.h"
#include "catalog/cc_internal.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

/* Collections with their visible counts; where_id > 0 picks one. */
static int query(cc_db *db, int64_t where_id, const int64_t *ids, size_t id_count,
                 cc_collection_list *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (ids && id_count == 0)
        return 0;
    cu_buf sql = CU_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;
    cu_buf_puts(
        &sql,
        "SELECT c.id, c.name, c.overview, c.source, count(*),"
        " (SELECT f2.id FROM films f2 JOIN artwork a ON a.film_id = f2.id AND a.kind = 'poster'"
        "   WHERE f2.collection_id = c.id ORDER BY f2.year IS NULL, f2.year, f2.id LIMIT 1)"
        " FROM collections c JOIN films f ON f.collection_id = c.id WHERE 1");
    if (where_id > 0)
        cu_buf_printf(&sql, " AND c.id = %lld", (long long)where_id);
    if (ids) {
        cu_buf_puts(&sql, " AND ");
        cc_ids_sql(&sql, "f.id", ids, id_count);
    }
    cu_buf_puts(&sql, " GROUP BY c.id ORDER BY c.sort_key, c.id");
    if (cc_prepare(db, cu_buf_str(&sql), &st, err) < 0)
        goto done;
    if (ids)
        cc_ids_bind(st, 1, ids, id_count);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 8;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        cc_collection *c = &out->items[out->count++];
        c->id = sqlite3_column_int64(st, 0);
        c->name = cc_column_strdup(st, 1);
        c->overview = cc_column_strdup(st, 2);
        c->source = cc_column_strdup(st, 3);
        c->count = sqlite3_column_int64(st, 4);
        c->poster_film = sqlite3_column_int64(st, 5);
    }
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "listing collections");
        cc_collection_list_clear(out);
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    cu_buf_free(&sql);
    return rc;
}

int cc_collection_list_all(cc_db *db, const int64_t *ids, size_t id_count, cc_collection_list *out,
                           cu_err *err)
{
    return query(db, 0, ids, id_count, out, err);
}

int cc_collection_get(cc_db *db, int64_t id, const int64_t *ids, size_t id_count,
                      cc_collection *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    cc_collection_list list;
    if (id <= 0)
        return cu_err_set(err, CU_ENOTFOUND, "no collection with id %lld", (long long)id);
    int rc = query(db, id, ids, id_count, &list, err);
    if (rc < 0)
        return rc;
    if (list.count == 0) {
        cc_collection_list_clear(&list);
        return cu_err_set(err, CU_ENOTFOUND, "no collection with id %lld", (long long)id);
    }
    *out = list.items[0];
    free(list.items);
    return 0;
}

int cc_collection_of_film(cc_db *db, int64_t film_id, int64_t *id, char **name, cu_err *err)
{
    sqlite3_stmt *st;
    *id = 0;
    *name = NULL;
    if (cc_prepare(db,
                   "SELECT c.id, c.name FROM films f JOIN collections c ON c.id = f.collection_id"
                   " WHERE f.id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *name = cc_column_strdup(st, 1);
    }
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : cc_fail(db, err, "finding collection");
}

void cc_collection_clear(cc_collection *c)
{
    free(c->name);
    free(c->overview);
    free(c->source);
    memset(c, 0, sizeof *c);
}

void cc_collection_list_clear(cc_collection_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        cc_collection_clear(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof *list);
}
