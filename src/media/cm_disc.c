/* cm_disc: the disc-independent half of disc reading: telling what a path
 * is, opening it with the right reader, choosing the main title, and the
 * disc library's name file. The readers are cm_disc_bluray.c and
 * cm_disc_dvd.c. */
#include "media/cm_disc.h"
#include "media/cm_disc_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "media/cm_media.h"
#include "util/cu_str.h"

#define BDMT_MAX_BYTES (64 * 1024)

static bool has_regular_file(const char *dir, const char *rel)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path)
        return false;
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

cm_disc_kind cm_disc_detect(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return CM_DISC_NONE;
    if (S_ISDIR(st.st_mode)) {
        if (has_regular_file(path, "BDMV/index.bdmv"))
            return CM_DISC_BLURAY;
        if (has_regular_file(path, "VIDEO_TS/VIDEO_TS.IFO"))
            return CM_DISC_DVD;
        return CM_DISC_NONE;
    }
    if (!S_ISREG(st.st_mode) || !cu_str_has_suffix_ci(path, ".iso"))
        return CM_DISC_NONE;
    if (cm_disc_bluray_image_is(path))
        return CM_DISC_BLURAY;
    if (cm_disc_dvd_image_is(path))
        return CM_DISC_DVD;
    return CM_DISC_NONE;
}

int cm_disc_open(const char *path, cm_disc **out, cu_err *err)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0)
        return cu_err_set(err, -errno, "%s", strerror(errno));
    bool image = S_ISREG(st.st_mode);
    if (!image && !S_ISDIR(st.st_mode))
        return cu_err_set(err, CU_EMEDIA, "not a disc folder or image");

    cm_disc *disc = cu_xcalloc(1, sizeof *disc);
    int rc;
    cm_disc_kind kind = cm_disc_detect(path);
    if (kind == CM_DISC_BLURAY) {
        rc = cm_disc_bluray_read(path, image, disc, err);
    } else if (kind == CM_DISC_DVD) {
        rc = cm_disc_dvd_read(path, image, disc, err);
    } else {
        rc = cu_err_set(err, CU_EMEDIA,
                        image ? "not a Blu-ray or DVD image"
                              : "no BDMV/index.bdmv or VIDEO_TS/VIDEO_TS.IFO");
    }
    if (rc < 0)
        goto fail;
    disc->kind = kind;
    if (disc->title_count == 0) {
        rc = cu_err_set(err, CU_EMEDIA, "no playable title on the disc");
        goto fail;
    }
    disc->main_title = cm_disc_choose_main(disc->titles, disc->title_count);
    *out = disc;
    return 0;
fail:
    cm_disc_free(disc);
    return rc;
}

void cm_disc_free(cm_disc *disc)
{
    if (!disc)
        return;
    free(disc->titles);
    free(disc);
}

cm_disc_title *cm_disc_add_title(cm_disc *disc)
{
    if (disc->title_count >= CM_DISC_MAX_TITLES)
        return NULL;
    /* Grown in steps: a disc has a handful of titles, rarely hundreds. */
    if ((disc->title_count & 15) == 0)
        disc->titles = cu_xreallocarray(disc->titles, disc->title_count + 16, sizeof *disc->titles);
    cm_disc_title *t = &disc->titles[disc->title_count++];
    memset(t, 0, sizeof *t);
    return t;
}

void cm_disc_warn(cm_disc *disc, const char *fmt, ...)
{
    size_t used = strlen(disc->warnings);
    if (used + 2 >= sizeof disc->warnings)
        return;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* The same damage seen through several titles is told once. */
    for (const char *p = disc->warnings; (p = strstr(p, line)) != NULL; p++)
        if ((p == disc->warnings || p[-1] == '\n') && (p[strlen(line)] == '\n' || !p[strlen(line)]))
            return;
    if (used)
        disc->warnings[used++] = '\n';
    snprintf(disc->warnings + used, sizeof disc->warnings - used, "%s", line);
}

/* --- the main title --------------------------------------------------- */

static bool title_loops(const cm_disc_title *t)
{
    if (t->segments_cut)
        return true;
    /* Quadratic, but segment_count is bounded by CM_DISC_MAX_SEGMENTS. */
    for (size_t i = 0; i < t->segment_count; i++)
        for (size_t j = i + 1; j < t->segment_count; j++)
            if (t->segments[i] == t->segments[j])
                return true;
    return false;
}

static bool same_segments(const cm_disc_title *a, const cm_disc_title *b)
{
    return a->segment_count == b->segment_count && a->segment_count > 0 &&
           !memcmp(a->segments, b->segments, a->segment_count * sizeof a->segments[0]);
}

