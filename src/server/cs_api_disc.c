/* cs_api_disc: an admin chooses which title of a film's disc is the film
 * (GET/PUT /api/v1/films/{id}/disctitle). The disc's rules are not always
 * right (look-alike playlists); the choice is written where the scanner
 * reads it, <disctitle> in the film's .nfo (cl_nfo_set_disc_title), so it
 * survives a fresh catalog, and a rescan puts it into the catalog. The
 * titles offered are read from the disc's index files (cm_disc), the disc
 * checked inside its library root as playing it is (cp_disc). Like every
 * edit route, anyone but an admin gets what a route that does not exist
 * gets (cs_auth.c). */
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "library/cl_nfo.h"
#include "library/cl_nfo_write.h"
#include "media/cm_disc.h"
#include "playback/cp_disc.h"
#include "server/cs_internal.h"
#include "util/cu_buf.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A film has a handful of versions; a disc a few hundred titles at most
 * worth listing (obfuscated discs have thousands of look-alikes). */
#define MAX_DISCS 8
#define MAX_LISTED_TITLES 500
#define TITLE_NUMBER_MAX 99999 /* what cl_nfo reads of <disctitle> */

typedef struct film_disc {
    int64_t file_id;
    char *path; /* as the catalog holds it */
    cm_disc *disc;
} film_disc;

typedef struct film_discs {
    size_t count;
    film_disc items[MAX_DISCS];
    char *nfo;          /* where the choice is (or would be) written */
    int chosen;         /* the .nfo's <disctitle> now; 0: none */
    cu_err first_error; /* a disc of the film that could not be read */
} film_discs;

static void discs_clear(film_discs *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].path);
        cm_disc_free(d->items[i].disc);
    }
    free(d->nfo);
    memset(d, 0, sizeof *d);
}

/* Where a disc film's .nfo goes when it has none: movie.nfo inside a disc
 * folder (the film's folder), "<name>.nfo" beside an image; the names the
 * scanner looks for. */
static char *default_nfo(const char *disc_path)
{
    struct stat st;
    if (stat(disc_path, &st) == 0 && S_ISDIR(st.st_mode))
        return cu_xasprintf("%s/movie.nfo", disc_path);
    char *dir = cu_path_dirname(disc_path);
    char *stem = cu_path_stem(disc_path);
    char *nfo = cu_xasprintf("%s/%s.nfo", dir, stem);
    free(dir);
    free(stem);
    return nfo;
}

/* The film's discs, read from their index files, with the .nfo's choice
 * applied as the scanner applies it. CU_ENOTFOUND: no such film. */
static int discs_read(cc_db *db, const cc_film *film, film_discs *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < film->file_count && out->count < MAX_DISCS; i++) {
        cc_file_location loc = {0};
        if (cc_file_locate(db, film->files[i].id, &loc, err) < 0)
            return err->code;
        char disc[PATH_MAX], real[PATH_MAX];
        int suffix;
        /* A disc's main file sits at the disc's own path; its other titles
         * ("#NNNNN") are not the film's main files. */
        if (loc.disc_title > 0 && !cp_disc_title_path(loc.path, disc, sizeof disc, &suffix)) {
            cu_err e = {0};
            const char *roots[] = {loc.root};
            cm_disc *d = NULL;
            if (cp_disc_real_path(loc.path, roots, 1, real, sizeof real, &e) == 0 &&
                cm_disc_open(real, &d, &e) == 0) {
                film_disc *fd = &out->items[out->count++];
                fd->file_id = loc.id;
                fd->path = cu_xstrdup(loc.path);
                fd->disc = d;
            } else if (!out->first_error.code) {
                out->first_error = e;
                if (!out->first_error.code)
                    out->first_error.code = CU_EMEDIA;
            }
        }
        cc_file_location_clear(&loc);
    }
    char *nfo = NULL;
    int rc = cc_film_meta_file(db, film->id, &nfo, err);
    if (rc < 0)
        return rc;
    if (!nfo && out->count)
        nfo = default_nfo(out->items[0].path);
    out->nfo = nfo;
    if (nfo) {
        cl_nfo *read = NULL;
        cu_err ignored = {0};
        if (cl_nfo_read(nfo, &read, &ignored) == 0)
            out->chosen = read->disc_title;
        cl_nfo_free(read);
    }
    for (size_t i = 0; i < out->count && out->chosen > 0; i++)
        cm_disc_set_main(out->items[i].disc, out->chosen);
    return 0;
}

static bool has_title(const film_discs *d, int number)
{
    for (size_t i = 0; i < d->count; i++)
        for (size_t t = 0; t < d->items[i].disc->title_count; t++)
            if (d->items[i].disc->titles[t].number == number)
                return true;
    return false;
}

