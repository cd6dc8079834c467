/* Unit tests for cm_hls: keyframe index, plan and playlists, and segments
 * checked by real clients. Short sources are made at test time with the
 * ffmpeg command (the test may spawn it; the library never does); the
 * playlists, init and segments we produce are written to a directory and
 * read back with ffmpeg and ffprobe. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
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

#include "media/cm_hls.h"
#include "media/cm_subtitle_srt.h"
#include "media/cm_hls_internal.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"

/* Segments of about 2 s keep the sources short and still give several. */
#define TEST_TARGET 2.0

/* The media functions read a descriptor the caller opened: one per test
 * file, opened on first use and kept until the test program ends. */
#define FD_TABLE_MAX 32
static int FD(const char *path)
{
    static struct {
        char path[512];
        int fd;
    } table[FD_TABLE_MAX];
    static size_t count;
    for (size_t i = 0; i < count; i++)
        if (!strcmp(table[i].path, path))
            return table[i].fd;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && count < FD_TABLE_MAX && strlen(path) < sizeof table[0].path) {
        strcpy(table[count].path, path);
        table[count++].fd = fd;
    }
    return fd;
}

static struct {
    char dir[1024];
    bool have_ffmpeg;
} fixture;

static char *path_in(const char *dir, const char *name)
{
    return cu_xasprintf("%s/%s", dir, name);
}

static char *fixture_path(const char *name)
{
    return path_in(fixture.dir, name);
}

/* Runs argv without a shell; stdout to out_path (or /dev/null), stderr to
 * err_path (or /dev/null). True on exit status 0. */
static bool run_to(const char *const argv[], const char *out_path, const char *err_path)
{
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int errfd = open(err_path ? err_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0 || errfd < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(errfd, 2);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool run(const char *const argv[])
{
    bool ok = run_to(argv, NULL, NULL);
    if (!ok)
        fprintf(stderr, "test_hls: %s failed\n", argv[0]);
    return ok;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cu_buf b = CU_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cu_buf_append(&b, chunk, n);
    fclose(f);
    cu_buf_append(&b, "", 0);
    return cu_buf_take(&b);
}

static bool write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static const char subs_srt[] =
    "1\n00:00:00,500 --> 00:00:01,500\nHola <i>amigo</i> & co\n\n"
    "2\n00:00:02,000 --> 00:00:03,200\nAdi\xC3\xB3s\nsegunda l\xC3\xADnea\n\n";

static const char subs_ass[] =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 180\n\n"
    "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, "
    "Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,"
    "1,1,0,2,10,10,10,1\n\n"
    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.50,0:00:01.50,Default,,0,0,0,,{\\i1}Styled{\\i0} text, with comma\n"
    "Dialogue: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,Line one\\NLine <two>\n";

/* One source per codec family the issue names. */
static const struct source {
    const char *name;
    const char *const *args; /* ffmpeg arguments after the inputs */
    const char *video_codec, *audio_codec;
} sources[] = {
    {"h264_aac.mkv",
     (const char *const[]){"-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-pix_fmt",
                           "yuv420p", "-c:a", "aac", "-ac", "2", NULL},
     "h264", "aac"},
    {"hevc_ac3.mkv",
     (const char *const[]){"-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
                           "log-level=none:keyint=25:min-keyint=25:scenecut=0", "-c:a", "ac3",
                           "-ac", "6", NULL},
     "hevc", "ac3"},
    {"mpeg2_mp2.ts",
     (const char *const[]){"-c:v", "mpeg2video", "-g", "25", "-c:a", "mp2", "-ac", "2", NULL},
     "mpeg2video", "mp2"},
    /* Keyframes 4 s apart: timed cuts fall inside GOPs. */
    {"hevc_longgop.mkv",
     (const char *const[]){"-c:v", "libx265", "-preset", "ultrafast", "-x265-params",
                           "log-level=none:keyint=100:min-keyint=100:scenecut=0", "-c:a", "aac",
                           NULL},
     "hevc", "aac"},
    {"vp9_opus.webm",
     (const char *const[]){"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-g",
                           "25", "-c:a", "libopus", "-ac", "2", NULL},
     "vp9", "opus"},
};
#define SOURCE_SECONDS "7"

static bool make_sources(void)
{
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        const char *argv[64];
        size_t n = 0;
        char *out = fixture_path(sources[i].name);
        /* clang-format off */
        const char *head[] = {"ffmpeg", "-nostdin", "-v", "error", "-y",
                              "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
                              "-f", "lavfi", "-i", "sine=f=440:sample_rate=48000",
                              "-t", SOURCE_SECONDS, NULL};
        /* clang-format on */
        for (size_t k = 0; head[k]; k++)
            argv[n++] = head[k];
        for (size_t k = 0; sources[i].args[k]; k++)
            argv[n++] = sources[i].args[k];
        argv[n++] = out;
        argv[n] = NULL;
        bool ok = run(argv);
        free(out);
        if (!ok)
            return false;
    }
    char *srt = fixture_path("subs.srt"), *ass = fixture_path("subs.ass");
    bool ok = write_bytes(srt, subs_srt, sizeof subs_srt - 1) &&
              write_bytes(ass, subs_ass, sizeof subs_ass - 1);
    char *with_srt = fixture_path("with_srt.mkv"), *with_ass = fixture_path("with_ass.mkv");
    char *h264 = fixture_path("h264_aac.mkv");
    /* clang-format off */
    const char *const mux_srt[] = {"ffmpeg", "-nostdin", "-v", "error", "-y", "-i", h264,
                                   "-i", srt, "-map", "0", "-map", "1", "-c", "copy",
                                   "-c:s", "srt", "-metadata:s:s:0", "language=spa", with_srt,
                                   NULL};
    /* clang-format on */
    /* clang-format off */
    const char *const mux_ass[] = {"ffmpeg", "-nostdin", "-v", "error", "-y", "-i", h264,
                                   "-i", ass, "-map", "0", "-map", "1", "-c", "copy",
                                   "-c:s", "ass", with_ass, NULL};
    /* clang-format on */
    /* The H.264/AAC film again in MPEG-TS: Annex B video, ADTS audio. */
    char *ts = fixture_path("h264_aac.ts");
    /* clang-format off */
    const char *const to_ts[] = {"ffmpeg", "-nostdin", "-v", "error", "-y", "-i", h264,
                                 "-map", "0", "-c", "copy", "-f", "mpegts", ts, NULL};
    /* clang-format on */
    /* And in MP4 (an edit list, B-frames: the index gives decode times). */
    char *mp4 = fixture_path("h264_aac.mp4");
    /* clang-format off */
    const char *const to_mp4[] = {"ffmpeg", "-nostdin", "-v", "error", "-y", "-i", h264,
                                  "-map", "0", "-c", "copy", mp4, NULL};
    /* clang-format on */
    ok = ok && run(mux_srt) && run(mux_ass) && run(to_ts) && run(to_mp4);
    free(ts);
    free(mp4);
    free(srt), free(ass), free(with_srt), free(with_ass), free(h264);
    return ok;
}

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("CINEMATECA_TEST_TMP");
    if (!base || !base[0])
        base = "/tmp";
    snprintf(fixture.dir, sizeof fixture.dir, "%s/test_hls.XXXXXX", base);
    if (!mkdtemp(fixture.dir))
        return -1;
    cm_media_init();
    const char *const version[] = {"ffmpeg", "-version", NULL};
    if (!run_to(version, NULL, NULL)) {
        fprintf(stderr, "test_hls: no ffmpeg command, HLS tests skipped\n");
        return 0;
    }
    fixture.have_ffmpeg = make_sources();
    return fixture.have_ffmpeg ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    if (fixture.dir[0] && !getenv("CINEMATECA_KEEP_TMP"))
        test_fixture_remove_tree(fixture.dir);
    return 0;
}

