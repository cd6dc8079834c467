/* cc_share: shares, their viewers and who may make them (see cc_share.h). */
#include "catalog/cc_share.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Columns of a share row (alias s), read by read_row. The film follows
 * the file: a film's folder moved to a new key keeps its files' ids. */
#define SHARE_COLUMNS                                                                              \
    "s.id, s.token, s.kind, s.file_id, coalesce(s.clip_from, 0), coalesce(s.clip_to, 0),"          \
    " s.title, s.note, s.opens_at, coalesce(s.closes_at, 0), coalesce(s.view_limit, 0),"           \
    " s.views, coalesce(s.created_by, 0), s.created_at, s.revoked,"                                \
    " coalesce(f.film_id, 0), coalesce(e.id, 0), u.name"
#define SHARE_FROM                                                                                 \
    " FROM shares s LEFT JOIN files f ON f.id = s.file_id"                                         \
    " LEFT JOIN extras e ON e.file_id = s.file_id"                                                 \
    " LEFT JOIN users u ON u.id = s.created_by"

void cc_share_clear(cc_share *s)
{
    if (!s)
        return;
    free(s->title);
    free(s->note);
    free(s->creator);
    memset(s, 0, sizeof *s);
}

static void read_row(sqlite3_stmt *st, cc_share *s)
{
    memset(s, 0, sizeof *s);
    s->id = sqlite3_column_int64(st, 0);
    const char *token = (const char *)sqlite3_column_text(st, 1);
    if (token)
        cu_strlcpy(s->token, token, sizeof s->token);
    const char *kind = (const char *)sqlite3_column_text(st, 2);
    s->extra = kind && !strcmp(kind, "extra");
    s->file_id = sqlite3_column_int64(st, 3);
    s->clip_from_ms = sqlite3_column_int64(st, 4);
    s->clip_to_ms = sqlite3_column_int64(st, 5);
    s->title = cc_column_strdup(st, 6);
    s->note = cc_column_strdup(st, 7);
    s->opens_at = sqlite3_column_int64(st, 8);
    s->closes_at = sqlite3_column_int64(st, 9);
    s->view_limit = sqlite3_column_int64(st, 10);
    s->views = sqlite3_column_int64(st, 11);
    s->created_by = sqlite3_column_int64(st, 12);
    s->created_at = sqlite3_column_int64(st, 13);
    s->revoked = sqlite3_column_int(st, 14) != 0;
    s->film_id = s->file_id > 0 ? sqlite3_column_int64(st, 15) : 0;
    s->extra_id = s->file_id > 0 ? sqlite3_column_int64(st, 16) : 0;
    s->creator = cc_column_strdup(st, 17);
}

cc_share_state cc_share_state_at(const cc_share *s, int64_t now)
{
    if (s->revoked)
        return CC_SHARE_REVOKED;
    if (now < s->opens_at)
        return CC_SHARE_SCHEDULED;
    if ((s->closes_at > 0 && now >= s->closes_at) ||
        (s->view_limit > 0 && s->views >= s->view_limit))
        return CC_SHARE_EXPIRED;
    return CC_SHARE_LIVE;
}

const char *cc_share_state_name(cc_share_state state)
{
    switch (state) {
    case CC_SHARE_SCHEDULED: return "scheduled";
    case CC_SHARE_LIVE: return "live";
    case CC_SHARE_EXPIRED: return "expired";
    case CC_SHARE_REVOKED: return "revoked";
    }
    return "unknown";
}

bool cc_share_available(const cc_share *s)
{
    return s->file_id > 0 && (s->extra ? s->extra_id > 0 : s->film_id > 0);
}

static bool token_shape_ok(const char *token)
{
    if (!token || strlen(token) != CC_SHARE_TOKEN_CHARS)
        return false;
    for (const char *c = token; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            return false;
    return true;
}

static int text_check(const char *s, size_t max, const char *what, cu_err *err)
{
    if (!s)
        return 0;
    size_t n = strlen(s);
    if (n > max)
        return cu_err_set(err, CU_EINVAL, "the %s is longer than %zu bytes", what, max);
    if (!cu_utf8_valid(s, n))
        return cu_err_set(err, CU_EINVAL, "the %s is not valid UTF-8", what);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            return cu_err_set(err, CU_EINVAL, "the %s holds a control character", what);
    }
    return 0;
}

