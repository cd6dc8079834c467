/* cc_subtitle: sidecar subtitles (see cc_subtitle.h). */
#include "catalog/cc_subtitle.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

int cc_subtitle_replace(cc_db *db, int64_t file_id, const cc_subtitle *subs, size_t count,
                        cu_err *err)
{
    if (cc_exec_id(db, "DELETE FROM subtitles WHERE file_id = ?1", file_id, err,
                   "clearing subtitles") < 0)
        return CU_EDB;
    sqlite3_stmt *st;
    if (count == 0)
        return 0;
    /* A path is one file's sidecar at a time: a subtitle whose film moved
     * folders belongs to the file beside it now. */
    if (cc_prepare(db,
                   "INSERT OR REPLACE INTO subtitles (file_id, path, format, language,"
                   " is_forced, is_hearing_impaired, is_default, size, mtime_ns)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                   &st, err) < 0)
        return CU_EDB;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const cc_subtitle *s = &subs[i];
        char format[sizeof s->format], language[sizeof s->language];
        cu_strlcpy(format, s->format, sizeof format);
        cu_strlcpy(language, s->language, sizeof language);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, file_id);
        sqlite3_bind_text(st, 2, s->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, format, -1, SQLITE_TRANSIENT);
        cc_bind_text_or_null(st, 4, language);
        sqlite3_bind_int(st, 5, s->is_forced);
        sqlite3_bind_int(st, 6, s->is_hearing_impaired);
        sqlite3_bind_int(st, 7, s->is_default);
        sqlite3_bind_int64(st, 8, s->size);
        sqlite3_bind_int64(st, 9, s->mtime_ns);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = cc_fail(db, err, "saving subtitle");
    }
    sqlite3_finalize(st);
    return rc;
}

int cc_subtitle_list(cc_db *db, int64_t file_id, cc_subtitle **out, size_t *count, cu_err *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare_kept(
            db,
            "SELECT id, path, format, language, is_forced, is_hearing_impaired, is_default,"
            " size, mtime_ns FROM subtitles WHERE file_id = ?1 ORDER BY path",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 4;
            *out = cu_xreallocarray(*out, cap, sizeof **out);
        }
        cc_subtitle *s = &(*out)[(*count)++];
        memset(s, 0, sizeof *s);
        s->id = sqlite3_column_int64(st, 0);
        s->file_id = file_id;
        s->path = cc_column_strdup(st, 1);
        cc_column_copy(st, 2, s->format, sizeof s->format);
        cc_column_copy(st, 3, s->language, sizeof s->language);
        s->is_forced = sqlite3_column_int(st, 4) != 0;
        s->is_hearing_impaired = sqlite3_column_int(st, 5) != 0;
        s->is_default = sqlite3_column_int(st, 6) != 0;
        s->size = sqlite3_column_int64(st, 7);
        s->mtime_ns = sqlite3_column_int64(st, 8);
    }
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        cc_subtitle_list_free(*out, *count);
        *out = NULL;
        *count = 0;
        return cc_fail(db, err, "reading subtitles");
    }
    return 0;
}

void cc_subtitle_list_free(cc_subtitle *subs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(subs[i].path);
    free(subs);
}
