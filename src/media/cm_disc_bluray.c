/* cm_disc_bluray: a Blu-ray's titles through libbluray. libbluray reads
 * through our own callbacks (files under the disc folder, or blocks of the
 * image) so that every byte it reads is counted and bounded, nothing
 * outside the disc is opened, and a stream's bytes are never read. */
#include "media/cm_disc_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libbluray/bluray.h>
#include <libbluray/filesystem.h>
#include <libbluray/log_control.h>

#include "util/cu_str.h"

/* libbluray calls libxml2's xmlCleanupParser() after it reads a disc's
 * metadata (BDMV/META/DL). That call tears down libxml2's global state and
 * is meant for the end of a process: made on a worker thread while another
 * thread parses an .nfo or a SOAP body, or opens a second disc, it frees
 * what the other is using (a double free in xmlCleanupCharEncodingHandlers,
 * seen under AddressSanitizer in discs.sh). This definition in the
 * executable takes the place of libxml2's for every library that calls it,
 * so the call does nothing and libxml2's state lives until the process
 * exits. Nothing of cinemateca's own calls it. */
void xmlCleanupParser(void);
void xmlCleanupParser(void)
{
}

#define BD_SECTOR 2048
#define BD_TS_PACKET 192

typedef struct reader {
    int fd; /* the disc folder (O_DIRECTORY) or the image */
    int64_t bytes_read;
    bool over_limit;
    bool playing; /* opened to play a title: streams are read, unbounded */
} reader;

typedef struct bd_file_ctx {
    reader *reader;
    int fd;
    bool stream; /* a clip's stream: its size may be asked, never its bytes */
} bd_file_ctx;

static bool charge(reader *r, int64_t n)
{
    if (r->playing)
        return true;
    if (r->bytes_read + n > CM_DISC_MAX_INDEX_BYTES) {
        r->over_limit = true;
        return false;
    }
    r->bytes_read += n;
    return true;
}

/* A path libbluray asks for, relative to the disc's root: no absolute
 * paths, no "..", nothing hidden. */
static bool safe_rel_path(const char *rel)
{
    if (!rel || !rel[0] || rel[0] == '/' || strlen(rel) > 256)
        return false;
    for (const char *p = rel; *p;) {
        if (p[0] == '.')
            return false;
        const char *slash = strchr(p, '/');
        if (!slash)
            break;
        p = slash + 1;
    }
    return true;
}

static void file_close(BD_FILE_H *file)
{
    bd_file_ctx *f = file->internal;
    close(f->fd);
    free(f);
    free(file);
}

static int64_t file_seek(BD_FILE_H *file, int64_t offset, int32_t origin)
{
    bd_file_ctx *f = file->internal;
    off_t at = lseek(f->fd, (off_t)offset, origin);
    return at < 0 ? -1 : (int64_t)at;
}

static int64_t file_tell(BD_FILE_H *file)
{
    bd_file_ctx *f = file->internal;
    off_t at = lseek(f->fd, 0, SEEK_CUR);
    return at < 0 ? -1 : (int64_t)at;
}

static int file_eof(BD_FILE_H *file)
{
    (void)file;
    return 0;
}

static int64_t file_read(BD_FILE_H *file, uint8_t *buf, int64_t size)
{
    bd_file_ctx *f = file->internal;
    if ((f->stream && !f->reader->playing) || size < 0 || f->reader->over_limit)
        return -1;
    /* libbluray asks for large buffers; what counts is what was read. */
    ssize_t n = read(f->fd, buf, (size_t)size);
    if (n < 0 || !charge(f->reader, n))
        return -1;
    return (int64_t)n;
}

static int64_t file_write(BD_FILE_H *file, const uint8_t *buf, int64_t size)
{
    (void)file;
    (void)buf;
    (void)size;
    return -1;
}

