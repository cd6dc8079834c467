/* Unit tests for cm_media probing. Tiny media files are made at test time
 * with the ffmpeg command (the test may spawn it; the library never does),
 * in a temporary directory that is removed afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_fixture.h"

#include "media/cm_media.h"
#include "util/cu_str.h"

/* Set up once by the group setup, read by every test. */
static struct {
    char dir[1024];
    bool have_ffmpeg; /* every generated file below exists */
} fixture;

/* A path inside the fixture directory (static buffers, rotated, so a test
 * can hold a few at once). */
static const char *fixture_path(const char *name)
{
    static char paths[4][PATH_MAX];
    static unsigned next;
    char *p = paths[next++ % 4];
    int n = snprintf(p, PATH_MAX, "%s/%s", fixture.dir, name);
    assert_true(n > 0 && n < PATH_MAX);
    return p;
}

static bool write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static bool copy_prefix(const char *from, const char *to, size_t max)
{
    FILE *f = fopen(from, "rb");
    if (!f)
        return false;
    char *buf = cu_xmalloc(max ? max : 1);
    size_t n = fread(buf, 1, max, f);
    fclose(f);
    bool ok = write_file(to, buf, n);
    free(buf);
    return ok;
}

static bool copy_file(const char *from, const char *to)
{
    return copy_prefix(from, to, 4 * 1024 * 1024);
}

static const char meta_txt[] = ";FFMETADATA1\n"
                               "title=Pel\xC3\xAD"
                               "cula de prueba\n"
                               "date=2019\n"
                               "comment=A comment\n"
                               "description=A description\n"
                               "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Opening\n"
                               "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=2000\ntitle=Ending\n";

static const char subs_srt[] = "1\n00:00:00,500 --> 00:00:01,500\nHola\n\n"
                               "2\n00:00:01,600 --> 00:00:01,900\nAdi\xC3\xB3s\n\n";

