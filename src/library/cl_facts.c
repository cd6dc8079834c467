/* cl_facts: media's probe result into the catalog's structs (cl_facts.h). */
#include "library/cl_facts.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

static cc_stream_type type_of(cm_stream_type t)
{
    switch (t) {
    case CM_STREAM_VIDEO: return CC_STREAM_VIDEO;
    case CM_STREAM_AUDIO: return CC_STREAM_AUDIO;
    case CM_STREAM_SUBTITLE: return CC_STREAM_SUBTITLE;
    case CM_STREAM_ATTACHMENT: return CC_STREAM_ATTACHMENT;
    default: return CC_STREAM_DATA;
    }
}

#define COPY_TEXT(field) cu_strlcpy(out->field, in->field, sizeof out->field)

void cl_facts_stream(const cm_media_stream *in, cc_stream *out)
{
    memset(out, 0, sizeof *out);
    out->index = in->index;
    out->type = type_of(in->type);
    COPY_TEXT(codec);
    COPY_TEXT(profile);
    out->width = in->width;
    out->height = in->height;
    out->frame_rate = in->frame_rate;
    out->bit_depth = in->bit_depth;
    COPY_TEXT(pix_fmt);
    COPY_TEXT(hdr);
    out->attached_pic = in->attached_pic;
    out->channels = in->channels;
    out->sample_rate = in->sample_rate;
    COPY_TEXT(channel_layout);
    out->bit_rate = in->bit_rate;
    COPY_TEXT(language);
    COPY_TEXT(title);
    out->is_default = in->is_default;
    out->is_forced = in->is_forced;
    out->is_hearing_impaired = in->is_hearing_impaired;
}

const cc_file_facts *cl_facts_from_probe(const cm_media_info *in, cc_file_facts *out)
{
    memset(out, 0, sizeof *out);
    if (!in)
        return NULL;
    COPY_TEXT(container);
    COPY_TEXT(format_name);
    out->duration = in->duration;
    out->bit_rate = in->bit_rate;
    out->tag_title = in->tag_title;
    out->tag_date = in->tag_date;
    out->tag_description = in->tag_description;
    out->tag_comment = in->tag_comment;
    if (in->stream_count) {
        cc_stream *streams = cu_xcalloc(in->stream_count, sizeof *streams);
        for (size_t i = 0; i < in->stream_count; i++)
            cl_facts_stream(&in->streams[i], &streams[i]);
        out->streams = streams;
        out->stream_count = in->stream_count;
    }
    if (in->chapter_count) {
        cc_chapter *chapters = cu_xcalloc(in->chapter_count, sizeof *chapters);
        for (size_t i = 0; i < in->chapter_count; i++) {
            chapters[i].start = in->chapters[i].start;
            chapters[i].end = in->chapters[i].end;
            cu_strlcpy(chapters[i].title, in->chapters[i].title, sizeof chapters[i].title);
        }
        out->chapters = chapters;
        out->chapter_count = in->chapter_count;
    }
    return out;
}

void cl_facts_clear(cc_file_facts *facts)
{
    free((void *)facts->streams);
    free((void *)facts->chapters);
    memset(facts, 0, sizeof *facts);
}
