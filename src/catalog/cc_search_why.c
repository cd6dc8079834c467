/* cc_search_why: the reason a film matched (see cc_search_why.h). */
#include "catalog/cc_search_why.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_search_words.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define WHY_WORDS_MAX 16

typedef struct {
    char *words[WHY_WORDS_MAX];
    size_t count;
    bool last_prefix;
    cu_buf folded;
} query_words;

static void query_split(query_words *q, const char *query)
{
    memset(q, 0, sizeof *q);
    size_t len = strlen(query);
    q->last_prefix = len > 0 && query[len - 1] != ' ';
    cc_search_words_append_text(&q->folded, query);
    char *p = q->folded.data;
    while (p && *p && q->count < WHY_WORDS_MAX) {
        char *space = strchr(p, ' ');
        if (space)
            *space = '\0';
        if (*p)
            q->words[q->count++] = p;
        if (!space)
            break;
        p = space + 1;
    }
}

/* Whether text holds every query word (the last as a prefix when typed
 * so). */
static bool text_matches(const query_words *q, const char *text)
{
    if (!text || !q->count)
        return false;
    cu_buf folded = CU_BUF_INIT;
    cc_search_words_append_text(&folded, text);
    const char *t = cu_buf_str(&folded);
    bool all = true;
    for (size_t i = 0; i < q->count && all; i++) {
        size_t wl = strlen(q->words[i]);
        bool prefix = q->last_prefix && i == q->count - 1;
        bool found = false;
        for (const char *p = t; *p && !found;) {
            const char *end = strchr(p, ' ');
            size_t tl = end ? (size_t)(end - p) : strlen(p);
            found = prefix ? tl >= wl && !strncmp(p, q->words[i], wl)
                           : tl == wl && !strncmp(p, q->words[i], wl);
            p += tl;
            while (*p == ' ')
                p++;
        }
        all = found;
    }
    cu_buf_free(&folded);
    return all;
}

/* The first row of sql (?1 = film id) whose column 0 matches; its
 * columns 0 and 1 copied out. 1 when found, 0 when not, <0 on error. */
static int first_match(cc_db *db, const char *sql, int64_t film_id, const query_words *q,
                       char **text, char **extra, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step, found = 0;
    while (!found && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (text_matches(q, t)) {
            *text = cu_xstrdup(t);
            if (extra)
                *extra = cc_column_strdup(st, 1);
            found = 1;
        }
    }
    sqlite3_finalize(st);
    if (!found && step != SQLITE_DONE)
        return cc_fail(db, err, "reading why a film matched");
    return found;
}

int cc_search_why_film(cc_db *db, int64_t film_id, const char *query, cc_search_why *out,
                       cu_err *err)
{
    memset(out, 0, sizeof *out);
    query_words q;
    query_split(&q, query ? query : "");
    int rc = 0;
    if (!q.count)
        goto done;
    static const struct {
        const char *field, *sql;
    } fields[] = {
        {"title", "SELECT title, NULL FROM films WHERE id = ?1"},
        {"original_title", "SELECT original_title, NULL FROM films WHERE id = ?1"},
        {"person",
         "SELECT p.name, c.job FROM credits c JOIN people p ON p.id = c.person_id"
         " WHERE c.film_id = ?1 ORDER BY c.job = 'actor', coalesce(c.billing, 0), c.rowid"},
        {"character", "SELECT character, NULL FROM credits WHERE film_id = ?1"
                      " AND character IS NOT NULL ORDER BY coalesce(billing, 0), rowid"},
        {"extra", "SELECT title, type FROM extras WHERE film_id = ?1 ORDER BY id"},
        {"plot", "SELECT plot, NULL FROM films WHERE id = ?1"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        char *text = NULL, *extra = NULL;
        rc = first_match(db, fields[i].sql, film_id, &q, &text, &extra, err);
        if (rc < 0)
            goto done;
        if (rc == 0)
            continue;
        rc = 0;
        if (i == 0) { /* the title says it: no reason to give */
            free(text);
            free(extra);
            goto done;
        }
        out->field = fields[i].field;
        if (strcmp(out->field, "plot")) {
            out->text = text;
        } else {
            free(text);
        }
        if (!strcmp(out->field, "person"))
            out->job = extra;
        else
            free(extra);
        goto done;
    }
done:
    cu_buf_free(&q.folded);
    return rc;
}

void cc_search_why_clear(cc_search_why *why)
{
    free(why->text);
    free(why->job);
    memset(why, 0, sizeof *why);
}