static int times_check(int64_t opens_at, int64_t closes_at, cu_err *err)
{
    if (opens_at < 0 || closes_at < 0)
        return cu_err_set(err, CU_EINVAL, "times must be after 1970");
    if (closes_at > 0 && closes_at <= opens_at)
        return cu_err_set(err, CU_EINVAL, "a share must close after it opens");
    return 0;
}

int cc_share_check(const cc_share_new *spec, cu_err *err)
{
    if ((spec->film_id > 0) == (spec->extra_id > 0))
        return cu_err_set(err, CU_EINVAL, "share either a film or an extra");
    bool clip = spec->clip_from_ms || spec->clip_to_ms;
    if (clip) {
        if (spec->extra_id > 0)
            return cu_err_set(err, CU_EINVAL, "clips are cut from films, not extras");
        if (spec->clip_from_ms < 0 || spec->clip_to_ms <= spec->clip_from_ms)
            return cu_err_set(err, CU_EINVAL, "a clip ends after it starts");
        int64_t len = spec->clip_to_ms - spec->clip_from_ms;
        if (len < CC_SHARE_CLIP_MIN_MS || len > CC_SHARE_CLIP_MAX_MS)
            return cu_err_set(err, CU_EINVAL, "a clip lasts between 1 s and 6 h");
    }
    if (spec->view_limit < 0 || spec->view_limit > 1000000000)
        return cu_err_set(err, CU_EINVAL, "the view limit must be 0 (none) to 10^9");
    int rc;
    if ((rc = text_check(spec->title, CC_SHARE_TITLE_MAX, "title", err)) < 0 ||
        (rc = text_check(spec->note, CC_SHARE_NOTE_MAX, "note", err)) < 0)
        return rc;
    return times_check(spec->opens_at, spec->closes_at, err);
}

/* The file a new share plays: a film's first main file (lowest part), or
 * an extra's file; with its fingerprint, size and duration. */
static int share_file(cc_db *db, const cc_share_new *spec, int64_t *file_id, char **fingerprint,
                      int64_t *size, double *duration, cu_err *err)
{
    sqlite3_stmt *st;
    const char *sql = spec->extra_id > 0
                          ? "SELECT f.id, f.fingerprint, f.size, f.duration FROM extras e"
                            " JOIN files f ON f.id = e.file_id WHERE e.id = ?1"
                          : "SELECT f.id, f.fingerprint, f.size, f.duration FROM files f"
                            " WHERE f.film_id = ?1 AND f.role = 'main' AND f.probe_error IS NULL"
                            " ORDER BY f.part, f.id LIMIT 1";
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, spec->extra_id > 0 ? spec->extra_id : spec->film_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *file_id = sqlite3_column_int64(st, 0);
        *fingerprint = cc_column_strdup(st, 1);
        *size = sqlite3_column_int64(st, 2);
        *duration = sqlite3_column_double(st, 3);
        sqlite3_finalize(st);
        return 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return cc_fail(db, err, "find the shared file");
    return cu_err_set(err, CU_ENOTFOUND, "no such %s with a playable file",
                      spec->extra_id > 0 ? "extra" : "film");
}

int cc_share_add(cc_db *db, const cc_share_new *spec, int64_t now,
                 char token[CC_SHARE_TOKEN_CHARS + 1], int64_t *id, cu_err *err)
{
    token[0] = '\0';
    int rc = cc_share_check(spec, err);
    if (rc < 0)
        return rc;
    if (sodium_init() < 0)
        return cu_err_set(err, -ENOMEM, "libsodium could not be initialised");
    int64_t file_id = 0, size = 0;
    char *fingerprint = NULL;
    double duration = 0;
    if ((rc = share_file(db, spec, &file_id, &fingerprint, &size, &duration, err)) < 0)
        return rc;
    if (spec->clip_to_ms > 0 && duration > 0 && spec->clip_to_ms > (int64_t)(duration * 1000)) {
        free(fingerprint);
        return cu_err_set(err, CU_EINVAL, "the clip ends after the film (%.0f s)", duration);
    }
    /* Drawn again when it starts with '-' (one in 64): `share revoke
     * TOKEN` would read such a token as an option. */
    unsigned char raw[16];
    do {
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(token, CC_SHARE_TOKEN_CHARS + 1, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    } while (token[0] == '-');
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO shares (token, kind, file_id, fingerprint, size, clip_from,"
                   " clip_to, title, note, opens_at, closes_at, view_limit, created_by, created_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                   &st, err) < 0) {
        free(fingerprint);
        return CU_EDB;
    }
    bool clip = spec->clip_to_ms > 0;
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, spec->extra_id > 0 ? "extra" : "film", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, file_id);
    cc_bind_text_or_null(st, 4, fingerprint);
    sqlite3_bind_int64(st, 5, size);
    if (clip) {
        sqlite3_bind_int64(st, 6, spec->clip_from_ms);
        sqlite3_bind_int64(st, 7, spec->clip_to_ms);
    }
    cc_bind_text_or_null(st, 8, spec->title);
    cc_bind_text_or_null(st, 9, spec->note);
    sqlite3_bind_int64(st, 10, spec->opens_at);
    if (spec->closes_at > 0)
        sqlite3_bind_int64(st, 11, spec->closes_at);
    if (spec->view_limit > 0)
        sqlite3_bind_int64(st, 12, spec->view_limit);
    if (spec->created_by > 0)
        sqlite3_bind_int64(st, 13, spec->created_by);
    sqlite3_bind_int64(st, 14, now);
    free(fingerprint);
    if ((rc = cc_step_done(db, st, err, "add a share")) < 0) {
        token[0] = '\0';
        return rc;
    }
    if (id)
        *id = sqlite3_last_insert_rowid(db->sql);
    return 0;
}

