/* cc_chapter: a file's chapters, and the files with pictures (see
 * cc_chapter.h). Reads only. */
#include "catalog/cc_chapter.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <string.h>

int cc_chapter_list(cc_db *db, cu_arena *arena, int64_t file_id, cm_media_chapter **chapters,
                    size_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *chapters = NULL;
    *count = 0;
    if (cc_prepare(db,
                   "SELECT start, end, title FROM chapters WHERE file_id = ?1"
                   " ORDER BY start, idx LIMIT ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int(st, 2, CM_MEDIA_MAX_CHAPTERS);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            *chapters = cu_arena_grow(arena, *chapters, cap, cap ? cap * 2 : 8, sizeof **chapters);
            cap = cap ? cap * 2 : 8;
        }
        cm_media_chapter *c = &(*chapters)[(*count)++];
        memset(c, 0, sizeof *c);
        c->start = sqlite3_column_double(st, 0);
        c->end = sqlite3_column_double(st, 1);
        const unsigned char *t = sqlite3_column_text(st, 2);
        cu_strlcpy(c->title, t ? (const char *)t : "", sizeof c->title);
    }
    if (step != SQLITE_DONE) {
        cc_fail(db, err, "listing chapters");
        sqlite3_finalize(st);
        *chapters = NULL;
        *count = 0;
        return CU_EDB;
    }
    sqlite3_finalize(st);
    return 0;
}

int cc_chapter_video_files(cc_db *db, int64_t after_id, size_t max, int64_t **ids, size_t *count,
                           cu_err *err)
{
    sqlite3_stmt *st;
    *ids = NULL;
    *count = 0;
    if (cc_prepare(db,
                   "SELECT f.id FROM files f WHERE f.id > ?1 AND f.probe_error IS NULL"
                   " AND EXISTS (SELECT 1 FROM streams s WHERE s.file_id = f.id"
                   "             AND s.type = 'video' AND s.attached_pic = 0)"
                   " ORDER BY f.id LIMIT ?2",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, max > INT32_MAX ? INT32_MAX : (int64_t)max);
    return cc_step_ids(db, st, ids, count, err, "listing files with pictures");
}