static void need_ffmpeg(void)
{
    if (!fixture.have_ffmpeg)
        skip();
}

static cm_keyframes *index_ok(const char *path)
{
    cm_keyframes *kf = NULL;
    cu_err err = {0};
    int rc = cm_keyframes_build(FD(path), &kf, &err);
    if (rc != 0)
        print_error("index %s: %d %s\n", path, rc, err.msg);
    assert_int_equal(rc, 0);
    return kf;
}

/* ---- index and plan ---- */

static void test_keyframes(void **state)
{
    (void)state;
    need_ffmpeg();
    char *src = fixture_path("h264_aac.mkv");
    cm_keyframes *kf = index_ok(src);
    /* -g 25 at 25 fps over 7 s: a keyframe each second. */
    assert_int_equal(kf->count, 7);
    assert_int_equal(kf->stream_index, 0);
    double unit = (double)kf->tb_num / kf->tb_den;
    for (size_t i = 0; i < kf->count; i++)
        assert_true(fabs((double)(kf->pts[i] - kf->pts[0]) * unit - (double)i) < 0.01);
    assert_true(fabs((double)(kf->end - kf->pts[0]) * unit - 7.0) < 0.05);
    assert_true(kf->reorder > 0); /* x264 B-frames */

    /* The container's index (Matroska cues, MP4 sync samples) gives what
     * reading every packet gives. */
    char *mp4 = fixture_path("h264_aac.mp4");
    const char *const both[] = {src, mp4};
    for (int k = 0; k < 2; k++) {
        cm_keyframes *fast = NULL, *full = NULL;
        cu_err e = {0};
        assert_int_equal(cm_keyframes_build_full(FD(both[k]), true, &fast, &e), 0);
        assert_int_equal(cm_keyframes_build_full(FD(both[k]), false, &full, &e), 0);
        assert_int_equal(fast->count, full->count);
        assert_memory_equal(fast->pts, full->pts, full->count * sizeof *full->pts);
        assert_int_equal(fast->reorder, full->reorder);
        assert_true(llabs(fast->end - full->end) <= 2 * full->frame_duration);
        cm_keyframes_free(fast);
        cm_keyframes_free(full);
    }
    free(mp4);

    /* Save and load round trip. */
    char *file = fixture_path("h264_aac.kf");
    cu_err err = {0};
    assert_int_equal(cm_keyframes_save(kf, file, &err), 0);
    cm_keyframes *back = NULL;
    assert_int_equal(cm_keyframes_load(file, &back, &err), 0);
    assert_int_equal(back->count, kf->count);
    assert_memory_equal(back->pts, kf->pts, kf->count * sizeof *kf->pts);
    assert_int_equal(back->end, kf->end);
    assert_int_equal(back->reorder, kf->reorder);
    assert_int_equal(back->source_size, kf->source_size);

    /* Damaged blobs are refused. */
    uint8_t *blob;
    size_t len;
    assert_int_equal(cm_keyframes_serialize(kf, &blob, &len), 0);
    cm_keyframes *bad = NULL;
    assert_int_equal(cm_keyframes_parse(blob, len - 1, &bad, &err), CU_EPARSE);
    blob[0] = 'X';
    assert_int_equal(cm_keyframes_parse(blob, len, &bad, &err), CU_EPARSE);
    assert_null(bad);
    free(blob);

    /* No video: refused. */
    char *srt = fixture_path("subs.srt");
    cm_keyframes *none = NULL;
    assert_true(cm_keyframes_build(FD(srt), &none, &err) < 0);
    assert_null(none);

    cm_keyframes_free(back);
    cm_keyframes_free(kf);
    free(src), free(file), free(srt);
}