static bool clip_in(const cm_disc_title *t, uint32_t clip)
{
    for (size_t i = 0; i < t->segment_count; i++)
        if (CM_DISC_SEGMENT_CLIP(t->segments[i]) == clip)
            return true;
    return false;
}

static bool only_clips_of(const cm_disc_title *t, const cm_disc_title *main)
{
    if (t->segment_count == 0)
        return false;
    for (size_t i = 0; i < t->segment_count; i++)
        if (!clip_in(main, CM_DISC_SEGMENT_CLIP(t->segments[i])))
            return false;
    return true;
}

static bool longer(const cm_disc_title *a, const cm_disc_title *b)
{
    /* Durations within half a second are equal: the lower number wins. */
    if (a->duration > b->duration + 0.5)
        return true;
    if (b->duration > a->duration + 0.5)
        return false;
    return a->number < b->number;
}

static size_t choose_main(cm_disc_title *titles, size_t count, size_t forced);

size_t cm_disc_choose_main(cm_disc_title *titles, size_t count)
{
    return choose_main(titles, count, count);
}

int cm_disc_set_main(cm_disc *disc, int number)
{
    size_t i = 0;
    while (i < disc->title_count && disc->titles[i].number != number)
        i++;
    if (i == disc->title_count)
        return CU_ENOTFOUND;
    disc->main_title = choose_main(disc->titles, disc->title_count, i);
    return 0;
}

/* cm_disc_choose_main, with the main title given (forced < count: rule 3
 * is the caller's choice). */
static size_t choose_main(cm_disc_title *titles, size_t count, size_t forced)
{
    if (count == 0)
        return 0;
    /* Rules 1 and 2: loops, then duplicates of an earlier non-duplicate. */
    for (size_t i = 0; i < count; i++) {
        titles[i].role = CM_DISC_TITLE_EXTRA;
        if (title_loops(&titles[i])) {
            titles[i].role = CM_DISC_TITLE_LOOP;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (titles[j].role != CM_DISC_TITLE_DUPLICATE && titles[j].role != CM_DISC_TITLE_LOOP &&
                same_segments(&titles[i], &titles[j])) {
                titles[i].role = CM_DISC_TITLE_DUPLICATE;
                break;
            }
        }
    }
    /* Rule 3. */
    size_t main = forced < count ? forced : count;
    for (size_t i = 0; i < count && forced >= count; i++)
        if (titles[i].role == CM_DISC_TITLE_EXTRA &&
            (main == count || longer(&titles[i], &titles[main])))
            main = i;
    if (main == count) {
        main = 0;
        for (size_t i = 1; i < count; i++)
            if (longer(&titles[i], &titles[main]))
                main = i;
    }
    titles[main].role = CM_DISC_TITLE_MAIN;
    /* Rule 4. */
    for (size_t i = 0; i < count; i++) {
        if (titles[i].role != CM_DISC_TITLE_EXTRA)
            continue;
        if (titles[i].duration <= CM_DISC_MIN_EXTRA_SECONDS)
            titles[i].role = CM_DISC_TITLE_TINY;
        else if (only_clips_of(&titles[i], &titles[main]))
            titles[i].role = CM_DISC_TITLE_PART;
    }
    return main;
}

const char *cm_disc_role_name(cm_disc_title_role role)
{
    switch (role) {
    case CM_DISC_TITLE_MAIN: return "main";
    case CM_DISC_TITLE_EXTRA: return "extra";
    case CM_DISC_TITLE_TINY: return "tiny";
    case CM_DISC_TITLE_DUPLICATE: return "duplicate";
    case CM_DISC_TITLE_LOOP: return "loop";
    case CM_DISC_TITLE_PART: return "part";
    }
    return "extra";
}

const char *cm_disc_kind_name(cm_disc_kind kind)
{
    switch (kind) {
    case CM_DISC_BLURAY: return "bluray";
    case CM_DISC_DVD: return "dvd";
    case CM_DISC_NONE: break;
    }
    return "none";
}

/* --- the disc library's name ----------------------------------------- */

static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr error)
{
    (void)ctx;
    (void)error;
}

/* Display-safe copy: invalid UTF-8 as U+FFFD, control characters as
 * spaces, cut before a character that does not fit whole; then trimmed. */
static void copy_display(char *dst, size_t dstsize, const char *src)
{
    const char *p = src, *end = src + strlen(src);
    size_t len = 0;
    while (p < end) {
        int32_t cp = cu_utf8_next(&p, end);
        if (cp < 0)
            cp = 0xFFFD;
        if (cp < 0x20 || cp == 0x7F)
            cp = ' ';
        char enc[4];
        size_t n = cu_utf8_put(enc, cp);
        if (len + n + 1 > dstsize)
            break;
        memcpy(dst + len, enc, n);
        len += n;
    }
    dst[len] = '\0';
    cu_str_trim(dst);
}

