/* cc_browse: questions asked across entities: films by filter and sort,
 * festivals and genres with their counts, the catalog's totals. */
#include "catalog/cc_browse.h"
#include "catalog/cc_cursor.h"
#include "catalog/cc_ids.h"
#include "catalog/cc_memo.h"
#include "catalog/cc_internal.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The tallest picture of a film's main files, and whether one of them is
 * HDR, as its list row keeps them (schema 18). `f` is the films table's
 * alias. */
#define HEIGHT_SQL "coalesce((SELECT r.height FROM film_list_rows r WHERE r.film_id = f.id), 0)"
#define HDR_SQL "EXISTS (SELECT 1 FROM film_list_rows r WHERE r.film_id = f.id AND r.hdr)"

/* The spellings of one language in stream and sidecar tags: ISO 639-1
 * and the two 639-2 forms, lower case ("es" -> es, spa, spa). A code not
 * in the table is matched as given. */
static void lang_codes(const char *in, const char *out[3])
{
    static const char *const table[][3] = {
        {"en", "eng", "eng"}, {"es", "spa", "spa"}, {"fr", "fra", "fre"}, {"de", "deu", "ger"},
        {"it", "ita", "ita"}, {"pt", "por", "por"}, {"ja", "jpn", "jpn"}, {"zh", "zho", "chi"},
        {"ko", "kor", "kor"}, {"ru", "rus", "rus"}, {"nl", "nld", "dut"}, {"sv", "swe", "swe"},
        {"da", "dan", "dan"}, {"no", "nor", "nor"}, {"fi", "fin", "fin"}, {"pl", "pol", "pol"},
        {"cs", "ces", "cze"}, {"tr", "tur", "tur"}, {"ar", "ara", "ara"}, {"he", "heb", "heb"},
        {"hi", "hin", "hin"}, {"el", "ell", "gre"}, {"ca", "cat", "cat"}, {"hu", "hun", "hun"},
        {"ro", "ron", "rum"}, {"uk", "ukr", "ukr"}, {"eu", "eus", "baq"}, {"gl", "glg", "glg"},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        for (int k = 0; k < 3; k++)
            if (!strcasecmp(in, table[i][k])) {
                out[0] = table[i][0];
                out[1] = table[i][1];
                out[2] = table[i][2];
                return;
            }
    out[0] = out[1] = out[2] = in;
}

/* Appends the WHERE clause for filter; parameters are bound by position in
 * bind_filter, in the same order. */
static void filter_sql(cu_buf *sql, const cc_film_filter *f)
{
    cu_buf_puts(sql, " WHERE 1");
    if (f->genre)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM film_terms t WHERE t.film_id = f.id"
                         " AND t.kind = 'genre' AND t.value = ? COLLATE NOCASE)");
    if (f->person_id)
        cu_buf_puts(
            sql,
            " AND EXISTS (SELECT 1 FROM credits c WHERE c.film_id = f.id AND c.person_id = ?)");
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
    if (f->collection_id)
        cu_buf_printf(sql, " AND f.collection_id = %lld", (long long)f->collection_id);
    if (f->country)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM film_terms t WHERE t.film_id = f.id"
                         " AND t.kind = 'country' AND t.value = ? COLLATE NOCASE)");
    if (f->studio)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM film_terms t WHERE t.film_id = f.id"
                         " AND t.kind = 'studio' AND t.value = ? COLLATE NOCASE)");
    if (f->tag)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM film_terms t WHERE t.film_id = f.id"
                         " AND t.kind = 'tag' AND t.value = ? COLLATE NOCASE)");
    if (f->release_type)
        cu_buf_puts(sql,
                    " AND EXISTS (SELECT 1 FROM releases r WHERE r.film_id = f.id AND r.type = ?)");
    if (f->rating_min > 0) /* the best rating, kept on the film (schema 16) */
        cu_buf_printf(sql, " AND f.sort_rating >= %.3f", f->rating_min);
    if (f->resolution) {
        static const char *const range[] = {[CC_RES_SD] = "< 700",
                                            [CC_RES_720] = "BETWEEN 700 AND 999",
                                            [CC_RES_1080] = "BETWEEN 1000 AND 1999",
                                            [CC_RES_4K] = ">= 2000"};
        cu_buf_printf(sql, " AND " HEIGHT_SQL " %s", range[f->resolution]);
    }
    if (f->hdr)
        cu_buf_printf(sql, " AND %s" HDR_SQL, f->hdr < 0 ? "NOT " : "");
    if (f->audio_lang)
        cu_buf_puts(sql, " AND EXISTS (SELECT 1 FROM files x JOIN streams s ON s.file_id = x.id"
                         " WHERE x.film_id = f.id AND x.role = 'main' AND s.type = 'audio'"
                         " AND lower(s.language) IN (?, ?, ?))");
    if (f->subtitle_lang)
        cu_buf_puts(sql, " AND (EXISTS (SELECT 1 FROM files x JOIN streams s ON s.file_id = x.id"
                         " WHERE x.film_id = f.id AND x.role = 'main' AND s.type = 'subtitle'"
                         " AND lower(s.language) IN (?, ?, ?))"
                         " OR EXISTS (SELECT 1 FROM files x JOIN subtitles u ON u.file_id = x.id"
                         " WHERE x.film_id = f.id AND x.role = 'main'"
                         " AND lower(u.language) IN (?, ?, ?)))");
    if (f->ids) {
        cu_buf_puts(sql, " AND ");
        cc_ids_sql(sql, "f.id", f->ids, f->id_count);
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
    const char *terms[] = {f->country, f->studio, f->tag, f->release_type};
    for (size_t k = 0; k < sizeof terms / sizeof *terms; k++)
        if (terms[k])
            sqlite3_bind_text(st, i++, terms[k], -1, SQLITE_STATIC);
    const char *codes[3];
    if (f->audio_lang) {
        lang_codes(f->audio_lang, codes);
        for (int k = 0; k < 3; k++)
            sqlite3_bind_text(st, i++, codes[k], -1, SQLITE_TRANSIENT);
    }
    if (f->subtitle_lang) {
        lang_codes(f->subtitle_lang, codes);
        for (int r = 0; r < 2; r++)
            for (int k = 0; k < 3; k++)
                sqlite3_bind_text(st, i++, codes[k], -1, SQLITE_TRANSIENT);
    }
    if (f->ids)
        i = cc_ids_bind(st, i, f->ids, f->id_count);
    return i;
}

