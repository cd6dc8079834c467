/* cc_search_query: searching the index that cc_search_index.c keeps, and
 * ranking what it finds. Queries go through the same normalisation as the
 * indexed text (cc_search_words) and never reach FTS5's syntax: every word
 * is quoted. */
#include "catalog/cc_search_query.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_search_words.h"
#include "util/cu_buf.h"
#include "util/cu_fold.h"
#include "util/cu_str.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_MAX_BYTES 4096 /* of the raw query; the rest is ignored */
#define QUERY_MAX_WORDS 16
#define WORD_MAX_BYTES 64
#define TYPO_MIN_CHARS 5 /* shorter words must be typed right */
#define TYPO_MAX_CANDIDATES 8
#define LIMIT_DEFAULT 20
#define LIMIT_MAX 200
#define KEY_HITS_MAX 200       /* exact and prefix key hits ranked first */
#define RANK_MAX_ROWS 500      /* rows ranked at most, per table searched */
#define RANK_MAX_PLOT_ROWS 200 /* the same for plots, the last resort */

/* Above every code point: the upper bound of a prefix range of keys. */
static const char key_prefix_end[] = "\xf4\x8f\xbf\xbf";

/* ------------------------------------------------------------------ */
/* Ranking                                                             */

/* cc_rank(table, weight...): the score of one FTS row, lower is better
 * (as bm25). For each query phrase, its best hit: the weight of the column
 * it is in times how much of that column it is (a word in a one-word title
 * beats one in a six-word title); summed over the phrases, plus a little
 * for every further hit.
 * Why not bm25: its inverse document frequency scans the whole doclist of
 * every query word on each query, milliseconds for words found in tens of
 * thousands of films. Here every row matches all the words anyway, so where
 * they matched says more than how rare they are, and the cost is a few
 * lookups per row ranked. */
#define RANK_MAX_PHRASES 256

static void rank_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                          int argc, sqlite3_value **argv)
{
    int instances = 0, phrases = api->xPhraseCount(fts), columns = api->xColumnCount(fts);
    if (api->xInstCount(fts, &instances) != SQLITE_OK) {
        sqlite3_result_error(ctx, "cc_rank: no instances", -1);
        return;
    }
    double best[RANK_MAX_PHRASES] = {0};
    double score = 0;
    for (int i = 0; i < instances; i++) {
        int phrase, column, offset, size = 0;
        if (api->xInst(fts, i, &phrase, &column, &offset) != SQLITE_OK || column < 0 ||
            column >= columns || api->xColumnSize(fts, column, &size) != SQLITE_OK)
            continue;
        double weight = column < argc ? sqlite3_value_double(argv[column]) : 1.0;
        double hit = weight * 4.0 / (4.0 + (size > 0 ? size : 1));
        score += 0.05 * hit;
        if (phrase >= 0 && phrase < RANK_MAX_PHRASES && hit > best[phrase])
            best[phrase] = hit;
    }
    for (int p = 0; p < phrases && p < RANK_MAX_PHRASES; p++)
        score += best[p];
    sqlite3_result_double(ctx, -score);
}

int cc_search_query_register(cc_db *db, cu_err *err)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->sql, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return cc_fail(db, err, "finding FTS5");
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (!api || api->iVersion < 2)
        return cu_err_set(err, CU_EDB, "this SQLite has no usable FTS5");
    if (api->xCreateFunction(api, "cc_rank", NULL, rank_function, NULL) != SQLITE_OK)
        return cc_fail(db, err, "registering cc_rank");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

/* What is searched for each group. */
typedef struct group {
    int key_kind;
    const char *table;      /* names: the last word a prefix, typos forgiven */
    const char *weights;    /* cc_rank's weights for table's columns */
    const char *plot_table; /* whole words, after the names; or NULL */
    const char *owner_sql;  /* the films a hit belongs to (NULL: it is one) */
} group;

static const group film_group = {CC_SEARCH_KEY_FILM, "search_films", "10.0, 8.0, 5.0, 4.0, 3.0",
                                 "search_plots", NULL};
static const group person_group = {CC_SEARCH_KEY_PERSON, "search_people", "1.0", NULL,
                                   "SELECT film_id FROM credits WHERE person_id = ?1"};