static void test_plan_and_playlists(void **state)
{
    (void)state;
    int64_t pts[] = {0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000};
    cm_keyframes kf = {
        .tb_num = 1, .tb_den = 1000, .end = 13500, .frame_duration = 40, .count = 11, .pts = pts};
    cm_hls_plan *plan = NULL;
    cu_err err = {0};
    assert_int_equal(cm_hls_plan_new(&kf, 3.0, &plan, &err), 0);
    /* Cuts at 0, 3, 6, 9; the last runs to the end (4.5 s). */
    assert_int_equal(plan->count, 4);
    assert_int_equal(plan->segments[1].start, 3000);
    assert_int_equal(plan->segments[3].end, 13500);
    assert_true(fabs(plan->segments[3].duration_s - 4.5) < 1e-9);
    assert_true(fabs(plan->total_s - 13.5) < 1e-9);

    char *m3u8 = cm_hls_media_playlist(plan, "init.mp4", "seg-", ".m4s");
    assert_non_null(m3u8);
    assert_non_null(strstr(m3u8, "#EXT-X-PLAYLIST-TYPE:VOD\n"));
    assert_non_null(strstr(m3u8, "#EXT-X-VERSION:7\n"));
    assert_non_null(strstr(m3u8, "#EXT-X-MAP:URI=\"init.mp4\"\n"));
    assert_non_null(strstr(m3u8, "#EXT-X-TARGETDURATION:5\n"));
    assert_non_null(strstr(m3u8, "#EXTINF:3.000000,\nseg-0.m4s\n"));
    assert_non_null(strstr(m3u8, "#EXTINF:4.500000,\nseg-3.m4s\n#EXT-X-ENDLIST\n"));
    free(m3u8);
    assert_null(cm_hls_media_playlist(plan, "init\".mp4", "seg-", ".m4s"));
    assert_null(cm_hls_media_playlist(plan, "init.mp4", "seg-\n", ".m4s"));

    /* clang-format off */
    cm_hls_subtitle_entry subs[] = {
        {.uri = "subs/2.m3u8", .name = "Espa\xC3\xB1ol", .language = "es", .is_default = true},
        {.uri = "subs/3.m3u8", .name = "English (forced)", .language = "en", .is_forced = true},
    };
    /* clang-format on */
    /* clang-format off */
    cm_hls_master master = {.media_uri = "media.m3u8", .codecs = "avc1.64001f,mp4a.40.2",
                            .bandwidth = 2000000, .width = 1280, .height = 720,
                            .frame_rate = 23.976, .subtitle_count = 2, .subtitles = subs};
    /* clang-format on */
    char *top = cm_hls_master_playlist(&master);
    assert_non_null(top);
    assert_non_null(strstr(top, "CODECS=\"avc1.64001f,mp4a.40.2\""));
    assert_non_null(strstr(top, "RESOLUTION=1280x720"));
    assert_non_null(strstr(top, "SUBTITLES=\"subs\""));
    assert_non_null(strstr(top, "LANGUAGE=\"es\",DEFAULT=YES"));
    assert_non_null(strstr(top, "FORCED=YES,URI=\"subs/3.m3u8\""));
    free(top);
    subs[1].name = "bad\"name";
    assert_null(cm_hls_master_playlist(&master));
    cm_hls_plan_free(plan);

    /* A ramp: two short segments first. */
    assert_int_equal(cm_hls_plan_new_ramp(&kf, 3.0, 1.0, 2, &plan, &err), 0);
    assert_int_equal(plan->count, 5); /* 0-1, 1-2, 2-5, 5-8, 8-13.5 */
    assert_int_equal(plan->segments[1].start, 1000);
    assert_int_equal(plan->segments[2].start, 2000);
    assert_int_equal(plan->segments[3].start, 5000);
    cm_hls_plan_free(plan);

    /* Timed: cuts at 1, 2, then every 3 s whatever the keyframes; a tail
     * under half a segment joins the one before. */
    assert_int_equal(cm_hls_plan_new_timed(&kf, 3.0, 1.0, 2, &plan, &err), 0);
    assert_int_equal(plan->count, 6); /* 0-1, 1-2, 2-5, 5-8, 8-11, 11-13.5 */
    assert_int_equal(plan->segments[2].start, 2000);
    assert_int_equal(plan->segments[3].start, 5000);
    assert_int_equal(plan->segments[5].start, 11000);
    assert_int_equal(plan->segments[5].end, 13500);
    cm_hls_plan_free(plan);
    kf.end = 12000; /* 11-12 is under half a segment: 8-12 */
    assert_int_equal(cm_hls_plan_new_timed(&kf, 3.0, 1.0, 2, &plan, &err), 0);
    assert_int_equal(plan->count, 5);
    assert_true(fabs(plan->segments[4].duration_s - 4.0) < 1e-9);
    cm_hls_plan_free(plan);
    kf.end = 13500;

    /* Sparse keyframes: a segment is as long as the GOP. */
    int64_t sparse[] = {0, 10000};
    cm_keyframes kf2 = {
        .tb_num = 1, .tb_den = 1000, .end = 12000, .frame_duration = 40, .count = 2, .pts = sparse};
    assert_int_equal(cm_hls_plan_new(&kf2, 6.0, &plan, &err), 0);
    assert_int_equal(plan->count, 2);
    assert_true(fabs(plan->max_duration_s - 10.0) < 1e-9);
    cm_hls_plan_free(plan);
}

