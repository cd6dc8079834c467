/* cc_facet: groupings of films (letters, years, people by job), ids in one
 * group, the structured film search and the catalog's change stamp. */
#include "catalog/cc_facet.h"
#include "catalog/cc_ids.h"
#include "catalog/cc_memo.h"
#include "catalog/cc_internal.h"
#include "util/cu_hash.h"
#include "util/cu_buf.h"
#include "util/cu_fold.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cc_fold(text): cu_fold in SQL, for comparisons that ignore case and
 * accents. Registered on the connection before each statement that uses
 * it (registration replaces; it costs a hash lookup). */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_null(ctx);
        return;
    }
    cu_buf b = {0};
    cu_fold_append(&b, s, (size_t)sqlite3_value_bytes(argv[0]));
    size_t len = b.len;
    sqlite3_result_text(ctx, cu_buf_take(&b), (int)len, free);
}

static int register_fold(cc_db *db, cu_err *err)
{
    if (sqlite3_create_function_v2(db->sql, "cc_fold", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                   sql_fold, NULL, NULL, NULL) != SQLITE_OK)
        return cc_fail(db, err, "cc_fold");
    return 0;
}

#define LETTER_SQL                                                                                 \
    "CASE WHEN substr(cc_fold(coalesce(f.sort_title, f.title)), 1, 1) BETWEEN 'a' AND 'z' "        \
    "THEN upper(substr(cc_fold(coalesce(f.sort_title, f.title)), 1, 1)) ELSE '#' END"

static int count_list(cc_db *db, const char *sql, cc_count_list *out, cu_err *err, const char *what)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    int rc = cc_prepare(db, sql, &st, err);
    if (rc < 0)
        return rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 32;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        out->items[out->count].name = cc_column_strdup(st, 0);
        out->items[out->count].count = sqlite3_column_int64(st, 1);
        if (!out->items[out->count].name)
            out->items[out->count].name = cu_xstrdup("");
        out->count++;
    }
    if (rc != SQLITE_DONE) {
        rc = cc_fail(db, err, what);
        sqlite3_finalize(st);
        cc_browse_counts_clear(out);
        return rc;
    }
    sqlite3_finalize(st);
    return 0;
}

int cc_facet_letters(cc_db *db, cc_count_list *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = register_fold(db, err);
    if (rc < 0)
        return rc;
    /* '#' sorts before letters in ASCII; it is listed last. */
    return count_list(db,
                      "SELECT " LETTER_SQL " AS letter, count(*) FROM films f"
                      " GROUP BY letter ORDER BY letter = '#', letter",
                      out, err, "film letters");
}

int cc_facet_years(cc_db *db, cc_count_list *out, cu_err *err)
{
    return count_list(db,
                      "SELECT CAST(year AS TEXT), count(*) FROM films"
                      " WHERE year IS NOT NULL AND year > 0 GROUP BY year ORDER BY year DESC",
                      out, err, "film years");
}

int cc_facet_people(cc_db *db, const char *job, cc_facet_person_list *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    int rc = cc_prepare(db,
                        "SELECT p.id, p.name, count(DISTINCT c.film_id) FROM credits c"
                        " JOIN people p ON p.id = c.person_id WHERE c.job = ?1"
                        " GROUP BY p.id ORDER BY p.folded, p.id",
                        &st, err);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 32;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        cc_facet_person *p = &out->items[out->count++];
        p->id = sqlite3_column_int64(st, 0);
        p->name = cc_column_strdup(st, 1);
        if (!p->name)
            p->name = cu_xstrdup("");
        p->count = sqlite3_column_int64(st, 2);
    }
    if (rc != SQLITE_DONE) {
        rc = cc_fail(db, err, "people by job");
        sqlite3_finalize(st);
        cc_facet_person_list_clear(out);
        return rc;
    }
    sqlite3_finalize(st);
    return 0;
}

void cc_facet_person_list_clear(cc_facet_person_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].name);
    free(list->items);
    memset(list, 0, sizeof *list);
}