static const group extra_group = {CC_SEARCH_KEY_EXTRA, "search_extras", "1.0", NULL,
                                  "SELECT film_id FROM extras WHERE id = ?1"};

typedef struct query {
    char words[QUERY_MAX_WORDS][WORD_MAX_BYTES + 1];
    size_t count;
    bool last_is_prefix; /* the query did not end after its last word */
    char *joined;        /* the words joined by spaces: the exact key */
    char *alts[QUERY_MAX_WORDS][TYPO_MAX_CANDIDATES];
    size_t alt_count[QUERY_MAX_WORDS];
    bool typos_looked_up;
} query;

static void query_parse(query *q, const char *text)
{
    memset(q, 0, sizeof *q);
    if (!text)
        return;
    size_t len = strnlen(text, QUERY_MAX_BYTES);
    cu_buf norm = CU_BUF_INIT;
    bool ends_in_word = cc_search_words_append(&norm, text, len);
    const char *p = cu_buf_str(&norm);
    cu_buf joined = CU_BUF_INIT;
    while (*p && q->count < QUERY_MAX_WORDS) {
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - start);
        if (n > WORD_MAX_BYTES) { /* cut on a character boundary */
            n = WORD_MAX_BYTES;
            while (n > 0 && ((unsigned char)start[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(q->words[q->count], start, n);
        q->words[q->count][n] = '\0';
        if (joined.len)
            cu_buf_putc(&joined, ' ');
        cu_buf_puts(&joined, q->words[q->count]);
        q->count++;
        while (*p == ' ')
            p++;
    }
    /* A word cut off by the word limit is complete as far as we know. */
    q->last_is_prefix = q->count > 0 && ends_in_word && !*p;
    q->joined = cu_buf_take(&joined);
    cu_buf_free(&norm);
}

static void query_free(query *q)
{
    free(q->joined);
    for (size_t w = 0; w < QUERY_MAX_WORDS; w++)
        for (size_t a = 0; a < q->alt_count[w]; a++)
            free(q->alts[w][a]);
}

/* Fills q->alts[w] with the indexed terms one edit away from word w. */
static int lookup_typos(cc_db *db, query *q, cu_err *err)
{
    if (q->typos_looked_up)
        return 0;
    q->typos_looked_up = true;
    sqlite3_stmt *st = NULL;
    for (size_t w = 0; w < q->count; w++) {
        const char *word = q->words[w];
        int32_t cps[CC_SEARCH_TERM_MAX_CHARS + 1];
        size_t n = cc_search_words_chars(word, strlen(word), cps, CC_SEARCH_TERM_MAX_CHARS + 1);
        if (n < TYPO_MIN_CHARS)
            continue;
        if (!st && cc_prepare(db, "SELECT term FROM search_typos WHERE variant = ?1", &st, err) < 0)
            return CU_EDB;
        char variant[(CC_SEARCH_TERM_MAX_CHARS + 1) * 4 + 1];
        for (size_t skip = 0; skip <= n && q->alt_count[w] < TYPO_MAX_CANDIDATES; skip++) {
            cc_search_words_without(cps, n, skip, variant); /* skip == n: the word itself */
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, variant, -1, SQLITE_STATIC);
            int step;
            while ((step = sqlite3_step(st)) == SQLITE_ROW &&
                   q->alt_count[w] < TYPO_MAX_CANDIDATES) {
                const char *term = (const char *)sqlite3_column_text(st, 0);
                int32_t tcps[CC_SEARCH_TERM_MAX_CHARS];
                size_t m =
                    term ? cc_search_words_chars(term, strlen(term), tcps, CC_SEARCH_TERM_MAX_CHARS)
                         : 0;
                if (m == 0 || !cc_search_words_one_edit(cps, n, tcps, m))
                    continue;
                bool seen = false;
                for (size_t a = 0; a < q->alt_count[w] && !seen; a++)
                    seen = !strcmp(q->alts[w][a], term);
                if (!seen)
                    q->alts[w][q->alt_count[w]++] = cu_xstrdup(term);
            }
            if (step != SQLITE_ROW && step != SQLITE_DONE) {
                sqlite3_finalize(st);
                return cc_fail(db, err, "looking up typos");
            }
        }
    }
    sqlite3_finalize(st);
    return 0;
}

static void append_quoted(cu_buf *b, const char *word)
{
    cu_buf_putc(b, '"');
    for (const char *p = word; *p; p++) {
        if (*p == '"')
            cu_buf_putc(b, '"');
        cu_buf_putc(b, *p);
    }
    cu_buf_putc(b, '"');
}

/* Typo alternatives of each query word that one table holds. */
typedef struct table_alts {
    const char *alt[QUERY_MAX_WORDS][TYPO_MAX_CANDIDATES];
    size_t count[QUERY_MAX_WORDS];
} table_alts;

/* The FTS5 expression for q: every word quoted, the last one a prefix
 * unless whole_words; with alts, each word or any of its alternatives. */
static char *match_expression(const query *q, const table_alts *alts, bool whole_words)
{
    cu_buf b = CU_BUF_INIT;
    for (size_t w = 0; w < q->count; w++) {
        bool prefix = q->last_is_prefix && !whole_words && w == q->count - 1;
        size_t n = alts ? alts->count[w] : 0;
        if (w) /* explicit: FTS5 has no implicit AND next to parentheses */
            cu_buf_puts(&b, " AND ");
        if (n)
            cu_buf_putc(&b, '(');
        append_quoted(&b, q->words[w]);
        if (prefix)
            cu_buf_putc(&b, '*');
        for (size_t a = 0; a < n; a++) {
            cu_buf_puts(&b, " OR ");
            append_quoted(&b, alts->alt[w][a]);
        }
        if (n)
            cu_buf_putc(&b, ')');
    }
    return cu_buf_take(&b);
}

/* Answers "does this table hold this whole word?" with one index lookup:
 * cheaper than letting an FTS query that cannot match set up iterators for
 * every other word (a short prefix's iterator reads a long doclist). */
typedef struct word_probe {
    sqlite3_stmt *st;
} word_probe;

static int word_probe_open(cc_db *db, const char *table, word_probe *p, cu_err *err)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s MATCH ?1 LIMIT 1", table, table);
    return cc_prepare(db, sql, &p->st, err);
}

static int word_probe_has(cc_db *db, word_probe *p, const char *word, bool *has, cu_err *err)
{
    cu_buf quoted = CU_BUF_INIT;
    append_quoted(&quoted, word);
    sqlite3_reset(p->st);
    sqlite3_bind_text(p->st, 1, cu_buf_str(&quoted), -1, SQLITE_TRANSIENT);
    cu_buf_free(&quoted);
    int step = sqlite3_step(p->st);
    *has = step == SQLITE_ROW;
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : cc_fail(db, err, "searching");
}

static void word_probe_close(word_probe *p)
{
    sqlite3_finalize(p->st);
    p->st = NULL;
}

/* Whether table holds every whole word of q (all of them when whole_words,
 * else all but a last word typed as a prefix). */
static int table_has_words(cc_db *db, const char *table, const query *q, bool whole_words,
                           bool *has, cu_err *err)
{
    word_probe probe;
    *has = true;
    if (word_probe_open(db, table, &probe, err) < 0)
        return CU_EDB;
    int rc = 0;
    for (size_t w = 0; w < q->count && *has && rc == 0; w++) {
        if (q->last_is_prefix && !whole_words && w == q->count - 1)
            continue;
        rc = word_probe_has(db, &probe, q->words[w], has, err);
    }
    word_probe_close(&probe);
    return rc;
}

/* The alternatives that table holds for q's words that it does not hold
 * as typed (a word found as typed is not the typo); *possible is false when
 * some whole word is neither in table nor has an alternative there. */
static int table_typo_alternatives(cc_db *db, const char *table, const query *q, table_alts *out,
                                   bool *possible, cu_err *err)
{
    word_probe probe;
    memset(out, 0, sizeof *out);
    *possible = true;
    if (word_probe_open(db, table, &probe, err) < 0)
        return CU_EDB;
    int rc = 0;
    for (size_t w = 0; w < q->count && *possible && rc == 0; w++) {
        bool prefix = q->last_is_prefix && w == q->count - 1;
        bool has = false;
        if (!prefix && (rc = word_probe_has(db, &probe, q->words[w], &has, err)) < 0)
            break;
        if (has)
            continue;
        for (size_t a = 0; a < q->alt_count[w] && rc == 0; a++) {
            rc = word_probe_has(db, &probe, q->alts[w][a], &has, err);
            if (has)
                out->alt[w][out->count[w]++] = q->alts[w][a];
        }
        if (!prefix && !out->count[w])
            *possible = false;
    }
    word_probe_close(&probe);
    return rc;
}

/* Ids found for one group, best first, without duplicates (a film can
 * be a key hit, a names hit and a plot hit). */
typedef struct id_list {
    int64_t *ids;
    size_t count, cap, max;
    int64_t *seen;   /* open addressing, 0 = free (ids are positive) */
    size_t seen_cap; /* a power of two, more than twice count */
    /* A restricted user's scope, checked before an id takes a place, so
     * the list fills up with ids the user may see (NULL: every id). */
    const cc_search_scope *scope;
    cc_db *db;
    sqlite3_stmt *owner; /* the films an extra or a person belongs to */
    int rc;              /* a failed scope check: stops the search */
    cu_err *err;
} id_list;

/* What a LIMIT may cut before ids are offered: with a scope, rows the
 * user may not see are skipped, so only the list's own max bounds them. */
static sqlite3_int64 row_limit(const id_list *l, size_t n)
{
    return l->scope ? -1 : (sqlite3_int64)n;
}

/* Whether the user whose scope l carries may see id (a film, an extra or
 * a person, by the group the list is for: l->owner's statement). */
static bool id_in_scope(id_list *l, int64_t id)
{
    if (!l->owner)
        return cc_scope_has(l->scope->film_ids, l->scope->film_count, id);
    sqlite3_reset(l->owner);
    sqlite3_bind_int64(l->owner, 1, id);
    int step;
    bool visible = false;
    while (!visible && (step = sqlite3_step(l->owner)) == SQLITE_ROW)
        visible = cc_scope_has(l->scope->film_ids, l->scope->film_count,
                               sqlite3_column_int64(l->owner, 0));
    if (!visible && step != SQLITE_DONE)
        l->rc = cc_fail(l->db, l->err, "checking what a user may see");
    return visible;
}

static size_t id_slot(int64_t id, size_t cap)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

/* Adds id unless already there; false once the list is full. */
static bool id_list_add(id_list *l, int64_t id)
{
    if (l->count >= l->max || l->rc < 0)
        return false;
    if (l->scope && !id_in_scope(l, id))
        return l->rc == 0;
    if ((l->count + 1) * 2 >= l->seen_cap) {
        size_t cap = l->seen_cap ? l->seen_cap * 2 : 64;
        int64_t *seen = cu_xcalloc(cap, sizeof *seen);
        for (size_t i = 0; i < l->count; i++) {
            size_t s = id_slot(l->ids[i], cap);
            while (seen[s])
                s = (s + 1) & (cap - 1);
            seen[s] = l->ids[i];
        }
        free(l->seen);
        l->seen = seen;
        l->seen_cap = cap;
    }
    size_t s = id_slot(id, l->seen_cap);
    while (l->seen[s]) {
        if (l->seen[s] == id)
            return true;
        s = (s + 1) & (l->seen_cap - 1);
    }
    l->seen[s] = id;
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->ids = cu_xreallocarray(l->ids, l->cap, sizeof *l->ids);
    }
    l->ids[l->count++] = id;
    return true;
}