/* The columns of a cc_film_item, from films f and its list row r (schema
 * 18: kept by triggers, so a page reads one row of each per film). */
#define ITEM_COLUMNS                                                                               \
    "f.id, f.title, f.original_title, f.year, f.sort_runtime, r.genres,"                           \
    " coalesce(r.has_poster, 0), r.director, coalesce(r.height, 0), coalesce(r.hdr, 0),"           \
    " f.sort_key"
#define ITEM_COLUMN_COUNT 11
#define ITEM_JOIN " LEFT JOIN film_list_rows r ON r.film_id = f.id"

/* One term of a sort's order: an expression on films f, its direction,
 * and whether it can be NULL (SQLite sorts NULL first, so last when
 * descending). */
typedef struct sort_term {
    char expr[320];
    bool desc;
    bool nullable;
    bool selected; /* names the part's own table (the played part's p): the ids statement
                    * selects it as k<i>, and the page's statement reads that column */
} sort_term;

/* A sort is read in one or two parts (sort_parts), each a condition and
 * an order; a part's terms end on the film id, so no two films tie and
 * a key says exactly where a page ended. */
typedef struct sort_part {
    cu_buf from;        /* " FROM films f", or the played part's join */
    cu_buf where;       /* the part's condition, for its first pages and its count */
    cu_buf range_where; /* the same, where a cursor's range is added (sort_parts) */
    bool sorted;        /* the played part: a short list sorted, not an index walk */
    sort_term terms[CC_KEY_TERMS];
    int count;
} sort_part;