static int find_one(cc_db *db, const char *sql, const char *token, int64_t id, cc_share *out,
                    cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    if (token)
        sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_row(st, out);
        sqlite3_finalize(st);
        return 0;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return cc_fail(db, err, "read a share");
    return cu_err_set(err, CU_ENOTFOUND, "no such share");
}

int cc_share_find(cc_db *db, const char *token, cc_share *out, cu_err *err)
{
    /* A malformed token still costs one lookup, like an unknown one. */
    const char *looked = token_shape_ok(token) ? token : "----------------------";
    int rc =
        find_one(db, "SELECT " SHARE_COLUMNS SHARE_FROM " WHERE s.token = ?1", looked, 0, out, err);
    if (rc == 0 && looked != token) {
        cc_share_clear(out);
        return cu_err_set(err, CU_ENOTFOUND, "no such share");
    }
    return rc;
}

int cc_share_get(cc_db *db, int64_t id, cc_share *out, cu_err *err)
{
    return find_one(db, "SELECT " SHARE_COLUMNS SHARE_FROM " WHERE s.id = ?1", NULL, id, out, err);
}

int cc_share_list(cc_db *db, cc_share **shares, size_t *count, cu_err *err)
{
    *shares = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT " SHARE_COLUMNS SHARE_FROM " ORDER BY s.created_at DESC, s.id DESC"
                   " LIMIT 10000",
                   &st, err) < 0)
        return CU_EDB;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < CC_SHARE_LIST_MAX) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            *shares = cu_xrealloc(*shares, cap * sizeof **shares);
        }
        read_row(st, &(*shares)[(*count)++]);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        cc_share_list_free(*shares, *count);
        *shares = NULL;
        *count = 0;
        return cc_fail(db, err, "list shares");
    }
    return 0;
}

void cc_share_list_free(cc_share *shares, size_t count)
{
    for (size_t i = 0; i < count; i++)
        cc_share_clear(&shares[i]);
    free(shares);
}

/* Runs an UPDATE/DELETE bound by the caller; CU_ENOTFOUND when no row changed. */
static int change_one(cc_db *db, sqlite3_stmt *st, cu_err *err, const char *what)
{
    int rc = cc_step_done(db, st, err, what);
    if (rc < 0)
        return rc;
    if (sqlite3_changes(db->sql) == 0)
        return cu_err_set(err, CU_ENOTFOUND, "no such share");
    return 0;
}

int cc_share_set_times(cc_db *db, int64_t id, int64_t opens_at, int64_t closes_at, cu_err *err)
{
    int rc = times_check(opens_at, closes_at, err);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE shares SET opens_at = ?2, closes_at = ?3 WHERE id = ?1", &st, err) <
        0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, opens_at);
    if (closes_at > 0)
        sqlite3_bind_int64(st, 3, closes_at);
    return change_one(db, st, err, "change a share's times");
}

int cc_share_set_view_limit(cc_db *db, int64_t id, int64_t view_limit, cu_err *err)
{
    if (view_limit < 0 || view_limit > 1000000000)
        return cu_err_set(err, CU_EINVAL, "the view limit must be 0 (none) to 10^9");
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE shares SET view_limit = ?2 WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    if (view_limit > 0)
        sqlite3_bind_int64(st, 2, view_limit);
    return change_one(db, st, err, "change a share's view limit");
}