static void id_list_free(id_list *l)
{
    free(l->ids);
    free(l->seen);
    sqlite3_finalize(l->owner);
    memset(l, 0, sizeof *l);
}

/* Adds ids of keys of kind: equal to the query, then starting with it. */
static int add_key_hits(cc_db *db, int kind, const query *q, id_list *l, cu_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;
    size_t want = l->max < KEY_HITS_MAX ? l->max : KEY_HITS_MAX;
    char *low = cu_xasprintf("%s%s", q->joined, q->last_is_prefix ? "" : " ");
    char *high = cu_xasprintf("%s%s", low, key_prefix_end);
    if (cc_prepare(db,
                   "SELECT id FROM search_keys WHERE kind = ?1 AND key = ?2 ORDER BY id LIMIT ?3",
                   &st, err) < 0)
        goto done;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_text(st, 2, q->joined, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, row_limit(l, want));
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && l->count < want)
        id_list_add(l, sqlite3_column_int64(st, 0));
    if (l->rc < 0)
        goto done;
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        cc_fail(db, err, "searching titles");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (l->count < want) {
        /* Keys are ordered by bytes, so the ones starting with low form a range. */
        if (cc_prepare(db,
                       "SELECT id FROM search_keys WHERE kind = ?1 AND key > ?2 AND key < ?3"
                       " ORDER BY key LIMIT ?4",
                       &st, err) < 0)
            goto done;
        sqlite3_bind_int(st, 1, kind);
        sqlite3_bind_text(st, 2, q->last_is_prefix ? q->joined : low, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, high, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, row_limit(l, want * 2));
        while ((step = sqlite3_step(st)) == SQLITE_ROW && l->count < want)
            id_list_add(l, sqlite3_column_int64(st, 0));
        if (l->rc < 0)
            goto done;
        if (step != SQLITE_ROW && step != SQLITE_DONE) {
            cc_fail(db, err, "searching titles");
            goto done;
        }
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    free(low);
    free(high);
    return rc;
}