/* Makes every media fixture; false if any step fails. */
static bool make_media(void)
{
    if (!write_file(fixture_path("meta.txt"), meta_txt, sizeof meta_txt - 1) ||
        !write_file(fixture_path("subs.srt"), subs_srt, sizeof subs_srt - 1))
        return false;

    /* H.264 + mono AAC + SRT subtitles, container tags and two chapters. */
    /* clang-format off */
    const char *const full[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10",
        "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000",
        "-i", fixture_path("subs.srt"), "-i", fixture_path("meta.txt"),
        "-map", "0:v", "-map", "1:a", "-map", "2:s", "-map_metadata", "3", "-map_chapters", "3",
        "-t", "2", "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-c:s", "srt",
        "-metadata:s:a:0", "language=spa", "-metadata:s:a:0", "title=Espa\xC3\xB1ol",
        "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=SDH",
        "-disposition:a:0", "default", "-disposition:s:0", "forced+hearing_impaired",
        fixture_path("full.mkv"), NULL};
    /* clang-format on */
    if (!test_fixture_run(full))
        return false;

    /* 10-bit HEVC tagged as PQ (HDR10). */
    /* clang-format off */
    const char *const hevc[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=24", "-t", "1",
        "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=none",
        "-pix_fmt", "yuv420p10le", "-color_primaries", "bt2020", "-color_trc", "smpte2084",
        "-colorspace", "bt2020nc", fixture_path("hevc10.mkv"), NULL};
    /* clang-format on */
    if (!test_fixture_run(hevc))
        return false;

    /* HLG transfer on a cheap H.264 stream. */
    /* clang-format off */
    const char *const hlg[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1",
        "-c:v", "libx264", "-preset", "ultrafast", "-color_trc", "arib-std-b67",
        fixture_path("hlg.mkv"), NULL};
    /* clang-format on */
    if (!test_fixture_run(hlg))
        return false;

    /* A PNG cover, then an MP4 that carries it as cover art. */
    /* clang-format off */
    const char *const cover[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "color=c=red:size=64x64", "-frames:v", "1",
        fixture_path("cover.png"), NULL};
    /* clang-format on */
    if (!test_fixture_run(cover))
        return false;
    /* clang-format off */
    const char *const mp4[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-i", fixture_path("cover.png"),
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=f=440:sample_rate=44100",
        "-map", "0:v", "-map", "1:v", "-map", "2:a", "-t", "2",
        "-c:v:0", "png", "-disposition:v:0", "attached_pic",
        "-c:v:1", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2",
        "-metadata", "title=Film in MP4", "-metadata", "description=Short description",
        "-metadata", "synopsis=Long synopsis", "-metadata", "creation_time=2020-01-02T03:04:05Z",
        fixture_path("stereo.mp4"), NULL};
    /* clang-format on */
    if (!test_fixture_run(mp4))
        return false;

    /* The same streams in MPEG-TS. */
    /* clang-format off */
    const char *const ts[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-i", fixture_path("stereo.mp4"), "-map", "0:V", "-map", "0:a", "-c", "copy",
        "-f", "mpegts", fixture_path("film.ts"), NULL};
    /* clang-format on */
    if (!test_fixture_run(ts))
        return false;

    /* Hostile tags: longer than CM_MEDIA_MAX_TAG, and invalid UTF-8. */
    char long_title[CM_MEDIA_MAX_TAG + 2000];
    memcpy(long_title, "title=", 6);
    memset(long_title + 6, 'a', sizeof long_title - 7);
    long_title[sizeof long_title - 1] = '\0';
    /* clang-format off */
    const char *const tags[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5", "-t", "0.4",
        "-c:v", "libx264", "-preset", "ultrafast",
        "-metadata", long_title, "-metadata", "comment=bad \xFF\xFE bytes",
        fixture_path("tags.mkv"), NULL};
    /* clang-format on */
    if (!test_fixture_run(tags))
        return false;

    /* One small file per older container, to check the names we give them. */
    static const struct {
        const char *name, *vcodec, *acodec;
    } legacy[] = {
        {"film.avi", "mpeg4", "mp2"},           {"film.mpg", "mpeg2video", "mp2"},
        {"film.wmv", "wmv2", "wmav2"},          {"film.flv", "flv", "aac"},
        {"film.ogv", "libtheora", "libvorbis"},
    };
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
        /* clang-format off */
        const char *const cmd[] = {
            "ffmpeg", "-nostdin", "-v", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25",
            "-f", "lavfi", "-i", "sine=f=440:sample_rate=44100", "-t", "1",
            "-c:v", legacy[i].vcodec, "-c:a", legacy[i].acodec,
            fixture_path(legacy[i].name), NULL};
        /* clang-format on */
        if (!test_fixture_run(cmd))
            return false;
    }

    /* Black for the first 60% (a long fade-in), then a picture. */
    /* clang-format off */
    const char *const dark[] = {
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "color=c=black:size=320x240:rate=10:duration=3",
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10:duration=2",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0,setsar=1", "-c:v", "libx264",
        "-preset", "veryfast", "-g", "5", "-pix_fmt", "yuv420p", fixture_path("dark.mp4"), NULL};
    /* clang-format on */
    if (!test_fixture_run(dark))
        return false;

    return copy_file(fixture_path("full.mkv"), fixture_path("film.webm")) &&
           copy_file(fixture_path("stereo.mp4"), fixture_path("film.mov")) &&
           copy_file(fixture_path("stereo.mp4"), fixture_path("film.m4v")) &&
           copy_file(fixture_path("film.ts"), fixture_path("film.m2ts")) &&
           copy_prefix(fixture_path("full.mkv"), fixture_path("truncated.mkv"), 3000) &&
           copy_prefix(fixture_path("stereo.mp4"), fixture_path("truncated.mp4"), 3000);
}

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("CINEMATECA_TEST_TMP");
    if (!base || !base[0])
        base = "/tmp";
    snprintf(fixture.dir, sizeof fixture.dir, "%s/test_media.XXXXXX", base);
    if (!mkdtemp(fixture.dir))
        return -1;
    /* Traversable by others, for the permission test run as another user. */
    chmod(fixture.dir, 0755);
    cm_media_init();
    const char *const version[] = {"ffmpeg", "-version", NULL};
    if (!test_fixture_run(version)) {
        fprintf(stderr, "test_media: no ffmpeg command, media tests skipped\n");
        return 0;
    }
    /* ffmpeg is there: a fixture it cannot make is a failure, not a skip. */
    fixture.have_ffmpeg = make_media();
    return fixture.have_ffmpeg ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    if (fixture.dir[0])
        test_fixture_remove_tree(fixture.dir);
    return 0;
}