int cc_facet_letter_ids(cc_db *db, const char *letter, size_t max, int64_t **ids, size_t *count,
                        cu_err *err)
{
    *ids = NULL;
    *count = 0;
    int rc = register_fold(db, err);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = NULL;
    if ((rc = cc_prepare(db, "SELECT f.id FROM films f WHERE " LETTER_SQL " = ?1 LIMIT ?2", &st,
                         err)) < 0)
        return rc;
    sqlite3_bind_text(st, 1, letter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
    return cc_step_ids(db, st, ids, count, err, "films by letter");
}

int cc_facet_person_ids(cc_db *db, int64_t person_id, const char *job, size_t max, int64_t **ids,
                        size_t *count, cu_err *err)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st = NULL;
    int rc = cc_prepare(db,
                        "SELECT DISTINCT film_id FROM credits WHERE person_id = ?1 AND job = ?2"
                        " LIMIT ?3",
                        &st, err);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, person_id);
    sqlite3_bind_text(st, 2, job, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
    return cc_step_ids(db, st, ids, count, err, "films by person");
}

/* ---- the structured search ---- */

typedef struct crit_sql {
    cu_buf sql;
    const char *values[CC_CRIT_MAX_MATCHES]; /* ?1.. in order, folded copies */
    char *owned[CC_CRIT_MAX_MATCHES];
    int nvalues, nodes;
} crit_sql;

/* The SQL for one field compared with parameter ?N (already folded for
 * text fields). */
static void match_sql(crit_sql *c, const cc_crit *m, int param)
{
    static const char *const ops[] = {
        [CC_OP_EQ] = "=", [CC_OP_LT] = "<", [CC_OP_LE] = "<=", [CC_OP_GT] = ">", [CC_OP_GE] = ">=",
    };
    char cmp[64];
    if (m->op == CC_OP_CONTAINS)
        snprintf(cmp, sizeof cmp, "instr(%%s, ?%d) > 0", param);
    else if (m->op == CC_OP_EXISTS)
        snprintf(cmp, sizeof cmp, "%%s IS NOT NULL");
    else
        snprintf(cmp, sizeof cmp, "%%s %s ?%d", ops[m->op], param);
    const char *person_job = NULL;
    switch (m->field) {
    case CC_FIELD_TITLE:
        cu_buf_puts(&c->sql, "(");
        cu_buf_printf(&c->sql, cmp, "cc_fold(f.title)");
        cu_buf_puts(&c->sql, " OR ");
        cu_buf_printf(&c->sql, cmp, "cc_fold(f.original_title)");
        cu_buf_puts(&c->sql, ")");
        return;
    case CC_FIELD_DESCRIPTION: cu_buf_printf(&c->sql, cmp, "cc_fold(f.plot)"); return;
    case CC_FIELD_DATE:
        cu_buf_printf(
            &c->sql, cmp,
            "coalesce(f.premiered, CASE WHEN f.year > 0 THEN printf('%04d-01-01', f.year) END)");
        return;
    case CC_FIELD_GENRE:
        cu_buf_puts(&c->sql, "EXISTS (SELECT 1 FROM film_terms t WHERE t.film_id = f.id"
                             " AND t.kind = 'genre' AND ");
        cu_buf_printf(&c->sql, cmp, "cc_fold(t.value)");
        cu_buf_puts(&c->sql, ")");
        return;
    case CC_FIELD_DIRECTOR: person_job = "director"; break;
    case CC_FIELD_ACTOR: person_job = "actor"; break;
    case CC_FIELD_PERSON: person_job = NULL; break;
    }
    cu_buf_puts(&c->sql, "EXISTS (SELECT 1 FROM credits c JOIN people p ON p.id = c.person_id"
                         " WHERE c.film_id = f.id AND ");
    if (person_job)
        cu_buf_printf(&c->sql, "c.job = '%s' AND ", person_job);
    cu_buf_printf(&c->sql, cmp, "p.folded");
    cu_buf_puts(&c->sql, ")");
}

