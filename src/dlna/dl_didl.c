/* dl_didl: writing DIDL-Lite. */
#include "dlna/dl_didl.h"
#include "dlna/dl_profile.h"
#include "dlna/dl_soap.h"
#include "util/cu_str.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dl_didl_begin(cu_buf *out)
{
    cu_buf_puts(out, "<DIDL-Lite xmlns=\"urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/\""
                     " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
                     " xmlns:upnp=\"urn:schemas-upnp-org:metadata-1-0/upnp/\""
                     " xmlns:dlna=\"urn:schemas-dlna-org:metadata-1-0/\""
                     " xmlns:sec=\"http://www.sec.co.kr/\">");
}

void dl_didl_end(cu_buf *out)
{
    cu_buf_puts(out, "</DIDL-Lite>");
}

static void element(cu_buf *out, const char *name, const char *text)
{
    if (!text || !*text)
        return;
    cu_buf_printf(out, "<%s>", name);
    dl_xml_escape(out, text);
    cu_buf_printf(out, "</%s>", name);
}

static void open_object(cu_buf *out, const char *tag, const char *id, const char *parent)
{
    cu_buf_printf(out, "<%s id=\"", tag);
    dl_xml_escape(out, id);
    cu_buf_puts(out, "\" parentID=\"");
    dl_xml_escape(out, parent);
    cu_buf_puts(out, "\" restricted=\"1\"");
}

void dl_didl_folder(cu_buf *out, const char *id, const char *parent, const char *title,
                    int64_t child_count)
{
    open_object(out, "container", id, parent);
    if (child_count >= 0)
        cu_buf_printf(out, " childCount=\"%" PRId64 "\"", child_count);
    cu_buf_puts(out, " searchable=\"0\">");
    element(out, "dc:title", title);
    element(out, "upnp:class", "object.container.storageFolder");
    cu_buf_puts(out, "</container>");
}

static void album_art(cu_buf *out, int64_t film_id, const char *base)
{
    /* 320 pixels wide: a TV's grid tile, and within JPEG_SM. */
    cu_buf_printf(out,
                  "<upnp:albumArtURI dlna:profileID=\"JPEG_SM\">%s/dlna/art/%" PRId64
                  ".jpg?w=320</upnp:albumArtURI>",
                  base, film_id);
}

static void date_of(int year, const char *premiered, char *out, size_t size)
{
    out[0] = '\0';
    if (premiered && strlen(premiered) >= 10 && premiered[4] == '-')
        snprintf(out, size, "%.10s", premiered);
    else if (year > 0)
        snprintf(out, size, "%04d-01-01", year % 10000);
}

void dl_didl_film_container(cu_buf *out, const char *parent, const cc_film_item *film,
                            int64_t child_count, const char *base)
{
    char id[32], date[24];
    snprintf(id, sizeof id, "film/%" PRId64, film->id);
    open_object(out, "container", id, parent);
    if (child_count >= 0)
        cu_buf_printf(out, " childCount=\"%" PRId64 "\"", child_count);
    cu_buf_puts(out, " searchable=\"0\">");
    element(out, "dc:title", film->title);
    element(out, "upnp:class", "object.container.storageFolder");
    date_of(film->year, NULL, date, sizeof date);
    element(out, "dc:date", date);
    /* genres arrive comma-separated */
    const char *g = film->genres;
    while (g && *g) {
        const char *comma = strchr(g, ',');
        size_t n = comma ? (size_t)(comma - g) : strlen(g);
        char *one = cu_xstrndup(g, n);
        element(out, "upnp:genre", cu_str_trim(one));
        free(one);
        g = comma ? comma + 1 : NULL;
    }
    element(out, "upnp:director", film->director);
    if (film->has_poster)
        album_art(out, film->id, base);
    cu_buf_puts(out, "</container>");
}

static void duration(double s, char *out, size_t size)
{
    if (s < 0)
        s = 0;
    int64_t ms = (int64_t)(s * 1000.0 + 0.5);
    snprintf(out, size, "%" PRId64 ":%02d:%02d.%03d", ms / 3600000, (int)(ms / 60000 % 60),
             (int)(ms / 1000 % 60), (int)(ms % 1000));
}