static void test_decide(void **state)
{
    (void)state;
    /* clang-format off */
    cm_media_stream streams[] = {
        {.index = 0, .type = CM_STREAM_VIDEO, .codec = "hevc", .bit_depth = 10},
        {.index = 1, .type = CM_STREAM_AUDIO, .codec = "ac3", .language = "eng"},
        {.index = 2, .type = CM_STREAM_AUDIO, .codec = "aac", .language = "spa",
         .is_default = true},
        {.index = 3, .type = CM_STREAM_AUDIO, .codec = "opus", .language = "fre"},
    };
    /* clang-format on */
    cm_media_info info = {.stream_count = 4, .streams = streams};
    cm_hls_decision d;
    cu_err err = {0};
    cm_client_caps browser = cm_client_caps_parse(NULL);
    assert_true(browser.h264 && browser.aac && !browser.hevc && !browser.opus);

    assert_int_equal(cm_hls_decide(&info, &browser, -1, NULL, &d, &err), 0);
    assert_int_equal(d.video_index, 0);
    assert_false(d.copy_video);
    assert_int_equal(d.audio_index, 2); /* the default one */
    assert_true(d.copy_audio);

    assert_int_equal(cm_hls_decide(&info, &browser, -1, "en", &d, &err), 0);
    assert_int_equal(d.audio_index, 1);
    assert_false(d.copy_audio);
    assert_int_equal(cm_hls_decide(&info, &browser, -1, "fra", &d, &err), 0);
    assert_int_equal(d.audio_index, 3);
    assert_false(d.copy_audio);
    assert_int_equal(cm_hls_decide(&info, &browser, 3, "en", &d, &err), 0);
    assert_int_equal(d.audio_index, 3);
    assert_int_equal(cm_hls_decide(&info, &browser, 0, NULL, &d, &err), CU_ENOTFOUND);

    cm_client_caps rich = cm_client_caps_parse("h264,aac,HEVC,opus,bogus");
    assert_true(rich.hevc && rich.opus && !rich.vp9);
    assert_int_equal(cm_hls_decide(&info, &rich, 3, NULL, &d, &err), 0);
    assert_true(d.copy_video);
    assert_true(d.copy_audio);

    /* H.264 High 10 is not playable in a browser. */
    cm_media_stream h10[] = {{.index = 0,
                              .type = CM_STREAM_VIDEO,
                              .codec = "h264",
                              .bit_depth = 10,
                              .pix_fmt = "yuv420p10le"}};
    cm_media_info info10 = {.stream_count = 1, .streams = h10};
    assert_int_equal(cm_hls_decide(&info10, &browser, -1, NULL, &d, &err), 0);
    assert_false(d.copy_video);
    assert_int_equal(d.audio_index, -1);
}

/* ---- segments, checked by real clients ---- */

typedef struct produced {
    char *dir;
    cm_keyframes *kf;
    cm_hls_plan *plan;
    cm_hls_output out;
    char codecs[128];
} produced;

static void write_or_fail(const char *dir, const char *name, const void *data, size_t len)
{
    char *p = path_in(dir, name);
    assert_true(write_bytes(p, data, len));
    free(p);
}

/* Makes the whole HLS rendition of src in a new directory, segments made
 * in a scrambled order (middle first: a seek). */
/* Set by a test: cut at times (cm_hls_plan_new_timed) instead of keyframes. */
static bool produce_timed;

static void produce(const char *name, const char *caps_list, produced *p)
{
    memset(p, 0, sizeof *p);
    char *src = fixture_path(name);
    cu_err err = {0};
    p->kf = index_ok(src);
    if (produce_timed)
        assert_int_equal(cm_hls_plan_new_timed(p->kf, TEST_TARGET, 1.0, 2, &p->plan, &err), 0);
    else
        assert_int_equal(cm_hls_plan_new(p->kf, TEST_TARGET, &p->plan, &err), 0);
    assert_true(p->plan->count >= 3);

    cm_media_info *info = NULL;
    assert_int_equal(cm_media_probe(src, &info, &err), 0);
    cm_client_caps caps = cm_client_caps_parse(caps_list);
    cm_hls_decision d;
    assert_int_equal(cm_hls_decide(info, &caps, -1, NULL, &d, &err), 0);
    cm_media_info_free(info);
    p->out = (cm_hls_output){
        .audio_index = d.audio_index, .copy_video = d.copy_video, .copy_audio = d.copy_audio};

    static unsigned serial;
    char *dirname = cu_xasprintf("%s.%u.hls", name, serial++);
    p->dir = fixture_path(dirname);
    free(dirname);
    assert_int_equal(mkdir(p->dir, 0755), 0);

    cm_hls_bytes b;
    int rc = cm_hls_init_segment(FD(src), p->kf, &p->out, &b, &err);
    if (rc)
        print_error("init %s: %s\n", name, err.msg);
    assert_int_equal(rc, 0);
    write_or_fail(p->dir, "init.mp4", b.data, b.len);
    /* The init segment is the same bytes every time. */
    cm_hls_bytes again;
    assert_int_equal(cm_hls_init_segment(FD(src), p->kf, &p->out, &again, &err), 0);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);
    cm_hls_bytes_free(&again);
    cm_hls_bytes_free(&b);

    size_t count = p->plan->count;
    for (size_t k = 0; k < count; k++) {
        size_t n = (count / 2 + k) % count; /* the middle one first */
        rc = cm_hls_media_segment(FD(src), p->kf, p->plan, &p->out, n, &b, &err);
        if (rc)
            print_error("segment %zu of %s: %s\n", n, name, err.msg);
        assert_int_equal(rc, 0);
        assert_true(b.len > 100);
        char seg[32];
        snprintf(seg, sizeof seg, "seg-%zu.m4s", n);
        write_or_fail(p->dir, seg, b.data, b.len);
        cm_hls_bytes_free(&b);
    }
    char *m3u8 = cm_hls_media_playlist(p->plan, "init.mp4", "seg-", ".m4s");
    assert_non_null(m3u8);
    write_or_fail(p->dir, "media.m3u8", m3u8, strlen(m3u8));
    free(m3u8);

    assert_int_equal(cm_hls_codecs(FD(src), p->kf, &p->out, p->codecs, sizeof p->codecs, &err), 0);
    cm_hls_master master = {.media_uri = "media.m3u8", .codecs = p->codecs, .bandwidth = 1000000};
    char *top = cm_hls_master_playlist(&master);
    assert_non_null(top);
    write_or_fail(p->dir, "master.m3u8", top, strlen(top));
    free(top);
    free(src);
}