static void need_ffmpeg(void)
{
    if (!fixture.have_ffmpeg)
        skip();
}

/* Probes a fixture that must succeed. */
static cm_media_info *probe_ok(const char *name)
{
    cm_media_info *info = NULL;
    cu_err err = {0};
    int rc = cm_media_probe(fixture_path(name), &info, &err);
    if (rc != 0)
        print_error("probe %s: %d %s\n", name, rc, err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(info);
    return info;
}

/* The n-th stream of a type, or NULL. */
static const cm_media_stream *nth_stream(const cm_media_info *info, cm_stream_type type, int n)
{
    for (size_t i = 0; i < info->stream_count; i++)
        if (info->streams[i].type == type && n-- == 0)
            return &info->streams[i];
    return NULL;
}

static void test_mkv_streams(void **state)
{
    (void)state;
    need_ffmpeg();
    cm_media_info *info = probe_ok("full.mkv");

    assert_string_equal(info->container, "mkv");
    assert_string_equal(info->format_name, "matroska,webm");
    assert_true(info->duration > 1.8 && info->duration < 2.3);
    assert_int_equal(info->stream_count, 3);

    const cm_media_stream *v = cm_media_info_video(info);
    assert_non_null(v);
    assert_int_equal(v->index, 0);
    assert_string_equal(v->codec, "h264");
    assert_string_equal(v->profile, "High");
    assert_int_equal(v->width, 160);
    assert_int_equal(v->height, 120);
    assert_true(v->frame_rate > 9.9 && v->frame_rate < 10.1);
    assert_int_equal(v->bit_depth, 8);
    assert_string_equal(v->pix_fmt, "yuv420p");
    assert_string_equal(v->hdr, "");
    assert_false(v->attached_pic);

    const cm_media_stream *a = nth_stream(info, CM_STREAM_AUDIO, 0);
    assert_non_null(a);
    assert_string_equal(a->codec, "aac");
    assert_string_equal(a->profile, "LC");
    assert_int_equal(a->channels, 1);
    assert_string_equal(a->channel_layout, "mono");
    assert_int_equal(a->sample_rate, 48000);
    assert_string_equal(a->language, "spa");
    assert_string_equal(a->title, "Espa\xC3\xB1ol");
    assert_true(a->is_default);
    assert_false(a->is_forced);

    const cm_media_stream *s = nth_stream(info, CM_STREAM_SUBTITLE, 0);
    assert_non_null(s);
    assert_string_equal(s->codec, "subrip");
    assert_string_equal(s->language, "eng");
    assert_string_equal(s->title, "SDH");
    assert_true(s->is_forced);
    assert_true(s->is_hearing_impaired);
    assert_int_equal(s->width, 0);
    assert_int_equal(s->channels, 0);

    cm_media_info_free(info);
}

static void test_mkv_tags_and_chapters(void **state)
{
    (void)state;
    need_ffmpeg();
    cm_media_info *info = probe_ok("full.mkv");

    assert_non_null(info->tag_title);
    assert_string_equal(info->tag_title, "Pel\xC3\xAD"
                                         "cula de prueba");
    assert_non_null(info->tag_date);
    assert_string_equal(info->tag_date, "2019");
    assert_non_null(info->tag_comment);
    assert_string_equal(info->tag_comment, "A comment");
    assert_non_null(info->tag_description);
    assert_string_equal(info->tag_description, "A description");

    assert_int_equal(info->chapter_count, 2);
    assert_string_equal(info->chapters[0].title, "Opening");
    assert_true(info->chapters[0].start < 0.01);
    assert_true(info->chapters[0].end > 0.99 && info->chapters[0].end < 1.01);
    assert_string_equal(info->chapters[1].title, "Ending");
    assert_true(info->chapters[1].start > 0.99 && info->chapters[1].start < 1.01);
    assert_true(info->chapters[1].end > 1.99 && info->chapters[1].end < 2.01);

    cm_media_info_free(info);
}

static void test_hevc_10bit_hdr(void **state)
{
    (void)state;
    need_ffmpeg();
    cm_media_info *info = probe_ok("hevc10.mkv");
    const cm_media_stream *v = cm_media_info_video(info);
    assert_non_null(v);
    assert_string_equal(v->codec, "hevc");
    assert_string_equal(v->profile, "Main 10");
    assert_int_equal(v->bit_depth, 10);
    assert_string_equal(v->pix_fmt, "yuv420p10le");
    assert_string_equal(v->hdr, "HDR10");
    assert_true(v->frame_rate > 23.9 && v->frame_rate < 24.1);
    assert_null(nth_stream(info, CM_STREAM_AUDIO, 0));
    assert_null(info->tag_title);
    assert_int_equal(info->chapter_count, 0);
    assert_null(info->chapters);
    cm_media_info_free(info);

    info = probe_ok("hlg.mkv");
    v = cm_media_info_video(info);
    assert_non_null(v);
    assert_string_equal(v->hdr, "HLG");
    cm_media_info_free(info);
}

static void test_mp4_cover_and_tags(void **state)
{
    (void)state;
    need_ffmpeg();
    cm_media_info *info = probe_ok("stereo.mp4");

    assert_string_equal(info->container, "mp4");
    assert_true(cu_str_has_prefix(info->format_name, "mov,mp4"));
    assert_true(info->duration > 1.8 && info->duration < 2.3);
    assert_true(info->bit_rate > 0);

    /* The cover is a video stream too (the muxer stores it last). */
    assert_int_equal(info->stream_count, 3);
    const cm_media_stream *cover = NULL;
    for (int i = 0; nth_stream(info, CM_STREAM_VIDEO, i); i++)
        if (nth_stream(info, CM_STREAM_VIDEO, i)->attached_pic)
            cover = nth_stream(info, CM_STREAM_VIDEO, i);
    assert_non_null(cover);
    assert_string_equal(cover->codec, "png");
    assert_int_equal(cover->width, 64);
    assert_true(cover->frame_rate == 0.0);
    const cm_media_stream *v = cm_media_info_video(info);
    assert_non_null(v);
    assert_ptr_not_equal(v, cover);
    assert_false(v->attached_pic);
    assert_string_equal(v->codec, "h264");
    assert_int_equal(v->width, 320);
    assert_int_equal(v->height, 240);
    assert_true(v->frame_rate > 24.9 && v->frame_rate < 25.1);
    assert_true(v->bit_rate > 0);

    const cm_media_stream *a = nth_stream(info, CM_STREAM_AUDIO, 0);
    assert_non_null(a);
    assert_int_equal(a->channels, 2);
    assert_string_equal(a->channel_layout, "stereo");
    assert_int_equal(a->sample_rate, 44100);
    assert_true(a->bit_rate > 0);
    assert_string_equal(a->language, ""); /* tagged "und" by the muxer */

    assert_non_null(info->tag_title);
    assert_string_equal(info->tag_title, "Film in MP4");
    assert_non_null(info->tag_description);
    assert_string_equal(info->tag_description, "Short description");
    /* No comment tag: the synopsis stands in. No date: creation_time. */
    assert_non_null(info->tag_comment);
    assert_string_equal(info->tag_comment, "Long synopsis");
    assert_non_null(info->tag_date);
    assert_true(cu_str_has_prefix(info->tag_date, "2020-01-02"));

    cm_media_info_free(info);
}

static void test_video_skips_cover(void **state)
{
    (void)state;
    /* Cover art first, as some files store it: the film's video is next. */
    /* clang-format off */
    cm_media_stream streams[3] = {
        {.index = 0, .type = CM_STREAM_AUDIO},
        {.index = 1, .type = CM_STREAM_VIDEO, .attached_pic = true},
        {.index = 2, .type = CM_STREAM_VIDEO},
    };
    /* clang-format on */
    cm_media_info info = {.stream_count = 3, .streams = streams};
    assert_ptr_equal(cm_media_info_video(&info), &streams[2]);
    info.stream_count = 2;
    assert_null(cm_media_info_video(&info));
    info.stream_count = 0;
    assert_null(cm_media_info_video(&info));
}

static void expect_container(const char *name, const char *container)
{
    cm_media_info *info = probe_ok(name);
    assert_string_equal(info->container, container);
    cm_media_info_free(info);
}

static void test_container_names(void **state)
{
    (void)state;
    need_ffmpeg();
    expect_container("full.mkv", "mkv");
    expect_container("film.webm", "webm");
    expect_container("stereo.mp4", "mp4");
    expect_container("film.mov", "mov");
    expect_container("film.m4v", "m4v");
    expect_container("film.ts", "ts");
    expect_container("film.m2ts", "m2ts");
    expect_container("film.avi", "avi");
    expect_container("film.mpg", "mpg");
    expect_container("film.wmv", "wmv");
    expect_container("film.flv", "flv");
    expect_container("film.ogv", "ogv");

    cm_media_info *info = probe_ok("film.ts");
    assert_string_equal(info->format_name, "mpegts");
    assert_non_null(cm_media_info_video(info));
    assert_true(info->duration > 1.5 && info->duration < 2.5);
    cm_media_info_free(info);
}

/* Mean luma and size of a JPEG in the fixture directory, decoded by the
 * ffmpeg command into raw grey. */
static double jpeg_luma(const char *name, int *width, int *height)
{
    const char *jpeg = fixture_path(name);
    cm_media_info *info = probe_ok(name);
    const cm_media_stream *v = cm_media_info_video(info);
    if (!v && info->stream_count)
        v = &info->streams[0];
    assert_non_null(v);
    assert_string_equal(v->codec, "mjpeg");
    *width = v->width;
    *height = v->height;
    cm_media_info_free(info);
    const char *raw = fixture_path("luma.gray");
    /* clang-format off */
    const char *const cmd[] = {"ffmpeg", "-nostdin", "-v", "error", "-y", "-i", jpeg,
                               "-f", "rawvideo", "-pix_fmt", "gray", raw, NULL};
    /* clang-format on */
    assert_true(test_fixture_run(cmd));
    FILE *f = fopen(raw, "rb");
    assert_non_null(f);
    long sum = 0, n = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        sum += c;
        n++;
    }
    fclose(f);
    assert_true(n > 0);
    return (double)sum / (double)n;
}

