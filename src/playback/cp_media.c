/* cp_media: a catalog file, found and opened (cp_media.h). */
#include "playback/cp_media.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "playback/cp_disc.h"
#include "playback/cp_file.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

int cp_place_find(struct cc_db *db, int64_t file_id, cp_place *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = cc_file_locate(db, file_id, &out->loc, err);
    if (rc < 0)
        return rc;
    /* The path the scanner recorded must still lead inside its root: the
     * checked opener refuses a link swapped in since (404, as direct play). */
    out->root = out->loc.root ? cu_path_real(out->loc.root) : NULL;
    if (!out->root) {
        cp_place_clear(out);
        return cu_err_set(err, CU_ENOTFOUND, "the file is not in the library");
    }
    return 0;
}

void cp_place_clear(cp_place *p)
{
    cc_file_location_clear(&p->loc);
    free(p->root);
    p->root = NULL;
}

int cp_media_open(cp_media *m, int64_t id, const char *path, const char *root, cu_err *err)
{
    return cp_media_open_title(m, id, path, 0, root, err);
}

int cp_media_open_title(cp_media *m, int64_t id, const char *path, int disc_title, const char *root,
                        cu_err *err)
{
    memset(m, 0, sizeof *m);
    m->fd = -1;
    if (!path || !root)
        return cu_err_set(err, CU_ENOTFOUND, "the file is not in the library");
    struct stat st;
    const char *roots[1] = {root};
    int title = 0;
    bool disc = disc_title > 0 || cp_disc_is(path);
    int fd = disc ? cp_disc_open(path, disc_title, roots, 1, &st, &title, err)
                  : cp_file_open(path, roots, 1, &st, err);
    if (fd < 0)
        return fd;
    m->id = id;
    m->fd = fd;
    m->path = cu_xstrdup(path);
    m->root = cu_xstrdup(root);
    /* A disc title's identity: the disc's and the title's (indexes and
     * segments cached under it are the title's). */
    if (disc)
        snprintf(m->identity, sizeof m->identity, "%lld-t%d-%lld", (long long)id, title,
                 (long long)st.st_mtime);
    else
        snprintf(m->identity, sizeof m->identity, "%lld-%lld-%lld", (long long)id,
                 (long long)st.st_size, (long long)st.st_mtime);
    return 0;
}

int cp_media_open_place(cp_media *m, const cp_place *p, struct cc_db *db, cu_err *err)
{
    int rc = cp_media_open_title(m, p->loc.id, p->loc.path, p->loc.disc_title, p->root, err);
    if (rc == 0)
        m->db = db;
    return rc;
}

void cp_media_close(cp_media *m)
{
    if (m->fd >= 0)
        close(m->fd);
    free(m->path);
    free(m->root);
    memset(m, 0, sizeof *m);
    m->fd = -1;
}
