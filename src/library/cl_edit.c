/* cl_edit: writing a person's edits beside the film, then reading them
 * back into the catalog. */
#include "library/cl_edit.h"
#include "catalog/cc_artwork.h"
#include "catalog/cc_scan_error.h"
#include "catalog/cc_writer.h"
#include "library/cl_meta.h"
#include "library/cl_nfo.h"
#include "library/cl_nfo_write.h"
#include "media/cm_media.h"
#include "util/cu_arena.h"
#include "util/cu_file.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMAGE_MAX_BYTES (64 * 1024 * 1024) /* a re-encoded JPEG, far below */

int cl_edit_paths_get(cc_db *db, int64_t film_id, cl_edit_paths *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    cc_film *film = NULL;
    int rc = cc_film_get(db, film_id, &film, err);
    if (rc < 0)
        return rc;
    const char *video = film->file_count ? film->files[0].path : NULL;
    struct stat st;
    if (!video || stat(video, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = cu_err_set(err, CU_EINVAL,
                        "the film has no video file to write beside (a disc folder, or offline)");
        goto done;
    }
    char *nfo = NULL;
    if ((rc = cc_film_meta_file(db, film_id, &nfo, err)) < 0)
        goto done;
    char *dir = cu_path_dirname(video);
    char *stem = cu_path_stem(video);
    out->video = cu_xstrdup(video);
    out->nfo = nfo ? nfo : cu_xasprintf("%s/%s.nfo", dir, stem);
    out->poster = cu_xasprintf("%s/%s-poster.jpg", dir, stem);
    out->backdrop = cu_xasprintf("%s/%s-fanart.jpg", dir, stem);
    free(dir);
    free(stem);
    cu_arena *arena = cu_arena_new();
    char *path = NULL;
    int generated = 0;
    if ((rc = cc_artwork_get(db, arena, film_id, "poster", &path, &generated, err)) == 0) {
        out->poster_now = path ? cu_xstrdup(path) : NULL;
        out->poster_now_generated = generated != 0;
        path = NULL;
        rc = cc_artwork_get(db, arena, film_id, "backdrop", &path, &generated, err);
        out->backdrop_now = path ? cu_xstrdup(path) : NULL;
    }
    cu_arena_free(arena);
    if (rc < 0)
        cl_edit_paths_clear(out);
done:
    cc_film_free(film);
    return rc;
}

void cl_edit_paths_clear(cl_edit_paths *p)
{
    free(p->video);
    free(p->nfo);
    free(p->poster);
    free(p->backdrop);
    free(p->poster_now);
    free(p->backdrop_now);
    memset(p, 0, sizeof *p);
}

int cl_edit_write_nfo(const cl_edit_paths *paths, const cc_film *meta, const char *edition,
                      bool overwrite, cu_err *err)
{
    return cl_nfo_write(paths->nfo, meta, edition, overwrite, err);
}

typedef struct apply_nfo {
    int64_t film_id;
    const char *path;
    cl_nfo *nfo;
    int64_t mtime_ns;
} apply_nfo;

static int apply_nfo_tx(cc_db *db, void *user, cu_err *err)
{
    apply_nfo *a = user;
    int rc = cl_meta_apply_nfo(db, a->film_id, a->nfo, err);
    if (rc == 0)
        rc = cc_film_set_meta_file(db, a->film_id, a->path, a->mtime_ns, err);
    if (rc == 0)
        rc = cc_scan_error_clear(db, a->path, err);
    return rc;
}

int cl_edit_apply_nfo(cc_db *db, int64_t film_id, const cl_edit_paths *paths, cu_err *err)
{
    struct stat st;
    if (stat(paths->nfo, &st) != 0)
        return cu_err_set(err, -errno, "cannot read %s back: %s", paths->nfo, strerror(errno));
    apply_nfo a = {.film_id = film_id,
                   .path = paths->nfo,
                   .mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
    int rc = cl_nfo_read(paths->nfo, &a.nfo, err);
    if (rc < 0)
        return rc;
    rc = cc_writer_run(db, apply_nfo_tx, &a, err);
    cl_nfo_free(a.nfo);
    return rc;
}

/* Moves the person's earlier artwork file aside when it is not the one we
 * are about to write: the scanner prefers "poster.jpg" and "<video>-poster.png"
 * over our name, so left in place it would win again. Kept, not deleted. */
static int set_aside(const char *now, bool generated, const char *target, cu_err *err)
{
    if (!now || generated || !strcmp(now, target) || access(now, F_OK) != 0)
        return 0;
    char *bak = cu_xasprintf("%s.bak", now);
    int rc = 0;
    if (rename(now, bak) != 0)
        rc = cu_err_set(err, -errno, "cannot move %s aside: %s", now, strerror(errno));
    free(bak);
    return rc;
}

/* Puts the JPEG at rendered (a temporary beside target) in place of
 * target, keeping the previous target as .bak. */
static int install(const cl_edit_paths *paths, const char *kind, const char *rendered, cu_err *err)
{
    bool poster = !strcmp(kind, "poster");
    const char *target = poster ? paths->poster : paths->backdrop;
    char *data = NULL;
    size_t len = 0;
    int rc = cu_file_read(rendered, IMAGE_MAX_BYTES, &data, &len, err);
    if (rc == 0) {
        char *bak = cu_xasprintf("%s.bak", target);
        rc = cu_file_replace(target, data, len, bak, err);
        free(bak);
    }
    free(data);
    unlink(rendered);
    if (rc == 0)
        rc = set_aside(poster ? paths->poster_now : paths->backdrop_now,
                       poster && paths->poster_now_generated, target, err);
    return rc;
}

static int check_kind(const char *kind, cu_err *err)
{
    if (!kind || (strcmp(kind, "poster") != 0 && strcmp(kind, "backdrop") != 0))
        return cu_err_set(err, CU_EINVAL, "artwork is a poster or a backdrop");
    return 0;
}

/* A temporary name beside target that cu_tmp_sweep knows ("*.tmp.PID.N"). */
static char *rendered_name(const cl_edit_paths *paths, const char *kind)
{
    return cu_file_temp_name(!strcmp(kind, "poster") ? paths->poster : paths->backdrop);
}

int cl_edit_write_image(const cl_edit_paths *paths, const char *kind, int fd, cu_err *err)
{
    int rc = check_kind(kind, err);
    if (rc < 0)
        return rc;
    char *rendered = rendered_name(paths, kind);
    int width = !strcmp(kind, "poster") ? CL_EDIT_POSTER_WIDTH : CL_EDIT_BACKDROP_WIDTH;
    rc = cm_media_image_resize_fd(fd, width, rendered, err);
    if (rc == 0)
        rc = install(paths, kind, rendered, err);
    else
        unlink(rendered);
    free(rendered);
    return rc;
}

int cl_edit_write_frame(const cl_edit_paths *paths, const char *kind, double seconds, cu_err *err)
{
    int rc = check_kind(kind, err);
    if (rc < 0)
        return rc;
    char *rendered = rendered_name(paths, kind);
    int width = CL_EDIT_BACKDROP_WIDTH; /* a frame is wide; the web app crops a poster */
    rc = cm_media_frame_at(paths->video, seconds, width, rendered, err);
    if (rc == 0)
        rc = install(paths, kind, rendered, err);
    else
        unlink(rendered);
    free(rendered);
    return rc;
}

typedef struct apply_art {
    int64_t film_id;
    const char *kind, *path;
} apply_art;

static int apply_art_tx(cc_db *db, void *user, cu_err *err)
{
    apply_art *a = user;
    return cc_artwork_set(db, a->film_id, a->kind, a->path, 0, err);
}

int cl_edit_apply_artwork(cc_db *db, int64_t film_id, const cl_edit_paths *paths, const char *kind,
                          cu_err *err)
{
    int rc = check_kind(kind, err);
    if (rc < 0)
        return rc;
    apply_art a = {film_id, kind, !strcmp(kind, "poster") ? paths->poster : paths->backdrop};
    return cc_writer_run(db, apply_art_tx, &a, err);
}