/* Adds the FTS hits of table for expr, in rank order. Ranking costs a
 * little for every row, so a query matching much of the catalog (a
 * one-letter prefix, a word in every other title) ranks only the first
 * rank_rows rows found: latency stays bounded, and such a query's useful
 * hits (exact titles, titles that start with it) came first anyway.
 * Every LIMIT is l->max: at most count rows can be ones already listed. */
static int add_text_hits(cc_db *db, const char *table, const char *weights, const char *expr,
                         int rank_rows, id_list *l, cu_err *err)
{
    if (l->count >= l->max)
        return 0;
    char sql[320];
    snprintf(sql, sizeof sql,
             "SELECT rowid FROM (SELECT rowid, cc_rank(%s, %s) AS score FROM %s WHERE %s MATCH ?1"
             " LIMIT %d) ORDER BY score, rowid LIMIT ?2",
             table, weights, table, table, rank_rows);
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row_limit(l, l->max));
    int step;
    size_t rows = 0;
    int64_t last_rowid = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        rows++;
        last_rowid = id > last_rowid ? id : last_rowid;
        if (!id_list_add(l, id))
            break;
    }
    sqlite3_finalize(st);
    if (l->rc < 0)
        return l->rc;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return cc_fail(db, err, "searching");
    if (rows < (size_t)rank_rows || l->count >= l->max)
        return 0;
    /* Every ranked row came out and more are wanted (cc_search_film_ids
     * with a large max): the rest follow in catalog order. The ranked rows
     * were the first by rowid, so the rest lie above the last of them. */
    snprintf(sql, sizeof sql, "SELECT rowid FROM %s WHERE %s MATCH ?1 AND rowid > ?2 LIMIT ?3",
             table, table);
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, last_rowid);
    sqlite3_bind_int64(st, 3, row_limit(l, l->max));
    while ((step = sqlite3_step(st)) == SQLITE_ROW && id_list_add(l, sqlite3_column_int64(st, 0)))
        ;
    sqlite3_finalize(st);
    if (l->rc < 0)
        return l->rc;
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : cc_fail(db, err, "searching");
}