static int crit_to_sql(crit_sql *c, const cc_crit *n, int depth, cu_err *err)
{
    if (!n || depth > CC_CRIT_MAX_DEPTH || ++c->nodes > 4 * CC_CRIT_MAX_MATCHES)
        return cu_err_set(err, CU_EINVAL, "search too complex");
    switch (n->kind) {
    case CC_CRIT_TRUE: cu_buf_puts(&c->sql, "1"); return 0;
    case CC_CRIT_FALSE: cu_buf_puts(&c->sql, "0"); return 0;
    case CC_CRIT_NOT:
        cu_buf_puts(&c->sql, "NOT coalesce((");
        if (crit_to_sql(c, n->a, depth + 1, err) < 0)
            return CU_EINVAL;
        cu_buf_puts(&c->sql, "), 0)");
        return 0;
    case CC_CRIT_AND:
    case CC_CRIT_OR:
        cu_buf_puts(&c->sql, "(");
        if (crit_to_sql(c, n->a, depth + 1, err) < 0)
            return CU_EINVAL;
        cu_buf_puts(&c->sql, n->kind == CC_CRIT_AND ? " AND " : " OR ");
        if (crit_to_sql(c, n->b, depth + 1, err) < 0)
            return CU_EINVAL;
        cu_buf_puts(&c->sql, ")");
        return 0;
    case CC_CRIT_MATCH: break;
    }
    if (n->op > CC_OP_EXISTS || (unsigned)n->field > CC_FIELD_DESCRIPTION)
        return cu_err_set(err, CU_EINVAL, "bad search condition");
    if (n->op == CC_OP_EXISTS) {
        cu_buf_puts(&c->sql, "coalesce(");
        match_sql(c, n, 0);
        cu_buf_puts(&c->sql, ", 0)");
        return 0;
    }
    if (c->nvalues == CC_CRIT_MAX_MATCHES)
        return cu_err_set(err, CU_EINVAL, "search too complex");
    /* Dates compare as written ("2019-05-17"); text compares folded. */
    char *v = n->field == CC_FIELD_DATE ? cu_xstrdup(n->value ? n->value : "")
                                        : cu_fold(n->value ? n->value : "");
    c->owned[c->nvalues] = v;
    c->values[c->nvalues] = v;
    int param = ++c->nvalues;
    cu_buf_puts(&c->sql, "coalesce(");
    match_sql(c, n, param);
    cu_buf_puts(&c->sql, ", 0)");
    return 0;
}

static void crit_sql_free(crit_sql *c)
{
    cu_buf_free(&c->sql);
    for (int i = 0; i < c->nvalues; i++)
        free(c->owned[i]);
}

/* Binds the criteria's values from parameter first on. */
static void bind_values(sqlite3_stmt *st, const crit_sql *c, int first)
{
    for (int i = 0; i < c->nvalues; i++)
        sqlite3_bind_text(st, first + i, c->values[i], -1, SQLITE_STATIC);
}

int cc_facet_search(cc_db *db, const cc_crit *crit, int64_t offset, int64_t limit,
                    cc_facet_hits *out, cu_err *err)
{
    cc_facet_where all = {.sort = CC_SORT_TITLE};
    return cc_facet_search_where(db, crit, &all, offset, limit, out, err);
}