static void produced_free(produced *p)
{
    cm_keyframes_free(p->kf);
    cm_hls_plan_free(p->plan);
    free(p->dir);
}

/* ffmpeg decodes the master playlist to the end with no error at all, and
 * the decoded duration matches the source within one segment. */
static void check_plays(const produced *p, double source_seconds)
{
    char *master = path_in(p->dir, "master.m3u8");
    char *errors = path_in(p->dir, "ffmpeg.err");
    char *progress = path_in(p->dir, "progress.txt");
    /* clang-format off */
    const char *const argv[] = {"ffmpeg", "-nostdin", "-v", "error", "-allowed_extensions", "ALL",
                                "-i", master, "-progress", progress, "-f", "null", "-", NULL};
    /* clang-format on */
    bool ok = run_to(argv, NULL, errors);
    char *text = read_text(errors);
    if (!ok || (text && text[0]))
        print_error("ffmpeg on %s: %s\n", master, text ? text : "?");
    assert_true(ok);
    assert_non_null(text);
    assert_string_equal(text, "");
    free(text);

    char *prog = read_text(progress);
    assert_non_null(prog);
    double decoded = -1;
    for (char *at = prog; (at = strstr(at, "out_time_us=")); at++)
        decoded = strtod(at + 12, NULL) / 1e6;
    free(prog);
    if (fabs(decoded - source_seconds) > p->plan->max_duration_s)
        print_error("decoded %.3f s of %.3f s\n", decoded, source_seconds);
    assert_true(fabs(decoded - source_seconds) <= p->plan->max_duration_s);
    free(master), free(errors), free(progress);
}

/* Every source frame is in exactly one segment: the playlist read as a
 * whole has as many video packets as the source has frames (7 s at 25). */
static void check_frames(const produced *p, int expected)
{
    char *media = path_in(p->dir, "media.m3u8");
    char *out = path_in(p->dir, "frames.out");
    /* clang-format off */
    const char *const argv[] = {"ffprobe", "-v", "error", "-select_streams", "v:0",
                                "-count_packets", "-show_entries", "stream=nb_read_packets",
                                "-of", "csv=p=0", media, NULL};
    /* clang-format on */
    assert_true(run_to(argv, out, NULL));
    char *text = read_text(out);
    assert_non_null(text);
    int frames = atoi(text);
    if (frames != expected)
        print_error("%s: %d video packets, expected %d\n", media, frames, expected);
    assert_int_equal(frames, expected);
    free(text), free(media), free(out);
}

/* ffprobe's view of the streams of the media playlist: "h264,aac". */
static char *probe_codecs(const produced *p)
{
    char *media = path_in(p->dir, "media.m3u8");
    char *out = path_in(p->dir, "ffprobe.out");
    /* clang-format off */
    const char *const argv[] = {"ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                                "-of", "csv=p=0", media, NULL};
    /* clang-format on */
    assert_true(run_to(argv, out, NULL));
    char *text = read_text(out);
    assert_non_null(text);
    /* A playlist's streams are listed once per program too: keep the
     * first group (up to the first blank line). */
    char *blank = strstr(text, "\n\n");
    if (blank)
        blank[1] = '\0';
    for (char *c = text; *c; c++)
        if (*c == '\n')
            *c = *(c + 1) ? ',' : '\0';
    free(media), free(out);
    return text;
}

static void test_remux_h264_aac(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce("h264_aac.mkv", NULL, &p);
    assert_true(p.out.copy_video && p.out.copy_audio);
    assert_true(cu_str_has_prefix(p.codecs, "avc1.64"));
    assert_non_null(strstr(p.codecs, ",mp4a.40.2"));
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "h264,aac");
    free(codecs);
    produced_free(&p);
}

static void test_transcode_hevc_ac3(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce("hevc_ac3.mkv", NULL, &p);
    assert_false(p.out.copy_video);
    assert_false(p.out.copy_audio);
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "h264,aac");
    free(codecs);
    produced_free(&p);
}