/* One group as typed: key hits, then names (then, for films, plots:
 * whole words, while names leave room). A table that lacks one of the
 * whole words is not searched at all. */
static int search_group(cc_db *db, const query *q, const group *g, size_t max,
                        const cc_search_scope *scope, id_list *l, cu_err *err)
{
    memset(l, 0, sizeof *l);
    l->max = max;
    if (q->count == 0 || max == 0)
        return 0;
    if (scope) {
        l->scope = scope;
        l->db = db;
        l->err = err;
        if (g->owner_sql && cc_prepare(db, g->owner_sql, &l->owner, err) < 0)
            return CU_EDB;
    }
    if (add_key_hits(db, g->key_kind, q, l, err) < 0)
        return CU_EDB;
    bool has;
    if (l->count < l->max) {
        if (table_has_words(db, g->table, q, false, &has, err) < 0)
            return CU_EDB;
        if (has) {
            char *expr = match_expression(q, NULL, false);
            int rc = add_text_hits(db, g->table, g->weights, expr, RANK_MAX_ROWS, l, err);
            free(expr);
            if (rc < 0)
                return rc;
        }
    }
    if (g->plot_table && l->count < l->max) {
        if (table_has_words(db, g->plot_table, q, true, &has, err) < 0)
            return CU_EDB;
        if (has) {
            char *expr = match_expression(q, NULL, true);
            int rc = add_text_hits(db, g->plot_table, "1.0", expr, RANK_MAX_PLOT_ROWS, l, err);
            free(expr);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* The same group again with each word or a term one edit away from it
 * (names only). For when the words as typed found nothing anywhere. */
static int search_group_typos(cc_db *db, query *q, const group *g, id_list *l, cu_err *err)
{
    if (q->count == 0 || l->max == 0)
        return 0;
    if (lookup_typos(db, q, err) < 0)
        return CU_EDB;
    bool any = false;
    for (size_t w = 0; w < q->count; w++)
        any = any || q->alt_count[w] > 0;
    if (!any) /* no word has a neighbour anywhere: nothing to try */
        return 0;
    table_alts alts;
    bool possible;
    any = false;
    if (table_typo_alternatives(db, g->table, q, &alts, &possible, err) < 0)
        return CU_EDB;
    for (size_t w = 0; w < q->count; w++)
        any = any || alts.count[w] > 0;
    if (!possible || !any)
        return 0;
    char *expr = match_expression(q, &alts, false);
    int rc = add_text_hits(db, g->table, g->weights, expr, RANK_MAX_ROWS, l, err);
    free(expr);
    return rc;
}

static int fill_films(cc_db *db, const id_list *l, cc_search_result *out, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT title, year, EXISTS (SELECT 1 FROM artwork a WHERE a.film_id = films.id"
                   " AND a.kind = 'poster') FROM films WHERE id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    out->films = l->count ? cu_xcalloc(l->count, sizeof *out->films) : NULL;
    for (size_t i = 0; i < l->count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, l->ids[i]);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            cc_search_film *f = &out->films[out->film_count++];
            f->id = l->ids[i];
            f->title = cc_column_strdup(st, 0);
            f->year = sqlite3_column_int(st, 1);
            f->has_poster = sqlite3_column_int(st, 2) != 0;
        } else if (step != SQLITE_DONE) {
            sqlite3_finalize(st);
            return cc_fail(db, err, "reading found films");
        }
    }
    sqlite3_finalize(st);
    return 0;
}

static int fill_people(cc_db *db, const id_list *l, cc_search_result *out, cu_err *err)
{
    sqlite3_stmt *st;
    /* People credited on no film (not pruned yet) have nothing to show. */
    if (cc_prepare(db,
                   "SELECT name FROM people WHERE id = ?1"
                   " AND EXISTS (SELECT 1 FROM credits WHERE person_id = ?1)",
                   &st, err) < 0)
        return CU_EDB;
    out->people = l->count ? cu_xcalloc(l->count, sizeof *out->people) : NULL;
    for (size_t i = 0; i < l->count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, l->ids[i]);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            cc_search_person *p = &out->people[out->person_count++];
            p->id = l->ids[i];
            p->name = cc_column_strdup(st, 0);
        } else if (step != SQLITE_DONE) {
            sqlite3_finalize(st);
            return cc_fail(db, err, "reading found people");
        }
    }
    sqlite3_finalize(st);
    return 0;
}