static void add_term(sort_part *p, bool desc, bool nullable, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_term(sort_part *p, bool desc, bool nullable, const char *fmt, ...)
{
    if (p->count == CC_KEY_TERMS)
        return; /* not reached: the longest order has four terms */
    sort_term *t = &p->terms[p->count++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->expr, sizeof t->expr, fmt, ap);
    va_end(ap);
    t->desc = desc;
    t->nullable = nullable;
    t->selected = false;
}

/* The shelf's key, then the year and the id: the title order, and every
 * other sort's tie-break. */
static void title_terms(sort_part *p, bool d)
{
    add_term(p, d, true, "f.sort_key");
    add_term(p, d, true, "f.year");
    add_term(p, d, false, "f.id");
}

/* The terms of filter's sort (of its first part, for the sorts in two
 * parts), each walked from an index of the films table (schema 6, 13 and
 * 18) forward for ascending and backward for descending; ties end on the
 * id, in the same direction. */
static void order_terms(sort_part *p, const cc_film_filter *f)
{
    bool d = f->descending;
    switch (f->sort) {
    case CC_SORT_YEAR: /* the part with a year (sort_parts) */
        add_term(p, d, false, "f.year");
        add_term(p, d, false, "coalesce(f.sort_title, f.title) COLLATE NOCASE");
        add_term(p, d, false, "f.id");
        break;
    case CC_SORT_ADDED:
        add_term(p, d, false, "f.added_at");
        add_term(p, d, false, "f.id");
        break;
    case CC_SORT_RUNTIME:
        add_term(p, d, false, "f.sort_runtime");
        add_term(p, d, false, "coalesce(f.sort_title, f.title) COLLATE NOCASE");
        add_term(p, d, false, "f.id");
        break;
    case CC_SORT_RATING: /* the part rated (sort_parts) */
        add_term(p, d, false, "f.sort_rating");
        title_terms(p, d);
        break;
    case CC_SORT_RELEASE: /* the part dated */
        add_term(p, d, false, "f.sort_release");
        title_terms(p, d);
        break;
    case CC_SORT_RANDOM:
        add_term(p, d, false, "f.sort_shuffle");
        add_term(p, d, false, "f.id");
        break;
    case CC_SORT_TITLE:
    case CC_SORT_PLAYED: /* the part never played, by title */
    case CC_SORT_PLAYS:
    default: title_terms(p, d); break;
    }
}

/* Term i of p as the page's statement (read_range) names it: a selected
 * term is the ids statement's column, read there once, not again. */
static void outer_term(cu_buf *sql, const sort_part *p, int i)
{
    if (p->terms[i].selected)
        cu_buf_printf(sql, "page.k%d", i);
    else
        cu_buf_puts(sql, p->terms[i].expr);
}

static void order_sql(cu_buf *sql, const sort_part *p)
{
    for (int i = 0; i < p->count; i++) {
        cu_buf_puts(sql, i ? ", " : "");
        outer_term(sql, p, i);
        cu_buf_puts(sql, p->terms[i].desc ? " DESC" : " ASC");
    }
}

/* The films watch_user played (last_played known) or played to the end
 * at least once (play_count > 0), each once with the most recent play or
 * the most plays over its files (cc_watch_film_get's): schema 19 keeps
 * them per user and film (film_plays), indexed by either key, so a page
 * walks the index rather than grouping and sorting every row of the
 * user's (p.film_id, p.k). The conditions are the partial indexes'. */
static void played_from_sql(cu_buf *sql, const cc_film_filter *f)
{
    bool when = f->sort == CC_SORT_PLAYED;
    cu_buf_printf(sql,
                  " FROM (SELECT film_id, %s AS k FROM film_plays WHERE user_id = %lld AND %s) p"
                  " CROSS JOIN films f ON f.id = p.film_id",
                  when ? "last_played" : "play_count", (long long)f->watch_user,
                  when ? "last_played IS NOT NULL" : "play_count > 0");
}

/* The same films' ids, for the other part's NOT IN. */
static void played_set_sql(cu_buf *sql, const cc_film_filter *f)
{
    cu_buf_printf(sql, "(SELECT film_id FROM film_plays WHERE user_id = %lld AND %s)",
                  (long long)f->watch_user,
                  f->sort == CC_SORT_PLAYED ? "last_played IS NOT NULL" : "play_count > 0");
}

/* Fills parts with filter's sort; returns how many (1 or 2).
 * Played, plays and random are not one index walk: each is a short part
 * with an order of its own and a long part walked from an index.
 * Played: the films played, by when (the most recent first when
 * descending), then the others by title; never played comes last either
 * way. Plays: the films played to the end, by how often, and the others
 * (none) by title: none first when ascending, last when descending.
 * Random: the shuffle from the seed on, then from its start up to the
 * seed (descending: the exact reverse). Year, rating and release: the
 * films where it is known, then the others by title, either way.
 *
 * A part whose condition bounds its walk's start (the second random part
 * from the seed, the known part of an ascending year, rating or release:
 * "x IS NOT NULL" is "x > NULL" to SQLite) has that bound only as a
 * filter (unary plus) in a cursor's ranges: the cursor's key lies inside
 * the part, so its bound is the tighter one, but of two bounds on one
 * side SQLite seeks from either, and from the part's it read every film
 * between the part's start and the cursor (the plan is the same, only
 * the work grows with the cursor's position; test_cursor_work). */
static int sort_parts(const cc_film_filter *f, sort_part parts[2])
{
    for (int i = 0; i < 2; i++) {
        parts[i].from = (cu_buf)CU_BUF_INIT;
        parts[i].where = (cu_buf)CU_BUF_INIT;
        parts[i].range_where = (cu_buf)CU_BUF_INIT;
        parts[i].count = 0;
        parts[i].sorted = false;
    }
    int nparts = 2;
    if (f->sort == CC_SORT_YEAR || f->sort == CC_SORT_RATING || f->sort == CC_SORT_RELEASE) {
        /* What is known, then the unknown by title, either way: two walks
         * of one index (schema 18's films_list_*), forward or backward. */
        const char *col = f->sort == CC_SORT_YEAR     ? "f.year"
                          : f->sort == CC_SORT_RATING ? "f.sort_rating"
                                                      : "f.sort_release";
        cu_buf_printf(&parts[0].where, " AND %s IS NOT NULL", col);
        cu_buf_printf(&parts[0].range_where, " AND %s%s IS NOT NULL", f->descending ? "" : "+",
                      col);
        cu_buf_printf(&parts[1].where, " AND %s IS NULL", col);
        cu_buf_printf(&parts[1].range_where, " AND %s IS NULL", col);
        order_terms(&parts[0], f);
        if (f->sort == CC_SORT_YEAR) {
            add_term(&parts[1], f->descending, false,
                     "coalesce(f.sort_title, f.title) COLLATE NOCASE");
            add_term(&parts[1], f->descending, false, "f.id");
        } else {
            title_terms(&parts[1], f->descending);
        }
    } else if (f->sort == CC_SORT_RANDOM) {
        /* Ascending: below the seed, then from it; descending: from the
         * top down to the seed, then below it. parts[1] starts at the seed. */
        unsigned seed = (unsigned)f->random_seed;
        const char *first = f->descending ? ">=" : "<", *second = f->descending ? "<" : ">=";
        cu_buf_printf(&parts[0].where, " AND f.sort_shuffle %s %u", first, seed);
        cu_buf_printf(&parts[0].range_where, " AND f.sort_shuffle %s %u", first, seed);
        cu_buf_printf(&parts[1].where, " AND f.sort_shuffle %s %u", second, seed);
        cu_buf_printf(&parts[1].range_where, " AND +f.sort_shuffle %s %u", second, seed);
        for (int i = 0; i < 2; i++)
            order_terms(&parts[i], f);
    } else if (f->sort == CC_SORT_PLAYED || f->sort == CC_SORT_PLAYS) {
        /* The played part joins its films' keys, each computed once per
         * statement (a correlated subquery in the order was computed for
         * every played film, and again for the page's). */
        int played = f->sort == CC_SORT_PLAYS && !f->descending ? 1 : 0;
        parts[played].sorted = true;
        played_from_sql(&parts[played].from, f);
        add_term(&parts[played], f->descending, false, "p.k");
        parts[played].terms[0].selected = true;
        title_terms(&parts[played], f->descending);
        cu_buf_puts(&parts[1 - played].where, " AND f.id NOT IN ");
        played_set_sql(&parts[1 - played].where, f);
        cu_buf_puts(&parts[1 - played].range_where, cu_buf_str(&parts[1 - played].where));
        order_terms(&parts[1 - played], f);
    } else {
        order_terms(&parts[0], f);
        nparts = 1;
    }
    for (int i = 0; i < nparts; i++)
        if (!parts[i].from.len)
            cu_buf_puts(&parts[i].from, " FROM films f");
    return nparts;
}

static void sort_parts_free(sort_part parts[2])
{
    for (int i = 0; i < 2; i++) {
        cu_buf_free(&parts[i].from);
        cu_buf_free(&parts[i].where);
        cu_buf_free(&parts[i].range_where);
    }
}

/* count(*) of the films filter keeps (of part's, when part is not NULL):
 * counting walks every one (a millisecond for 100,000), so the last count
 * is kept while nothing was committed. */
static int count_films(cc_db *db, const cc_film_filter *filter, const sort_part *part, int64_t *out,
                       cu_err *err)
{
    cu_buf sql = CU_BUF_INIT;
    cu_buf_printf(&sql, "SELECT count(*)%s", part ? cu_buf_str(&part->from) : " FROM films f");
    filter_sql(&sql, filter);
    if (part)
        cu_buf_puts(&sql, cu_buf_str(&part->where));
    sqlite3_stmt *st;
    int rc = cc_prepare_cached(db, cu_buf_str(&sql), &st, err);
    cu_buf_free(&sql);
    if (rc < 0)
        return CU_EDB;
    bind_filter(st, filter);
    /* Kept by the question with its values bound (cc_memo.h), and the set
     * of films when it is bound rather than written out. */
    char *key = cc_ids_memo_key(st, filter->ids, filter->id_count);
    cc_memo_stamp when = {0};
    const void *kept;
    size_t kept_len;
    if (key && cc_memo_get(db, key, &when, &kept, &kept_len) && kept_len == sizeof *out) {
        memcpy(out, kept, sizeof *out);
    } else if (sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        if (key)
            cc_memo_put(db, key, &when, out, sizeof *out);
    } else {
        rc = cc_fail(db, err, "counting films");
    }
    sqlite3_free(key);
    sqlite3_reset(st);
    return rc;
}

/* Where a page is being read: the films so far, how many are wanted, and
 * the key of the film at position `at` (the page's last) once read. */
typedef struct page_reader {
    cc_film_page *out;
    int64_t want; /* films still to read */
    size_t at;
    cc_film_key key;
    bool has_key;
} page_reader;

static void key_value_read(sqlite3_stmt *st, int col, cc_key_value *v)
{
    memset(v, 0, sizeof *v);
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
        v->type = CC_KEY_INT;
        v->i = sqlite3_column_int64(st, col);
        break;
    case SQLITE_FLOAT:
        v->type = CC_KEY_REAL;
        v->r = sqlite3_column_double(st, col);
        break;
    case SQLITE_TEXT:
    case SQLITE_BLOB:
        v->type = CC_KEY_TEXT;
        v->text = cc_column_strdup(st, col);
        break;
    default: v->type = CC_KEY_NULL; break;
    }
}

