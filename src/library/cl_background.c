/* cl_background: posters and keyframe indexes after a scan (see
 * cl_background.h). Reads and writes through the caller's connection; every
 * stored result is its own short transaction, so the scanner or a user's
 * write never waits long behind it. */
#include "library/cl_background.h"
#include "media/cm_disc.h"
#include "catalog/cc_artwork.h"
#include "catalog/cc_chapter.h"
#include "catalog/cc_file.h"
#include "catalog/cc_keyframes.h"
#include "catalog/cc_retry.h"
#include "catalog/cc_writer.h"
#include "media/cm_keyframes.h"
#include "media/cm_media.h"
#include "media/cm_sprite.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_pool.h"
#include "util/cu_str.h"
#include "util/cu_time.h"
#include "util/cu_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32 /* films or files taken from the catalog at a time */
#define POSTER_WIDTH 480
#define POSTER_POSITION 0.10 /* of the film's duration */

static bool stop_asked(const cl_background_options *opt)
{
    return (opt->cancel && *opt->cancel) || (opt->yield && *opt->yield);
}

typedef struct poster_job {
    const char *video;
    const char *title; /* set in type on the poster */
    int year;
    char *out;
    int64_t film_id, file_id;
    bool ok;
    const cl_background_options *opt;
} poster_job;

static void poster_worker(void *arg)
{
    poster_job *job = arg;
    cu_err err = {0};
    if (stop_asked(job->opt))
        return;
    job->ok = cm_media_poster(job->video, POSTER_POSITION, POSTER_WIDTH, job->title, job->year,
                              job->out, &err) == 0;
    if (!job->ok)
        cu_log(CU_LOG_DEBUG, "no poster from %s: %s", job->video, err.msg);
}

typedef struct artwork_put {
    int64_t film_id, file_id;
    const char *path;
} artwork_put;

static int put_poster(cc_db *db, void *user, cu_err *err)
{
    const artwork_put *p = user;
    int rc = cc_artwork_set(db, p->film_id, "poster", p->path, 1, err);
    return rc < 0 ? rc : cc_retry_clear(db, p->file_id, CC_RETRY_POSTER, err);
}

/* Work that failed for a file: not tried again until the file changes
 * (cc_retry), so a hopeless file is not read on every pass. */
typedef struct failed_work {
    int64_t file_id;
    const char *work;
} failed_work;

static int put_failure(cc_db *db, void *user, cu_err *err)
{
    const failed_work *f = user;
    return cc_retry_record(db, f->file_id, f->work, cu_time_now(), err);
}