static int fill_extras(cc_db *db, const id_list *l, cc_search_result *out, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT title, type, film_id, EXISTS (SELECT 1 FROM artwork a"
                   " WHERE a.film_id = extras.film_id AND a.kind = 'poster')"
                   " FROM extras WHERE id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    out->extras = l->count ? cu_xcalloc(l->count, sizeof *out->extras) : NULL;
    for (size_t i = 0; i < l->count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, l->ids[i]);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            cc_search_extra *e = &out->extras[out->extra_count++];
            e->id = l->ids[i];
            e->title = cc_column_strdup(st, 0);
            e->type = cc_column_strdup(st, 1);
            e->film_id = sqlite3_column_int64(st, 2);
            e->film_has_poster = sqlite3_column_int(st, 3) != 0;
        } else if (step != SQLITE_DONE) {
            sqlite3_finalize(st);
            return cc_fail(db, err, "reading found extras");
        }
    }
    sqlite3_finalize(st);
    return 0;
}

/* One snapshot for every statement of a search, and one lock instead of
 * one a statement. Inside a caller's transaction, that one serves. */
static int read_begin(cc_db *db, bool *own, cu_err *err)
{
    *own = false;
    if (!sqlite3_get_autocommit(db->sql))
        return 0;
    if (cc_exec(db, "BEGIN", err) < 0)
        return CU_EDB;
    *own = true;
    return 0;
}

