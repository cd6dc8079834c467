/* cc_db: the catalog database. The only module that speaks SQL; everything
 * else sees the C structs and functions in cc_*.h.
 * Every write goes through a cc_writer (cc_writer.h), which owns the
 * transactions. One SQLite file in WAL mode. A cc_db is one connection and must be used
 * by one thread at a time; a writer and any number of readers may be open
 * on the same file at once. */
#ifndef CC_DB_H
#define CC_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "util/cu_err.h"

typedef struct cc_db cc_db;

/* The schema version this build writes; older files are upgraded on open. */
#define CC_SCHEMA_VERSION 20

/* How long a statement waits for another connection's lock before it
 * fails with SQLITE_BUSY: a scan's batch commits well inside it. */
#define CC_BUSY_TIMEOUT_MS 10000
/* The folder beside a catalog (its path plus this) that holds what can
 * be made again: posters, resized artwork, HLS segments. */
#define CC_DB_CACHE_SUFFIX ".cache"

typedef enum {
    CC_OPEN_READWRITE, /* creates the file and upgrades the schema */
    CC_OPEN_READONLY,  /* fails if the file does not exist */
} cc_open_mode;

int cc_db_open(const char *path, cc_open_mode mode, cc_db **out, cu_err *err);
void cc_db_close(cc_db *db);
const char *cc_db_path(const cc_db *db);
int cc_db_schema_version(cc_db *db);

/* One read transaction around the reads that follow, until
 * cc_db_read_end: they share one snapshot and take SQLite's read lock
 * once instead of once per statement (a page of the film list asks a few
 * hundred small questions). Nothing happens when a transaction is already
 * open; a failure to begin only costs the saving, so it is not returned. */
void cc_db_read_begin(cc_db *db);
void cc_db_read_end(cc_db *db);

/* Reads the schema now (SQLite does on a connection's first statement):
 * a connection opened ahead of its first use then answers that use
 * without parsing the schema. Best effort: nothing is returned. */
void cc_db_warm(cc_db *db);

/* PRAGMA integrity_check; 0 when the answer is "ok". */
int cc_db_check(cc_db *db, cu_err *err);

#endif
