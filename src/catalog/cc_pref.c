/* cc_pref: per-user preferences (cc_pref.h). */
#include "catalog/cc_pref.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

int cc_pref_list_get(cc_db *db, int64_t user_id, cc_pref_list *out, cu_err *err)
{
    out->items = NULL;
    out->count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT name, value FROM user_prefs WHERE user_id = ?1 ORDER BY name LIMIT ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, CC_PREF_COUNT_MAX);
    out->items = cu_xcalloc(CC_PREF_COUNT_MAX, sizeof *out->items);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && out->count < CC_PREF_COUNT_MAX) {
        cc_pref *p = &out->items[out->count++];
        p->name = cc_column_strdup(st, 0);
        p->value = cc_column_strdup(st, 1);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
        cc_pref_list_clear(out);
        return cc_fail(db, err, "reading preferences");
    }
    return 0;
}

void cc_pref_list_clear(cc_pref_list *list)
{
    for (size_t i = 0; list && i < list->count; i++) {
        free(list->items[i].name);
        free(list->items[i].value);
    }
    if (list) {
        free(list->items);
        list->items = NULL;
        list->count = 0;
    }
}

int cc_pref_set(cc_db *db, int64_t user_id, const char *name, const char *value, int64_t now,
                cu_err *err)
{
    if (!name || !*name || strlen(name) > CC_PREF_NAME_MAX)
        return cu_err_set(err, CU_EINVAL, "a preference's name is 1 to %d bytes", CC_PREF_NAME_MAX);
    if (value && (!*value || strlen(value) > CC_PREF_VALUE_MAX))
        return cu_err_set(err, CU_EINVAL, "a preference's value is 1 to %d bytes",
                          CC_PREF_VALUE_MAX);
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   value ? "INSERT INTO user_prefs (user_id, name, value, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(user_id, name) DO UPDATE SET"
                           " value = excluded.value, updated_at = excluded.updated_at"
                         : "DELETE FROM user_prefs WHERE user_id = ?1 AND name = ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    if (value) {
        sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now);
    }
    return cc_step_done(db, st, err, "saving a preference");
}
