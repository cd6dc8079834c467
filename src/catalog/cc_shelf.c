/* cc_shelf: sort keys and collection membership, computed at write time
 * (see cc_shelf.h). */
#include "catalog/cc_shelf.h"
#include "catalog/cc_internal.h"
#include "util/cu_sortkey.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COLLECTION_NAME_MAX 256

const char *cc_shelf_folder_collection(const char *key, size_t *len)
{
    static const char marker[] = "collections/";
    const size_t mlen = sizeof marker - 1;
    const char *found = NULL;
    size_t found_len = 0;
    if (!key)
        return NULL;
    /* The innermost Collections/<Name>/ wins: "Collections/Ghibli/..." in
     * a library that itself lives under another Collections folder. */
    for (const char *p = key; *p; p++) {
        if ((p == key || p[-1] == '/') && strncasecmp(p, marker, mlen) == 0) {
            const char *name = p + mlen;
            const char *slash = strchr(name, '/');
            if (slash && slash > name && (size_t)(slash - name) <= COLLECTION_NAME_MAX &&
                slash[1] != '\0') {
                found = name;
                found_len = (size_t)(slash - name);
            }
        }
    }
    if (found && found[0] == '.')
        return NULL; /* hidden folders are never collections */
    *len = found_len;
    return found;
}

/* The first text the statement (film id bound as ?1) returns, copied, or
 * NULL; *rc set on a database error. */
static char *first_text(cc_db *db, const char *sql, int64_t film_id, cu_err *err, int *rc)
{
    sqlite3_stmt *st;
    char *text = NULL;
    if (cc_prepare(db, sql, &st, err) < 0) {
        *rc = CU_EDB;
        return NULL;
    }
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        text = cc_column_strdup(st, 0);
    else if (step != SQLITE_DONE)
        *rc = cc_fail(db, err, "reading a title's language");
    sqlite3_finalize(st);
    return text;
}

/* The language a film's title is written in, where the catalog knows it
 * and the title is the original one (a translated title's language is
 * not recorded), as a user would expect, most telling first: the .nfo's
 * <language>; else the language of the main audio track (the default
 * one, else the first) of the film's first main file, "und" and the like
 * being no language; else the language of its countries. A copy, or NULL. */
static char *title_language(cc_db *db, int64_t film_id, const char *title, const char *original,
                            cu_err *err, int *rc)
{
    if (original && *original && strcasecmp(original, title) != 0)
        return NULL;
    char *lang = first_text(db,
                            "SELECT value FROM film_terms WHERE film_id = ?1 AND kind = 'language'"
                            " ORDER BY value LIMIT 1",
                            film_id, err, rc);
    if (lang || *rc < 0)
        return lang;
    lang = first_text(db,
                      "SELECT s.language FROM files f JOIN streams s ON s.file_id = f.id"
                      " WHERE f.film_id = ?1 AND f.role = 'main' AND s.type = 'audio'"
                      " ORDER BY f.part, f.version_id IS NULL, f.version_id, f.id,"
                      "  s.is_default DESC, s.idx LIMIT 1",
                      film_id, err, rc);
    if (lang && (!*lang || !strcasecmp(lang, "und") || !strcasecmp(lang, "zxx") ||
                 !strcasecmp(lang, "mul") || !strcasecmp(lang, "mis"))) {
        free(lang);
        lang = NULL;
    }
    if (lang || *rc < 0)
        return lang;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "SELECT value FROM film_terms WHERE film_id = ?1 AND kind = 'country'"
                   " ORDER BY value",
                   &st, err) < 0) {
        *rc = CU_EDB;
        return NULL;
    }
    sqlite3_bind_int64(st, 1, film_id);
    const char *country_lang = NULL;
    int step;
    while (!country_lang && (step = sqlite3_step(st)) == SQLITE_ROW)
        country_lang = cu_sortkey_country_lang((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return country_lang ? cu_xstrdup(country_lang) : NULL;
}

static int collection_id(cc_db *db, const char *name, const char *overview, const char *source,
                         int64_t *id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(
            db,
            "INSERT INTO collections (name, overview, sort_key, source) VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT(name) DO UPDATE SET overview = coalesce(excluded.overview, overview)"
            " RETURNING id",
            &st, err) < 0)
        return CU_EDB;
    char *key = cu_sortkey(name, NULL, true);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    cc_bind_text_or_null(st, 2, overview);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (step == SQLITE_ROW)
        step = sqlite3_step(st);
    sqlite3_finalize(st);
    free(key);
    return step == SQLITE_DONE && *id ? 0 : cc_fail(db, err, "saving collection");
}

