/* cs_dbpool: the read-only catalog connections the request threads
 * borrow. Every client connection has a thread of its own (cs_server.c),
 * and most of those threads sit idle between requests on a keep-alive
 * connection; a catalog connection costs memory (its page cache) and
 * keeps its prepared statements, so a request borrows one for the time
 * its handler runs and gives it back: a few connections, kept warm, serve
 * any number of clients, and 100 idle clients hold none. */
#ifndef CS_DBPOOL_H
#define CS_DBPOOL_H

#include <stdint.h>

#include "catalog/cc_db.h"
#include "util/cu_err.h"

typedef struct cs_dbpool cs_dbpool;

/* At most `size` connections to the catalog at path, all of them opened
 * now (best effort: one that cannot be opened now is opened when
 * needed), so the first requests do not pay for opening and reading the
 * schema, and a catalog swapped after the start is not what they read. */
cs_dbpool *cs_dbpool_new(const char *path, unsigned size);
/* Every connection must have been given back. */
void cs_dbpool_free(cs_dbpool *p);
/* A connection of the pool's, for the caller alone until given back:
 * an idle one (the one given back last: its cache is the warmest), else
 * a new one while fewer than `size` are open, else the first given back
 * within wait_ms. NULL with CU_EBUSY in err after that, or when the
 * catalog cannot be opened. */
cc_db *cs_dbpool_take(cs_dbpool *p, int64_t wait_ms, cu_err *err);
/* Gives a connection back (a read transaction left open is ended). */
void cs_dbpool_give(cs_dbpool *p, cc_db *db);
/* Connections open and lent now. */
void cs_dbpool_counts(cs_dbpool *p, unsigned *open, unsigned *lent);

#endif