int cc_share_revoke(cc_db *db, int64_t id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE shares SET revoked = 1 WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    return change_one(db, st, err, "revoke a share");
}

int cc_share_revoke_token(cc_db *db, const char *token, cu_err *err)
{
    if (!token_shape_ok(token))
        return cu_err_set(err, CU_ENOTFOUND, "no such share");
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE shares SET revoked = 1 WHERE token = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, token, -1, SQLITE_TRANSIENT);
    return change_one(db, st, err, "revoke a share");
}

int cc_share_delete(cc_db *db, int64_t id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM share_views WHERE share_id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = cc_step_done(db, st, err, "forget a share's viewers");
    if (rc < 0)
        return rc;
    if (cc_prepare(db, "DELETE FROM shares WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    return change_one(db, st, err, "delete a share");
}

int cc_share_view(cc_db *db, int64_t id, const char *viewer, int64_t now, cu_err *err)
{
    if (!viewer || !*viewer || strlen(viewer) > CC_SHARE_VIEWER_MAX)
        return cu_err_set(err, CU_EINVAL, "bad viewer key");
    sqlite3_stmt *st;
    /* Counted only while under the limit, in one statement: whatever runs
     * alongside, the writer applies these one at a time. */
    if (cc_prepare(db,
                   "INSERT OR IGNORE INTO share_views (share_id, viewer, at)"
                   " SELECT id, ?2, ?3 FROM shares WHERE id = ?1"
                   "  AND (view_limit IS NULL OR views < view_limit)",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, viewer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now);
    int rc = cc_step_done(db, st, err, "count a view");
    if (rc < 0)
        return rc;
    if (sqlite3_changes(db->sql) == 1) {
        if (cc_exec_id(db, "UPDATE shares SET views = views + 1 WHERE id = ?1", id, err,
                       "count a view") < 0)
            return CU_EDB;
        return 0;
    }
    /* Not inserted: counted before (fine), or the limit is reached. */
    if (cc_prepare(db, "SELECT 1 FROM share_views WHERE share_id = ?1 AND viewer = ?2", &st, err) <
        0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, viewer, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return cc_fail(db, err, "count a view");
    return cu_err_set(err, CU_ELIMIT, "the share's view limit is reached");
}

/* Whether the query sql (?1 bound to id) has a row. */
static int has_row(cc_db *db, const char *sql, int64_t id, bool *found, cu_err *err,
                   const char *what)
{
    *found = false;
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return cc_fail(db, err, what);
    *found = rc == SQLITE_ROW;
    return 0;
}

int cc_share_grant(cc_db *db, int64_t user_id, bool allowed, cu_err *err)
{
    /* A grant for a user that does not exist is a missing thing (404 to
     * the API), not a change that did nothing. */
    bool known;
    int rc = has_row(db, "SELECT 1 FROM users WHERE id = ?1", user_id, &known, err,
                     "change who may share");
    if (rc < 0)
        return rc;
    if (!known)
        return cu_err_set(err, CU_ENOTFOUND, "no such user");
    return cc_exec_id(db,
                      allowed ? "INSERT OR IGNORE INTO share_grants (user_id) SELECT id FROM users"
                                " WHERE id = ?1"
                              : "DELETE FROM share_grants WHERE user_id = ?1",
                      user_id, err, "change who may share");
}

int cc_share_granted(cc_db *db, int64_t user_id, bool *allowed, cu_err *err)
{
    return has_row(db, "SELECT 1 FROM share_grants WHERE user_id = ?1", user_id, allowed, err,
                   "read who may share");
}

int cc_share_film_facts(cc_db *db, int64_t film_id, char **title, int64_t *year, char **director,
                        cu_err *err)
{
    *title = *director = NULL;
    *year = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT f.title, coalesce(f.year, 0), (SELECT p.name FROM credits c"
                   " JOIN people p ON p.id = c.person_id WHERE c.film_id = f.id"
                   " AND c.job = 'director' ORDER BY coalesce(c.billing, 1e9), p.id LIMIT 1)"
                   " FROM films f WHERE f.id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *title = cc_column_strdup(st, 0);
        *year = sqlite3_column_int64(st, 1);
        *director = cc_column_strdup(st, 2);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return cc_fail(db, err, "read a film");
    return cu_err_set(err, CU_ENOTFOUND, "no such film");
}