/* Steps st, whose columns are ITEM_COLUMNS (then part's terms, when part
 * is not NULL), into out. */
static int read_items(cc_db *db, sqlite3_stmt *st, cc_film_page *out, page_reader *reader,
                      const sort_part *part, int part_index, cu_err *err)
{
    size_t cap = out->count; /* appends: a page may come in parts */
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
        it->height = sqlite3_column_int(st, 8);
        it->hdr = sqlite3_column_int(st, 9);
        it->sort_key = cc_column_strdup(st, 10);
        if (reader && part && out->count - 1 == reader->at) {
            reader->key.part = part_index;
            reader->key.count = part->count;
            for (int i = 0; i < part->count; i++)
                key_value_read(st, ITEM_COLUMN_COUNT + i, &reader->key.values[i]);
            reader->has_key = true;
        }
    }
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "listing films");
        return CU_EDB;
    }
    return 0;
}

static void bind_key_value(sqlite3_stmt *st, int i, const cc_key_value *v)
{
    switch (v->type) {
    case CC_KEY_INT: sqlite3_bind_int64(st, i, v->i); break;
    case CC_KEY_REAL: sqlite3_bind_double(st, i, v->r); break;
    case CC_KEY_TEXT: sqlite3_bind_text(st, i, v->text, -1, SQLITE_STATIC); break;
    default: sqlite3_bind_null(st, i); break;
    }
}

