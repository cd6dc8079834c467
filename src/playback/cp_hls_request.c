/* cp_hls_request: HLS files by name (cp_hls_request.h). */
#include "playback/cp_hls_request.h"
#include "catalog/cc_stream.h"
#include "media/cm_subtitle_srt.h"
#include "util/cu_arena.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "seg-123.m4s" -> 123; -1 when not a segment name. */
static long segment_number(const char *name)
{
    if (strncmp(name, "seg-", 4) != 0)
        return -1;
    const char *p = name + 4;
    long n = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 9) {
        n = n * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits || strcmp(p, ".m4s") != 0 || (digits > 1 && name[4] == '0'))
        return -1;
    return n;
}

bool cp_hls_name_parse(const char *name, cp_hls_name *out)
{
    memset(out, 0, sizeof *out);
    out->segment = -1;
    if (cu_str_has_prefix(name, "subs/")) {
        const char *track = name + 5, *dot = strrchr(track, '.');
        size_t len = dot ? (size_t)(dot - track) : 0;
        if (strchr(track, '/') || !dot || len == 0 || len >= sizeof out->key)
            return false;
        if (!strcmp(dot, ".m3u8"))
            out->kind = CP_HLS_SUBTITLES;
        else if (!strcmp(dot, ".vtt"))
            out->kind = CP_HLS_VTT;
        else if (!strcmp(dot, ".srt"))
            out->kind = CP_HLS_SRT;
        else
            return false;
        memcpy(out->key, track, len);
        out->key[len] = '\0';
        return true;
    }
    if (!strcmp(name, "master.m3u8"))
        out->kind = CP_HLS_MASTER;
    else if (!strcmp(name, "media.m3u8"))
        out->kind = CP_HLS_MEDIA;
    else if (!strcmp(name, "init.mp4"))
        out->kind = CP_HLS_INIT;
    else if ((out->segment = segment_number(name)) >= 0)
        out->kind = CP_HLS_SEGMENT;
    else
        return false;
    return true;
}

bool cp_hls_name_has_variant(const cp_hls_name *name)
{
    return name->kind == CP_HLS_MEDIA || name->kind == CP_HLS_INIT || name->kind == CP_HLS_SEGMENT;
}

const char *cp_hls_name_type(const cp_hls_name *name)
{
    switch (name->kind) {
    case CP_HLS_INIT: return "video/mp4";
    case CP_HLS_SEGMENT: return "video/iso.segment";
    case CP_HLS_VTT: return "text/vtt; charset=utf-8";
    case CP_HLS_SRT: return "application/x-subrip; charset=utf-8";
    default: return "application/vnd.apple.mpegurl";
    }
}

/* A text subtitle as SubRip, for a player of the file itself: converted
 * from its WebVTT on the file's own timeline (cached or made now). */
static int subtitle_srt(cp_hls *h, const cp_media *m, const char *key, cp_body *body, cu_err *err)
{
    cp_body vtt = {.fd = -1};
    int rc = cp_hls_subtitle_own(h, m, key, &vtt, err);
    if (rc < 0)
        return rc;
    char *text = (char *)vtt.data;
    size_t len = vtt.len;
    if (vtt.fd >= 0) { /* from the cache: read it whole, bounded */
        if (vtt.size > CM_SRT_MAX_INPUT) {
            cp_body_clear(&vtt);
            return cu_err_set(err, CU_ELIMIT, "a subtitle document too large");
        }
        text = malloc(vtt.size + 1);
        len = 0;
        ssize_t got;
        while (len < vtt.size && (got = pread(vtt.fd, text + len, vtt.size - len, (off_t)len)) > 0)
            len += (size_t)got;
        text[len] = '\0';
    }
    char *srt = NULL;
    rc = cm_subtitle_vtt_to_srt(text, len, &srt, err);
    if (text != (char *)vtt.data)
        free(text);
    cp_body_clear(&vtt);
    if (rc < 0)
        return rc;
    memset(body, 0, sizeof *body);
    body->fd = -1;
    body->data = (uint8_t *)srt;
    body->len = strlen(srt);
    return 0;
}

