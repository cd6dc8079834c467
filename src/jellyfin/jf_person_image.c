/* jf_person_image: a person's photo, when the catalog has one on disk
 * (an .nfo's <thumb> naming a local picture inside a library folder):
 * its tag for the DTOs and the picture itself through the checked
 * opener. A photo given as a web address is not fetched: such a person
 * has no image here, and their DTOs carry no tag. */
#include "jellyfin/jf_internal.h"
#include "catalog/cc_person.h"
#include "catalog/cc_root.h"
#include "catalog/cc_scope.h"
#include "playback/cp_file.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PHOTO_MAX (8 << 20) /* bytes; a larger picture is not served */

bool jf_person_image_tag(const char *thumb, char out[17])
{
    struct stat st;
    if (!thumb || thumb[0] != '/' || stat(thumb, &st) < 0 || !S_ISREG(st.st_mode) ||
        st.st_size <= 0 || st.st_size > PHOTO_MAX)
        return false;
    jf_image_tag_of(thumb, out);
    return true;
}

/* The picture's type by its first bytes, or NULL for anything else. */
static const char *image_type(const unsigned char *p, size_t n)
{
    if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return "image/jpeg";
    if (n >= 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8))
        return "image/png";
    if (n >= 12 && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4))
        return "image/webp";
    return NULL;
}

int jf_person_image(jf_req *r, int64_t person_id)
{
    bool restricted;
    size_t vn;
    const int64_t *v = cs_door_visible(r->req, &vn, &restricted);
    cu_err err = {0};
    bool visible = true;
    if (restricted && cc_scope_person_visible(r->db, person_id, v, vn, &visible, &err) < 0)
        return jf_reply_catalog(r, &err);
    if (!visible)
        return jf_reply_not_found(r);
    cc_person *person = NULL;
    if (cc_person_get(r->db, person_id, &person, &err) < 0)
        return jf_reply_not_found(r);
    char tag[17];
    if (!jf_person_image_tag(person->thumb, tag)) {
        cc_person_free(person);
        return jf_reply_not_found(r);
    }
    /* Only inside a library folder, opened as every media file is. */
    cc_root_info *roots = NULL;
    size_t nroots = 0;
    if (cc_root_list(r->db, &roots, &nroots, &err) < 0) {
        cc_person_free(person);
        return jf_reply_catalog(r, &err);
    }
    const char **paths = calloc(nroots ? nroots : 1, sizeof *paths);
    for (size_t i = 0; i < nroots; i++)
        paths[i] = roots[i].path;
    struct stat st;
    int fd = cp_file_open(person->thumb, paths, nroots, &st, &err);
    free(paths);
    cc_root_list_free(roots, nroots);
    cc_person_free(person);
    if (fd < 0)
        return jf_reply_not_found(r);
    unsigned char *data = NULL;
    size_t len = 0;
    if (st.st_size > 0 && st.st_size <= PHOTO_MAX) {
        data = malloc((size_t)st.st_size);
        ssize_t got;
        while (len < (size_t)st.st_size &&
               (got = read(fd, data + len, (size_t)st.st_size - len)) > 0)
            len += (size_t)got;
    }
    close(fd);
    const char *type = data ? image_type(data, len) : NULL;
    int ret;
    if (!type || len != (size_t)st.st_size) {
        ret = jf_reply_not_found(r);
    } else {
        const char *headers[] = {"Cache-Control", "private, max-age=86400", "ETag", tag, NULL};
        ret = cs_door_reply(r->req, 200, type, (const char *)data, len, headers);
    }
    free(data);
    return ret;
}