static void test_transcode_mpeg2_ts(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce("mpeg2_mp2.ts", NULL, &p);
    assert_false(p.out.copy_video);
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "h264,aac");
    free(codecs);
    produced_free(&p);
}

static void test_vp9_opus(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce("vp9_opus.webm", NULL, &p);
    assert_false(p.out.copy_video);
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "h264,aac");
    free(codecs);
    produced_free(&p);
}

/* Remux beyond H.264/AAC when the client says it can. */
static void test_remux_declared_codecs(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce("vp9_opus.webm", "h264,aac,vp9,opus", &p);
    assert_true(p.out.copy_video && p.out.copy_audio);
    assert_true(cu_str_has_prefix(p.codecs, "vp09."));
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "vp9,opus");
    free(codecs);
    produced_free(&p);

    /* HEVC copied, its AC3 sound encoded to AAC. */
    produce("hevc_ac3.mkv", "h264,aac,hevc", &p);
    assert_true(p.out.copy_video);
    assert_false(p.out.copy_audio);
    assert_true(cu_str_has_prefix(p.codecs, "hvc1."));
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    codecs = probe_codecs(&p);
    assert_string_equal(codecs, "hevc,aac");
    free(codecs);
    produced_free(&p);
}

/* Timed cuts in a film with keyframes 4 s apart: segments of 1, 1, 2, 2
 * and 1 s, each decoded from the keyframe before it, made middle-first,
 * play end to end with every frame once. */
static void test_transcode_timed_cuts(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce_timed = true;
    produce("hevc_longgop.mkv", NULL, &p);
    produce_timed = false;
    assert_int_equal(p.kf->count, 2);
    assert_int_equal(p.plan->count, 5);
    assert_false(p.out.copy_video);
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "h264,aac");
    free(codecs);
    produced_free(&p);
}

/* MP4 (edit list, B-frames, keyframes from the sync-sample table). */
static void test_remux_mp4(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce("h264_aac.mp4", NULL, &p);
    assert_true(p.out.copy_video && p.out.copy_audio);
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "h264,aac");
    free(codecs);
    produced_free(&p);
}

/* Scaled down to max_height, the width following the aspect. */
static void test_transcode_scaled(void **state)
{
    (void)state;
    need_ffmpeg();
    char *src = fixture_path("h264_aac.mkv");
    cm_keyframes *kf = index_ok(src);
    cm_hls_plan *plan = NULL;
    cu_err err = {0};
    assert_int_equal(cm_hls_plan_new(kf, TEST_TARGET, &plan, &err), 0);
    cm_hls_output out = {.audio_index = 1, .max_height = 90};
    cm_hls_bytes init, seg;
    assert_int_equal(cm_hls_init_segment(FD(src), kf, &out, &init, &err), 0);
    assert_int_equal(cm_hls_media_segment(FD(src), kf, plan, &out, 1, &seg, &err), 0);
    char *file = fixture_path("scaled.mp4");
    FILE *f = fopen(file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(init.data, 1, init.len, f), init.len);
    assert_int_equal(fwrite(seg.data, 1, seg.len, f), seg.len);
    assert_int_equal(fclose(f), 0);
    char *probe_out = fixture_path("scaled.txt");
    /* clang-format off */
    const char *const argv[] = {"ffprobe", "-v", "error", "-select_streams", "v",
                                "-show_entries", "stream=codec_name,width,height", "-of",
                                "csv=p=0", file, NULL};
    /* clang-format on */
    assert_true(run_to(argv, probe_out, NULL));
    char *text = read_text(probe_out);
    assert_non_null(text);
    assert_string_equal(text, "h264,160,90\n");
    free(text), free(probe_out), free(file);
    cm_hls_bytes_free(&init);
    cm_hls_bytes_free(&seg);
    cm_hls_plan_free(plan);
    cm_keyframes_free(kf);
    free(src);
}

/* MPEG-TS: Annex B H.264 and ADTS AAC copied into fMP4. */
static void test_remux_ts(void **state)
{
    (void)state;
    need_ffmpeg();
    produced p;
    produce("h264_aac.ts", NULL, &p);
    assert_true(p.out.copy_video && p.out.copy_audio);
    check_plays(&p, 7.0);
    check_frames(&p, 175);
    char *codecs = probe_codecs(&p);
    assert_string_equal(codecs, "h264,aac");
    free(codecs);
    produced_free(&p);
}

/* ---- subtitles ---- */

static char *vtt_of(const char *name, int stream)
{
    char *src = fixture_path(name);
    char *vtt = NULL;
    cu_err err = {0};
    int rc = cm_subtitle_webvtt(FD(src), stream, NULL, &vtt, &err);
    if (rc)
        print_error("webvtt %s: %s\n", name, err.msg);
    assert_int_equal(rc, 0);
    assert_non_null(vtt);
    free(src);
    return vtt;
}

