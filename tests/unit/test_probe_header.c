/* Unit tests for the header-only probe (cm_probe_header.c): for varied
 * Matroska, WebM and MP4 files (H.264, HEVC, AV1, VP9; 8 and 10 bits; HDR
 * tagged in the container or only in the bitstream; AAC, AC-3, E-AC-3,
 * Opus, FLAC, MP3, DTS, PCM; subtitles, chapters, tags, languages,
 * dispositions) the quick description must equal, field by field, the one
 * libavformat's full analysis (avformat_find_stream_info) gives, and must
 * really have been made from the header. Files are made with the ffmpeg
 * command in a temporary folder. */
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

static struct {
    char dir[1024];
    bool have_ffmpeg;
} fixture;

static const char *fixture_path(const char *name)
{
    static char paths[4][PATH_MAX];
    static unsigned next;
    char *p = paths[next++ % 4];
    int n = snprintf(p, PATH_MAX, "%s/%s", fixture.dir, name);
    assert_true(n > 0 && n < PATH_MAX);
    return p;
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* One generated file: its name, whether the quick path must take it, and
 * the ffmpeg arguments after the common inputs (0: video, 1: sine, 2: a
 * second sine, 3: subtitles, 4: metadata with chapters). */
typedef struct sample {
    const char *name;
    bool quick;
    const char *args[40];
} sample;

#define V "-map", "0:v"
#define A1 "-map", "1:a"
#define A2 "-map", "2:a"
#define S "-map", "3:s"
#define META "-map_metadata", "4", "-map_chapters", "4"
#define X264 "-c:v", "libx264", "-preset", "ultrafast"
#define X265 "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=none"

/* clang-format off */
static const sample samples[] = {
    /* H.264 8-bit, stereo AAC, SRT subtitles, chapters, tags, languages,
     * titles and dispositions. */
    {"h264_aac_subs.mkv", true,
     {V, A1, S, META, X264, "-c:a", "aac", "-ac", "2", "-c:s", "srt", "-metadata:s:a:0",
      "language=spa", "-metadata:s:a:0", "title=Espa\xC3\xB1ol", "-metadata:s:s:0",
      "language=eng", "-disposition:s:0", "forced+hearing_impaired", NULL}},
    /* Two audio languages, the second AC-3 5.1 and not default. */
    {"h264_two_audio.mkv", true,
     {V, A1, A2, X264, "-c:a:0", "aac", "-c:a:1", "ac3", "-ac:a:1", "6", "-metadata:s:a:0",
      "language=eng", "-metadata:s:a:1", "language=fra", "-disposition:a:0", "default",
      "-disposition:a:1", "0", NULL}},
    /* H.264 with B-frames (High profile), mono AAC, mov_text, MP4 tags. */
    {"h264_bframes.mp4", true,
     {V, A1, S, META, "-c:v", "libx264", "-preset", "medium", "-c:a", "aac", "-ac", "1",
      "-c:s", "mov_text", "-metadata:s:s:0", "language=spa", NULL}},
    /* H.264 High 4:2:2 10-bit with FLAC. */
    {"h264_422_10.mkv", true,
     {V, A1, X264, "-pix_fmt", "yuv422p10le", "-c:a", "flac", NULL}},
    /* HLG said only in the H.264 bitstream (no colour in the container). */
    {"h264_hlg_vui.mp4", true,
     {V, A1, X264, "-x264-params", "transfer=arib-std-b67", "-c:a", "libmp3lame", NULL}},
    /* 10-bit HEVC, HDR10 said in the container too, AC-3. */
    {"hevc10_hdr.mkv", true,
     {V, A1, X265, "-pix_fmt", "yuv420p10le", "-color_primaries", "bt2020", "-color_trc",
      "smpte2084", "-colorspace", "bt2020nc", "-c:a", "ac3", NULL}},
    /* HDR10 said only in the HEVC bitstream, E-AC-3, in MP4. */
    {"hevc10_vui.mp4", true,
     {V, A1, "-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
      "log-level=none:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc", "-pix_fmt",
      "yuv420p10le", "-tag:v", "hvc1", "-c:a", "eac3", NULL}},
    /* AV1 10-bit with Opus. */
    {"av1_10.mkv", true,
     {V, A1, "-c:v", "libaom-av1", "-cpu-used", "8", "-pix_fmt", "yuv420p10le", "-c:a",
      "libopus", NULL}},
    /* AV1 tagged HDR10, in MP4 with AAC. */
    {"av1_hdr.mp4", true,
     {V, A1, "-c:v", "libaom-av1", "-cpu-used", "8", "-pix_fmt", "yuv420p10le",
      "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc",
      "-c:a", "aac", NULL}},
    /* VP9 profile 2 (10-bit) with Opus in WebM. */
    {"vp9_10.webm", true,
     {V, A1, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt",
      "yuv420p10le", "-c:a", "libopus", NULL}},
    /* DTS and PCM. */
    {"h264_dts.mkv", true, {V, A1, X264, "-c:a", "dca", "-strict", "-2", NULL}},
    {"h264_pcm.mov", true, {V, A1, X264, "-c:a", "pcm_s16le", NULL}},
    /* Fragmented MP4 (no duration in its header when it was written). */
    {"h264_fragmented.mp4", false,
     {V, A1, X264, "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov", NULL}},
    /* Not Matroska or MP4: always the full analysis. */
    {"h264_aac.ts", false, {V, A1, X264, "-c:a", "aac", NULL}},
};
/* clang-format on */

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("CINEMATECA_TEST_TMP");
    if (!base || !base[0])
        base = "/tmp";
    snprintf(fixture.dir, sizeof fixture.dir, "%s/test_probe_header.XXXXXX", base);
    if (!mkdtemp(fixture.dir))
        return -1;
    cm_media_init();
    const char *const version[] = {"ffmpeg", "-version", NULL};
    if (!test_fixture_run(version)) {
        fprintf(stderr, "test_probe_header: no ffmpeg command, tests skipped\n");
        return 0;
    }
    if (!write_file(fixture_path("subs.srt"), "1\n00:00:00,100 --> 00:00:00,600\nHola\n\n") ||
        !write_file(fixture_path("meta.txt"),
                    ";FFMETADATA1\ntitle=Pel\xC3\xAD"
                    "cula\ndate=2019\ncomment=A comment\n"
                    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle=Uno\n"
                    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=500\nEND=1000\ntitle=Dos\n"))
        return -1;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        /* clang-format off */
        const char *argv[64] = {"ffmpeg", "-nostdin", "-v", "error", "-y",
                                "-f", "lavfi", "-i", "testsrc=size=128x72:rate=24",
                                "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000",
                                "-f", "lavfi", "-i", "sine=f=220:sample_rate=48000",
                                "-i", fixture_path("subs.srt"),
                                "-i", fixture_path("meta.txt"), "-t", "1"};
        /* clang-format on */
        size_t n = 0;
        while (argv[n])
            n++;
        for (size_t a = 0; samples[i].args[a]; a++)
            argv[n++] = samples[i].args[a];
        argv[n++] = fixture_path(samples[i].name);
        argv[n] = NULL;
        if (!test_fixture_run(argv)) {
            fprintf(stderr, "test_probe_header: ffmpeg could not make %s\n", samples[i].name);
            return -1;
        }
    }
    fixture.have_ffmpeg = true;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (fixture.dir[0])
        test_fixture_remove_tree(fixture.dir);
    return 0;
}

static cm_media_info *probe(const char *name, cm_probe_mode mode)
{
    int fd = open(fixture_path(name), O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    cm_media_info *info = NULL;
    cu_err err = {0};
    int rc = cm_media_probe_fd_mode(fd, fixture_path(name), mode, &info, &err);
    close(fd);
    if (rc != 0)
        print_error("probe %s: %d %s\n", name, rc, err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(info);
    return info;
}

static int differences;

static void same_str(const char *file, const char *field, const char *a, const char *b)
{
    if (!a)
        a = "(null)";
    if (!b)
        b = "(null)";
    if (strcmp(a, b)) {
        print_error("%s: %s: quick \"%s\", full \"%s\"\n", file, field, a, b);
        differences++;
    }
}

static void same_num(const char *file, const char *field, double a, double b)
{
    if (a != b) {
        print_error("%s: %s: quick %.9g, full %.9g\n", file, field, a, b);
        differences++;
    }
}

/* Every field cm_media_info records, compared. */
static void compare(const char *file, const cm_media_info *q, const cm_media_info *f)
{
    same_str(file, "container", q->container, f->container);
    same_str(file, "format_name", q->format_name, f->format_name);
    same_num(file, "duration", q->duration, f->duration);
    same_num(file, "bit_rate", (double)q->bit_rate, (double)f->bit_rate);
    same_str(file, "tag_title", q->tag_title, f->tag_title);
    same_str(file, "tag_date", q->tag_date, f->tag_date);
    same_str(file, "tag_description", q->tag_description, f->tag_description);
    same_str(file, "tag_comment", q->tag_comment, f->tag_comment);
    same_num(file, "stream_count", (double)q->stream_count, (double)f->stream_count);
    for (size_t i = 0; i < q->stream_count && i < f->stream_count; i++) {
        const cm_media_stream *a = &q->streams[i], *b = &f->streams[i];
        char what[64];
#define NUM(x)                                                                                     \
    snprintf(what, sizeof what, "stream %zu " #x, i);                                              \
    same_num(file, what, (double)a->x, (double)b->x)
#define STR(x)                                                                                     \
    snprintf(what, sizeof what, "stream %zu " #x, i);                                              \
    same_str(file, what, a->x, b->x)
        NUM(index);
        NUM(type);
        STR(codec);
        STR(profile);
        NUM(width);
        NUM(height);
        NUM(frame_rate);
        NUM(bit_depth);
        STR(pix_fmt);
        STR(hdr);
        NUM(attached_pic);
        NUM(channels);
        NUM(sample_rate);
        STR(channel_layout);
        NUM(bit_rate);
        STR(language);
        STR(title);
        NUM(is_default);
        NUM(is_forced);
        NUM(is_hearing_impaired);
#undef NUM
#undef STR
    }
    same_num(file, "chapter_count", (double)q->chapter_count, (double)f->chapter_count);
    for (size_t i = 0; i < q->chapter_count && i < f->chapter_count; i++) {
        same_num(file, "chapter start", q->chapters[i].start, f->chapters[i].start);
        same_num(file, "chapter end", q->chapters[i].end, f->chapters[i].end);
        same_str(file, "chapter title", q->chapters[i].title, f->chapters[i].title);
    }
}

static void test_quick_equals_full(void **state)
{
    (void)state;
    if (!fixture.have_ffmpeg)
        skip();
    differences = 0;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const char *name = samples[i].name;
        cm_media_info *quick = probe(name, CM_PROBE_AUTO);
        cm_media_info *full = probe(name, CM_PROBE_FULL);
        assert_false(full->from_header);
        if (quick->from_header != samples[i].quick) {
            print_error("%s: %s the header\n", name,
                        quick->from_header ? "described from" : "not described from");
            differences++;
        }
        compare(name, quick, full);
        cm_media_info_free(quick);
        cm_media_info_free(full);
    }
    assert_int_equal(differences, 0);
}

/* The fixtures do say what they were made to say (else the comparison
 * above would prove little). */
static void test_fixtures_cover_the_fields(void **state)
{
    (void)state;
    if (!fixture.have_ffmpeg)
        skip();
    cm_media_info *hevc = probe("hevc10_vui.mp4", CM_PROBE_AUTO);
    const cm_media_stream *v = cm_media_info_video(hevc);
    assert_non_null(v);
    assert_string_equal(v->codec, "hevc");
    assert_string_equal(v->profile, "Main 10");
    assert_int_equal(v->bit_depth, 10);
    assert_string_equal(v->hdr, "HDR10");
    cm_media_info_free(hevc);

    cm_media_info *hlg = probe("h264_hlg_vui.mp4", CM_PROBE_AUTO);
    v = cm_media_info_video(hlg);
    assert_non_null(v);
    assert_string_equal(v->hdr, "HLG");
    cm_media_info_free(hlg);

    cm_media_info *subs = probe("h264_aac_subs.mkv", CM_PROBE_AUTO);
    assert_int_equal(subs->chapter_count, 2);
    assert_int_equal(subs->stream_count, 3);
    assert_string_equal(subs->streams[1].profile, "LC");
    assert_string_equal(subs->streams[1].channel_layout, "stereo");
    assert_string_equal(subs->streams[2].language, "eng");
    assert_true(subs->streams[2].is_forced);
    assert_true(subs->bit_rate > 0);
    cm_media_info_free(subs);

    cm_media_info *vp9 = probe("vp9_10.webm", CM_PROBE_AUTO);
    v = cm_media_info_video(vp9);
    assert_non_null(v);
    assert_string_equal(v->profile, "Profile 2");
    assert_int_equal(v->bit_depth, 10);
    cm_media_info_free(vp9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quick_equals_full),
        cmocka_unit_test(test_fixtures_cover_the_fields),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