static void test_thumbnail(void **state)
{
    (void)state;
    need_ffmpeg();
    cu_err err = {0};
    const char *out = fixture_path("poster.jpg");
    const char *out_name = "poster.jpg";
    /* 10% in is black: a later, lit frame is taken instead. */
    assert_int_equal(cm_media_thumbnail(fixture_path("dark.mp4"), 0.10, 160, out, &err), 0);
    int w = 0, h = 0;
    double luma = jpeg_luma(out_name, &w, &h);
    assert_int_equal(w, 160);
    assert_int_equal(h, 120);
    assert_true(luma > 40.0);

    /* Never upscaled; other containers and codecs. */
    assert_int_equal(cm_media_thumbnail(fixture_path("full.mkv"), 0.5, 4000, out, &err), 0);
    jpeg_luma(out_name, &w, &h);
    assert_int_equal(w, 160);
    assert_int_equal(cm_media_thumbnail(fixture_path("film.mpg"), 0.10, 80, out, &err), 0);

    /* Files without a picture fail with a reason and write nothing. */
    const char *none = fixture_path("none.jpg");
    assert_true(cm_media_thumbnail(fixture_path("meta.txt"), 0.1, 160, none, &err) < 0);
    assert_true(err.msg[0] != '\0');
    assert_true(cm_media_thumbnail(fixture_path("truncated.mkv"), 0.1, 160, none, &err) <= 0);
    assert_true(cm_media_thumbnail(fixture_path("missing.mkv"), 0.1, 160, none, &err) < 0);
}