const char *cp_hls_name_cache(const cp_hls_name *name)
{
    if (name->kind == CP_HLS_INIT || name->kind == CP_HLS_SEGMENT)
        return "private, max-age=86400";
    return "no-cache";
}

/* The rendition the ask names, with its clip; NULL for a name without one
 * (then a clip's subtitles still carry the clip, in *scratch). */
static const cp_variant *ask_variant(const cp_hls_ask *ask, cp_variant *scratch)
{
    bool clip = ask->clip_to_ms > 0;
    if (cp_hls_name_has_variant(&ask->name)) {
        *scratch = ask->variant;
    } else if (clip && (ask->name.kind == CP_HLS_SUBTITLES || ask->name.kind == CP_HLS_VTT)) {
        *scratch = (cp_variant){.audio = -1};
    } else {
        return NULL;
    }
    if (clip) {
        scratch->clip_from_ms = ask->clip_from_ms;
        scratch->clip_to_ms = ask->clip_to_ms;
    }
    return scratch;
}

int cp_hls_request_get(cp_hls *h, const cp_media *m, const cp_hls_ask *ask, char **text,
                       cp_body *body, cu_err *err)
{
    *text = NULL;
    *body = (cp_body){.fd = -1};
    const cp_hls_name *name = &ask->name;
    cp_variant scratch;
    const cp_variant *v = ask_variant(ask, &scratch);
    if (ask->clip_to_ms > 0 && cp_hls_name_has_variant(name) && (v->copy_video || v->copy_audio))
        return cu_err_set(err, CU_ENOTFOUND, "no such rendition of this clip");
    if (name->kind == CP_HLS_SEGMENT && !v->copy_video && !ask->again &&
        !cp_hls_client_may_wait(h, ask->client))
        return cu_err_set(err, CU_EBUSY,
                          "this client already waits for several segments; ask again soon");
    switch (name->kind) {
    case CP_HLS_MEDIA: return cp_hls_media_playlist(h, m, v, text, err);
    case CP_HLS_INIT: return cp_hls_init(h, m, v, body, err);
    case CP_HLS_SEGMENT: return cp_hls_segment(h, m, v, (size_t)name->segment, body, err);
    case CP_HLS_SUBTITLES: return cp_hls_subtitle_playlist(h, m, name->key, v, text, err);
    case CP_HLS_VTT: return cp_hls_subtitle(h, m, name->key, v, body, err);
    case CP_HLS_SRT: return subtitle_srt(h, m, name->key, body, err);
    default: return cu_err_set(err, CU_ENOTFOUND, "no such HLS file");
    }
}

int cp_hls_request_park(cp_hls *h, const cp_media *m, const cp_hls_ask *ask, const cp_hls_wait *w,
                        cu_err *err)
{
    cp_variant scratch;
    const cp_variant *v = cp_hls_name_has_variant(&ask->name) ? ask_variant(ask, &scratch) : NULL;
    return cp_hls_park(h, m, v, ask->name.segment, w, err);
}

int cp_hls_master_of(cp_hls *h, struct cc_db *db, const cp_place *place, const cp_master_query *q,
                     char **text, cu_err *err)
{
    *text = NULL;
    cu_arena *arena = cu_arena_new();
    cc_stream *streams = NULL;
    size_t count = 0;
    int rc = cc_stream_list(db, arena, place->loc.id, &streams, &count, err);
    if (rc == 0) {
        cp_master_query with = *q;
        with.db = db;
        with.file_id = place->loc.id;
        with.path = place->loc.path;
        with.root = place->root;
        with.bit_rate = place->loc.bit_rate;
        with.streams = streams;
        with.stream_count = count;
        rc = cp_hls_master(h, &with, text, err);
    }
    cu_arena_free(arena);
    return rc;
}