int cc_shelf_update(cc_db *db, int64_t film_id, cu_err *err)
{
    sqlite3_stmt *st;
    int rc = 0;
    char *title = NULL, *sort_title = NULL, *original = NULL, *key = NULL, *set_name = NULL,
         *set_overview = NULL, *sort_key = NULL;
    if (cc_prepare(db,
                   "SELECT title, sort_title, original_title, key, set_name, set_overview"
                   " FROM films WHERE id = ?1",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, film_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        title = cc_column_strdup(st, 0);
        sort_title = cc_column_strdup(st, 1);
        original = cc_column_strdup(st, 2);
        key = cc_column_strdup(st, 3);
        set_name = cc_column_strdup(st, 4);
        set_overview = cc_column_strdup(st, 5);
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE)
        return 0; /* no such film: nothing to shelve */
    if (step != SQLITE_ROW)
        return cc_fail(db, err, "reading film for its sort key");

    if (sort_title && *sort_title) {
        sort_key = cu_sortkey(sort_title, NULL, false);
    } else {
        char *lang = title_language(db, film_id, title ? title : "", original, err, &rc);
        if (rc < 0)
            goto done;
        sort_key = cu_sortkey(title ? title : "", lang, true);
        free(lang);
    }

    int64_t cid = 0;
    char *trimmed = set_name ? cu_xstrdup(set_name) : NULL;
    if (trimmed)
        cu_str_trim(trimmed);
    if (trimmed && *trimmed) {
        rc = collection_id(db, trimmed, set_overview, "nfo", &cid, err);
    } else {
        size_t len = 0;
        const char *folder = cc_shelf_folder_collection(key, &len);
        if (folder) {
            char *name = cu_xstrndup(folder, len);
            rc = collection_id(db, name, NULL, "folder", &cid, err);
            free(name);
        }
    }
    free(trimmed);
    if (rc < 0)
        goto done;
    if (cc_prepare(db,
                   "UPDATE films SET sort_key = ?2, collection_id = ?3 WHERE id = ?1"
                   " AND (sort_key IS NOT ?2 OR collection_id IS NOT ?3)",
                   &st, err) < 0) {
        rc = CU_EDB;
        goto done;
    }
    sqlite3_bind_int64(st, 1, film_id);
    sqlite3_bind_text(st, 2, sort_key, -1, SQLITE_STATIC);
    if (cid)
        sqlite3_bind_int64(st, 3, cid);
    else
        sqlite3_bind_null(st, 3);
    rc = cc_step_done(db, st, err, "saving sort key");
done:
    free(title);
    free(sort_title);
    free(original);
    free(key);
    free(set_name);
    free(set_overview);
    free(sort_key);
    return rc;
}

int cc_shelf_rebuild(cc_db *db, cu_err *err)
{
    sqlite3_stmt *st;
    int64_t *ids = NULL;
    size_t count = 0;
    if (cc_prepare(db, "SELECT id FROM films", &st, err) < 0 ||
        cc_step_ids(db, st, &ids, &count, err, "listing films") < 0)
        return CU_EDB;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = cc_shelf_update(db, ids[i], err);
    free(ids);
    return rc;
}