/* The ids of a page of part's films (and range's), in order: the walk
 * over the catalog, which cc_browse_plan shows. */
static void ids_sql(cu_buf *sql, const cc_film_filter *filter, const sort_part *part,
                    const char *range, int fixed)
{
    cu_buf_puts(sql, "SELECT f.id AS id");
    for (int i = 0; i < part->count; i++)
        if (part->terms[i].selected)
            cu_buf_printf(sql, ", %s AS k%d", part->terms[i].expr, i);
    cu_buf_puts(sql, cu_buf_str(&part->from));
    filter_sql(sql, filter);
    cu_buf_printf(sql, "%s%s ORDER BY ", cu_buf_str(*range ? &part->range_where : &part->where),
                  range);
    /* The first `fixed` terms are fixed by range (equal to a key's): left
     * out, or SQLite 3.40 sorted the films tied on them rather than walk
     * the index on (it does not see an expression's equality). */
    for (int i = fixed; i < part->count; i++)
        cu_buf_printf(sql, "%s%s %s", i > fixed ? ", " : "", part->terms[i].expr,
                      part->terms[i].desc ? "DESC" : "ASC");
    cu_buf_puts(sql, " LIMIT ? OFFSET ?");
}

/* The page's statement: two steps, the page's ids (and selected keys)
 * chosen from the sort index alone, then only those rows read. */
static void page_sql(cu_buf *sql, const cc_film_filter *filter, const sort_part *part,
                     const char *range, int fixed)
{
    cu_buf_puts(sql, "SELECT " ITEM_COLUMNS);
    for (int i = 0; i < part->count; i++) {
        cu_buf_puts(sql, ", ");
        outer_term(sql, part, i);
    }
    cu_buf_puts(sql, " FROM (");
    ids_sql(sql, filter, part, range, fixed);
    cu_buf_puts(sql, ") page JOIN films f ON f.id = page.id" ITEM_JOIN " ORDER BY ");
    order_sql(sql, part);
}

/* Reads up to reader->want films of part (filter's and the part's
 * condition, and `range`, whose parameters are the key values numbered in
 * range_values), in the part's order, from offset on. */
static int read_range(cc_db *db, const cc_film_filter *filter, const sort_part *part,
                      int part_index, const char *range, int fixed, const int *range_values,
                      int range_count, const cc_film_key *after, int64_t offset,
                      page_reader *reader, cu_err *err)
{
    if (reader->want <= 0)
        return 0;
    /* The statement is kept by its text (cc_prepare_cached): the same
     * filter and sort ask the same SQL, the key and the page are bound. */
    cu_buf sql = CU_BUF_INIT;
    page_sql(&sql, filter, part, range, fixed);
    sqlite3_stmt *st;
    int rc = cc_prepare_cached(db, cu_buf_str(&sql), &st, err);
    cu_buf_free(&sql);
    if (rc < 0)
        return CU_EDB;
    int next = bind_filter(st, filter);
    for (int i = 0; i < range_count; i++)
        bind_key_value(st, next++, &after->values[range_values[i]]);
    sqlite3_bind_int64(st, next, reader->want);
    sqlite3_bind_int64(st, next + 1, offset);
    size_t before = reader->out->count;
    sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1); /* a kept statement's last count */
    rc = read_items(db, st, reader->out, reader, part, part_index, err);
    reader->out->steps += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 1);
    sqlite3_reset(st);
    reader->want -= (int64_t)(reader->out->count - before);
    return rc;
}

/* Reads the films of part that come after the key `after`, in order.
 * "After" over terms t1..tn is a union of ranges, each an index seek:
 * (t1..tn-1 as in the key, tn past it), then (t1..tn-2 as in the key,
 * tn-1 past it), ... then (t1 past it); read in that order, they are
 * the part's order. Past a value: greater ascending, NULL counting least;
 * descending, less, then the NULLs (a range of their own). Each term
 * in parentheses: "x IS NULL > ?" would read as "x IS (NULL > ?)". */