void dl_didl_item(cu_buf *out, const char *id, const char *parent, const char *title, bool movie,
                  const cc_film *film, const cc_file *file, double resume, const char *base)
{
    open_object(out, "item", id, parent);
    cu_buf_puts(out, ">");
    element(out, "dc:title", title);
    element(out, "upnp:class", movie ? "object.item.videoItem.movie" : "object.item.videoItem");
    char date[24];
    date_of(film->year, film->premiered, date, sizeof date);
    element(out, "dc:date", date);
    for (size_t i = 0; i < film->genres.count; i++)
        element(out, "upnp:genre", film->genres.items[i]);
    int actors = 0;
    for (size_t i = 0; i < film->credit_count; i++) {
        const cc_credit *c = &film->credits[i];
        if (c->job && !strcmp(c->job, "director"))
            element(out, "upnp:director", c->name);
        else if (c->job && !strcmp(c->job, "actor") && actors++ < 8)
            element(out, "upnp:actor", c->name);
    }
    element(out, "dc:description", film->plot ? film->plot : film->outline);
    if (film->poster)
        album_art(out, film->id, base);
    if (resume >= 1) {
        /* Where this viewer stopped: UPnP AV's property, and the
         * bookmark Samsung TVs read (and set with X_SetBookmark). */
        char at[32];
        duration(resume, at, sizeof at);
        cu_buf_printf(out, "<upnp:lastPlaybackPosition>%s</upnp:lastPlaybackPosition>", at);
        cu_buf_printf(out, "<sec:dcmInfo>BM=%" PRId64 "</sec:dcmInfo>", (int64_t)resume);
    }
    /* Samsung reads subtitles from sec:CaptionInfoEx; others from an SRT
     * res. One per text subtitle stream, converted on request. */
    size_t subs = 0;
    for (size_t i = 0; i < file->stream_count; i++) {
        const cc_stream *s = &file->streams[i];
        if (s->type != CC_STREAM_SUBTITLE || !dl_text_subtitle(s->codec) || subs++ >= 8)
            continue;
        cu_buf_printf(out,
                      "<sec:CaptionInfoEx sec:type=\"srt\">%s/dlna/sub/%" PRId64 "/%d.srt"
                      "</sec:CaptionInfoEx>",
                      base, file->id, s->index);
    }
    dl_profile prof;
    dl_profile_of(file->container, file->streams, file->stream_count, &prof);
    char features[160];
    dl_profile_features(&prof, features, sizeof features);
    cu_buf_printf(out, "<res protocolInfo=\"http-get:*:%s:%s\"", prof.mime, features);
    if (file->size > 0)
        cu_buf_printf(out, " size=\"%" PRId64 "\"", file->size);
    if (file->duration > 0) {
        char d[32];
        duration(file->duration, d, sizeof d);
        cu_buf_printf(out, " duration=\"%s\"", d);
        if (file->size > 0) /* bytes per second, as UPnP defines bitrate */
            cu_buf_printf(out, " bitrate=\"%" PRId64 "\"",
                          (int64_t)((double)file->size / file->duration));
    }
    for (size_t i = 0; i < file->stream_count; i++) {
        const cc_stream *s = &file->streams[i];
        if (s->type == CC_STREAM_VIDEO && !s->attached_pic && s->width > 0) {
            cu_buf_printf(out, " resolution=\"%dx%d\"", s->width, s->height);
            break;
        }
    }
    for (size_t i = 0; i < file->stream_count; i++) {
        const cc_stream *s = &file->streams[i];
        if (s->type == CC_STREAM_AUDIO) {
            if (s->channels > 0)
                cu_buf_printf(out, " nrAudioChannels=\"%d\"", s->channels);
            if (s->sample_rate > 0)
                cu_buf_printf(out, " sampleFrequency=\"%d\"", s->sample_rate);
            break;
        }
    }
    cu_buf_printf(out, ">%s/dlna/res/%" PRId64 "</res>", base, file->id);
    int audio;
    if (dl_profile_wants_ts(&prof, file->streams, file->stream_count, &audio)) {
        /* A TV that cannot decode the file plays this one: H.264/AAC in
         * MPEG-TS, transcoded as it is sent, seekable by time. */
        int w = 0, h = 0;
        for (size_t i = 0; i < file->stream_count; i++)
            if (file->streams[i].type == CC_STREAM_VIDEO && !file->streams[i].attached_pic) {
                w = file->streams[i].width;
                h = file->streams[i].height;
                break;
            }
        dl_profile_ts_features(w, h, features, sizeof features);
        cu_buf_printf(out, "<res protocolInfo=\"http-get:*:" DL_TS_MIME ":%s\"", features);
        if (file->duration > 0) {
            char d[32];
            duration(file->duration, d, sizeof d);
            cu_buf_printf(out, " duration=\"%s\"", d);
        }
        dl_profile_ts_size(&w, &h);
        if (w > 0 && h > 0)
            cu_buf_printf(out, " resolution=\"%dx%d\"", w, h);
        if (audio >= 0)
            cu_buf_puts(out, " nrAudioChannels=\"2\" sampleFrequency=\"48000\"");
        cu_buf_printf(out, ">%s/dlna/ts/%" PRId64 "</res>", base, file->id);
    }
    subs = 0;
    for (size_t i = 0; i < file->stream_count; i++) {
        const cc_stream *s = &file->streams[i];
        if (s->type != CC_STREAM_SUBTITLE || !dl_text_subtitle(s->codec) || subs++ >= 8)
            continue;
        cu_buf_printf(
            out, "<res protocolInfo=\"http-get:*:text/srt:*\">%s/dlna/sub/%" PRId64 "/%d.srt</res>",
            base, file->id, s->index);
    }
    cu_buf_puts(out, "</item>");
}
