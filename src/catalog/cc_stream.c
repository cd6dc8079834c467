/* cc_stream: a file's streams and chapters as its probe described them. */
#include "catalog/cc_stream.h"
#include "catalog/cc_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

static const char *stream_type_name(cc_stream_type t)
{
    switch (t) {
    case CC_STREAM_VIDEO: return "video";
    case CC_STREAM_AUDIO: return "audio";
    case CC_STREAM_SUBTITLE: return "subtitle";
    case CC_STREAM_ATTACHMENT: return "attachment";
    default: return "data";
    }
}

int cc_stream_replace(cc_db *db, int64_t id, const cc_stream *streams, size_t stream_count,
                      const cc_chapter *chapters, size_t chapter_count, cu_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = CU_EDB;
    {
        sqlite3_stmt *del;
        if (cc_prepare_kept(db, "DELETE FROM streams WHERE file_id = ?1", &del, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(del, 1, id);
        int s = sqlite3_step(del);
        sqlite3_reset(del);
        if (s != SQLITE_DONE)
            return cc_fail(db, err, "clearing streams");
        if (cc_prepare_kept(db, "DELETE FROM chapters WHERE file_id = ?1", &del, err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(del, 1, id);
        s = sqlite3_step(del);
        sqlite3_reset(del);
        if (s != SQLITE_DONE)
            return cc_fail(db, err, "clearing chapters");
    }
    if (stream_count == 0 && chapter_count == 0)
        return 0;
    if (cc_prepare_kept(db,
                        "INSERT INTO streams (file_id, idx, type, codec, profile, width, height,"
                        " frame_rate, bit_depth, pix_fmt, hdr, attached_pic, channels, sample_rate,"
                        " channel_layout, bit_rate, language, title, is_default, is_forced,"
                        " is_hearing_impaired) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
                        "?14,?15,?16,?17,?18,?19,?20,?21)",
                        &st, err) < 0)
        return CU_EDB;
    for (size_t i = 0; i < stream_count; i++) {
        const cc_stream *s = &streams[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, s->index);
        sqlite3_bind_text(st, 3, stream_type_name(s->type), -1, SQLITE_STATIC);
        cc_bind_text_or_null(st, 4, s->codec);
        cc_bind_text_or_null(st, 5, s->profile);
        bool video = s->type == CC_STREAM_VIDEO, audio = s->type == CC_STREAM_AUDIO;
        if (video) {
            sqlite3_bind_int(st, 6, s->width);
            sqlite3_bind_int(st, 7, s->height);
            sqlite3_bind_double(st, 8, s->frame_rate);
            sqlite3_bind_int(st, 9, s->bit_depth);
        } else {
            for (int c = 6; c <= 9; c++)
                sqlite3_bind_null(st, c);
        }
        cc_bind_text_or_null(st, 10, video ? s->pix_fmt : NULL);
        cc_bind_text_or_null(st, 11, video ? s->hdr : NULL);
        sqlite3_bind_int(st, 12, s->attached_pic);
        if (audio) {
            sqlite3_bind_int(st, 13, s->channels);
            sqlite3_bind_int(st, 14, s->sample_rate);
        } else {
            sqlite3_bind_null(st, 13);
            sqlite3_bind_null(st, 14);
        }
        cc_bind_text_or_null(st, 15, audio ? s->channel_layout : NULL);
        sqlite3_bind_int64(st, 16, s->bit_rate);
        cc_bind_text_or_null(st, 17, s->language);
        cc_bind_text_or_null(st, 18, s->title);
        sqlite3_bind_int(st, 19, s->is_default);
        sqlite3_bind_int(st, 20, s->is_forced);
        sqlite3_bind_int(st, 21, s->is_hearing_impaired);
        if (sqlite3_step(st) != SQLITE_DONE) {
            cc_fail(db, err, "saving streams");
            goto done;
        }
    }
    sqlite3_reset(st);
    if (cc_prepare_kept(db,
                        "INSERT INTO chapters (file_id, idx, start, end, title)"
                        " VALUES (?1,?2,?3,?4,?5)",
                        &st, err) < 0)
        return CU_EDB;
    for (size_t i = 0; i < chapter_count; i++) {
        const cc_chapter *c = &chapters[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, (int)i);
        sqlite3_bind_double(st, 3, c->start);
        sqlite3_bind_double(st, 4, c->end);
        cc_bind_text_or_null(st, 5, c->title);
        if (sqlite3_step(st) != SQLITE_DONE) {
            cc_fail(db, err, "saving chapters");
            goto done;
        }
    }
    rc = 0;
done:
    if (st)
        sqlite3_reset(st);
    return rc;
}

static cc_stream_type stream_type_from_name(const char *t)
{
    if (!t)
        return CC_STREAM_DATA;
    if (!strcmp(t, "video"))
        return CC_STREAM_VIDEO;
    if (!strcmp(t, "audio"))
        return CC_STREAM_AUDIO;
    if (!strcmp(t, "subtitle"))
        return CC_STREAM_SUBTITLE;
    if (!strcmp(t, "attachment"))
        return CC_STREAM_ATTACHMENT;
    return CC_STREAM_DATA;
}

int cc_stream_list(cc_db *db, cu_arena *arena, int64_t file_id, cc_stream **streams, size_t *count,
                   cu_err *err)
{
    sqlite3_stmt *st;
    *streams = NULL;
    *count = 0;
    if (cc_prepare_kept(
            db,
            "SELECT idx, type, codec, profile, width, height, frame_rate, bit_depth, pix_fmt,"
            " hdr, attached_pic, channels, sample_rate, channel_layout, bit_rate, language,"
            " title, is_default, is_forced, is_hearing_impaired"
            " FROM streams WHERE file_id = ?1 ORDER BY idx",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, file_id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            *streams = cu_arena_grow(arena, *streams, cap, cap ? cap * 2 : 4, sizeof **streams);
            cap = cap ? cap * 2 : 4;
        }
        cc_stream *s = &(*streams)[(*count)++];
        memset(s, 0, sizeof *s);
        s->index = sqlite3_column_int(st, 0);
        s->type = stream_type_from_name((const char *)sqlite3_column_text(st, 1));
        cc_column_copy(st, 2, s->codec, sizeof s->codec);
        cc_column_copy(st, 3, s->profile, sizeof s->profile);
        s->width = sqlite3_column_int(st, 4);
        s->height = sqlite3_column_int(st, 5);
        s->frame_rate = sqlite3_column_double(st, 6);
        s->bit_depth = sqlite3_column_int(st, 7);
        cc_column_copy(st, 8, s->pix_fmt, sizeof s->pix_fmt);
        cc_column_copy(st, 9, s->hdr, sizeof s->hdr);
        s->attached_pic = sqlite3_column_int(st, 10) != 0;
        s->channels = sqlite3_column_int(st, 11);
        s->sample_rate = sqlite3_column_int(st, 12);
        cc_column_copy(st, 13, s->channel_layout, sizeof s->channel_layout);
        s->bit_rate = sqlite3_column_int64(st, 14);
        cc_column_copy(st, 15, s->language, sizeof s->language);
        cc_column_copy(st, 16, s->title, sizeof s->title);
        s->is_default = sqlite3_column_int(st, 17) != 0;
        s->is_forced = sqlite3_column_int(st, 18) != 0;
        s->is_hearing_impaired = sqlite3_column_int(st, 19) != 0;
    }
    sqlite3_reset(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "reading streams");
}