static BD_FILE_H *open_file_cb(void *handle, const char *rel)
{
    reader *r = handle;
    if (!safe_rel_path(rel))
        return NULL;
    int fd = openat(r->fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    BD_FILE_H *file = cu_xcalloc(1, sizeof *file);
    bd_file_ctx *f = cu_xcalloc(1, sizeof *f);
    f->reader = r;
    f->fd = fd;
    f->stream = !strncmp(rel, "BDMV/STREAM/", 12);
    file->internal = f;
    file->close = file_close;
    file->seek = file_seek;
    file->tell = file_tell;
    file->eof = file_eof;
    file->read = file_read;
    file->write = file_write;
    return file;
}

static void dir_close(BD_DIR_H *dir)
{
    closedir(dir->internal);
    free(dir);
}

static int dir_read(BD_DIR_H *dir, BD_DIRENT *entry)
{
    struct dirent *de = readdir(dir->internal);
    if (!de)
        return 1;
    cu_strlcpy(entry->d_name, de->d_name, sizeof entry->d_name);
    return 0;
}

static BD_DIR_H *open_dir_cb(void *handle, const char *rel)
{
    reader *r = handle;
    if (!safe_rel_path(rel))
        return NULL;
    int fd = openat(r->fd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return NULL;
    }
    BD_DIR_H *dir = cu_xcalloc(1, sizeof *dir);
    dir->internal = d;
    dir->close = dir_close;
    dir->read = dir_read;
    return dir;
}

static int read_blocks_cb(void *handle, void *buf, int lba, int num_blocks)
{
    reader *r = handle;
    if (lba < 0 || num_blocks <= 0)
        return 0;
    int64_t bytes = (int64_t)num_blocks * BD_SECTOR;
    if (!charge(r, bytes))
        return 0;
    ssize_t n = pread(r->fd, buf, (size_t)bytes, (off_t)lba * BD_SECTOR);
    return n < 0 ? 0 : (int)(n / BD_SECTOR);
}

static void silence_libbluray(void)
{
    /* libbluray logs to stderr by default; cinemateca reports through
     * cu_err instead. Setting the mask is idempotent. */
    bd_set_debug_mask(0);
}

static BLURAY *open_bluray(const char *path, bool image, reader *r)
{
    silence_libbluray();
    r->fd = open(path, O_RDONLY | O_CLOEXEC | (image ? 0 : O_DIRECTORY));
    if (r->fd < 0)
        return NULL;
    BLURAY *bd = bd_init();
    if (!bd)
        return NULL;
    int ok = image ? bd_open_stream(bd, r, read_blocks_cb)
                   : bd_open_files(bd, r, open_dir_cb, open_file_cb);
    if (!ok) {
        bd_close(bd);
        return NULL;
    }
    return bd;
}

static void close_bluray(BLURAY *bd, reader *r)
{
    if (bd)
        bd_close(bd);
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
}

bool cm_disc_bluray_image_is(const char *path)
{
    reader r = {.fd = -1};
    BLURAY *bd = open_bluray(path, true, &r);
    const BLURAY_DISC_INFO *info = bd ? bd_get_disc_info(bd) : NULL;
    bool is = info && info->bluray_detected;
    close_bluray(bd, &r);
    return is;
}

static const char *audio_codec(uint8_t coding)
{
    switch (coding) {
    case BLURAY_STREAM_TYPE_AUDIO_MPEG1: return "mp1";
    case BLURAY_STREAM_TYPE_AUDIO_MPEG2: return "mp2";
    case BLURAY_STREAM_TYPE_AUDIO_LPCM: return "lpcm";
    case BLURAY_STREAM_TYPE_AUDIO_AC3: return "ac3";
    case BLURAY_STREAM_TYPE_AUDIO_DTS: return "dts";
    case BLURAY_STREAM_TYPE_AUDIO_TRUHD: return "truehd";
    case BLURAY_STREAM_TYPE_AUDIO_AC3PLUS:
    case BLURAY_STREAM_TYPE_AUDIO_AC3PLUS_SECONDARY: return "eac3";
    case BLURAY_STREAM_TYPE_AUDIO_DTSHD:
    case BLURAY_STREAM_TYPE_AUDIO_DTSHD_SECONDARY: return "dts-hd";
    case BLURAY_STREAM_TYPE_AUDIO_DTSHD_MASTER: return "dts-hd ma";
    }
    return "";
}

static int audio_channels(uint8_t format)
{
    switch (format) {
    case BLURAY_AUDIO_FORMAT_MONO: return 1;
    case BLURAY_AUDIO_FORMAT_STEREO: return 2;
    case BLURAY_AUDIO_FORMAT_MULTI_CHAN: return 6;
    }
    return 0;
}

/* Languages are three letters on the disc; anything else is dropped. */
static void copy_language(char dst[4], const uint8_t src[4])
{
    dst[0] = '\0';
    for (int i = 0; i < 3; i++)
        if (src[i] < 'a' || src[i] > 'z')
            return;
    memcpy(dst, src, 3);
    dst[3] = '\0';
}

static uint32_t clip_number(const char *clip_id)
{
    uint32_t n = 0;
    for (int i = 0; i < 5 && clip_id[i]; i++) {
        if (clip_id[i] < '0' || clip_id[i] > '9')
            return 0xFFFFFF;
        n = n * 10 + (uint32_t)(clip_id[i] - '0');
    }
    return n;
}

static void fill_video(cm_disc_title *t, const BLURAY_STREAM_INFO *v)
{
    const char *codec = "";
    switch (v->coding_type) {
    case BLURAY_STREAM_TYPE_VIDEO_MPEG1: codec = "mpeg1video"; break;
    case BLURAY_STREAM_TYPE_VIDEO_MPEG2: codec = "mpeg2video"; break;
    case BLURAY_STREAM_TYPE_VIDEO_VC1: codec = "vc1"; break;
    case BLURAY_STREAM_TYPE_VIDEO_H264: codec = "h264"; break;
    case BLURAY_STREAM_TYPE_VIDEO_HEVC: codec = "hevc"; break;
    }
    cu_strlcpy(t->video_codec, codec, sizeof t->video_codec);
    static const int heights[] = {0, 480, 576, 480, 1080, 720, 1080, 576, 2160};
    if (v->format < sizeof heights / sizeof heights[0] && heights[v->format]) {
        t->height = heights[v->format];
        t->width = t->height == 2160   ? 3840
                   : t->height == 1080 ? 1920
                   : t->height == 720  ? 1280
                                       : 720;
    }
    static const double rates[] = {0,  24000.0 / 1001, 24, 25, 30000.0 / 1001, 0,
                                   50, 60000.0 / 1001};
    if (v->rate < sizeof rates / sizeof rates[0])
        t->frame_rate = rates[v->rate];
}

static void fill_title(cm_disc_title *t, const BLURAY_TITLE_INFO *ti)
{
    t->number = (int)ti->playlist;
    t->duration = (double)ti->duration / 90000.0;
    for (uint32_t i = 0; i < ti->chapter_count && t->chapter_count < CM_DISC_MAX_CHAPTERS; i++)
        t->chapters[t->chapter_count++] = (double)ti->chapters[i].start / 90000.0;
    for (uint32_t i = 0; i < ti->clip_count; i++) {
        const BLURAY_CLIP_INFO *c = &ti->clips[i];
        if (t->segment_count == CM_DISC_MAX_SEGMENTS) {
            t->segments_cut = true;
            break;
        }
        /* In and out times folded together: the same clip played over a
         * different range is a different segment. */
        uint64_t range = (c->in_time * 0x9E3779B97F4A7C15ull) ^ c->out_time;
        t->segments[t->segment_count++] = CM_DISC_SEGMENT(clip_number(c->clip_id), range);
    }
    if (ti->clip_count == 0)
        return;
    /* Tracks are the first clip's: a playlist's clips share one stream table. */
    const BLURAY_CLIP_INFO *c = &ti->clips[0];
    if (c->video_stream_count > 0)
        fill_video(t, &c->video_streams[0]);
    for (int i = 0; i < c->audio_stream_count && t->audio_count < CM_DISC_MAX_TRACKS; i++) {
        cm_disc_track *a = &t->audio[t->audio_count++];
        copy_language(a->language, c->audio_streams[i].lang);
        cu_strlcpy(a->codec, audio_codec(c->audio_streams[i].coding_type), sizeof a->codec);
        a->channels = audio_channels(c->audio_streams[i].format);
    }
    for (int i = 0; i < c->pg_stream_count && t->subtitle_count < CM_DISC_MAX_TRACKS; i++) {
        cm_disc_track *s = &t->subtitles[t->subtitle_count++];
        copy_language(s->language, c->pg_streams[i].lang);
        cu_strlcpy(s->codec,
                   c->pg_streams[i].coding_type == BLURAY_STREAM_TYPE_SUB_TEXT ? "text" : "pgs",
                   sizeof s->codec);
    }
}

static void read_name(BLURAY *bd, cm_disc *disc)
{
    /* English first (the name the library shows), else any language. */
    char chosen[64] = "";
    BD_DIR_H *dir = bd_open_dir(bd, "BDMV/META/DL");
    if (dir) {
        BD_DIRENT entry;
        for (int i = 0; i < 256 && dir->read(dir, &entry) == 0; i++) {
            if (strncasecmp(entry.d_name, "bdmt_", 5) ||
                !cu_str_has_suffix_ci(entry.d_name, ".xml") || strlen(entry.d_name) >= 32)
                continue;
            if (!chosen[0] || !strcasecmp(entry.d_name, "bdmt_eng.xml"))
                cu_strlcpy(chosen, entry.d_name, sizeof chosen);
        }
        dir->close(dir);
    }
    if (chosen[0]) {
        char rel[96];
        snprintf(rel, sizeof rel, "BDMV/META/DL/%s", chosen);
        void *data = NULL;
        int64_t size = 0;
        if (bd_read_file(bd, rel, &data, &size) && data) {
            if (cm_disc_bdmt_name(data, (size_t)size, disc->name, sizeof disc->name) < 0)
                cm_disc_warn(disc, "%s: no disc name in it (not readable XML?)", rel);
        }
        free(data);
    }
}

static bool have_title_number(const cm_disc *disc, int number)
{
    for (size_t i = 0; i < disc->title_count; i++)
        if (disc->titles[i].number == number)
            return true;
    return false;
}

/* Playlists libbluray could not read are left out of its title list: say
 * which, so that a damaged disc is reported rather than silently short. */
static void warn_unreadable_playlists(BLURAY *bd, cm_disc *disc)
{
    BD_DIR_H *dir = bd_open_dir(bd, "BDMV/PLAYLIST");
    if (!dir)
        return;
    BD_DIRENT entry;
    for (int i = 0; i < CM_DISC_MAX_TITLES && dir->read(dir, &entry) == 0; i++) {
        int number;
        char ext[8];
        if (strlen(entry.d_name) != 10 || sscanf(entry.d_name, "%5d.%4s", &number, ext) != 2 ||
            strcasecmp(ext, "mpls"))
            continue;
        if (!have_title_number(disc, number))
            cm_disc_warn(disc, "PLAYLIST/%s: damaged playlist (does not parse)", entry.d_name);
    }
    dir->close(dir);
}

/* A clip whose info claims more packets than its stream file holds lies
 * about its stream; a clip without readable info has no packets at all.
 * Only sizes are asked: a stream's bytes are never read. */
static void check_clips(BLURAY *bd, const BLURAY_TITLE_INFO *ti, cm_disc *disc)
{
    for (uint32_t i = 0; i < ti->clip_count && i < 64; i++) {
        const BLURAY_CLIP_INFO *c = &ti->clips[i];
        char clip[8];
        snprintf(clip, sizeof clip, "%.5s", c->clip_id);
        if (c->pkt_count == 0) {
            cm_disc_warn(disc,
                         "CLIPINF/%s.clpi: missing or damaged clip information "
                         "(playlist %05u)",
                         clip, ti->playlist);
            continue;
        }
        char rel[64];
        snprintf(rel, sizeof rel, "BDMV/STREAM/%s.m2ts", clip);
        BD_FILE_H *f = bd_open_file_dec(bd, rel);
        if (!f) {
            cm_disc_warn(disc, "STREAM/%s.m2ts: missing (playlist %05u)", clip, ti->playlist);
            continue;
        }
        int64_t size = f->seek(f, 0, SEEK_END);
        f->close(f);
        int64_t claimed = (int64_t)c->pkt_count * BD_TS_PACKET;
        if (size >= 0 && claimed > size)
            cm_disc_warn(disc,
                         "CLIPINF/%s.clpi: claims %lld bytes of stream but STREAM/%s.m2ts "
                         "holds %lld",
                         clip, (long long)claimed, clip, (long long)size);
    }
}

static int by_number(const void *a, const void *b)
{
    const cm_disc_title *x = a, *y = b;
    return (x->number > y->number) - (x->number < y->number);
}

static bool folder_has(const char *path, const char *rel)
{
    char full[4096];
    if ((size_t)snprintf(full, sizeof full, "%s/%s", path, rel) >= sizeof full)
        return false;
    struct stat st;
    return lstat(full, &st) == 0;
}

int cm_disc_bluray_read(const char *path, bool image, cm_disc *disc, cu_err *err)
{
    /* A folder's encryption is plain to see before libbluray is asked (it
     * would look for a decryption library on seeing it). */
    if (!image && (folder_has(path, "AACS") || folder_has(path, "BDSVM")))
        return cu_err_set(err, CM_DISC_EENCRYPTED, CM_DISC_ENCRYPTED_MESSAGE " (AACS%s)",
                          folder_has(path, "BDSVM") ? ", BD+" : "");
    reader r = {.fd = -1};
    int rc = 0;
    BLURAY *bd = open_bluray(path, image, &r);
    if (!bd) {
        rc = cu_err_set(err, CU_EMEDIA, "not a readable Blu-ray%s",
                        r.over_limit ? " (index files too large)" : "");
        goto done;
    }
    const BLURAY_DISC_INFO *info = bd_get_disc_info(bd);
    if (!info || !info->bluray_detected) {
        rc = cu_err_set(err, CU_EMEDIA, "not a readable Blu-ray (BDMV/index.bdmv damaged)");
        goto done;
    }
    if (info->aacs_detected || info->bdplus_detected) {
        rc = cu_err_set(err, CM_DISC_EENCRYPTED, CM_DISC_ENCRYPTED_MESSAGE " (%s)",
                        info->bdplus_detected ? "AACS, BD+" : "AACS");
        goto done;
    }
    /* Without a readable index libbluray still lists the playlists (as a
     * player does for an incomplete image); the damage is worth saying. */
    if (info->num_titles == 0 && !info->first_play_supported && !info->top_menu_supported)
        cm_disc_warn(disc,
                     "BDMV/index.bdmv: damaged or empty index (titles read from the playlists)");
    uint32_t count = bd_get_titles(bd, TITLES_ALL, 0);
    for (uint32_t i = 0; i < count && !r.over_limit; i++) {
        BLURAY_TITLE_INFO *ti = bd_get_title_info(bd, i, 0);
        if (!ti)
            continue;
        cm_disc_title *t = cm_disc_add_title(disc);
        if (!t) {
            bd_free_title_info(ti);
            cm_disc_warn(disc, "more than %d playlists: the rest are left out", CM_DISC_MAX_TITLES);
            break;
        }
        fill_title(t, ti);
        if (t->duration > CM_DISC_MIN_EXTRA_SECONDS)
            check_clips(bd, ti, disc);
        bd_free_title_info(ti);
    }
    /* The disc's order is its playlist numbers' (directory order is the
     * file system's): the earlier of two duplicates is the lower number. */
    if (disc->title_count > 1)
        qsort(disc->titles, disc->title_count, sizeof *disc->titles, by_number);
    if (r.over_limit) {
        rc = cu_err_set(err, CU_ELIMIT, "disc index larger than %d MiB",
                        CM_DISC_MAX_INDEX_BYTES >> 20);
        goto done;
    }
    warn_unreadable_playlists(bd, disc);
    read_name(bd, disc);
    if (!disc->name[0] && info->udf_volume_id && info->udf_volume_id[0])
        cu_strlcpy(disc->name, info->udf_volume_id, sizeof disc->name);
done:
    disc->bytes_read = r.bytes_read;
    close_bluray(bd, &r);
    return rc;
}

/* ---- playing a title ---- */

typedef struct bd_player {
    reader r;
    BLURAY *bd;
} bd_player;

static int play_read(void *impl, uint8_t *buf, int size)
{
    bd_player *p = impl;
    int n = bd_read(p->bd, buf, size);
    return n < 0 ? -EIO : n;
}

static int64_t play_seek(void *impl, int64_t pos)
{
    bd_player *p = impl;
    int64_t at = bd_seek(p->bd, (uint64_t)pos);
    return at < 0 ? -EIO : at;
}

static void play_free(void *impl)
{
    bd_player *p = impl;
    close_bluray(p->bd, &p->r);
    free(p);
}

static const cm_disc_stream_ops play_ops = {play_read, play_seek, play_free};

/* The PIDs of the tracks fill_title lists, in its order. */
static void stream_order(BLURAY *bd, int number, cm_disc_order *order)
{
    order->count = 0;
    BLURAY_TITLE_INFO *ti = bd_get_playlist_info(bd, (uint32_t)number, 0);
    if (!ti)
        return;
    if (ti->clip_count > 0) {
        const BLURAY_CLIP_INFO *c = &ti->clips[0];
        if (c->video_stream_count > 0)
            order->ids[order->count++] = c->video_streams[0].pid;
        for (int i = 0; i < c->audio_stream_count && i < CM_DISC_MAX_TRACKS; i++)
            order->ids[order->count++] = c->audio_streams[i].pid;
        for (int i = 0; i < c->pg_stream_count && i < CM_DISC_MAX_TRACKS; i++)
            order->ids[order->count++] = c->pg_streams[i].pid;
    }
    bd_free_title_info(ti);
}

int cm_disc_bluray_stream(const char *path, bool image, int number, const cm_disc_stream_ops **ops,
                          void **impl, int64_t *size, cm_disc_order *order, cu_err *err)
{
    if (!image && (folder_has(path, "AACS") || folder_has(path, "BDSVM")))
        return cu_err_set(err, CM_DISC_EENCRYPTED, CM_DISC_ENCRYPTED_MESSAGE " (AACS)");
    bd_player *p = cu_xcalloc(1, sizeof *p);
    p->r = (reader){.fd = -1, .playing = true};
    int rc = 0;
    p->bd = open_bluray(path, image, &p->r);
    const BLURAY_DISC_INFO *info = p->bd ? bd_get_disc_info(p->bd) : NULL;
    if (!info || !info->bluray_detected) {
        rc = cu_err_set(err, CU_EMEDIA, "not a readable Blu-ray");
        goto fail;
    }
    if (info->aacs_detected || info->bdplus_detected) {
        rc = cu_err_set(err, CM_DISC_EENCRYPTED, CM_DISC_ENCRYPTED_MESSAGE " (AACS)");
        goto fail;
    }
    /* libbluray lists the titles before one can be chosen by playlist. */
    bd_get_titles(p->bd, TITLES_ALL, 0);
    if (!bd_select_playlist(p->bd, (uint32_t)number)) {
        rc = cu_err_set(err, CU_ENOTFOUND, "no playlist %05d on the disc", number);
        goto fail;
    }
    stream_order(p->bd, number, order);
    *size = (int64_t)bd_get_title_size(p->bd);
    if (*size <= 0) {
        rc = cu_err_set(err, CU_EMEDIA, "playlist %05d plays nothing", number);
        goto fail;
    }
    *ops = &play_ops;
    *impl = p;
    return 0;
fail:
    play_free(p);
    return rc;
}
