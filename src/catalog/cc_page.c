/* cc_page: a page of films' artwork, watch state and favourites, one
 * statement each for the whole page (cc_page.h). */
#include "catalog/cc_page.h"
#include "catalog/cc_internal.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

/* Where each id of the page sits: sorted (id, position) pairs, so that a
 * row of the answer finds every place its film takes in the page. */
typedef struct slot {
    int64_t id;
    size_t at;
} slot;

static int cmp_slot(const void *a, const void *b)
{
    const slot *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

typedef struct page_ids {
    slot *slots;
    size_t count;
    cu_buf list; /* "[1,2,3]": bound as JSON, read with json_each, so the SQL is constant */
} page_ids;

static int page_ids_make(page_ids *p, const int64_t *ids, size_t count, cu_err *err)
{
    memset(p, 0, sizeof *p);
    p->list = (cu_buf)CU_BUF_INIT;
    if (count > CC_PAGE_MAX)
        return cu_err_set(err, CU_EINVAL, "a page of at most %d films", CC_PAGE_MAX);
    p->slots = cu_xreallocarray(NULL, count ? count : 1, sizeof *p->slots);
    cu_buf_puts(&p->list, "[");
    for (size_t i = 0; i < count; i++) {
        p->slots[i] = (slot){ids[i], i};
        if (i)
            cu_buf_putc(&p->list, ',');
        cu_buf_put_i64(&p->list, ids[i]);
    }
    cu_buf_puts(&p->list, "]");
    p->count = count;
    qsort(p->slots, count, sizeof *p->slots, cmp_slot);
    return 0;
}

static void page_ids_free(page_ids *p)
{
    free(p->slots);
    cu_buf_free(&p->list);
}

/* The first slot of id (a run of equal ids follows it), or count. */
static size_t first_slot(const page_ids *p, int64_t id)
{
    size_t lo = 0, hi = p->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->slots[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->count && p->slots[lo].id == id ? lo : p->count;
}

int cc_page_artwork(cc_db *db, cu_arena *arena, const int64_t *ids, size_t count, char **posters,
                    char **backdrops, cu_err *err)
{
    if (count > CC_PAGE_MAX)
        return cu_err_set(err, CU_EINVAL, "a page of at most %d films", CC_PAGE_MAX);
    for (size_t i = 0; i < count; i++)
        posters[i] = backdrops[i] = NULL;
    if (!count)
        return 0;
    page_ids p;
    int rc = page_ids_make(&p, ids, count, err);
    if (rc < 0)
        return rc;
    static const char *const sql = "SELECT film_id, kind, path FROM artwork"
                                   " WHERE film_id IN (SELECT value FROM json_each(?9))"
                                   " AND kind IN ('poster', 'backdrop')";
    sqlite3_stmt *st = NULL;
    rc = CU_EDB;
    if (cc_prepare_kept(db, sql, &st, err) < 0)
        goto done;
    sqlite3_bind_text(st, 9, cu_buf_str(&p.list), -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        char **to = kind && !strcmp(kind, "poster") ? posters : backdrops;
        char *path = cc_column_adup(arena, st, 2);
        for (size_t k = first_slot(&p, id); k < p.count && p.slots[k].id == id; k++)
            to[p.slots[k].at] = path;
    }
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "reading a page's artwork");
        goto done;
    }
    rc = 0;
done:
    if (st)
        sqlite3_reset(st);
    page_ids_free(&p);
    return rc;
}

/* One film's state, gathered from its main files' rows (cc_watch.h's
 * rules, as cc_watch_film_get applies them in SQL). */
typedef struct film_state {
    cc_watch w;
    bool any_version_done; /* some version had every part watched */
    bool version_open;     /* a version is being read */
    bool version_done;     /* every part of it so far watched */
    double best_played;    /* the row the position comes from: last played, */
    int best_part;         /* then the latest part */
    bool has_best;
} film_state;

static void version_end(film_state *s)
{
    if (s->version_open && s->version_done)
        s->any_version_done = true;
    s->version_open = false;
}