/* A file in the library that is really an HLS or concat playlist naming a
 * film elsewhere: the poster code reads the one file it was given and
 * nothing it names (libavformat alone would follow both). */
static void test_thumbnail_playlist(void **state)
{
    (void)state;
    need_ffmpeg();
    cu_err err = {0};
    char film[PATH_MAX], text[PATH_MAX + 128];
    snprintf(film, sizeof film, "%s", fixture_path("full.mkv"));
    int n = snprintf(text, sizeof text,
                     "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n%s\n#EXT-X-ENDLIST\n", film);
    assert_true(write_file(fixture_path("playlist.mkv"), text, (size_t)n));
    n = snprintf(text, sizeof text, "ffconcat version 1.0\nfile '%s'\n", film);
    assert_true(write_file(fixture_path("concat.mkv"), text, (size_t)n));
    const char *out = fixture_path("from-playlist.jpg");
    assert_true(cm_media_thumbnail(fixture_path("playlist.mkv"), 0.1, 160, out, &err) < 0);
    assert_int_equal(access(fixture_path("from-playlist.jpg"), F_OK), -1);
    assert_true(cm_media_thumbnail(fixture_path("concat.mkv"), 0.1, 160, out, &err) < 0);
    assert_int_equal(access(fixture_path("from-playlist.jpg"), F_OK), -1);
    /* The probe refuses them as well. */
    cm_media_info *info = NULL;
    assert_true(cm_media_probe(fixture_path("playlist.mkv"), &info, &err) < 0);
    assert_null(info);
}

