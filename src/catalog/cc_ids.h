/* cc_ids: a set of film ids in a statement. A small set is written into
 * the SQL as a list (SQLite then looks each one up); a large one, a
 * restricted user's 100,000 visible films say, is bound as a pointer and
 * read by the function cc_in_ids(column, ?, ?) row by row: a list of
 * that many literals took longer to parse than the page it chose took to
 * read. Catalog-internal. */
#ifndef CC_IDS_H
#define CC_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "catalog/cc_db.h"
#include "util/cu_buf.h"

/* Sets of at most this many ids are written out. */
#define CC_IDS_INLINE_MAX 256

/* Appends the condition "column is one of ids" (ids ascending). */
void cc_ids_sql(cu_buf *sql, const char *column, const int64_t *ids, size_t count);
/* Binds what cc_ids_sql wrote at index (its first parameter, when it
 * wrote any); returns the index of the next parameter. ids must stay
 * alive and unchanged while the statement runs. */
int cc_ids_bind(sqlite3_stmt *st, int index, const int64_t *ids, size_t count);
/* Whether cc_ids_sql binds ids rather than writing them out (a count
 * kept by its statement's text must then name the set some other way). */
bool cc_ids_bound(size_t count);

/* A key for cc_memo naming st's question with its values bound: its
 * expanded SQL, and the set's count and hash when it is bound (ids NULL:
 * no set). sqlite3_free it; NULL when out of memory. */
char *cc_ids_memo_key(sqlite3_stmt *st, const int64_t *ids, size_t count);

/* Registers cc_in_ids on db's connection (cc_db_open). */
int cc_ids_register(cc_db *db, cu_err *err);

#endif
