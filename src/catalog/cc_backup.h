/* cc_backup: copies of the catalog that can be trusted, taken while a
 * server reads and writes it, and putting one back.
 *
 * A backup is SQLite's online backup API run in one step: it reads the
 * catalog inside one read transaction, so in WAL mode it sees exactly what
 * was committed when it began, never waits for the writer and never makes
 * it wait. Every cinemateca process that opens a catalog (cc_db_open)
 * holds a shared lock on FILE.lock beside it; a restore takes that lock
 * exclusively, so it
 * refuses to run while a server or a scan has the catalog open, and a
 * server cannot start in the middle of a restore. */
#ifndef CC_BACKUP_H
#define CC_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

/* Copies the catalog at db_path into out_path, a new file (an existing
 * out_path is refused: -EEXIST). The copy is written beside out_path under
 * a temporary name, checked with PRAGMA integrity_check, synced and only
 * then given its name, so out_path is never a partial file. It is a
 * self-contained SQLite file (rollback journal, no -wal beside it). */
int cc_backup_write(const char *db_path, const char *out_path, cu_err *err);

/* Replaces the catalog at db_path with the backup in_path. in_path must be
 * a cinemateca catalog (schema 1 to CC_SCHEMA_VERSION; an older one is
 * upgraded on the next open) that passes integrity_check. Refuses with
 * CU_EBUSY while another process has db_path open. When db_path already
 * holds a catalog, it is first copied to *kept (malloc'd path, NULL when
 * there was nothing to keep) so that a restore never loses anything. */
int cc_backup_restore(const char *db_path, const char *in_path, char **kept, cu_err *err);

#define CC_BACKUP_SUFFIX ".backups"
/* Daily backups of db_path, in the folder db_path + CC_BACKUP_SUFFIX, one file
 * per UTC day ("2026-11-30.db"). Takes today's backup unless it exists,
 * then deletes the oldest of these files beyond `keep` (other files in
 * the folder are never touched). *made is true when a backup was taken. */
#define CC_BACKUP_KEEP 7
int cc_backup_daily(const char *db_path, int keep, int64_t now, bool *made, cu_err *err);

/* The daily backups there are, oldest first (paths malloc'd, *count of
 * them; free each and the array). */
int cc_backup_list(const char *db_path, char ***paths, size_t *count, cu_err *err);

/* A thread that takes the daily backup at start and checks again every
 * hour until stopped; failures are logged, never fatal. */
typedef struct cc_backup_keeper cc_backup_keeper;
int cc_backup_keeper_start(const char *db_path, int keep, cc_backup_keeper **out, cu_err *err);
void cc_backup_keeper_stop(cc_backup_keeper *keeper);

/* The shared lock cc_db_open holds on FILE.lock (a descriptor to close,
 * -1 when the lock file could not be made by a reader; CU_EBUSY while a
 * restore runs). */
int cc_backup_lock_shared(const char *db_path, int *fd, cu_err *err);

#endif