int cc_page_watch(cc_db *db, int64_t user_id, const int64_t *ids, size_t count, cc_watch *out,
                  cu_err *err)
{
    if (count > CC_PAGE_MAX)
        return cu_err_set(err, CU_EINVAL, "a page of at most %d films", CC_PAGE_MAX);
    if (count)
        memset(out, 0, count * sizeof *out);
    if (!count)
        return 0;
    page_ids p;
    int rc = page_ids_make(&p, ids, count, err);
    if (rc < 0)
        return rc;
    /* Every main file of the page's films with some row of the user's
     * (few on most pages: a film with none has the empty state), with the
     * user's row when there is one, grouped by film and then by version.
     * Which films have a row is asked of the files index alone, and only
     * those films have their files read (CROSS JOIN: from the page, not
     * from every row of the user's). Measured: the page's files were a
     * quarter of a films page's time; asking in one statement, not two,
     * spares a played page a second pass over its films. */
    static const char *const sql =
        "SELECT f.film_id, coalesce(f.version, ''), f.part, w.file_id IS NOT NULL,"
        " coalesce(w.watched, 0), coalesce(w.play_count, 0), w.last_played,"
        " coalesce(w.position, 0)"
        " FROM files f LEFT JOIN watch w ON w.user_id = ?1 AND w.file_id = f.id"
        " WHERE f.role = 'main' AND f.film_id IN (SELECT x.film_id FROM files x"
        " CROSS JOIN watch v ON v.user_id = ?1 AND v.file_id = x.id"
        " WHERE x.film_id IN (SELECT value FROM json_each(?9)))"
        " ORDER BY f.film_id, coalesce(f.version, '')";
    sqlite3_stmt *st = NULL;
    rc = CU_EDB;
    if (cc_prepare_kept(db, sql, &st, err) < 0)
        goto done;
    sqlite3_bind_text(st, 9, cu_buf_str(&p.list), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 1, user_id);
    int step;
    film_state s = {0};
    int64_t film = 0;
    char version[512] = "";
    bool open = false;
    /* Stores s into every slot of film. */
#define FLUSH()                                                                                    \
    do {                                                                                           \
        if (open) {                                                                                \
            version_end(&s);                                                                       \
            s.w.watched = s.any_version_done;                                                      \
            for (size_t k = first_slot(&p, film); k < p.count && p.slots[k].id == film; k++)       \
                out[p.slots[k].at] = s.w;                                                          \
        }                                                                                          \
    } while (0)
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *ver = (const char *)sqlite3_column_text(st, 1);
        if (!ver)
            ver = "";
        if (!open || id != film) {
            FLUSH();
            memset(&s, 0, sizeof s);
            film = id;
            open = true;
            version[0] = '\0';
        }
        if (!s.version_open || strcmp(ver, version)) {
            version_end(&s);
            s.version_open = true;
            s.version_done = true;
            cu_strlcpy(version, ver, sizeof version);
        }
        bool has_row = sqlite3_column_int(st, 3) != 0;
        if (!sqlite3_column_int(st, 4))
            s.version_done = false;
        if (!has_row)
            continue;
        int64_t plays = sqlite3_column_int64(st, 5);
        if (plays > s.w.play_count)
            s.w.play_count = plays;
        bool played_known = sqlite3_column_type(st, 6) != SQLITE_NULL;
        int64_t played = sqlite3_column_int64(st, 6);
        if (played > s.w.last_played)
            s.w.last_played = played;
        /* The position of the row played last (never played counts as
         * least), then of the latest part. */
        double key = played_known ? (double)played : -1e300;
        int part = sqlite3_column_int(st, 2);
        if (!s.has_best || key > s.best_played || (key == s.best_played && part > s.best_part)) {
            s.has_best = true;
            s.best_played = key;
            s.best_part = part;
            s.w.position = sqlite3_column_double(st, 7);
        }
    }
    FLUSH();
#undef FLUSH
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "reading a page's watch state");
        goto done;
    }
    rc = 0;
done:
    if (st)
        sqlite3_reset(st);
    page_ids_free(&p);
    return rc;
}

/* Marks out[i] true for each ids[i] that sql (a kept statement whose one
 * column is a film id, ?9 the page's ids, ?1 user_id) returns. */
static int mark_films(cc_db *db, const char *sql, int64_t user_id, const int64_t *ids, size_t count,
                      bool *out, const char *what, cu_err *err)
{
    if (count > CC_PAGE_MAX)
        return cu_err_set(err, CU_EINVAL, "a page of at most %d films", CC_PAGE_MAX);
    for (size_t i = 0; i < count; i++)
        out[i] = false;
    if (!count)
        return 0;
    page_ids p;
    int rc = page_ids_make(&p, ids, count, err);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = CU_EDB;
    if (cc_prepare_kept(db, sql, &st, err) < 0)
        goto done;
    sqlite3_bind_text(st, 9, cu_buf_str(&p.list), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 1, user_id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        for (size_t k = first_slot(&p, id); k < p.count && p.slots[k].id == id; k++)
            out[p.slots[k].at] = true;
    }
    if (step != SQLITE_DONE) {
        cc_fail(db, err, what);
        goto done;
    }
    rc = 0;
done:
    if (st)
        sqlite3_reset(st);
    page_ids_free(&p);
    return rc;
}

int cc_page_favorites(cc_db *db, int64_t user_id, const int64_t *ids, size_t count, bool *out,
                      cu_err *err)
{
    static const char *const sql =
        "SELECT film_id FROM favorites"
        " WHERE user_id = ?1 AND film_id IN (SELECT value FROM json_each(?9))";
    return mark_films(db, sql, user_id, ids, count, out, "reading a page's favourites", err);
}

int cc_page_offline(cc_db *db, const int64_t *ids, size_t count, bool *out, cu_err *err)
{
    /* No root offline (the usual case): no film is, and the page's files
     * need not be read (a tenth of a page's time, measured). */
    sqlite3_stmt *any = NULL;
    if (count && count <= CC_PAGE_MAX) {
        if (cc_prepare_kept(db, "SELECT EXISTS (SELECT 1 FROM roots WHERE offline)", &any, err) < 0)
            return CU_EDB;
        int step = sqlite3_step(any);
        bool some = step == SQLITE_ROW && sqlite3_column_int(any, 0);
        sqlite3_reset(any);
        if (step != SQLITE_ROW)
            return cc_fail(db, err, "reading the offline roots");
        if (!some) {
            for (size_t i = 0; i < count; i++)
                out[i] = false;
            return 0;
        }
    }
    /* As cc_root_film_offline: some main file, and every one of them
     * under an offline root. (?1 is not used.) */
    static const char *const sql =
        "SELECT f.film_id FROM files f LEFT JOIN roots r ON r.path = f.root"
        " WHERE f.role = 'main' AND f.film_id IN (SELECT value FROM json_each(?9))"
        " GROUP BY f.film_id"
        " HAVING coalesce(sum(r.offline), 0) >= count(*)";
    return mark_films(db, sql, 0, ids, count, out, "reading a page's offline films", err);
}
