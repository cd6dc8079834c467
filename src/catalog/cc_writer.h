/* cc_writer: the catalog's one way to write. It owns the transactions
 * (BEGIN IMMEDIATE, COMMIT, ROLLBACK) and their batching, so no other
 * module says when a transaction starts or ends; callers say what a unit
 * of work is and where a save point lies.
 *
 *   cc_writer *w = cc_writer_new(db, 64);   // commit every 64 units
 *   cc_writer_begin(w, err);
 *   for each probed file: cc_file_put(db, ...); cc_writer_step(w, err);
 *   cc_writer_commit(w, err);               // a save point
 *   cc_writer_free(w);                      // rolls back anything not committed
 *
 * For one short write (an account, a watch state), cc_writer_run.
 * A writer belongs to one cc_db connection and one thread, like the cc_db.
 * Other connections keep reading the last committed state meanwhile (WAL). */
#ifndef CC_WRITER_H
#define CC_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/cc_db.h"

typedef struct cc_writer cc_writer;

/* batch: units of work per transaction for cc_writer_step (0: no limit,
 * one transaction until cc_writer_commit). */
cc_writer *cc_writer_new(cc_db *db, size_t batch);
/* Rolls back what was not committed. */
void cc_writer_free(cc_writer *w);
cc_db *cc_writer_db(const cc_writer *w);

/* Opens a transaction unless one is open. */
int cc_writer_begin(cc_writer *w, cu_err *err);
/* One unit of work done: when the batch is full, commits it and opens the
 * next transaction. Opens one when none is open. */
int cc_writer_step(cc_writer *w, cu_err *err);
/* Commits the open transaction (none open: nothing to do). */
int cc_writer_commit(cc_writer *w, cu_err *err);
/* Drops the open transaction's writes (none open: nothing to do). */
void cc_writer_rollback(cc_writer *w);
/* Whether a transaction is open. */
bool cc_writer_active(const cc_writer *w);

/* Runs fn in one transaction of its own: committed when fn returns 0,
 * rolled back otherwise (fn's result is returned). Not inside another
 * writer's open transaction on the same connection. */
int cc_writer_run(cc_db *db, int (*fn)(cc_db *db, void *user, cu_err *err), void *user,
                  cu_err *err);

#endif