/* ffmpeg reads the WebVTT back without an error. */
static void check_vtt_parses(const char *vtt, const char *name)
{
    char *file = fixture_path(name);
    assert_true(write_bytes(file, vtt, strlen(vtt)));
    char *errors = fixture_path("vtt.err");
    char *again = fixture_path("again.vtt");
    /* Decoded and encoded again (the null muxer takes no subtitles). */
    /* clang-format off */
    const char *const argv[] = {"ffmpeg", "-nostdin", "-v", "error", "-i", file, "-map", "0",
                                "-c:s", "webvtt", "-f", "webvtt", "-", NULL};
    /* clang-format on */
    assert_true(run_to(argv, again, errors));
    char *text = read_text(errors);
    assert_non_null(text);
    assert_string_equal(text, "");
    /* Every cue came through. */
    char *back = read_text(again);
    assert_non_null(back);
    size_t cues = 0, cues_back = 0;
    for (const char *c = vtt; (c = strstr(c, " --> ")); c++)
        cues++;
    for (const char *c = back; (c = strstr(c, " --> ")); c++)
        cues_back++;
    assert_true(cues > 0);
    assert_int_equal(cues_back, cues);
    free(back), free(again), free(text), free(errors), free(file);
}

static void test_webvtt_srt(void **state)
{
    (void)state;
    need_ffmpeg();
    const char *expected = "WEBVTT\n\n"
                           "00:00:00.500 --> 00:00:01.500\nHola amigo &amp; co\n\n"
                           "00:00:02.000 --> 00:00:03.200\nAdi\xC3\xB3s\nsegunda l\xC3\xADnea\n\n";
    /* Embedded in the MKV (stream 2), and as a sidecar file. */
    char *vtt = vtt_of("with_srt.mkv", 2);
    assert_string_equal(vtt, expected);
    check_vtt_parses(vtt, "embedded.vtt");
    free(vtt);
    vtt = vtt_of("subs.srt", -1);
    assert_string_equal(vtt, expected);
    check_vtt_parses(vtt, "sidecar.vtt");
    free(vtt);
}

static void test_webvtt_ass(void **state)
{
    (void)state;
    need_ffmpeg();
    char *vtt = vtt_of("with_ass.mkv", -1);
    assert_string_equal(vtt, "WEBVTT\n\n"
                             "00:00:00.500 --> 00:00:01.500\nStyled text, with comma\n\n"
                             "00:00:02.000 --> 00:00:03.000\nLine one\nLine &lt;two&gt;\n\n");
    check_vtt_parses(vtt, "ass.vtt");
    free(vtt);
    /* Not a subtitle stream. */
    char *src = fixture_path("with_ass.mkv");
    cu_err err = {0};
    assert_int_equal(cm_subtitle_webvtt(FD(src), 0, NULL, &vtt, &err), CU_ENOTFOUND);
    assert_null(vtt);
    /* On the segments' timeline: times from the first keyframe, mapped. */
    cm_keyframes *kf = index_ok(src);
    assert_int_equal(cm_subtitle_webvtt(FD(src), 2, kf, &vtt, &err), 0);
    char map[80];
    snprintf(map, sizeof map, "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:%lld,LOCAL:00:00:00.000\n\n",
             (long long)llround(cm_hls_timeline_start(kf) * 90000.0));
    assert_true(cu_str_has_prefix(vtt, map));
    /* The film starts at its first keyframe (0.021 s here: the muxer
     * moved video after the AAC priming). */
    long long origin_ms = kf->pts[0] * 1000LL * kf->tb_num / kf->tb_den;
    char cue[128];
    snprintf(cue, sizeof cue, "00:00:00.%03lld --> 00:00:01.%03lld\n", 500 - origin_ms,
             500 - origin_ms);
    assert_non_null(strstr(vtt, cue));
    check_vtt_parses(vtt, "mapped.vtt");
    free(vtt);
    cm_keyframes_free(kf);
    free(src);
}

static void test_ass_text(void **state)
{
    (void)state;
    cu_buf b = CU_BUF_INIT;
    const char *ev = "0,0,Default,,0,0,0,,{\\an8}{\\b1}Bold{\\b0}\\h&\\Nnext <x>";
    cm_subtitle_ass_to_vtt(ev, strlen(ev), true, &b);
    assert_string_equal(cu_buf_str(&b), "Bold &amp;\nnext &lt;x&gt;");
    cu_buf_reset(&b);
    /* Vector drawings are not text; empty lines vanish; bad bytes repaired. */
    const char *draw = "{\\p1}m 0 0 l 10 10{\\p0}A\\N\\N \\NB\xFF";
    cm_subtitle_ass_to_vtt(draw, strlen(draw), false, &b);
    assert_string_equal(cu_buf_str(&b), "A\nB\xEF\xBF\xBD");
    cu_buf_reset(&b);
    /* An unclosed brace is text; "-->" cannot appear. */
    const char *odd = "a {b --> c";
    cm_subtitle_ass_to_vtt(odd, strlen(odd), false, &b);
    assert_string_equal(cu_buf_str(&b), "a {b --&gt; c");
    cu_buf_free(&b);
}

static void test_sidecar_names(void **state)
{
    (void)state;
    /* Sidecar names: library/cl_sidecar (tests/unit/test_name.c). */
    assert_int_equal(cm_subtitle_kind("hdmv_pgs_subtitle"), CM_SUB_IMAGE);
    assert_int_equal(cm_subtitle_kind("dvb_subtitle"), CM_SUB_IMAGE);
    assert_int_equal(cm_subtitle_kind("mov_text"), CM_SUB_TEXT);
    assert_int_equal(cm_subtitle_kind("eia_608"), CM_SUB_UNKNOWN);

    char *pl = cm_hls_subtitle_playlist(7.0, "sub.vtt");
    assert_non_null(pl);
    assert_non_null(strstr(pl, "#EXTINF:7.000000,\nsub.vtt\n#EXT-X-ENDLIST\n"));
    free(pl);
}

/* ---- transcoding workers ---- */

