/* cc_memo: answers over the whole catalog (counts, the A-Z bar, the
 * change stamp) kept on a connection between requests, good while nothing
 * was committed: neither by another connection (PRAGMA data_version) nor
 * by this one (sqlite3_total_changes64). A 100,000-film catalog takes tens
 * of milliseconds to count, and the web app asks again every few seconds.
 * Catalog-internal: the modules of catalog/ use it, nothing else. */
#ifndef CC_MEMO_H
#define CC_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

/* When a lookup was made: what a fresh answer must be stored with, so an
 * answer computed while a commit landed is not kept as newer than it is. */
typedef struct cc_memo_stamp {
    int64_t data_version, changes;
    bool usable; /* false inside a write transaction: its rows may roll back */
} cc_memo_stamp;

/* The answer kept under key (*data, *len: owned by the memo, good until
 * the next cc_memo_put on db), true; or false, with *stamp to store the
 * answer under once computed. */
bool cc_memo_get(cc_db *db, const char *key, cc_memo_stamp *stamp, const void **data, size_t *len);
/* Keeps a copy of data under key (the least recently used answer goes). */
void cc_memo_put(cc_db *db, const char *key, const cc_memo_stamp *stamp, const void *data,
                 size_t len);
/* Frees every answer (cc_db_close). */
void cc_memo_clear(cc_db *db);

#endif