static const xmlNode *find_title_name(const xmlNode *node, int depth)
{
    /* The element is <di:name> directly inside <di:title>; real files nest
     * it three levels down, hostile ones are cut at 16. */
    for (; node && depth < 16; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(node->name, (const xmlChar *)"name") && node->parent &&
            node->parent->type == XML_ELEMENT_NODE &&
            !xmlStrcmp(node->parent->name, (const xmlChar *)"title"))
            return node;
        const xmlNode *found = find_title_name(node->children, depth + 1);
        if (found)
            return found;
    }
    return NULL;
}

int cm_disc_bdmt_name(const char *xml, size_t len, char *name, size_t namesize)
{
    if (namesize)
        name[0] = '\0';
    if (len == 0 || len > BDMT_MAX_BYTES || namesize < 2)
        return CU_EPARSE;
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx)
        return -ENOMEM;
    /* No NOENT (entities stay references), no DTD loading, no network. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, xml, (int)len, "bdmt.xml", NULL, options);
    int rc = CU_EPARSE;
    if (doc) {
        const xmlNode *node = find_title_name(xmlDocGetRootElement(doc), 0);
        if (node) {
            /* Only the element's own text: entity references stay
             * unexpanded, so a hostile file cannot blow the name up. */
            char text[1024];
            size_t used = 0;
            for (const xmlNode *c = node->children; c; c = c->next) {
                if (c->type != XML_TEXT_NODE || !c->content)
                    continue;
                size_t n = strlen((const char *)c->content);
                if (n > sizeof text - 1 - used)
                    n = sizeof text - 1 - used;
                memcpy(text + used, c->content, n);
                used += n;
            }
            text[used] = '\0';
            copy_display(name, namesize, text);
            if (name[0])
                rc = 0;
        }
        xmlFreeDoc(doc);
    }
    xmlFreeParserCtxt(ctx);
    return rc;
}

/* --- a title as a probed file ------------------------------------------ */

static void add_track(cm_media_info *info, cm_stream_type type, const cm_disc_track *track)
{
    cm_media_stream *st = &info->streams[info->stream_count];
    st->index = (int)info->stream_count++;
    st->type = type;
    cu_strlcpy(st->codec, track->codec, sizeof st->codec);
    cu_strlcpy(st->language, track->language, sizeof st->language);
    st->channels = track->channels;
}

int cm_disc_title_info(const cm_disc *disc, size_t title, cm_media_info **out)
{
    *out = NULL;
    if (!disc || title >= disc->title_count)
        return CU_EINVAL;
    const cm_disc_title *t = &disc->titles[title];
    cm_media_info *info = cu_xcalloc(1, sizeof *info);
    cu_strlcpy(info->container, cm_disc_kind_name(disc->kind), sizeof info->container);
    cu_strlcpy(info->format_name, cm_disc_kind_name(disc->kind), sizeof info->format_name);
    info->duration = t->duration;
    bool video = t->video_codec[0] != '\0';
    size_t tracks = (video ? 1 : 0) + t->audio_count + t->subtitle_count;
    if (tracks > CM_MEDIA_MAX_STREAMS)
        tracks = CM_MEDIA_MAX_STREAMS;
    info->streams = cu_xcalloc(tracks + 1, sizeof *info->streams);
    /* The video first, then audio, then subtitles: the order in which the
     * title's stream lists them (by PID on a Blu-ray), so that a stream's
     * number here is the player's. */
    if (video) {
        cm_media_stream *st = &info->streams[info->stream_count];
        st->index = (int)info->stream_count++;
        st->type = CM_STREAM_VIDEO;
        cu_strlcpy(st->codec, t->video_codec, sizeof st->codec);
        st->width = t->width;
        st->height = t->height;
        st->frame_rate = t->frame_rate;
    }
    for (size_t i = 0; i < t->audio_count && info->stream_count < tracks; i++)
        add_track(info, CM_STREAM_AUDIO, &t->audio[i]);
    for (size_t i = 0; i < t->subtitle_count && info->stream_count < tracks; i++)
        add_track(info, CM_STREAM_SUBTITLE, &t->subtitles[i]);
    info->chapters = cu_xcalloc(t->chapter_count + 1, sizeof *info->chapters);
    for (size_t i = 0; i < t->chapter_count; i++) {
        cm_media_chapter *c = &info->chapters[info->chapter_count++];
        c->start = t->chapters[i];
        c->end = i + 1 < t->chapter_count ? t->chapters[i + 1] : t->duration;
        snprintf(c->title, sizeof c->title, "Chapter %zu", i + 1);
    }
    /* The disc's name is not given as a title tag: the folder or file
     * name gives the film, as for any file. */
    *out = info;
    return 0;
}
