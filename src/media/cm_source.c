/* cm_source: opens a film for the HLS code with the bounds every reader
 * here needs: a deadline checked by libavformat's interrupt callback, the
 * file protocol only, and no nested opens (hls, concat, dash references). */
#include "media/cm_hls_internal.h"

#include <errno.h>
#include <string.h>

#include <libavutil/time.h>

#define SOURCE_PROBE_BYTES (5 * 1024 * 1024)
#define SOURCE_ANALYZE_US (5 * 1000 * 1000)

static int interrupt_cb(void *opaque)
{
    const cm_source *src = opaque;
    return av_gettime_relative() > src->deadline_us;
}

static int refuse_io_open(struct AVFormatContext *s, AVIOContext **pb, const char *url,
                          int flags, AVDictionary **options)
{
    (void)s, (void)pb, (void)url, (void)flags, (void)options;
    return AVERROR(EPERM);
}

int cm_av_error(cu_err *err, int averr, const char *what)
{
    if (averr == AVERROR_EXIT)
        return cu_err_set(err, CU_ELIMIT, "%s: took too long", what);
    if (averr == AVERROR(ENOMEM))
        return cu_err_set(err, -ENOMEM, "%s: out of memory", what);
    if (averr == AVERROR(ENOENT) || averr == AVERROR(EACCES))
        return cu_err_set(err, averr, "%s: %s", what, strerror(-averr));
    char reason[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(averr, reason, sizeof reason);
    return cu_err_set(err, CU_EMEDIA, "%s: %s", what, reason);
}

int cm_source_open(cm_source *src, const char *path, int64_t budget_us, bool find_info,
                   cu_err *err)
{
    memset(src, 0, sizeof *src);
    src->deadline_us = av_gettime_relative() + budget_us;
    AVFormatContext *fmt = avformat_alloc_context();
    if (!fmt)
        return cu_err_set(err, -ENOMEM, "out of memory");
    fmt->interrupt_callback = (AVIOInterruptCB){.callback = interrupt_cb, .opaque = src};
    fmt->probesize = SOURCE_PROBE_BYTES;
    fmt->max_analyze_duration = SOURCE_ANALYZE_US;
    /* We open the file ourselves ("file:" so a path that looks like a URL,
     * "concat:a|b", is still a path) and refuse every other open. */
    size_t len = strlen(path);
    char *url = av_malloc(len + 6);
    if (!url) {
        avformat_free_context(fmt);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    memcpy(url, "file:", 5);
    memcpy(url + 5, path, len + 1);
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    int rc = avio_open2(&src->pb, url, AVIO_FLAG_READ, &fmt->interrupt_callback, &opts);
    av_free(url);
    av_dict_free(&opts);
    if (rc < 0) {
        avformat_free_context(fmt);
        return cm_av_error(err, rc, "cannot open");
    }
    fmt->pb = src->pb;
    fmt->io_open = refuse_io_open;
    rc = avformat_open_input(&fmt, path, NULL, NULL);
    if (rc < 0) {
        avio_closep(&src->pb);
        return cm_av_error(err, rc, "cannot open");
    }
    src->fmt = fmt;
    if (find_info) {
        AVDictionary **stream_opts = av_calloc(fmt->nb_streams ? fmt->nb_streams : 1,
                                               sizeof *stream_opts);
        for (unsigned i = 0; stream_opts && i < fmt->nb_streams; i++)
            av_dict_set(&stream_opts[i], "threads", "1", 0);
        rc = avformat_find_stream_info(fmt, stream_opts);
        for (unsigned i = 0; stream_opts && i < fmt->nb_streams; i++)
            av_dict_free(&stream_opts[i]);
        av_freep(&stream_opts);
        if (rc < 0) {
            cm_source_close(src);
            return cm_av_error(err, rc, "cannot read streams");
        }
    }
    return 0;
}

void cm_source_close(cm_source *src)
{
    avformat_close_input(&src->fmt);
    avio_closep(&src->pb);
}