/* Resizes the image at name through an open descriptor. */
static int resize_file(const char *name, int width, const char *out, cu_err *err)
{
    int fd = open(fixture_path(name), O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    int rc = cm_media_image_resize_fd(fd, width, out, err);
    close(fd);
    return rc;
}

static void test_image_resize(void **state)
{
    (void)state;
    need_ffmpeg();
    cu_err err = {0};
    const char *out = fixture_path("cover-small.jpg");
    if (resize_file("cover.png", 32, out, &err) != 0)
        fail_msg("resize: %s", err.msg);
    int w = 0, h = 0;
    jpeg_luma("cover-small.jpg", &w, &h);
    assert_int_equal(w, 32);
    assert_true(h > 0);
    assert_true(resize_file("meta.txt", 32, out, &err) < 0);
}

/* A rectangle cut out of a picture (a trickplay tile), and cuts that do
 * not fit refused. */
static void test_image_cut(void **state)
{
    (void)state;
    need_ffmpeg();
    cu_err err = {0};
    int fd = open(fixture_path("cover.png"), O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    const char *out = fixture_path("cover-cut.jpg");
    if (cm_media_image_cut_fd(fd, 8, 4, 20, 10, out, &err) != 0)
        fail_msg("cut: %s", err.msg);
    int w = 0, h = 0;
    jpeg_luma("cover-cut.jpg", &w, &h);
    assert_int_equal(w, 20);
    assert_int_equal(h, 10);
    assert_int_equal(cm_media_image_cut_fd(fd, 0, 0, 100000, 10, out, &err), CU_EINVAL);
    assert_int_equal(cm_media_image_cut_fd(fd, -2, 0, 10, 10, out, &err), CU_EINVAL);
    assert_int_equal(cm_media_image_cut_fd(fd, 0, 0, 0, 10, out, &err), CU_EINVAL);
    close(fd);
}

/* Header sizes of the three formats, read without decoding, and the
 * pixel limit applied before any decoding. */
static void test_image_dimensions(void **state)
{
    (void)state;
    cu_err err = {0};
    int w = 0, h = 0;
    /* PNG: signature, IHDR of 16000x16000 (the rest need not exist). */
    /* clang-format off */
    uint8_t png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                       0, 0, 0x3e, 0x80, 0, 0, 0x3e, 0x80, 8, 2, 0, 0, 0};
    /* clang-format on */
    assert_int_equal(cm_image_dimensions(png, sizeof png, &w, &h, &err), 0);
    assert_int_equal(w, 16000);
    assert_int_equal(h, 16000);
    /* JPEG: SOI, an APP0 of 16 bytes, then SOF0 of 640x480. */
    uint8_t jpeg[40] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16};
    uint8_t sof[] = {0xFF, 0xC0, 0, 17, 8, 0x01, 0xE0, 0x02, 0x80, 3};
    memcpy(jpeg + 2 + 2 + 16, sof, sizeof sof);
    assert_int_equal(cm_image_dimensions(jpeg, sizeof jpeg, &w, &h, &err), 0);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);
    /* Cut before its frame header, or a segment length running past the
     * end: no size, never a read past the buffer. */
    assert_int_equal(cm_image_dimensions(jpeg, 22, &w, &h, &err), CU_EPARSE);
    jpeg[5] = 0xFF;
    assert_int_equal(cm_image_dimensions(jpeg, sizeof jpeg, &w, &h, &err), CU_EPARSE);
    /* WebP VP8X: canvas 1000x2000. */
    /* clang-format off */
    uint8_t webp[30] = {'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X',
                        10, 0, 0, 0, 0, 0, 0, 0, 0xE7, 0x03, 0, 0xCF, 0x07, 0};
    /* clang-format on */
    assert_int_equal(cm_image_dimensions(webp, sizeof webp, &w, &h, &err), 0);
    assert_int_equal(w, 1000);
    assert_int_equal(h, 2000);
    assert_int_equal(cm_image_dimensions((const uint8_t *)"hello", 5, &w, &h, &err), CU_EPARSE);
    assert_int_equal(cm_image_dimensions(png, 20, &w, &h, &err), CU_EPARSE);

    /* The same PNG header as a file: over the limit, refused before any
     * decoding, by the size check and by the resizer. */
    const char *path = fixture_path("huge-header.png");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(png, 1, sizeof png, f), sizeof png);
    fclose(f);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(cm_image_check_size(fd, &w, &h, &err), CU_ELIMIT);
    assert_non_null(strstr(err.msg, "16000x16000"));
    assert_int_equal(cm_media_image_resize_fd(fd, 160, fixture_path("huge-small.jpg"), &err),
                     CU_ELIMIT);
    close(fd);
    assert_int_equal(access(fixture_path("huge-small.jpg"), F_OK), -1);

    /* A JPEG whose frame header comes after 67 KB of metadata blocks:
     * found past the first 64 KiB read. */
    const char *big_meta = fixture_path("big-meta.jpg");
    f = fopen(big_meta, "wb");
    assert_non_null(f);
    static const uint8_t soi[] = {0xFF, 0xD8};
    fwrite(soi, 1, sizeof soi, f);
    static uint8_t app[65002];
    for (int k = 0; k < 2; k++) { /* two APP1 blocks of 65,000 and 2,000 bytes */
        size_t len = k ? 2000 : 65000;
        app[0] = 0xFF, app[1] = 0xE1, app[2] = (uint8_t)(len >> 8), app[3] = (uint8_t)len;
        fwrite(app, 1, len + 2, f);
    }
    fwrite(sof, 1, sizeof sof, f);
    fclose(f);
    fd = open(big_meta, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    w = h = 0;
    assert_int_equal(cm_image_fd_dimensions(fd, &w, &h, &err), 0);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);
    close(fd);
}