/* The range where part's terms before term i are as in the key v, and
 * term i is past v[i] (nulls: is NULL, a descending term's last range).
 * bind gets the key values' indexes in parameter order. False when the
 * range is empty: nothing comes after NULL descending. */
static bool after_range(cu_buf *range, const sort_part *part, int i, const cc_key_value *v,
                        bool nulls, int *bind, int *nbind)
{
    const sort_term *t = &part->terms[i];
    bool null = v[i].type == CC_KEY_NULL;
    *nbind = 0;
    if (null && t->desc)
        return false;
    if (nulls && !(t->desc && t->nullable))
        return false;
    for (int j = 0; j < i; j++) {
        cu_buf_printf(range, " AND (%s) IS ?", part->terms[j].expr);
        bind[(*nbind)++] = j;
    }
    if (nulls) {
        cu_buf_printf(range, " AND (%s) IS NULL", t->expr);
    } else if (null) {
        cu_buf_printf(range, " AND (%s) IS NOT NULL", t->expr);
    } else {
        cu_buf_printf(range, " AND (%s) %s ?", t->expr, t->desc ? "<" : ">");
        bind[(*nbind)++] = i;
    }
    return true;
}

static int read_after(cc_db *db, const cc_film_filter *filter, const sort_part *part,
                      int part_index, const cc_film_key *after, page_reader *reader, cu_err *err)
{
    int rc = 0;
    for (int i = part->count - 1; i >= 0 && rc == 0 && reader->want > 0; i--) {
        for (int nulls = 0; nulls < 2 && rc == 0; nulls++) {
            cu_buf range = CU_BUF_INIT;
            int bind[CC_KEY_TERMS], nbind;
            if (after_range(&range, part, i, after->values, nulls, bind, &nbind))
                rc = read_range(db, filter, part, part_index, cu_buf_str(&range), i, bind, nbind,
                                after, 0, reader, err);
            cu_buf_free(&range);
        }
    }
    return rc;
}

/* Whether key is a key of filter's sort (parts: how many it has). */
static bool key_fits(const cc_film_key *key, const cc_film_filter *f, const sort_part *parts,
                     int nparts)
{
    return key->sort == (int)f->sort && key->descending == (f->descending != 0) &&
           (f->sort != CC_SORT_RANDOM || key->seed == f->random_seed) && key->part >= 0 &&
           key->part < nparts && key->count == parts[key->part].count;
}

int cc_browse_films(cc_db *db, const cc_film_filter *filter, cc_film_page *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (filter->ids && filter->id_count == 0)
        return 0;
    int64_t limit = filter->limit <= 0 ? 50 : filter->limit > 500 ? 500 : filter->limit;
    int64_t offset = filter->offset < 0 || filter->after ? 0 : filter->offset;
    /* One film more than the page: whether there is a next page. */
    page_reader reader = {.out = out, .want = limit + 1, .at = (size_t)limit - 1};
    reader.key.sort = (int)filter->sort;
    reader.key.descending = filter->descending != 0;
    reader.key.seed = filter->sort == CC_SORT_RANDOM ? filter->random_seed : 0;
    cc_film_key after = {0};
    sort_part parts[2];
    int nparts = sort_parts(filter, parts);
    int rc = 0;
    if (filter->after) {
        if ((rc = cc_cursor_decode(filter->after, &after, err)) < 0)
            goto done;
        if (!key_fits(&after, filter, parts, nparts)) {
            rc = cu_err_set(err, CU_EINVAL, "the cursor (after=) belongs to another sort or order");
            goto done;
        }
    }
    if ((rc = count_films(db, filter, NULL, &out->total, err)) < 0)
        goto done;
    int first_part = 0;
    if (filter->after) {
        first_part = after.part;
        rc = read_after(db, filter, &parts[first_part], first_part, &after, &reader, err);
        first_part++;
    }
    for (int p = first_part; p < nparts && rc == 0 && reader.want > 0; p++) {
        /* The page may start in one part and end in the next. */
        int64_t in_part = INT64_MAX;
        if (p + 1 < nparts && offset > 0 &&
            (rc = count_films(db, filter, &parts[p], &in_part, err)) < 0)
            break;
        if (offset < in_part)
            rc = read_range(db, filter, &parts[p], p, "", 0, NULL, 0, NULL, offset, &reader, err);
        offset = offset > in_part ? offset - in_part : 0;
    }
    if (rc == 0 && out->count > (size_t)limit) {
        /* The film past the page: only its presence was wanted. */
        while (out->count > (size_t)limit) {
            cc_film_item *it = &out->items[--out->count];
            free(it->title);
            free(it->original_title);
            free(it->genres);
            free(it->director);
            free(it->sort_key);
        }
        if (reader.has_key)
            out->next = cc_cursor_encode(&reader.key);
    }
done:
    cc_film_key_clear(&after);
    cc_film_key_clear(&reader.key);
    sort_parts_free(parts);
    if (rc < 0)
        cc_browse_films_clear(out);
    return rc;
}