static void read_end(cc_db *db, bool own)
{
    if (own && cc_exec(db, "COMMIT", NULL) < 0)
        cc_exec(db, "ROLLBACK", NULL);
}

int cc_search_query(cc_db *db, const char *query_text, int limit, cc_search_result *out,
                    cu_err *err)
{
    return cc_search_query_scoped(db, query_text, limit, NULL, out, err);
}

int cc_search_query_scoped(cc_db *db, const char *query_text, int limit,
                           const cc_search_scope *scope, cc_search_result *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    size_t max = limit <= 0 ? LIMIT_DEFAULT : limit > LIMIT_MAX ? LIMIT_MAX : (size_t)limit;
    query q;
    query_parse(&q, query_text);
    id_list films = {0}, people = {0}, extras = {0};
    int rc = CU_EDB;
    bool own_txn = false;
    if (q.count == 0) {
        rc = 0;
        goto done;
    }
    if (read_begin(db, &own_txn, err) < 0)
        goto done;
    if (search_group(db, &q, &film_group, max, scope, &films, err) < 0 ||
        search_group(db, &q, &person_group, max, scope, &people, err) < 0 ||
        search_group(db, &q, &extra_group, max, scope, &extras, err) < 0)
        goto done;
    if (films.count + people.count + extras.count == 0 &&
        (search_group_typos(db, &q, &film_group, &films, err) < 0 ||
         search_group_typos(db, &q, &person_group, &people, err) < 0 ||
         search_group_typos(db, &q, &extra_group, &extras, err) < 0))
        goto done;
    if (fill_films(db, &films, out, err) < 0 || fill_people(db, &people, out, err) < 0 ||
        fill_extras(db, &extras, out, err) < 0)
        goto done;
    rc = 0;
done:
    read_end(db, own_txn);
    id_list_free(&films);
    id_list_free(&people);
    id_list_free(&extras);
    query_free(&q);
    return rc;
}

void cc_search_query_clear(cc_search_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->film_count; i++)
        free(r->films[i].title);
    for (size_t i = 0; i < r->person_count; i++)
        free(r->people[i].name);
    for (size_t i = 0; i < r->extra_count; i++) {
        free(r->extras[i].title);
        free(r->extras[i].type);
    }
    free(r->films);
    free(r->people);
    free(r->extras);
    memset(r, 0, sizeof *r);
}

int cc_search_query_film_ids(cc_db *db, const char *query_text, size_t max, int64_t **ids,
                             size_t *count, cu_err *err)
{
    return cc_search_query_film_ids_scoped(db, query_text, max, NULL, ids, count, err);
}

int cc_search_query_film_ids_scoped(cc_db *db, const char *query_text, size_t max,
                                    const cc_search_scope *scope, int64_t **ids, size_t *count,
                                    cu_err *err)
{
    *ids = NULL;
    *count = 0;
    if (max > INT32_MAX)
        max = INT32_MAX;
    query q;
    query_parse(&q, query_text);
    id_list films = {0};
    bool own_txn = false;
    int rc = q.count ? read_begin(db, &own_txn, err) : 0;
    if (rc == 0)
        rc = search_group(db, &q, &film_group, max, scope, &films, err);
    if (rc == 0 && films.count == 0)
        rc = search_group_typos(db, &q, &film_group, &films, err);
    read_end(db, own_txn);
    query_free(&q);
    if (rc == 0 && films.count) {
        *ids = films.ids; /* taken */
        *count = films.count;
        films.ids = NULL;
    }
    id_list_free(&films);
    return rc;
}
