/* cc_watch: watch state per user and file, a film's derived from its
 * main files', the films in progress, and the writer that requests use. */
#include "catalog/cc_watch.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int not_found(cu_err *err, const char *what, int64_t id)
{
    return cu_err_set(err, CU_ENOTFOUND, "no %s with id %lld", what, (long long)id);
}

int cc_watch_progress(cc_db *db, const cc_progress *p, int64_t now, cu_err *err)
{
    if (!isfinite(p->position) || p->position < 0 || p->position > CC_WATCH_MAX_SECONDS ||
        !isfinite(p->duration) || p->duration > CC_WATCH_MAX_SECONDS)
        return cu_err_set(err, CU_EINVAL, "position and duration must be seconds, 0 to %g",
                          CC_WATCH_MAX_SECONDS);
    sqlite3_stmt *st = NULL;
    int rc = 0;
    /* The file, its probed duration, and where its credits start (a
     * chapter in the second half named so). Kept prepared, as the insert
     * below: the watch writer runs both for every report. */
    if (cc_prepare_kept(db,
                        "SELECT f.duration, f.size, f.fingerprint,"
                        "  (SELECT min(c.start) FROM chapters c WHERE c.file_id = f.id"
                        "     AND c.start > 0 AND lower(c.title) LIKE '%credits%'"
                        "     AND c.start >= 0.5 * coalesce(nullif(?2, 0), f.duration, 0)),"
                        "  w.position, w.watched"
                        " FROM files f LEFT JOIN watch w ON w.user_id = ?3 AND w.file_id = f.id"
                        " WHERE f.id = ?1",
                        &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, p->file_id);
    sqlite3_bind_double(st, 2, p->duration > 0 ? p->duration : 0);
    sqlite3_bind_int64(st, 3, p->user_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        sqlite3_reset(st);
        return not_found(err, "file", p->file_id);
    }
    if (step != SQLITE_ROW) {
        rc = cc_fail(db, err, "reading a file's watch state");
        sqlite3_reset(st);
        return rc;
    }
    double duration = p->duration > 0 ? p->duration : sqlite3_column_double(st, 0);
    int64_t size = sqlite3_column_int64(st, 1);
    char *fingerprint = cc_column_strdup(st, 2);
    double credits = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 : sqlite3_column_double(st, 3);
    bool known = sqlite3_column_type(st, 4) != SQLITE_NULL;
    double old_position = sqlite3_column_double(st, 4);
    bool old_watched = sqlite3_column_int(st, 5) != 0;
    sqlite3_reset(st);

    double position = p->position;
    if (duration > 0 && position > duration)
        position = duration;
    bool done = duration > 0 && (position >= CC_WATCH_DONE_SHARE * duration ||
                                 (credits > 0 && position >= credits));
    bool watched = old_watched;
    int increment = 0;
    if (done) {
        /* A new viewing unless this only repeats the end of the last one. */
        increment = !known || old_position > 0 || !old_watched;
        watched = true;
        position = 0;
    }
    if (cc_prepare_kept(
            db,
            "INSERT INTO watch (user_id, file_id, position, duration, watched, play_count,"
            "  last_played, updated_at, fingerprint, size)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)"
            " ON CONFLICT (user_id, file_id) DO UPDATE SET position = excluded.position,"
            "  duration = excluded.duration, watched = excluded.watched,"
            "  play_count = watch.play_count + excluded.play_count,"
            "  last_played = excluded.last_played, updated_at = excluded.updated_at,"
            "  fingerprint = excluded.fingerprint, size = excluded.size",
            &st, err) < 0) {
        free(fingerprint);
        return CU_EDB;
    }
    sqlite3_bind_int64(st, 1, p->user_id);
    sqlite3_bind_int64(st, 2, p->file_id);
    sqlite3_bind_double(st, 3, position);
    if (duration > 0)
        sqlite3_bind_double(st, 4, duration);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int(st, 5, watched);
    sqlite3_bind_int(st, 6, increment);
    sqlite3_bind_int64(st, 7, now);
    cc_bind_text_or_null(st, 8, fingerprint);
    sqlite3_bind_int64(st, 9, size);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = cc_fail(db, err, "recording progress");
    sqlite3_reset(st);
    free(fingerprint);
    return rc;
}

int cc_watch_film_set(cc_db *db, int64_t user_id, int64_t film_id, bool watched, int64_t now,
                      cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT 1 FROM films WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_DONE)
        return not_found(err, "film", film_id);
    if (step != SQLITE_ROW)
        return cc_fail(db, err, "looking a film up");
    const char *sql =
        watched ? "INSERT INTO watch (user_id, file_id, position, duration, watched, play_count,"
                  "  last_played, updated_at, fingerprint, size)"
                  " SELECT ?1, id, 0, duration, 1, 1, ?3, ?3, fingerprint, size FROM files"
                  " WHERE film_id = ?2 AND role = 'main'"
                  " ON CONFLICT (user_id, file_id) DO UPDATE SET position = 0, watched = 1,"
                  "  play_count = watch.play_count + 1, last_played = excluded.last_played,"
                  "  updated_at = excluded.updated_at"
                : "UPDATE watch SET position = 0, watched = 0, updated_at = ?3"
                  " WHERE user_id = ?1 AND file_id IN"
                  "  (SELECT id FROM files WHERE film_id = ?2 AND role = 'main')";
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, film_id);
    sqlite3_bind_int64(st, 3, now);
    step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "marking a film");
}

