/* cc_edition: editions and versions of films, and which files are in them. */
#include "catalog/cc_edition.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_stream.h"

#include <stdlib.h>
#include <string.h>

static int find_or_add(cc_db *db, const char *select, const char *insert, int64_t parent,
                       const char *label, const char *kind, int64_t *id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, select, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, parent);
    sqlite3_bind_text(st, 2, label ? label : "", -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return cc_fail(db, err, "finding an edition or version");
    if (*id)
        return 0;
    if (cc_prepare(db, insert, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, parent);
    sqlite3_bind_text(st, 2, label ? label : "", -1, SQLITE_TRANSIENT);
    if (kind)
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
    int rc = cc_step_done(db, st, err, "adding an edition or version");
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(db->sql);
    return rc;
}

int cc_edition_place(cc_db *db, int64_t film_id, const char *edition_label,
                     const char *version_label, const char *kind, int64_t file_id, int disc_title,
                     const char *title_kind, cu_err *err)
{
    int64_t edition_id, version_id;
    int rc = find_or_add(db, "SELECT id FROM editions WHERE film_id = ?1 AND label = ?2",
                         "INSERT INTO editions (film_id, label) VALUES (?1, ?2)", film_id,
                         edition_label, NULL, &edition_id, err);
    if (rc == 0)
        rc = find_or_add(db, "SELECT id FROM versions WHERE edition_id = ?1 AND label = ?2",
                         "INSERT INTO versions (edition_id, label, kind) VALUES (?1, ?2, ?3)",
                         edition_id, version_label, kind ? kind : "file", &version_id, err);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE versions SET kind = ?2 WHERE id = ?1 AND kind != ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, version_id);
    sqlite3_bind_text(st, 2, kind ? kind : "file", -1, SQLITE_STATIC);
    if ((rc = cc_step_done(db, st, err, "setting a version's kind")) < 0)
        return rc;
    if (cc_prepare(db,
                   /* A disc's title numbers are known only when it was read
                    * in this scan: an unchanged disc keeps its own. */
                   "UPDATE files SET version_id = ?2, disc_title = coalesce(?3, disc_title),"
                   " title_kind = ?4 WHERE id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int64(st, 2, version_id);
    if (disc_title > 0)
        sqlite3_bind_int(st, 3, disc_title);
    else
        sqlite3_bind_null(st, 3);
    cc_bind_text_or_null(st, 4, title_kind);
    return cc_step_done(db, st, err, "placing a file in its version");
}

int cc_edition_prune(cc_db *db, cu_err *err)
{
    return cc_exec(db,
                   "DELETE FROM versions WHERE NOT EXISTS"
                   "  (SELECT 1 FROM files WHERE files.version_id = versions.id);"
                   "DELETE FROM editions WHERE NOT EXISTS"
                   "  (SELECT 1 FROM versions WHERE versions.edition_id = editions.id);",
                   err);
}

int cc_edition_migrate(cc_db *db, cu_err *err)
{
    return cc_exec(db,
                   "INSERT INTO editions (film_id, label)"
                   "  SELECT DISTINCT film_id, '' FROM files"
                   "  WHERE role = 'main' AND film_id IS NOT NULL;"
                   "INSERT INTO versions (edition_id, label, kind)"
                   "  SELECT DISTINCT e.id, coalesce(f.version, ''), 'file'"
                   "  FROM files f JOIN editions e ON e.film_id = f.film_id WHERE f.role = 'main';"
                   "UPDATE files SET version_id = (SELECT v.id FROM versions v"
                   "  JOIN editions e ON e.id = v.edition_id"
                   "  WHERE e.film_id = files.film_id AND v.label = coalesce(files.version, ''))"
                   "  WHERE role = 'main' AND film_id IS NOT NULL;",
                   err);
}

int cc_edition_list(cc_db *db, cu_arena *arena, int64_t film_id, cc_edition **editions,
                    size_t *count, cu_err *err)
{
    *editions = NULL;
    *count = 0;
    sqlite3_stmt *st;
    /* Rows come edition by edition, version by version: default labels
     * first, a disc's main title before its other titles, parts in order. */
    if (cc_prepare_kept(
            db,
            "SELECT e.id, e.label, v.id, v.label, v.kind, f.title_kind, " CC_FILE_COLUMNS
            " FROM files f JOIN versions v ON v.id = f.version_id"
            " JOIN editions e ON e.id = v.edition_id WHERE e.film_id = ?1"
            " ORDER BY e.label != '', e.label COLLATE NOCASE, e.id,"
            " v.label != '', v.label COLLATE NOCASE, v.id,"
            " coalesce(f.title_kind, 'main') != 'main', f.part, f.disc_title, f.path",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    size_t edition_cap = 0;
    size_t version_cap = 0, file_cap = 0;
    cc_edition *e = NULL;
    cc_version *v = NULL;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t eid = sqlite3_column_int64(st, 0), vid = sqlite3_column_int64(st, 2);
        if (!e || e->id != eid) {
            if (*count == edition_cap) {
                *editions = cu_arena_grow(arena, *editions, edition_cap,
                                          edition_cap ? edition_cap * 2 : 2, sizeof **editions);
                edition_cap = edition_cap ? edition_cap * 2 : 2;
            }
            e = &(*editions)[(*count)++];
            memset(e, 0, sizeof *e);
            e->id = eid;
            e->label = cc_column_adup(arena, st, 1);
            if (!e->label)
                e->label = "";
            v = NULL;
            version_cap = 0;
        }
        if (!v || v->id != vid) {
            if (e->version_count == version_cap) {
                e->versions = cu_arena_grow(arena, e->versions, version_cap,
                                            version_cap ? version_cap * 2 : 2, sizeof *e->versions);
                version_cap = version_cap ? version_cap * 2 : 2;
            }
            v = &e->versions[e->version_count++];
            memset(v, 0, sizeof *v);
            v->id = vid;
            v->label = cc_column_adup(arena, st, 3);
            if (!v->label)
                v->label = "";
            v->kind = cc_column_adup(arena, st, 4);
            if (!v->kind)
                v->kind = "file";
            file_cap = 0;
        }
        if (v->file_count == file_cap) {
            v->files = cu_arena_grow(arena, v->files, file_cap, file_cap ? file_cap * 2 : 2,
                                     sizeof *v->files);
            file_cap = file_cap ? file_cap * 2 : 2;
        }
        cc_file *f = &v->files[v->file_count++];
        memset(f, 0, sizeof *f);
        cc_file_read_columns(arena, st, 6, f);
        f->title_kind = cc_column_adup(arena, st, 5);
    }
    sqlite3_reset(st);
    int rc = step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading editions");
    for (size_t i = 0; i < *count && rc == 0; i++) {
        cc_edition *ed = &(*editions)[i];
        for (size_t j = 0; j < ed->version_count && rc == 0; j++) {
            cc_version *ver = &ed->versions[j];
            double runtime = 0;
            for (size_t k = 0; k < ver->file_count && rc == 0; k++) {
                cc_file *f = &ver->files[k];
                if (!f->title_kind || !strcmp(f->title_kind, "main"))
                    runtime += f->duration;
                rc = cc_stream_list(db, arena, f->id, &f->streams, &f->stream_count, err);
            }
            if (runtime > ed->runtime)
                ed->runtime = runtime;
        }
    }
    return rc;
}
