/* cc_browse: questions asked across entities: films by filter and sort,
 * festivals and genres with their counts, the catalog's totals. */
#include "catalog/cc_browse.h"
#include "catalog/cc_internal.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

/* Appends the WHERE clause for filter; parameters are bound by position in
 * bind_filter, in the same order. */
static void filter_sql(cu_buf *sql, const cc_film_filter *f)
{
    cu_buf_puts(sql, " WHERE 1");
    if (f->genre)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM film_terms t WHERE t.film_id = f.id"
                         " AND t.kind = 'genre' AND t.value = ? COLLATE NOCASE)");
    if (f->person_id)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM credits c WHERE c.film_id = f.id AND c.person_id = ?)");
    if (f->year)
        cu_buf_puts(sql, " AND f.year = ?");
    if (f->decade)
        cu_buf_puts(sql, " AND f.year >= ? AND f.year < ? + 10");
    if (f->festival)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM releases r WHERE r.film_id = f.id"
                         " AND r.type = 'festival' AND instr(lower(r.event), lower(?)) > 0)");
    if (f->watched) /* cc_watch.h: some version with every part watched */
        cu_buf_printf(sql,
                      " AND %sEXISTS (SELECT 1 FROM files x LEFT JOIN watch w ON w.user_id = %lld"
                      " AND w.file_id = x.id WHERE x.film_id = f.id AND x.role = 'main'"
                      " GROUP BY coalesce(x.version, '') HAVING min(coalesce(w.watched, 0)) = 1)",
                      f->watched < 0 ? "NOT " : "", (long long)f->watch_user);
    if (f->ids) {
        cu_buf_puts(sql, " AND f.id IN (");
        for (size_t i = 0; i < f->id_count; i++)
            cu_buf_printf(sql, "%s%lld", i ? "," : "", (long long)f->ids[i]);
        cu_buf_puts(sql, ")");
    }
}

static int bind_filter(sqlite3_stmt *st, const cc_film_filter *f)
{
    int i = 1;
    if (f->genre)
        sqlite3_bind_text(st, i++, f->genre, -1, SQLITE_STATIC);
    if (f->person_id)
        sqlite3_bind_int64(st, i++, f->person_id);
    if (f->year)
        sqlite3_bind_int(st, i++, f->year);
    if (f->decade) {
        sqlite3_bind_int(st, i++, f->decade);
        sqlite3_bind_int(st, i++, f->decade);
    }
    if (f->festival)
        sqlite3_bind_text(st, i++, f->festival, -1, SQLITE_STATIC);
    return i;
}