/* Appends the plan of the ids statement of part (with range) as one line
 * (whole: of the page's statement around it). */
static int plan_line(cc_db *db, const cc_film_filter *filter, const sort_part *part,
                     const char *range, int fixed, bool whole, const char *label, cu_buf *out,
                     cu_err *err)
{
    cu_buf sql = CU_BUF_INIT;
    cu_buf_puts(&sql, "EXPLAIN QUERY PLAN ");
    if (whole)
        page_sql(&sql, filter, part, range, fixed);
    else
        ids_sql(&sql, filter, part, range, fixed);
    sqlite3_stmt *st;
    int rc = cc_prepare(db, cu_buf_str(&sql), &st, err);
    cu_buf_free(&sql);
    if (rc < 0)
        return CU_EDB;
    cu_buf_printf(out, "%s %s:", label, whole ? "page" : part->sorted ? "sorted" : "walk");
    while (sqlite3_step(st) == SQLITE_ROW)
        cu_buf_printf(out, " %s |", (const char *)sqlite3_column_text(st, 3));
    cu_buf_puts(out, "\n");
    sqlite3_finalize(st);
    return 0;
}

int cc_browse_plan(cc_db *db, const cc_film_filter *filter, char **out, cu_err *err)
{
    *out = NULL;
    sort_part parts[2];
    int nparts = sort_parts(filter, parts);
    cu_buf plan = CU_BUF_INIT;
    int rc = 0;
    for (int p = 0; p < nparts && rc == 0; p++) {
        char label[64];
        snprintf(label, sizeof label, "part %d", p);
        rc = plan_line(db, filter, &parts[p], "", 0, false, label, &plan, err);
        if (rc == 0)
            rc = plan_line(db, filter, &parts[p], "", 0, true, label, &plan, err);
        /* A key of known values: every range. */
        cc_key_value known[CC_KEY_TERMS];
        for (int i = 0; i < parts[p].count; i++)
            known[i] = (cc_key_value){.type = CC_KEY_INT, .i = 1};
        for (int i = parts[p].count - 1; i >= 0 && rc == 0; i--) {
            for (int nulls = 0; nulls < 2 && rc == 0; nulls++) {
                cu_buf range = CU_BUF_INIT;
                int bind[CC_KEY_TERMS], nbind;
                snprintf(label, sizeof label, "part %d after %d%s", p, i, nulls ? " null" : "");
                if (after_range(&range, &parts[p], i, known, nulls, bind, &nbind))
                    rc = plan_line(db, filter, &parts[p], cu_buf_str(&range), i, false, label,
                                   &plan, err);
                cu_buf_free(&range);
            }
        }
    }
    sort_parts_free(parts);
    if (rc == 0)
        *out = cu_xstrdup(cu_buf_str(&plan));
    cu_buf_free(&plan);
    return rc;
}

void cc_browse_films_clear(cc_film_page *page)
{
    for (size_t i = 0; i < page->count; i++) {
        free(page->items[i].title);
        free(page->items[i].original_title);
        free(page->items[i].genres);
        free(page->items[i].director);
        free(page->items[i].sort_key);
    }
    free(page->items);
    free(page->next);
    memset(page, 0, sizeof *page);
}

int cc_count_list_read(cc_db *db, const char *sql, const int64_t *ids, size_t id_count,
                       cc_count_list *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    if (ids)
        cc_ids_bind(st, 1, ids, id_count);
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
                              NULL, 0, out, err);
}

int cc_browse_genres(cc_db *db, cc_count_list *out, cu_err *err)
{
    return cc_count_list_read(db,
                              "SELECT value, count(*) FROM film_terms WHERE kind = 'genre'"
                              " GROUP BY value ORDER BY value COLLATE NOCASE",
                              NULL, 0, out, err);
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
    /* Whole-table counts (the failed files are a scan of every file):
     * kept while nothing is committed, for the status every page polls. */
    cc_memo_stamp when;
    const void *kept;
    size_t kept_len;
    if (cc_memo_get(db, "totals", &when, &kept, &kept_len) && kept_len == sizeof *out) {
        memcpy(out, kept, sizeof *out);
        return 0;
    }
    int rc = 0;
    out->films = count_query(db, "SELECT count(*) FROM films", &rc, err);
    out->extras = count_query(db, "SELECT count(*) FROM extras", &rc, err);
    out->files = count_query(db, "SELECT count(*) FROM files", &rc, err);
    out->failed_files =
        count_query(db, "SELECT count(*) FROM files WHERE probe_error IS NOT NULL", &rc, err);
    out->people = count_query(db, "SELECT count(*) FROM people", &rc, err);
    if (rc == 0)
        cc_memo_put(db, "totals", &when, out, sizeof *out);
    return rc;
}

