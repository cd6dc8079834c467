/* cc_scope: visibility of films for restricted users, and failed files. */
#include "catalog/cc_scope.h"
#include "catalog/cc_ids.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_memo.h"
#include "util/cu_buf.h"
#include "util/cu_hash.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cc_scope_restricted(const cc_user *u)
{
    return !u->admin && (!u->all_roots || u->max_cert[0]);
}

bool cc_scope_root_allowed(const cc_user *u, const char *root)
{
    if (u->admin || u->all_roots)
        return true;
    for (size_t i = 0; root && i < u->root_count; i++)
        if (!strcmp(u->roots[i], root))
            return true;
    return false;
}

int cc_scope_film_ids(cc_db *db, const cc_user *u, int64_t **ids, size_t *count, cu_err *err)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT f.id, f.mpaa FROM films f WHERE ?2 OR EXISTS (SELECT 1 FROM files fi"
                   " JOIN user_roots r ON r.root = fi.root AND r.user_id = ?1"
                   " WHERE fi.film_id = f.id) ORDER BY f.id",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, u->id);
    sqlite3_bind_int(st, 2, u->all_roots);
    int limit = u->max_cert[0] ? cc_cert_age(u->max_cert) : -1;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (u->max_cert[0]) {
            int age = cc_cert_age((const char *)sqlite3_column_text(st, 1));
            if (age < 0 || age > limit)
                continue;
        }
        if (*count == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = cu_xreallocarray(*ids, cap, sizeof **ids);
        }
        (*ids)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *count = 0;
        return cc_fail(db, err, "reading visible films");
    }
    return 0;
}

bool cc_scope_has(const int64_t *ids, size_t count, int64_t id)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id)
            return true;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

int cc_scope_file_owner(cc_db *db, int64_t file_id, int64_t *film_id, char **root, cu_err *err)
{
    *film_id = 0;
    if (root)
        *root = NULL;
    sqlite3_stmt *st;
    if (cc_prepare_kept(db, "SELECT coalesce(film_id, 0), root FROM files WHERE id = ?1", &st,
                        err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *film_id = sqlite3_column_int64(st, 0);
        if (root)
            *root = cc_column_strdup(st, 1);
    }
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return cu_err_set(err, CU_ENOTFOUND, "no file with id %lld", (long long)file_id);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "reading file");
}

/* head, "film_id is one of ids", tail. */
static void with_films(cu_buf *sql, const char *head, const int64_t *ids, size_t count,
                       const char *tail)
{
    cu_buf_puts(sql, head);
    cc_ids_sql(sql, "film_id", ids, count);
    cu_buf_puts(sql, tail);
}

static int count_list(cc_db *db, const char *head, const int64_t *ids, size_t count,
                      const char *tail, cc_count_list *out, cu_err *err)
{
    cu_buf sql = {0};
    with_films(&sql, head, ids, count, tail);
    int rc = cc_count_list_read(db, cu_buf_str(&sql), ids, count, out, err);
    cu_buf_free(&sql);
    return rc;
}

int cc_scope_person_visible(cc_db *db, int64_t person_id, const int64_t *ids, size_t count,
                            bool *visible, cu_err *err)
{
    *visible = false;
    if (count == 0)
        return 0;
    cu_buf sql = {0};
    with_films(&sql, "SELECT 1 FROM credits WHERE person_id = ?1 AND ", ids, count, " LIMIT 1");
    sqlite3_stmt *st;
    int rc = cc_prepare(db, cu_buf_str(&sql), &st, err);
    cu_buf_free(&sql);
    if (rc < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, person_id);
    cc_ids_bind(st, 2, ids, count);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return cc_fail(db, err, "checking person");
    *visible = step == SQLITE_ROW;
    return 0;
}

int cc_scope_genre_list(cc_db *db, const int64_t *ids, size_t count, cc_count_list *out,
                        cu_err *err)
{
    return count_list(db, "SELECT value, count(*) FROM film_terms WHERE kind = 'genre' AND ", ids,
                      count, " GROUP BY value ORDER BY value COLLATE NOCASE", out, err);
}

