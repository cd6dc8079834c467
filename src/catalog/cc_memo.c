/* cc_memo: answers kept while the catalog stands still (cc_memo.h). */
#include "catalog/cc_memo.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

bool cc_memo_get(cc_db *db, const char *key, cc_memo_stamp *stamp, const void **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    stamp->usable = sqlite3_txn_state(db->sql, NULL) != SQLITE_TXN_WRITE &&
                    cc_data_version(db, &stamp->data_version, NULL) == 0;
    stamp->changes = sqlite3_total_changes64(db->sql);
    if (!stamp->usable)
        return false;
    for (size_t i = 0; i < CC_MEMO_MAX; i++) {
        struct cc_memo *m = &db->memo[i];
        if (m->key && !strcmp(m->key, key) && m->data_version == stamp->data_version &&
            m->changes == stamp->changes) {
            m->used = ++db->cached_clock;
            *data = m->data;
            *len = m->len;
            return true;
        }
    }
    return false;
}

void cc_memo_put(cc_db *db, const char *key, const cc_memo_stamp *stamp, const void *data,
                 size_t len)
{
    if (!stamp->usable)
        return;
    struct cc_memo *slot = &db->memo[0];
    for (size_t i = 0; i < CC_MEMO_MAX; i++) {
        struct cc_memo *m = &db->memo[i];
        if (m->key && !strcmp(m->key, key)) {
            slot = m; /* a stale answer to the same question */
            break;
        }
        if (!m->key || (slot->key && m->used < slot->used))
            slot = m;
    }
    free(slot->key);
    free(slot->data);
    slot->key = cu_xstrdup(key);
    slot->data = cu_xmalloc(len ? len : 1);
    if (len) /* an empty answer (no letters) may come as NULL */
        memcpy(slot->data, data, len);
    slot->len = len;
    slot->data_version = stamp->data_version;
    slot->changes = stamp->changes;
    slot->used = ++db->cached_clock;
}

void cc_memo_clear(cc_db *db)
{
    for (size_t i = 0; i < CC_MEMO_MAX; i++) {
        free(db->memo[i].key);
        free(db->memo[i].data);
        memset(&db->memo[i], 0, sizeof db->memo[i]);
    }
}