static void test_hostile_tags(void **state)
{
    (void)state;
    need_ffmpeg();
    cm_media_info *info = probe_ok("tags.mkv");
    assert_non_null(info->tag_title);
    size_t len = strlen(info->tag_title);
    assert_true(len < CM_MEDIA_MAX_TAG);
    assert_true(len > CM_MEDIA_MAX_TAG - 8);
    assert_non_null(info->tag_comment);
    assert_true(cu_utf8_valid(info->tag_comment, strlen(info->tag_comment)));
    assert_non_null(strstr(info->tag_comment, "\xEF\xBF\xBD"));
    assert_true(cu_str_has_prefix(info->tag_comment, "bad "));
    cm_media_info_free(info);
}

/* Probes a path that must fail with code; msg_part, if given, must appear
 * in the reason. */
static void expect_failure(const char *path, int code, const char *msg_part)
{
    cm_media_info *info = (cm_media_info *)(uintptr_t)1;
    cu_err err = {0};
    int rc = cm_media_probe(path, &info, &err);
    if (rc != code)
        print_error("probe %s: got %d (%s), want %d\n", path, rc, err.msg, code);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_null(info);
    assert_true(err.msg[0] != '\0');
    if (msg_part)
        assert_non_null(strstr(err.msg, msg_part));
}

static void test_empty_file(void **state)
{
    (void)state;
    assert_true(write_file(fixture_path("empty.mkv"), "", 0));
    expect_failure(fixture_path("empty.mkv"), CU_EMEDIA, "empty file");
}

static void test_missing_file(void **state)
{
    (void)state;
    expect_failure(fixture_path("no such film.mkv"), -ENOENT, NULL);
    expect_failure(fixture_path("no/such/dir/film.mkv"), -ENOENT, NULL);
}