static void test_transcode_worker(void **state)
{
    (void)state;
    need_ffmpeg();
    char *src = fixture_path("hevc_ac3.mkv");
    cm_keyframes *kf = index_ok(src);
    cm_hls_plan *plan = NULL;
    cu_err err = {0};
    assert_int_equal(cm_hls_plan_new(kf, TEST_TARGET, &plan, &err), 0);
    cm_hls_output out = {.audio_index = 1};
    cm_transcode_limit *limit = cm_transcode_limit_new(1);
    cm_transcode *tc = NULL, *second = NULL;
    assert_int_equal(cm_transcode_new(limit, FD(src), kf, plan, &out, 2, &tc, &err), 0);
    assert_int_equal(cm_transcode_limit_running(limit), 1);
    /* Beyond the limit: busy, with a message for a person. */
    assert_int_equal(cm_transcode_new(limit, FD(src), kf, plan, &out, 2, &second, &err), CU_EBUSY);
    assert_null(second);
    assert_true(strlen(err.msg) > 10);

    /* A seek to the last segment, then back to the start. */
    cm_hls_bytes b;
    size_t last = plan->count - 1;
    assert_int_equal(cm_transcode_get(tc, last, 30000, &b, &err), 0);
    assert_true(b.len > 100);
    cm_hls_bytes_free(&b);
    for (size_t n = 0; n < plan->count; n++) {
        int rc = cm_transcode_get(tc, n, 30000, &b, &err);
        if (rc)
            print_error("worker segment %zu: %s\n", n, err.msg);
        assert_int_equal(rc, 0);
        assert_true(b.len > 100);
        cm_hls_bytes_free(&b);
    }
    assert_int_equal(cm_transcode_get(tc, plan->count, 100, &b, &err), CU_ENOTFOUND);
    /* A segment no longer wanted is dropped at once. */
    atomic_bool cancel = true;
    assert_int_equal(cm_hls_media_segment_until(FD(src), kf, plan, &out, 1, &cancel, &b, &err),
                     -ECANCELED);
    assert_null(b.data);
    assert_true(cm_transcode_idle_ms(tc) < 5000);
    cm_transcode_free(tc);
    assert_int_equal(cm_transcode_limit_running(limit), 0);
    /* Freed: room again; freeing at once stops a worker mid-flight. */
    assert_int_equal(cm_transcode_new(limit, FD(src), kf, plan, &out, 2, &second, &err), 0);
    cm_transcode_free(second);
    cm_transcode_limit_free(limit);
    cm_hls_plan_free(plan);
    cm_keyframes_free(kf);
    free(src);
}

/* WebVTT to SubRip: numbered cues, comma times, entities as characters,
 * identifiers, settings and non-cue blocks dropped. */
static void test_vtt_to_srt(void **state)
{
    (void)state;
    const char *vtt = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n"
                      "NOTE not a cue\n\n"
                      "intro\n00:00:01.000 --> 00:00:02.500 align:start\nTom &amp; Jerry\n"
                      "&lt;two&gt;\n\n"
                      "01:02.005 --> 01:03.000\nshort form\n\n"
                      "00:00:09.000 --> nonsense\nskipped\n\n"
                      "01:00:00.000 --> 01:00:01.000\r\nlast\r\n";
    char *srt = NULL;
    cu_err err = {0};
    assert_int_equal(cm_subtitle_vtt_to_srt(vtt, strlen(vtt), &srt, &err), 0);
    assert_string_equal(srt, "1\n00:00:01,000 --> 00:00:02,500\nTom & Jerry\n<two>\n\n"
                             "2\n00:01:02,005 --> 00:01:03,000\nshort form\n\n"
                             "3\n01:00:00,000 --> 01:00:01,000\nlast\n\n");
    free(srt);
    const char *plain = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n";
    assert_int_equal(cm_subtitle_vtt_to_srt(plain, strlen(plain), &srt, &err), 0);
    assert_string_equal(srt, "1\n00:00:01,000 --> 00:00:02,000\nx\n\n");
    free(srt);
    assert_int_equal(cm_subtitle_vtt_to_srt("WEBVTT\n", 7, &srt, &err), 0);
    assert_string_equal(srt, "");
    free(srt);
    assert_int_equal(
        cm_subtitle_vtt_to_srt("1\n00:00:01,000 --> 00:00:02,000\nx\n", 33, &srt, &err), CU_EPARSE);
    assert_null(srt);
    assert_int_equal(cm_subtitle_vtt_to_srt("WEBVTTX\n", 8, &srt, &err), CU_EPARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyframes),
        cmocka_unit_test(test_plan_and_playlists),
        cmocka_unit_test(test_decide),
        cmocka_unit_test(test_remux_h264_aac),
        cmocka_unit_test(test_transcode_hevc_ac3),
        cmocka_unit_test(test_transcode_mpeg2_ts),
        cmocka_unit_test(test_vp9_opus),
        cmocka_unit_test(test_remux_declared_codecs),
        cmocka_unit_test(test_remux_ts),
        cmocka_unit_test(test_remux_mp4),
        cmocka_unit_test(test_transcode_timed_cuts),
        cmocka_unit_test(test_transcode_scaled),
        cmocka_unit_test(test_webvtt_srt),
        cmocka_unit_test(test_webvtt_ass),
        cmocka_unit_test(test_ass_text),
        cmocka_unit_test(test_vtt_to_srt),
        cmocka_unit_test(test_sidecar_names),
        cmocka_unit_test(test_transcode_worker),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