/* The letters as the memo keeps them: each a count and a name, NUL ended. */
static void letters_pack(const cc_count_list *list, cu_buf *out)
{
    for (size_t i = 0; i < list->count; i++) {
        cu_buf_append(out, &list->items[i].count, sizeof list->items[i].count);
        cu_buf_append(out, list->items[i].name ? list->items[i].name : "",
                      strlen(list->items[i].name ? list->items[i].name : "") + 1);
    }
}

static void letters_unpack(const char *data, size_t len, cc_count_list *out)
{
    size_t cap = 0;
    const char *p = data, *end = data + len;
    while (end - p > (ptrdiff_t)sizeof(int64_t)) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 32;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        cc_count_item *it = &out->items[out->count++];
        memcpy(&it->count, p, sizeof it->count);
        p += sizeof it->count;
        it->name = cu_xstrdup(p);
        p += strlen(p) + 1;
    }
}

int cc_browse_letters(cc_db *db, const cc_film_filter *filter, cc_count_list *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (filter->ids && filter->id_count == 0)
        return 0;
    cu_buf sql = CU_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;
    /* Letters in key order: each group is a run of the sorted keys, so
     * ordering the groups by their smallest key keeps the shelf's order. */
    cu_buf_puts(&sql, "SELECT CASE WHEN k GLOB '[a-z]*' THEN substr(k, 1, 1)"
                      " WHEN k GLOB '[0-9]*' THEN '0' ELSE '#' END AS letter, count(*), min(k)"
                      " FROM (SELECT coalesce(f.sort_key, '') AS k FROM films f");
    filter_sql(&sql, filter);
    cu_buf_puts(&sql, ") GROUP BY letter ORDER BY min(k)");
    if (cc_prepare(db, cu_buf_str(&sql), &st, err) < 0)
        goto done;
    bind_filter(st, filter);
    /* Counting every film's key: kept, by the question with its values
     * bound, while nothing is committed (cc_memo.h). */
    char *key = cc_ids_memo_key(st, filter->ids, filter->id_count);
    cc_memo_stamp when = {0};
    const void *kept;
    size_t kept_len;
    if (key && cc_memo_get(db, key, &when, &kept, &kept_len)) {
        letters_unpack(kept, kept_len, out);
        sqlite3_free(key);
        rc = 0;
        goto done;
    }
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 32;
            out->items = cu_xreallocarray(out->items, cap, sizeof *out->items);
        }
        out->items[out->count].name = cc_column_strdup(st, 0);
        out->items[out->count].count = sqlite3_column_int64(st, 1);
        out->count++;
    }
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "counting letters");
        cc_browse_counts_clear(out);
        sqlite3_free(key);
        goto done;
    }
    if (key) {
        cu_buf packed = CU_BUF_INIT;
        letters_pack(out, &packed);
        cc_memo_put(db, key, &when, packed.data, packed.len);
        cu_buf_free(&packed);
        sqlite3_free(key);
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    cu_buf_free(&sql);
    return rc;
}

int cc_browse_similar(cc_db *db, int64_t film_id, const int64_t *ids, size_t id_count,
                      int64_t limit, cc_film_page *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (ids && id_count == 0)
        return 0;
    if (limit < 1 || limit > 50)
        limit = 12;
    cu_buf sql = CU_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;
    cu_buf_puts(
        &sql, "SELECT " ITEM_COLUMNS " FROM (SELECT film_id, sum(w) AS score FROM ("
              " SELECT c2.film_id AS film_id, CASE c1.job WHEN 'director' THEN 3 ELSE 1 END AS w"
              "  FROM credits c1 JOIN credits c2 ON c2.person_id = c1.person_id AND c2.job = c1.job"
              "  WHERE c1.film_id = ?1 AND c2.film_id != ?1"
              "   AND c1.job IN ('director', 'writer', 'actor')"
              " UNION ALL SELECT t2.film_id, 1 FROM film_terms t1 JOIN film_terms t2"
              "  ON t2.kind = t1.kind AND t2.value = t1.value"
              "  WHERE t1.film_id = ?1 AND t1.kind = 'genre' AND t2.film_id != ?1"
              " UNION ALL SELECT f2.id, 3 FROM films f1 JOIN films f2"
              "  ON f2.collection_id = f1.collection_id WHERE f1.id = ?1 AND f2.id != ?1"
              ") GROUP BY film_id) s JOIN films f ON f.id = s.film_id" ITEM_JOIN " WHERE 1");
    if (ids) {
        cu_buf_puts(&sql, " AND ");
        cc_ids_sql(&sql, "f.id", ids, id_count);
    }
    cu_buf_printf(&sql, " ORDER BY s.score DESC, f.sort_key, f.id LIMIT %lld", (long long)limit);
    if (cc_prepare(db, cu_buf_str(&sql), &st, err) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, film_id);
    if (ids)
        cc_ids_bind(st, 2, ids, id_count);
    if (read_items(db, st, out, NULL, NULL, 0, err) < 0) {
        cc_browse_films_clear(out);
        goto done;
    }
    out->total = (int64_t)out->count;
    rc = 0;
done:
    sqlite3_finalize(st);
    cu_buf_free(&sql);
    return rc;
}