static void test_directory(void **state)
{
    (void)state;
    expect_failure(fixture.dir, -EISDIR, NULL);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    cm_media_info *info = NULL;
    cu_err err = {0};
    assert_int_equal(cm_media_probe(NULL, &info, &err), CU_EINVAL);
    assert_null(info);
    assert_int_equal(cm_media_probe("", &info, &err), CU_EINVAL);
    assert_int_equal(cm_media_probe("x.mkv", NULL, &err), CU_EINVAL);
    /* err may be NULL. */
    assert_int_equal(cm_media_probe(fixture_path("absent.mkv"), &info, NULL), -ENOENT);
    assert_null(cm_media_info_video(NULL));
    cm_media_info_free(NULL);
}

static void test_text_file(void **state)
{
    (void)state;
    char text[4096] = "";
    for (int i = 0; i < 40; i++)
        strcat(text, "These are notes about a film, not a film.\n");
    assert_true(write_file(fixture_path("notes.mkv"), text, strlen(text)));
    expect_failure(fixture_path("notes.mkv"), CU_EMEDIA, "not a media file");
}

static void test_random_bytes(void **state)
{
    (void)state;
    enum { size = 256 * 1024 };
    unsigned char *bytes = cu_xmalloc(size);
    uint32_t x = 2463534242u; /* xorshift32, fixed seed: reproducible */
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        bytes[i] = (unsigned char)x;
    }
    /* .bin is also the extension of a text-art "video" format that accepts
     * anything; it must not turn noise into a film. */
    bool ok = write_file(fixture_path("random.mkv"), bytes, size) &&
              write_file(fixture_path("random.bin"), bytes, size) &&
              write_file(fixture_path("random.mp4"), bytes, size);
    free(bytes);
    assert_true(ok);
    expect_failure(fixture_path("random.mkv"), CU_EMEDIA, NULL);
    expect_failure(fixture_path("random.bin"), CU_EMEDIA, NULL);
    expect_failure(fixture_path("random.mp4"), CU_EMEDIA, NULL);
}

static void test_truncated(void **state)
{
    (void)state;
    need_ffmpeg();
    /* Either an error with a reason or a partial description; never a crash. */
    cm_media_info *info = NULL;
    cu_err err = {0};
    int rc = cm_media_probe(fixture_path("truncated.mkv"), &info, &err);
    if (rc == 0) {
        assert_non_null(info);
        assert_string_equal(info->container, "mkv");
        assert_true(info->stream_count <= CM_MEDIA_MAX_STREAMS);
        cm_media_info_free(info);
    } else {
        assert_true(rc < 0);
        assert_null(info);
        assert_true(err.msg[0] != '\0');
    }

    /* An MP4 cut before its index is recognised, then reported as damaged. */
    expect_failure(fixture_path("truncated.mp4"), CU_EMEDIA, "truncated");
}

static void test_unreadable(void **state)
{
    (void)state;
    const char *path = fixture_path("locked.mkv");
    assert_true(write_file(path, "locked", 6));
    assert_int_equal(chmod(path, 0), 0);
    if (geteuid() != 0) {
        expect_failure(path, -EACCES, "permission denied");
        return;
    }
    /* root reads anything: check as an unprivileged user in a child. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(2);
        cm_media_info *info = NULL;
        cu_err err = {0};
        int rc = cm_media_probe(path, &info, &err);
        _exit(rc == -EACCES && !info && strstr(err.msg, "permission denied") ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 2)
        skip();
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mkv_streams),       cmocka_unit_test(test_mkv_tags_and_chapters),
        cmocka_unit_test(test_hevc_10bit_hdr),    cmocka_unit_test(test_mp4_cover_and_tags),
        cmocka_unit_test(test_video_skips_cover), cmocka_unit_test(test_container_names),
        cmocka_unit_test(test_thumbnail),         cmocka_unit_test(test_thumbnail_playlist),
        cmocka_unit_test(test_image_resize),      cmocka_unit_test(test_image_cut),
        cmocka_unit_test(test_image_dimensions),  cmocka_unit_test(test_hostile_tags),
        cmocka_unit_test(test_empty_file),        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_directory),         cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_text_file),         cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_truncated),         cmocka_unit_test(test_unreadable),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