static json_t *discs_json(const film_discs *d, int64_t film_id)
{
    json_t *discs = json_array();
    for (size_t i = 0; i < d->count; i++) {
        const cm_disc *disc = d->items[i].disc;
        json_t *titles = json_array();
        size_t listed = 0;
        for (size_t t = 0; t < disc->title_count && listed < MAX_LISTED_TITLES; t++) {
            const cm_disc_title *ti = &disc->titles[t];
            /* Menus and logos are no one's film. */
            if (ti->role == CM_DISC_TITLE_TINY)
                continue;
            json_array_append_new(titles, json_pack("{s:i, s:f, s:s, s:I}", "number", ti->number,
                                                    "duration", ti->duration, "role",
                                                    cm_disc_role_name(ti->role), "chapters",
                                                    (json_int_t)ti->chapter_count));
            listed++;
        }
        json_array_append_new(discs,
                              json_pack("{s:I, s:s, s:s, s:i, s:o}", "file_id",
                                        (json_int_t)d->items[i].file_id, "kind",
                                        cm_disc_kind_name(disc->kind), "name", disc->name, "main",
                                        disc->titles[disc->main_title].number, "titles", titles));
    }
    return json_pack("{s:I, s:o, s:s?, s:o}", "film_id", (json_int_t)film_id, "chosen",
                     d->chosen > 0 ? json_integer(d->chosen) : json_null(), "nfo", d->nfo, "discs",
                     discs);
}

/* "1, 2, 800" (the first titles of the film's discs that are not tiny). */
static void title_list(const film_discs *d, char *buf, size_t size)
{
    cu_buf b = {0};
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        for (size_t t = 0; t < d->items[i].disc->title_count && n < 20; t++)
            if (d->items[i].disc->titles[t].role != CM_DISC_TITLE_TINY)
                cu_buf_printf(&b, "%s%d", n++ ? ", " : "", d->items[i].disc->titles[t].number);
    cu_strlcpy(buf, b.len ? cu_buf_str(&b) : "none", size);
    cu_buf_free(&b);
}

static enum MHD_Result choose(cs_request *req, const cc_film *film, const film_discs *d)
{
    json_t *body = NULL;
    enum MHD_Result ret;
    if (cs_request_json(req, &body, &ret) < 0)
        return ret;
    json_t *title = json_object_get(body, "title");
    if (!json_is_object(body) || !title ||
        !(json_is_null(title) || (json_is_integer(title) && json_integer_value(title) >= 1 &&
                                  json_integer_value(title) <= TITLE_NUMBER_MAX))) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request",
                              "send {\"title\": N}, N a title number of the film's disc (1 to "
                              "%d), or {\"title\": null} for the disc's own choice",
                              TITLE_NUMBER_MAX);
    }
    int number = json_is_null(title) ? 0 : (int)json_integer_value(title);
    json_decref(body);
    if (number > 0 && !has_title(d, number)) {
        char titles[256];
        title_list(d, titles, sizeof titles);
        return cs_reply_error(req, 400, "no_such_title",
                              "the film's disc has no title %d (its titles: %s)", number, titles);
    }
    cu_err err = {0};
    int rc = cl_nfo_set_disc_title(d->nfo, film, number, &err);
    if (rc == CU_EPARSE)
        return cs_reply_error(req, 409, "nfo_unreadable", "%s", err.msg);
    if (rc < 0) {
        cu_log(CU_LOG_WARN, "film %lld: disc title: %s", (long long)req->route.id, err.msg);
        return cs_reply_error(req, 500, "write_failed", "%s", err.msg);
    }
    /* The scanner reads the disc again when its film's .nfo changed. */
    const cs_config *config = cs_server_config(req->server);
    bool rescan = config->rescan != NULL;
    if (rescan)
        config->rescan(config->control_user);
    cu_log(CU_LOG_INFO, "film %lld: disc title %d written to %s by user %lld",
           (long long)req->route.id, number, d->nfo, (long long)req->user_id);
    return cs_reply_json(req, 200,
                         json_pack("{s:I, s:o, s:s, s:b}", "film_id", (json_int_t)req->route.id,
                                   "chosen", number > 0 ? json_integer(number) : json_null(), "nfo",
                                   d->nfo, "rescan", rescan));
}

enum MHD_Result cs_api_disc_title(cs_request *req)
{
    bool get = req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD;
    if (!get && req->method != CS_METHOD_PUT)
        return cs_reply_method_not_allowed(req, "GET, HEAD, PUT");
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cc_film *film = NULL;
    if (cc_film_get(db, req->route.id, &film, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    film_discs d;
    enum MHD_Result ret;
    if (discs_read(db, film, &d, &err) < 0) {
        ret = cs_reply_catalog_error(req, &err);
    } else if (d.count == 0 && d.first_error.code) {
        ret = cs_reply_error(req, 409, "disc_unreadable", "the film's disc cannot be read: %s",
                             d.first_error.msg[0] ? d.first_error.msg : "unknown error");
    } else if (d.count == 0) {
        ret = cs_reply_error(req, 409, "not_a_disc", "this film has no Blu-ray or DVD");
    } else if (get) {
        ret = cs_reply_json(req, 200, discs_json(&d, req->route.id));
    } else {
        ret = choose(req, film, &d);
    }
    discs_clear(&d);
    cc_film_free(film);
    return ret;
}