int cc_watch_file_get(cc_db *db, int64_t user_id, int64_t file_id, cc_watch *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    /* Versions of one edition share their state (stop in the 1080p copy,
     * resume there in the 4K one); editions keep their own. A main file's
     * state is therefore the most recently played of the files that play
     * the same part of the same edition; anything else (an extra, a file
     * of no edition) has only its own. Rows stay per file, so nothing
     * recorded before editions existed changes meaning. Kept prepared: a
     * film page asks it for every file, the watch writer for every report. */
    if (cc_prepare_kept(
            db,
            "SELECT w.position, w.watched, w.play_count, coalesce(w.last_played, 0)"
            " FROM watch w"
            " WHERE w.user_id = ?1 AND (w.file_id = ?2 OR w.file_id IN ("
            "   SELECT g.id FROM files f JOIN versions v ON v.id = f.version_id"
            "   JOIN versions u ON u.edition_id = v.edition_id"
            "   JOIN files g ON g.version_id = u.id AND g.role = 'main' AND g.part = f.part"
            "   WHERE f.id = ?2 AND f.role = 'main'))"
            " ORDER BY coalesce(w.last_played, 0) DESC, w.file_id = ?2 DESC LIMIT 1",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, file_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->position = sqlite3_column_double(st, 0);
        out->watched = sqlite3_column_int(st, 1) != 0;
        out->play_count = sqlite3_column_int64(st, 2);
        out->last_played = sqlite3_column_int64(st, 3);
    }
    int rc =
        step == SQLITE_ROW || step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading watch state");
    sqlite3_reset(st); /* ends the read; the statement stays prepared */
    return rc;
}

int cc_watch_film_get(cc_db *db, int64_t user_id, int64_t film_id, cc_watch *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    /* Watched: some version has every part watched. Kept prepared, as
     * cc_watch_file_get. */
    if (cc_prepare_kept(
            db,
            "SELECT EXISTS (SELECT 1 FROM files f"
            "   LEFT JOIN watch w ON w.user_id = ?1 AND w.file_id = f.id"
            "   WHERE f.film_id = ?2 AND f.role = 'main'"
            "   GROUP BY coalesce(f.version, '') HAVING min(coalesce(w.watched, 0)) = 1),"
            " (SELECT coalesce(max(w.play_count), 0) FROM files f JOIN watch w"
            "   ON w.user_id = ?1 AND w.file_id = f.id WHERE f.film_id = ?2 AND f.role = 'main'),"
            " (SELECT coalesce(max(w.last_played), 0) FROM files f JOIN watch w"
            "   ON w.user_id = ?1 AND w.file_id = f.id WHERE f.film_id = ?2 AND f.role = 'main'),"
            " (SELECT w.position FROM files f JOIN watch w"
            "   ON w.user_id = ?1 AND w.file_id = f.id WHERE f.film_id = ?2 AND f.role = 'main'"
            "   ORDER BY w.last_played DESC, f.part DESC LIMIT 1)",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, film_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->watched = sqlite3_column_int(st, 0) != 0;
        out->play_count = sqlite3_column_int64(st, 1);
        out->last_played = sqlite3_column_int64(st, 2);
        out->position = sqlite3_column_double(st, 3);
    }
    int rc = step == SQLITE_ROW ? 0 : cc_fail(db, err, "reading a film's watch state");
    sqlite3_reset(st);
    return rc;
}

int cc_watch_continue(cc_db *db, int64_t user_id, size_t limit, int64_t **ids, size_t *count,
                      cu_err *err)
{
    sqlite3_stmt *st;
    if (limit < 1)
        limit = 1;
    if (limit > 500)
        limit = 500;
    if (cc_prepare(db,
                   "SELECT f.film_id, max(w.last_played) AS played FROM watch w"
                   " JOIN files f ON f.id = w.file_id"
                   " WHERE w.user_id = ?1 AND f.role = 'main' AND f.film_id IS NOT NULL"
                   "  AND (w.position > 0 OR (w.watched AND EXISTS (SELECT 1 FROM files g"
                   "    WHERE g.film_id = f.film_id AND g.role = 'main' AND g.part > f.part"
                   "      AND coalesce(g.version, '') = coalesce(f.version, '')"
                   "      AND NOT EXISTS (SELECT 1 FROM watch v WHERE v.user_id = ?1"
                   "        AND v.file_id = g.id AND v.watched))))"
                   " GROUP BY f.film_id ORDER BY played DESC, f.film_id LIMIT ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, (int64_t)limit);
    return cc_step_ids(db, st, ids, count, err, "listing films in progress");
}