int cc_scope_festival_list(cc_db *db, const int64_t *ids, size_t count, cc_count_list *out,
                           cu_err *err)
{
    return count_list(db,
                      "SELECT event, count(DISTINCT film_id) FROM releases"
                      " WHERE type = 'festival' AND event IS NOT NULL AND ",
                      ids, count, " GROUP BY event ORDER BY event COLLATE NOCASE", out, err);
}

static int64_t count_in(cc_db *db, const char *head, const int64_t *ids, size_t count,
                        const char *tail, int *rc, cu_err *err)
{
    if (*rc < 0)
        return 0;
    cu_buf sql = {0};
    with_films(&sql, head, ids, count, tail);
    sqlite3_stmt *st;
    int64_t n = 0;
    if (cc_prepare(db, cu_buf_str(&sql), &st, err) < 0) {
        *rc = CU_EDB;
    } else {
        cc_ids_bind(st, 1, ids, count);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        else
            *rc = cc_fail(db, err, "counting");
        sqlite3_finalize(st);
    }
    cu_buf_free(&sql);
    return n;
}

int cc_scope_counts(cc_db *db, const int64_t *ids, size_t count, cc_counts *out, cu_err *err)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    /* Counting every credit of 100,000 films is a third of a second, and
     * the web app polls the status: kept per set while nothing is
     * committed (cc_memo.h), like the unlimited totals. */
    char key[80];
    snprintf(key, sizeof key, "scope counts %zu %016llx", count,
             (unsigned long long)cu_hash64_i64(CU_HASH64_INIT, ids, count));
    cc_memo_stamp when = {0};
    const void *kept;
    size_t kept_len;
    if (cc_memo_get(db, key, &when, &kept, &kept_len) && kept_len == sizeof *out) {
        memcpy(out, kept, sizeof *out);
        return 0;
    }
    out->films = (int64_t)count;
    out->extras = count_in(db, "SELECT count(*) FROM extras WHERE ", ids, count, "", &rc, err);
    out->files = count_in(db, "SELECT count(*) FROM files WHERE ", ids, count, "", &rc, err);
    out->failed_files = count_in(db, "SELECT count(*) FROM files WHERE ", ids, count,
                                 " AND probe_error IS NOT NULL", &rc, err);
    out->people = count_in(db, "SELECT count(DISTINCT person_id) FROM credits WHERE ", ids, count,
                           "", &rc, err);
    if (rc == 0)
        cc_memo_put(db, key, &when, out, sizeof *out);
    return rc;
}

int cc_scope_failed_files(cc_db *db, size_t limit, cc_failed_file **out, size_t *count, cu_err *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT id, path, probe_error FROM files WHERE probe_error IS NOT NULL"
                   " ORDER BY probed_at DESC, id DESC LIMIT ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)limit);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            *out = cu_xreallocarray(*out, cap, sizeof **out);
        }
        cc_failed_file *f = &(*out)[(*count)++];
        f->id = sqlite3_column_int64(st, 0);
        f->path = cc_column_strdup(st, 1);
        f->error = cc_column_strdup(st, 2);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        cc_scope_failed_files_free(*out, *count);
        *out = NULL;
        *count = 0;
        return cc_fail(db, err, "listing failed files");
    }
    return 0;
}

void cc_scope_failed_files_free(cc_failed_file *files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(files[i].path);
        free(files[i].error);
    }
    free(files);
}

int cc_scope_root_film_ids(cc_db *db, const char *root, int64_t **ids, size_t *count, cu_err *err)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT DISTINCT film_id FROM files WHERE root = ?1 AND film_id IS NOT NULL"
                   " ORDER BY film_id",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 64;
            *ids = cu_xreallocarray(*ids, cap, sizeof **ids);
        }
        (*ids)[(*count)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        free(*ids);
        *ids = NULL;
        *count = 0;
        return cc_fail(db, err, "reading a folder's films");
    }
    return 0;
}