int cc_browse_films(cc_db *db, const cc_film_filter *filter, cc_film_page *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (filter->ids && filter->id_count == 0)
        return 0;
    cu_buf sql = CU_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;

    cu_buf_puts(&sql, "SELECT count(*) FROM films f");
    filter_sql(&sql, filter);
    if (cc_prepare(db, cu_buf_str(&sql), &st, err) < 0)
        goto done;
    bind_filter(st, filter);
    if (sqlite3_step(st) != SQLITE_ROW) {
        cc_fail(db, err, "counting films");
        goto done;
    }
    out->total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;

    /* Each order is an index of the films table (schema 6), walked forward
     * for ascending and backward for descending (the year's has one of its
     * own for descending, since films without a year come last either
     * way); ties end on the id, in the same direction. */
    static const char *const order_by[] = {
        [CC_SORT_TITLE] = "coalesce(f.sort_title, f.title) COLLATE NOCASE %s, f.year %s, f.id %s",
        [CC_SORT_YEAR] = "f.year IS NULL, f.year %s, coalesce(f.sort_title, f.title) COLLATE NOCASE %s,"
                         " f.id %s",
        [CC_SORT_ADDED] = "f.added_at %s, f.id %s%s",
        [CC_SORT_RUNTIME] = "f.sort_runtime %s, coalesce(f.sort_title, f.title) COLLATE NOCASE %s,"
                            " f.id %s",
    };
    const char *dir = filter->descending ? "DESC" : "ASC";
    int64_t limit = filter->limit <= 0 ? 50 : filter->limit > 500 ? 500 : filter->limit;
    int64_t offset = filter->offset < 0 ? 0 : filter->offset;
    unsigned sort = filter->sort <= CC_SORT_RUNTIME ? filter->sort : CC_SORT_TITLE;
    /* Two steps: the page's ids are chosen from the sort index alone, and
     * only those rows get their genres, poster and director looked up. */
    cu_buf_reset(&sql);
    cu_buf_puts(&sql,
                "SELECT f.id, f.title, f.original_title, f.year, f.sort_runtime,"
                " (SELECT group_concat(value, ', ') FROM (SELECT value FROM film_terms t"
                "   WHERE t.film_id = f.id AND t.kind = 'genre' ORDER BY value)),"
                " EXISTS (SELECT 1 FROM artwork a WHERE a.film_id = f.id AND a.kind = 'poster'),"
                " (SELECT p.name FROM credits c JOIN people p ON p.id = c.person_id"
                "   WHERE c.film_id = f.id AND c.job = 'director' ORDER BY c.rowid LIMIT 1)"
                " FROM (SELECT f.id AS id FROM films f");
    filter_sql(&sql, filter);
    cu_buf_puts(&sql, " ORDER BY ");
    cu_buf_printf(&sql, order_by[sort], dir, dir, sort == CC_SORT_ADDED ? "" : dir);
    cu_buf_printf(&sql, " LIMIT %lld OFFSET %lld) page JOIN films f ON f.id = page.id",
                  (long long)limit, (long long)offset);
    /* The same order again, over the page's rows only. */
    cu_buf_puts(&sql, " ORDER BY ");
    cu_buf_printf(&sql, order_by[sort], dir, dir, sort == CC_SORT_ADDED ? "" : dir);
    if (cc_prepare(db, cu_buf_str(&sql), &st, err) < 0)
        goto done;
    bind_filter(st, filter);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        cc_film_item *it = &out->items[out->count++];
        it->id = sqlite3_column_int64(st, 0);
        it->title = cc_column_strdup(st, 1);
        it->original_title = cc_column_strdup(st, 2);
        it->year = sqlite3_column_int(st, 3);
        it->runtime = sqlite3_column_int(st, 4);
        it->genres = cc_column_strdup(st, 5);
        it->has_poster = sqlite3_column_int(st, 6);
        it->director = cc_column_strdup(st, 7);
    }
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "listing films");
        cc_browse_films_clear(out);
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    cu_buf_free(&sql);
    return rc;
}

void cc_browse_films_clear(cc_film_page *page)
{
    for (size_t i = 0; i < page->count; i++) {
        free(page->items[i].title);
        free(page->items[i].original_title);
        free(page->items[i].genres);
        free(page->items[i].director);
    }
    free(page->items);
    memset(page, 0, sizeof *page);
}

int cc_count_list_read(cc_db *db, const char *sql, cc_count_list *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 8;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        out->items[out->count].name = cc_column_strdup(st, 0);
        out->items[out->count].count = sqlite3_column_int64(st, 1);
        out->count++;
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        cc_browse_counts_clear(out);
        return cc_fail(db, err, "counting");
    }
    return 0;
}

int cc_browse_festivals(cc_db *db, cc_count_list *out, cu_err *err)
{
    return cc_count_list_read(db,
                      "SELECT event, count(DISTINCT film_id) FROM releases"
                      " WHERE type = 'festival' AND event IS NOT NULL"
                      " GROUP BY event ORDER BY event COLLATE NOCASE",
                      out, err);
}

int cc_browse_genres(cc_db *db, cc_count_list *out, cu_err *err)
{
    return cc_count_list_read(db,
                      "SELECT value, count(*) FROM film_terms WHERE kind = 'genre'"
                      " GROUP BY value ORDER BY value COLLATE NOCASE",
                      out, err);
}

void cc_browse_counts_clear(cc_count_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].name);
    free(list->items);
    memset(list, 0, sizeof *list);
}

static int64_t count_query(cc_db *db, const char *sql, int *rc, cu_err *err)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    if (cc_prepare(db, sql, &st, err) < 0) {
        *rc = CU_EDB;
        return 0;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        *rc = cc_fail(db, err, "counting");
    sqlite3_finalize(st);
    return n;
}

int cc_browse_totals(cc_db *db, cc_counts *out, cu_err *err)
{
    int rc = 0;
    out->films = count_query(db, "SELECT count(*) FROM films", &rc, err);
    out->extras = count_query(db, "SELECT count(*) FROM extras", &rc, err);
    out->files = count_query(db, "SELECT count(*) FROM files", &rc, err);
    out->failed_files = count_query(db, "SELECT count(*) FROM files WHERE probe_error IS NOT NULL", &rc, err);
    out->people = count_query(db, "SELECT count(*) FROM people", &rc, err);
    return rc;
}