int cc_facet_search_where(cc_db *db, const cc_crit *crit, const cc_facet_where *where,
                          int64_t offset, int64_t limit, cc_facet_hits *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (limit <= 0 || limit > 500)
        limit = 500;
    if (offset < 0)
        offset = 0;
    crit_sql c = {0};
    cu_buf fb = CU_BUF_INIT;
    sqlite3_stmt *st = NULL;
    char *sql = NULL;
    int rc = register_fold(db, err);
    if (rc < 0)
        return rc;
    if ((rc = crit_to_sql(&c, crit, 0, err)) < 0)
        goto fail;
    /* Only the tree's shape reaches the SQL text; every value is bound.
     * One pass: the window count gives the total with the page (the
     * condition folds text for every row, so it runs once, not twice). */
    cu_buf_puts(&fb, " FROM files fi JOIN films f ON f.id = fi.film_id"
                     " WHERE fi.role = 'main' AND fi.probe_error IS NULL AND ");
    if (where->ids) {
        /* Integers we hold, written out or bound (cc_ids.h): no text of
         * the client's reaches the SQL. An empty set keeps no film. */
        if (where->id_count == 0) {
            cu_buf_puts(&fb, "0 AND ");
        } else {
            cc_ids_sql(&fb, "f.id", where->ids, where->id_count);
            cu_buf_puts(&fb, " AND ");
        }
    }
    /* The set's parameters come first in the text, the criteria's after. */
    const int64_t *set = where->ids && where->id_count ? where->ids : NULL;
    size_t set_count = set ? where->id_count : 0;
    const char *from = cu_buf_str(&fb);
    const char *dir = where->descending ? " DESC" : "";
    char order[256];
    if (where->sort == CC_SORT_YEAR)
        snprintf(order, sizeof order,
                 "f.year IS NULL, f.year%s, coalesce(f.sort_title, f.title) COLLATE NOCASE%s", dir,
                 dir);
    else
        snprintf(order, sizeof order, "coalesce(f.sort_title, f.title) COLLATE NOCASE%s, f.year%s",
                 dir, dir);
    sql = cu_xasprintf("SELECT fi.id, f.id, count(*) OVER ()%s%s ORDER BY %s, f.id,"
                       " fi.version IS NOT NULL, fi.version, fi.part, fi.id"
                       " LIMIT %lld OFFSET %lld",
                       from, cu_buf_str(&c.sql), order, (long long)limit, (long long)offset);
    if ((rc = cc_prepare(db, sql, &st, err)) < 0)
        goto fail;
    bind_values(st, &c, cc_ids_bind(st, 1, set, set_count));
    out->items = cu_xcalloc((size_t)limit, sizeof *out->items);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->count < (size_t)limit) {
        out->items[out->count].file_id = sqlite3_column_int64(st, 0);
        out->items[out->count].film_id = sqlite3_column_int64(st, 1);
        out->total = sqlite3_column_int64(st, 2);
        out->count++;
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        rc = cc_fail(db, err, "search");
        goto fail;
    }
    if (out->count == 0 && offset > 0) {
        /* Past the end: the total needs its own count. */
        sqlite3_finalize(st);
        st = NULL;
        free(sql);
        sql = cu_xasprintf("SELECT count(*)%s%s", from, cu_buf_str(&c.sql));
        if ((rc = cc_prepare(db, sql, &st, err)) < 0)
            goto fail;
        bind_values(st, &c, cc_ids_bind(st, 1, set, set_count));
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = cc_fail(db, err, "search count");
            goto fail;
        }
        out->total = sqlite3_column_int64(st, 0);
    }
    rc = 0;
    sqlite3_finalize(st);
    free(sql);
    crit_sql_free(&c);
    cu_buf_free(&fb);
    return 0;
fail:
    sqlite3_finalize(st);
    free(sql);
    crit_sql_free(&c);
    cu_buf_free(&fb);
    cc_facet_hits_clear(out);
    return rc;
}

void cc_facet_hits_clear(cc_facet_hits *hits)
{
    free(hits->items);
    memset(hits, 0, sizeof *hits);
}

/* PRAGMA data_version: moves whenever another connection commits. */
int cc_facet_update_stamp(cc_db *db, uint32_t *out, cu_err *err)
{
    *out = 0;
    /* The six numbers below cost two full index scans (the counts; the
     * maxima are index lookups, films_updated and files_probed), and
     * every DLNA reply asks; between two commits they cannot move, so the
     * last stamp is kept while nothing was committed since. Outside a
     * transaction only, so a stamp never reflects rows not yet committed. */
    cc_memo_stamp when;
    const void *kept;
    size_t kept_len;
    if (cc_memo_get(db, "update stamp", &when, &kept, &kept_len) && kept_len == sizeof *out) {
        memcpy(out, kept, sizeof *out);
        return 0;
    }
    /* Not even inside a read transaction (cc_memo keeps answers made in
     * one): a stamp is kept only outside any. */
    when.usable = when.usable && sqlite3_get_autocommit(db->sql);
    sqlite3_stmt *st = NULL;
    int rc = cc_prepare(db,
                        "SELECT (SELECT count(*) FROM films), (SELECT max(updated_at) FROM films),"
                        " (SELECT count(*) FROM files), (SELECT max(probed_at) FROM files),"
                        " (SELECT max(id) FROM files), (SELECT max(id) FROM films)",
                        &st, err);
    if (rc < 0)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = cc_fail(db, err, "update stamp");
        sqlite3_finalize(st);
        return rc;
    }
    /* FNV-1a over the six numbers: any add, change or removal moves one. */
    uint32_t h = CU_HASH32_INIT;
    for (int i = 0; i < 6; i++) {
        uint64_t v = (uint64_t)sqlite3_column_int64(st, i);
        uint8_t bytes[8]; /* least significant first, on any machine */
        for (int b = 0; b < 8; b++)
            bytes[b] = (uint8_t)(v >> (8 * b));
        h = cu_hash32(h, bytes, sizeof bytes);
    }
    sqlite3_finalize(st);
    *out = h ? h : 1;
    cc_memo_put(db, "update stamp", &when, out, sizeof *out);
    return 0;
}
