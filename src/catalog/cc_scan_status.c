/* cc_scan_status: the scan service's status row (see cc_scan_status.h). */
#include "catalog/cc_scan_status.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_writer.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <string.h>

static int put(cc_db *db, void *user, cu_err *err)
{
    const cc_scan_status *s = user;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT OR REPLACE INTO scan_status (id, state, found, probed, to_probe, scans,"
                   " started_at, finished_at, films, extras, files, added, changed, removed, moved,"
                   " failed, last_error, watching, updated_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6,"
                   " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                   &st, err) < 0)
        return CU_EDB;
    char state[sizeof s->state];
    cu_strlcpy(state, s->state, sizeof state);
    sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
    const int64_t numbers[] = {s->found,       s->probed,  s->to_probe, s->scans, s->started_at,
                               s->finished_at, s->films,   s->extras,   s->files, s->added,
                               s->changed,     s->removed, s->moved,    s->failed};
    for (int i = 0; i < (int)(sizeof numbers / sizeof *numbers); i++)
        sqlite3_bind_int64(st, 2 + i, numbers[i]);
    char last_error[sizeof s->last_error];
    cu_strlcpy(last_error, s->last_error, sizeof last_error);
    cc_bind_text_or_null(st, 16, last_error);
    sqlite3_bind_int(st, 17, s->watching);
    sqlite3_bind_int64(st, 18, cu_time_now());
    return cc_step_done(db, st, err, "saving scan status");
}

int cc_scan_status_put(cc_db *db, const cc_scan_status *status, cu_err *err)
{
    return cc_writer_run(db, put, (void *)status, err);
}

int cc_scan_status_get(cc_db *db, cc_scan_status *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT state, found, probed, to_probe, scans, started_at, finished_at, films,"
                   " extras, files, added, changed, removed, moved, failed, last_error, watching,"
                   " updated_at FROM scan_status WHERE id = 1",
                   &st, err) < 0)
        return CU_EDB;
    int step = sqlite3_step(st), rc = 0;
    if (step == SQLITE_ROW) {
        const unsigned char *state = sqlite3_column_text(st, 0);
        cu_strlcpy(out->state, state ? (const char *)state : "", sizeof out->state);
        int64_t *numbers[] = {&out->found,      &out->probed,      &out->to_probe, &out->scans,
                              &out->started_at, &out->finished_at, &out->films,    &out->extras,
                              &out->files,      &out->added,       &out->changed,  &out->removed,
                              &out->moved,      &out->failed};
        for (int i = 0; i < (int)(sizeof numbers / sizeof *numbers); i++)
            *numbers[i] = sqlite3_column_int64(st, 1 + i);
        const unsigned char *e = sqlite3_column_text(st, 15);
        cu_strlcpy(out->last_error, e ? (const char *)e : "", sizeof out->last_error);
        out->watching = sqlite3_column_int(st, 16) != 0;
        out->updated_at = sqlite3_column_int64(st, 17);
    } else if (step == SQLITE_DONE) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no scan status yet");
    } else {
        rc = cc_fail(db, err, "reading scan status");
    }
    sqlite3_finalize(st);
    return rc;
}
