/* cc_ids: sets of film ids in SQL (cc_ids.h). */
#include "catalog/cc_ids.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_scope.h"
#include "util/cu_hash.h"

/* The pointer type SQLite checks: SQL text cannot make a value of it,
 * only sqlite3_bind_pointer can, so no statement can point this
 * function anywhere else. */
#define IDS_POINTER_TYPE "cc_ids"

bool cc_ids_bound(size_t count)
{
    return count > CC_IDS_INLINE_MAX;
}

void cc_ids_sql(cu_buf *sql, const char *column, const int64_t *ids, size_t count)
{
    if (cc_ids_bound(count)) {
        cu_buf_printf(sql, "cc_in_ids(%s, ?, ?)", column);
        return;
    }
    cu_buf_puts(sql, column);
    cu_buf_puts(sql, " IN (");
    for (size_t i = 0; i < count; i++) {
        if (i)
            cu_buf_putc(sql, ',');
        cu_buf_put_i64(sql, ids[i]);
    }
    cu_buf_putc(sql, ')');
}

int cc_ids_bind(sqlite3_stmt *st, int index, const int64_t *ids, size_t count)
{
    if (!cc_ids_bound(count))
        return index;
    sqlite3_bind_pointer(st, index, (void *)ids, IDS_POINTER_TYPE, NULL);
    sqlite3_bind_int64(st, index + 1, (sqlite3_int64)count);
    return index + 2;
}

char *cc_ids_memo_key(sqlite3_stmt *st, const int64_t *ids, size_t count)
{
    char *sql = sqlite3_expanded_sql(st);
    if (!sql || !ids || !cc_ids_bound(count))
        return sql;
    /* The bound pointer shows as NULL in the expanded SQL. */
    uint64_t hash = cu_hash64_i64(CU_HASH64_INIT, ids, count);
    char *key = sqlite3_mprintf("ids %llu %016llx %s", (unsigned long long)count,
                                (unsigned long long)hash, sql);
    sqlite3_free(sql);
    return key;
}

/* cc_in_ids(id, ids, count): 1 when id is one of the count ids (ascending)
 * bound at ids; 0 otherwise, and for anything not bound by cc_ids_bind. */
static void sql_in_ids(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const int64_t *ids = sqlite3_value_pointer(argv[1], IDS_POINTER_TYPE);
    sqlite3_int64 count = sqlite3_value_int64(argv[2]);
    bool in = ids && count > 0 && sqlite3_value_type(argv[0]) == SQLITE_INTEGER &&
              cc_scope_has(ids, (size_t)count, sqlite3_value_int64(argv[0]));
    sqlite3_result_int(ctx, in);
}

int cc_ids_register(cc_db *db, cu_err *err)
{
    /* Direct only: not from a trigger or view, where no pointer is bound. */
    if (sqlite3_create_function_v2(db->sql, "cc_in_ids", 3, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                   sql_in_ids, NULL, NULL, NULL) != SQLITE_OK)
        return cc_fail(db, err, "cc_in_ids");
    return 0;
}