static int make_posters(cc_db *db, const cl_background_options *opt, cl_background_report *report,
                        cu_err *err)
{
    char *dir = cu_path_join(opt->cache_dir, "posters");
    int rc = 0;
    if ((mkdir(opt->cache_dir, 0755) != 0 && errno != EEXIST) ||
        (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
        int e = errno;
        rc = cu_err_set(err, -e, "cannot create poster cache %s: %s", opt->cache_dir, strerror(e));
        free(dir);
        return rc;
    }
    /* Posters whose writer was killed mid-write (kill -9, a crash). */
    size_t swept = cu_tmp_sweep(dir);
    if (swept)
        cu_log(CU_LOG_INFO, "removed %zu unfinished poster file(s) from %s", swept, dir);
    int64_t after = 0;
    while (rc == 0 && !stop_asked(opt)) {
        cc_poster_source *sources;
        size_t count;
        rc = cc_artwork_missing_posters(db, after, BATCH, &sources, &count, err);
        if (rc < 0 || count == 0) {
            cc_artwork_sources_free(sources, count);
            break;
        }
        poster_job *jobs = cu_xcalloc(count, sizeof *jobs);
        cu_pool *pool = cu_pool_new(opt->threads);
        for (size_t k = 0; k < count; k++) {
            jobs[k] = (poster_job){.video = sources[k].path,
                                   .film_id = sources[k].film_id,
                                   .file_id = sources[k].file_id,
                                   .title = sources[k].title,
                                   .year = sources[k].year,
                                   .opt = opt};
            jobs[k].out = cu_xasprintf("%s/%lld.jpg", dir, (long long)sources[k].film_id);
            cu_pool_submit(pool, poster_worker, &jobs[k]);
        }
        cu_pool_free(pool);
        for (size_t k = 0; k < count && rc == 0; k++) {
            if (jobs[k].ok) {
                artwork_put p = {jobs[k].film_id, jobs[k].file_id, jobs[k].out};
                rc = cc_writer_run(db, put_poster, &p, err);
                if (rc == 0)
                    report->posters++;
            } else if (!stop_asked(opt)) {
                failed_work f = {jobs[k].file_id, CC_RETRY_POSTER};
                rc = cc_writer_run(db, put_failure, &f, err);
                report->failed++;
            }
        }
        after = sources[count - 1].film_id;
        for (size_t k = 0; k < count; k++)
            free(jobs[k].out);
        free(jobs);
        cc_artwork_sources_free(sources, count);
    }
    free(dir);
    return rc;
}

typedef struct keyframes_put {
    int64_t file_id, size, mtime_ns;
    const uint8_t *blob;
    size_t len;
    bool stale;
} keyframes_put;

/* Stores the index only if the file is still the one it was built from:
 * a rescan that saw it change dropped the old index and must not get it
 * back. */
static int put_keyframes(cc_db *db, void *user, cu_err *err)
{
    keyframes_put *p = user;
    cc_file_location loc;
    int rc = cc_file_locate(db, p->file_id, &loc, err);
    if (rc == CU_ENOTFOUND) {
        p->stale = true;
        return 0;
    }
    if (rc < 0)
        return rc;
    p->stale = loc.size != p->size || loc.mtime_ns != p->mtime_ns;
    cc_file_location_clear(&loc);
    if (p->stale)
        return 0;
    rc = cc_keyframes_put(db, p->file_id, p->blob, p->len, err);
    return rc < 0 ? rc : cc_retry_clear(db, p->file_id, CC_RETRY_KEYFRAMES, err);
}

/* path as the scanner found it, opened the way playback opens files: no
 * symlink as its last component, a regular file (or, for a disc, a
 * folder), and the descriptor's real path inside root (a link swapped in
 * since is refused). *real_out (may be NULL) gets that real path. */
static int open_inside_root(const char *path, const char *root_path, bool disc, char **real_out,
                            cu_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return cu_err_set(err, -errno, "%s", strerror(errno));
    struct stat st;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    char *real = cu_path_real(proc);
    char *root = root_path ? cu_path_real(root_path) : NULL;
    bool ok = fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || (disc && S_ISDIR(st.st_mode))) &&
              real && root && cu_path_is_within(root, real);
    free(root);
    if (!ok) {
        free(real);
        close(fd);
        return cu_err_set(err, CU_ENOTFOUND, "not a %s inside its library root",
                          disc ? "disc" : "regular file");
    }
    if (real_out)
        *real_out = real;
    else
        free(real);
    /* Blocking again: a FIFO could not get this far. */
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

/* What the index builder reads: the file, or for a disc title (the disc's
 * path, or "<disc>#NNNNN") a cm_disc_ref naming the checked disc and the
 * title, which reads the title's stream. */
static int open_for_index(const cc_file_location *loc, cu_err *err)
{
    if (loc->disc_title <= 0)
        return open_inside_root(loc->path, loc->root, false, NULL, err);
    char disc[4096];
    cu_strlcpy(disc, loc->path, sizeof disc);
    char *hash = strrchr(disc, '#');
    if (hash && strlen(hash) == 6)
        *hash = '\0';
    char *real = NULL;
    int fd = open_inside_root(disc, loc->root, true, &real, err);
    if (fd < 0)
        return fd;
    close(fd);
    int rc = cm_disc_ref_new(real, loc->disc_title, err);
    free(real);
    return rc;
}

static void pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int build_keyframes(cc_db *db, const cl_background_options *opt,
                           cl_background_report *report, cu_err *err)
{
    int64_t after = 0;
    int rc = 0;
    while (rc == 0 && !stop_asked(opt)) {
        int64_t *ids;
        size_t count;
        rc = cc_keyframes_missing(db, after, BATCH, &ids, &count, err);
        if (rc < 0 || count == 0) {
            free(ids);
            break;
        }
        for (size_t k = 0; k < count && rc == 0 && !stop_asked(opt); k++) {
            after = ids[k];
            cc_file_location loc;
            cu_err ferr = {0};
            if (cc_file_locate(db, ids[k], &loc, &ferr) < 0)
                continue; /* removed meanwhile */
            cm_keyframes *kf = NULL;
            uint8_t *blob = NULL;
            size_t len = 0;
            int fd = open_for_index(&loc, &ferr);
            if (fd >= 0 && cm_keyframes_build(fd, &kf, &ferr) == 0 &&
                cm_keyframes_serialize(kf, &blob, &len) == 0) {
                keyframes_put p = {ids[k], loc.size, loc.mtime_ns, blob, len, false};
                rc = cc_writer_run(db, put_keyframes, &p, err);
                if (rc == 0 && !p.stale)
                    report->keyframes++;
            } else {
                /* No video stream, or unreadable: tried again when the file
                 * changes (cc_retry), not on every pass. */
                cu_log(CU_LOG_DEBUG, "no keyframe index for %s: %s", loc.path, ferr.msg);
                failed_work f = {ids[k], CC_RETRY_KEYFRAMES};
                rc = cc_writer_run(db, put_failure, &f, err);
                report->failed++;
            }
            if (fd >= 0)
                close(fd);
            free(blob);
            cm_keyframes_free(kf);
            cc_file_location_clear(&loc);
            if (opt->pause_ms > 0)
                pause_ms(opt->pause_ms);
        }
        free(ids);
    }
    return rc;
}

/* Sheets of an older version of file_id (it changed since): removed when
 * the new ones are written. */
static void remove_stale_sheets(const char *dir, int64_t file_id, const char *keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%lld-", (long long)file_id);
    const char *keep_name = strrchr(keep, '/') ? strrchr(keep, '/') + 1 : keep;
    size_t keep_len = strlen(keep_name);
    struct dirent *e;
    size_t seen = 0;
    while ((e = readdir(d)) && seen++ < 1000000) {
        if (!cu_str_has_prefix(e->d_name, prefix))
            continue;
        /* ours: KEEP.txt and KEEP-N.jpg */
        if (!strncmp(e->d_name, keep_name, keep_len) &&
            (e->d_name[keep_len] == '.' || e->d_name[keep_len] == '-'))
            continue;
        unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}

/* Trickplay sheets (cm_sprite) for files that have none for their current
 * size and modification time. What is done is the cache itself: a manifest
 * present means the sheets are complete, so a pass stopped halfway resumes
 * at the file it was on. */
static int make_trickplay(cc_db *db, const cl_background_options *opt, cl_background_report *report,
                          cu_err *err)
{
    char *dir = cu_path_join(opt->cache_dir, "trickplay");
    int rc = 0;
    if ((mkdir(opt->cache_dir, 0755) != 0 && errno != EEXIST) ||
        (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
        int e = errno;
        rc = cu_err_set(err, -e, "cannot create trickplay cache %s: %s", dir, strerror(e));
        free(dir);
        return rc;
    }
    size_t swept = cu_tmp_sweep(dir);
    if (swept)
        cu_log(CU_LOG_INFO, "removed %zu unfinished trickplay file(s) from %s", swept, dir);
    int64_t after = 0;
    while (rc == 0 && !stop_asked(opt)) {
        int64_t *ids;
        size_t count;
        rc = cc_chapter_video_files(db, after, BATCH, &ids, &count, err);
        if (rc < 0 || count == 0) {
            free(ids);
            break;
        }
        for (size_t k = 0; k < count && !stop_asked(opt); k++) {
            after = ids[k];
            cc_file_location loc;
            cu_err ferr = {0};
            if (cc_file_locate(db, ids[k], &loc, &ferr) < 0)
                continue; /* removed meanwhile */
            char *base = cm_sprite_base(dir, loc.id, loc.size, loc.mtime_ns);
            cm_sprite_info info;
            if (cm_sprite_manifest_read(base, &info, NULL) == 0) {
                free(base);
                cc_file_location_clear(&loc);
                continue; /* made by an earlier pass */
            }
            /* Regular files only for now: a disc title's sheets are not made. */
            int fd = loc.disc_title > 0
                         ? cu_err_set(&ferr, CU_ENOTFOUND, "a disc title (no sheets yet)")
                         : open_inside_root(loc.path, loc.root, false, NULL, &ferr);
            cm_sprite_options so = {.cancel = opt->cancel, .yield = opt->yield};
            if (fd >= 0 && cm_sprite_make(fd, loc.path, &so, base, &info, &ferr) == 0) {
                report->trickplay++;
                remove_stale_sheets(dir, loc.id, base);
            } else if (!stop_asked(opt)) {
                cu_log(CU_LOG_DEBUG, "no trickplay sheets for %s: %s", loc.path, ferr.msg);
                report->failed++;
            }
            if (fd >= 0)
                close(fd);
            free(base);
            cc_file_location_clear(&loc);
            if (opt->pause_ms > 0)
                pause_ms(opt->pause_ms);
        }
        free(ids);
    }
    free(dir);
    return rc;
}

int cl_background_run(cc_db *db, const cl_background_options *opt, cl_background_report *report,
                      cu_err *err)
{
    memset(report, 0, sizeof *report);
    /* Per-thread nice (Linux): the scanner and the server's threads keep
     * their priority. An unprivileged thread cannot raise it back, so the
     * caller gives this a thread of its own. */
    if (opt->low_priority)
        setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19);
    int rc = 0;
    if (opt->cache_dir)
        rc = make_posters(db, opt, report, err);
    if (rc == 0 && opt->keyframes)
        rc = build_keyframes(db, opt, report, err);
    /* Trickplay with the keyframe pass (serve's, throttled): it reads
     * through whole films too. */
    if (rc == 0 && opt->keyframes && opt->cache_dir)
        rc = make_trickplay(db, opt, report, err);
    report->stopped = stop_asked(opt);
    return rc;
}
