/* cc_writer: transactions and batching for every write (see cc_writer.h). */
#include "catalog/cc_writer.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>

struct cc_writer {
    cc_db *db;
    size_t batch;   /* units per transaction; 0: unbounded */
    size_t pending; /* units in the open transaction */
    bool open;
};

cc_writer *cc_writer_new(cc_db *db, size_t batch)
{
    cc_writer *w = cu_xcalloc(1, sizeof *w);
    w->db = db;
    w->batch = batch;
    return w;
}

void cc_writer_free(cc_writer *w)
{
    if (!w)
        return;
    cc_writer_rollback(w);
    free(w);
}

cc_db *cc_writer_db(const cc_writer *w)
{
    return w->db;
}

bool cc_writer_active(const cc_writer *w)
{
    return w->open;
}

int cc_writer_begin(cc_writer *w, cu_err *err)
{
    if (w->open)
        return 0;
    /* IMMEDIATE: the write lock is taken now, so a busy catalog is met
     * here (and waited for) rather than halfway through the work. */
    if (cc_exec(w->db, "BEGIN IMMEDIATE", err) < 0)
        return CU_EDB;
    w->open = true;
    w->pending = 0;
    return 0;
}

int cc_writer_commit(cc_writer *w, cu_err *err)
{
    if (!w->open)
        return 0;
    if (cc_exec(w->db, "COMMIT", err) < 0) {
        cc_writer_rollback(w);
        return CU_EDB;
    }
    w->open = false;
    w->pending = 0;
    return 0;
}

void cc_writer_rollback(cc_writer *w)
{
    if (!w->open)
        return;
    if (!sqlite3_get_autocommit(w->db->sql))
        cc_exec(w->db, "ROLLBACK", NULL);
    w->open = false;
    w->pending = 0;
}

int cc_writer_step(cc_writer *w, cu_err *err)
{
    if (!w->open)
        return cc_writer_begin(w, err);
    w->pending++;
    if (w->batch == 0 || w->pending < w->batch)
        return 0;
    if (cc_writer_commit(w, err) < 0)
        return CU_EDB;
    return cc_writer_begin(w, err);
}

int cc_writer_run(cc_db *db, int (*fn)(cc_db *db, void *user, cu_err *err), void *user, cu_err *err)
{
    cc_writer w = {.db = db};
    int rc = cc_writer_begin(&w, err);
    if (rc == 0)
        rc = fn(db, user, err);
    if (rc == 0)
        rc = cc_writer_commit(&w, err);
    else
        cc_writer_rollback(&w);
    return rc;
}
