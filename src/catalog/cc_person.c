/* cc_person: people credited on films, shared across films by exact name. */
#include "catalog/cc_person.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_search_index.h"
#include "util/cu_fold.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

int cc_person_thumbs(cc_db *db, cu_arena *arena, const int64_t *ids, size_t count, char **thumbs,
                     cu_err *err)
{
    static const char sql[] = "SELECT thumb FROM people WHERE id = ?1";
    for (size_t i = 0; i < count; i++) {
        sqlite3_stmt *st;
        if (cc_prepare_kept(db, sql, &st, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(st, 1, ids[i]);
        int step = sqlite3_step(st);
        thumbs[i] = step == SQLITE_ROW ? cc_column_adup(arena, st, 0) : NULL;
        sqlite3_reset(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            return cc_fail(db, err, "reading people's photos");
    }
    return 0;
}

/* The id of the person called name, created when new. */
int cc_person_ensure(cc_db *db, const char *name, const char *thumb, int64_t *id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO people (name, folded, thumb) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT(name) DO UPDATE SET thumb = coalesce(excluded.thumb, thumb)"
                   " RETURNING id",
                   &st, err) < 0)
        return CU_EDB;
    char *folded = cu_fold(name);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, folded, -1, free);
    cc_bind_text_or_null(st, 3, thumb);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (step == SQLITE_ROW)
        step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE || !*id)
        return cc_fail(db, err, "saving person");
    return cc_search_index_person(db, *id, name, err);
}

int cc_person_get(cc_db *db, int64_t id, cc_person **out, cu_err *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    cc_person *p = cu_xcalloc(1, sizeof *p);
    int step;
    if (cc_prepare(db, "SELECT id, name, thumb FROM people WHERE id = ?1", &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        p->id = sqlite3_column_int64(st, 0);
        p->name = cc_column_strdup(st, 1);
        p->thumb = cc_column_strdup(st, 2);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_ROW) {
        if (step == SQLITE_DONE)
            cu_err_set(err, CU_ENOTFOUND, "no person with id %lld", (long long)id);
        else
            cc_fail(db, err, "reading person");
        goto fail;
    }
    if (cc_prepare(db,
                   "SELECT f.id, f.title, f.year, c.job, c.character,"
                   " EXISTS (SELECT 1 FROM artwork a WHERE a.film_id = f.id AND a.kind = 'poster')"
                   " FROM credits c"
                   " JOIN films f ON f.id = c.film_id WHERE c.person_id = ?1"
                   " ORDER BY f.year IS NULL, f.year, f.title COLLATE NOCASE, c.job",
                   &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    size_t cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->role_count == cap) {
            cap = cap ? cap * 2 : 8;
            p->roles = cu_xreallocarray(p->roles, cap, sizeof *p->roles);
        }
        cc_person_role *r = &p->roles[p->role_count++];
        r->film_id = sqlite3_column_int64(st, 0);
        r->title = cc_column_strdup(st, 1);
        r->year = sqlite3_column_int(st, 2);
        r->job = cc_column_strdup(st, 3);
        r->character = cc_column_strdup(st, 4);
        r->has_poster = sqlite3_column_int(st, 5) != 0;
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "reading roles");
        goto fail;
    }
    if (cc_prepare(
            db,
            "SELECT o.person_id, p.name, count(DISTINCT o.film_id) AS n"
            " FROM credits me JOIN credits o ON o.film_id = me.film_id AND o.person_id != me.person_id"
            " JOIN people p ON p.id = o.person_id WHERE me.person_id = ?1"
            " GROUP BY o.person_id ORDER BY n DESC, p.name LIMIT 20",
            &st, err) < 0)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (p->collaborator_count == cap) {
            cap = cap ? cap * 2 : 8;
            p->collaborators = cu_xreallocarray(p->collaborators, cap, sizeof *p->collaborators);
        }
        cc_collaborator *c = &p->collaborators[p->collaborator_count++];
        c->person_id = sqlite3_column_int64(st, 0);
        c->name = cc_column_strdup(st, 1);
        c->films = sqlite3_column_int(st, 2);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "reading collaborators");
        goto fail;
    }
    *out = p;
    return 0;
fail:
    cc_person_free(p);
    return err && err->code ? err->code : CU_EDB;
}

void cc_person_free(cc_person *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->role_count; i++) {
        free(p->roles[i].title);
        free(p->roles[i].job);
        free(p->roles[i].character);
    }
    for (size_t i = 0; i < p->collaborator_count; i++)
        free(p->collaborators[i].name);
    free(p->roles);
    free(p->collaborators);
    free(p->name);
    free(p->thumb);
    free(p);
}

int cc_person_prune(cc_db *db, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "DELETE FROM people WHERE NOT EXISTS"
                   " (SELECT 1 FROM credits WHERE credits.person_id = people.id) RETURNING id",
                   &st, err) < 0)
        return CU_EDB;
    /* RETURNING rows come after every row was deleted. */
    int64_t *ids;
    size_t count;
    int rc = cc_step_ids(db, st, &ids, &count, err, "pruning people");
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = cc_search_index_forget_person(db, ids[i], err);
    free(ids);
    return rc;
}
