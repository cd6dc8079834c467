/* cs_api_edit: what an admin edits in the browser: a film's metadata
 * (PUT /api/v1/films/{id}/metadata, JSON), its poster and backdrop (POST
 * the image to .../poster or .../backdrop, or POST .../poster/frame?t=S to
 * cut one from the film). The library writes them beside the film (an
 * .nfo, "<video>-poster.jpg") and reads them back into the catalog; this
 * file only checks what comes in and says what went wrong, field by field.
 * The gate (cs_auth.c) answers anyone but an admin as if the route did not
 * exist. */
#include "catalog/cc_film.h"
#include "library/cl_edit.h"
#include "library/cl_nfo.h"
#include "library/cl_nfo_write.h"
#include "server/cs_internal.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_year.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TEXT_MAX 1000        /* a title, a name, a label */
#define PLOT_MAX (64 * 1024) /* what cl_nfo keeps of one element */
#define LIST_MAX 200         /* genres */
#define PEOPLE_MAX 2000
#define RELEASES_MAX 500

bool cs_edit_is_route(cs_route_kind kind)
{
    return kind == CS_ROUTE_FILM_METADATA || kind == CS_ROUTE_FILM_POSTER_UPLOAD ||
           kind == CS_ROUTE_FILM_BACKDROP_UPLOAD || kind == CS_ROUTE_FILM_POSTER_FRAME ||
           kind == CS_ROUTE_FILM_BACKDROP_FRAME || kind == CS_ROUTE_FILM_DISCTITLE;
}

size_t cs_edit_body_cap(const char *target, cs_method method)
{
    if (method != CS_METHOD_POST && method != CS_METHOD_PUT)
        return CS_BODY_MAX;
    cs_route r;
    cs_route_parse(target, strlen(target), &r);
    if (method == CS_METHOD_POST &&
        (r.kind == CS_ROUTE_FILM_POSTER || r.kind == CS_ROUTE_FILM_BACKDROP))
        return CS_EDIT_IMAGE_MAX;
    if (method == CS_METHOD_PUT && r.kind == CS_ROUTE_FILM_METADATA)
        return CS_EDIT_METADATA_MAX;
    return CS_BODY_MAX;
}

void cs_edit_route(cs_request *req)
{
    if (req->method != CS_METHOD_POST)
        return;
    if (req->route.kind == CS_ROUTE_FILM_POSTER)
        req->route.kind = CS_ROUTE_FILM_POSTER_UPLOAD;
    else if (req->route.kind == CS_ROUTE_FILM_BACKDROP)
        req->route.kind = CS_ROUTE_FILM_BACKDROP_UPLOAD;
}

/* ---- checking a metadata body ---- */

typedef struct checker {
    json_t *fields; /* {"field": "what is wrong"} */
} checker;

static void bad(checker *c, const char *field, const char *what)
{
    if (!json_object_get(c->fields, field))
        json_object_set_new(c->fields, field, json_string(what));
}

/* A string member: absent (0), null or "" (1, *out NULL), a string of at
 * most max bytes (1), else a field error (-1). */
static int text_member(checker *c, json_t *obj, const char *name, const char *field, size_t max,
                       const char **out)
{
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v)
        return 0;
    if (json_is_null(v))
        return 1;
    if (!json_is_string(v)) {
        bad(c, field, "must be text");
        return -1;
    }
    if (json_string_length(v) > max) {
        char msg[80];
        snprintf(msg, sizeof msg, "at most %zu bytes", max);
        bad(c, field, msg);
        return -1;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        bad(c, field, "must not hold a NUL character");
        return -1;
    }
    *out = s[0] ? s : NULL;
    return 1;
}

/* Trimmed copy in the film's arena; NULL for empty. */
static char *keep(cc_film *film, const char *s)
{
    if (!s)
        return NULL;
    char *t = cu_xstrdup(s);
    cu_str_trim(t);
    char *kept = t[0] ? cc_film_strdup(film, t) : NULL;
    free(t);
    return kept;
}

static void set_text(checker *c, json_t *body, cc_film *film, const char *name, size_t max,
                     char **slot)
{
    const char *s;
    if (text_member(c, body, name, name, max, &s) == 1)
        *slot = keep(film, s);
}

static void check_genres(checker *c, json_t *body, cc_film *film)
{
    json_t *v = json_object_get(body, "genres");
    if (!v)
        return;
    if (!json_is_array(v) || json_array_size(v) > LIST_MAX) {
        bad(c, "genres", "a list of at most 200 genres");
        return;
    }
    film->genres.items = NULL;
    film->genres.count = 0;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        if (!json_is_string(item) || json_string_length(item) > 200) {
            bad(c, "genres", "each genre is text of at most 200 bytes");
            return;
        }
        char *g = keep(film, json_string_value(item));
        if (!g)
            continue;
        if (strstr(g, " / ")) {
            bad(c, "genres", "one genre per entry (\" / \" separates genres in an .nfo)");
            return;
        }
        bool seen = false;
        for (size_t k = 0; k < film->genres.count; k++)
            seen = seen || !strcmp(film->genres.items[k], g);
        if (!seen)
            cc_film_add_term(film, &film->genres, g);
    }
}

/* "actor", "director", "writer", "composer", "director of photography": a
 * job is lower case letters, spaces, '-' and '_'. */
static bool valid_job(const char *job)
{
    if (!job || !job[0] || strlen(job) > 64)
        return false;
    for (const char *p = job; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == ' ' || *p == '-' || *p == '_'))
            return false;
    return true;
}

static void check_people(checker *c, json_t *body, cc_film *film)
{
    json_t *v = json_object_get(body, "people");
    if (!v)
        return;
    if (!json_is_array(v) || json_array_size(v) > PEOPLE_MAX) {
        bad(c, "people", "a list of at most 2000 people");
        return;
    }
    film->credits = NULL;
    film->credit_count = 0;
    int actors = 0, crew = 0;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        char field[40];
        snprintf(field, sizeof field, "people.%zu", i);
        if (!json_is_object(item)) {
            bad(c, field, "each person is {\"name\", \"job\", \"character\"}");
            return;
        }
        const char *name, *job, *character;
        if (text_member(c, item, "name", field, TEXT_MAX, &name) < 0 ||
            text_member(c, item, "job", field, 64, &job) < 0 ||
            text_member(c, item, "character", field, TEXT_MAX, &character) < 0)
            return;
        char *kept_name = keep(film, name);
        if (!kept_name) {
            bad(c, field, "a name is required");
            return;
        }
        char *kept_job = keep(film, job ? job : "actor");
        if (!valid_job(kept_job)) {
            bad(c, field, "the job is lower case words (actor, director, writer, composer...)");
            return;
        }
        bool actor = !strcmp(kept_job, "actor");
        if (!actor && character && character[0]) {
            bad(c, field, "only an actor plays a character");
            return;
        }
        cc_credit *credit = cc_film_add_credit(film);
        credit->name = kept_name;
        credit->job = kept_job;
        credit->character = actor ? keep(film, character) : NULL;
        credit->billing = actor ? actors++ : crew++;
    }
}

static const char *const release_types[] = {
    "premiere", "festival", "theatrical_limited", "theatrical", "digital", "physical", "tv",
};

static void check_releases(checker *c, json_t *body, cc_film *film)
{
    json_t *v = json_object_get(body, "releases");
    if (!v)
        return;
    if (!json_is_array(v) || json_array_size(v) > RELEASES_MAX) {
        bad(c, "releases", "a list of at most 500 releases");
        return;
    }
    film->releases = NULL;
    film->release_count = 0;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        char field[40];
        snprintf(field, sizeof field, "releases.%zu", i);
        if (!json_is_object(item)) {
            bad(c, field, "each release is an object with a type");
            return;
        }
        const char *type, *date, *country, *event, *section, *distributor, *format, *note;
        if (text_member(c, item, "type", field, 40, &type) < 0 ||
            text_member(c, item, "date", field, 10, &date) < 0 ||
            text_member(c, item, "country", field, 2, &country) < 0 ||
            text_member(c, item, "event", field, TEXT_MAX, &event) < 0 ||
            text_member(c, item, "section", field, TEXT_MAX, &section) < 0 ||
            text_member(c, item, "distributor", field, TEXT_MAX, &distributor) < 0 ||
            text_member(c, item, "format", field, 100, &format) < 0 ||
            text_member(c, item, "note", field, TEXT_MAX, &note) < 0)
            return;
        const char *known = NULL;
        for (size_t k = 0; type && k < sizeof release_types / sizeof *release_types; k++)
            if (!strcmp(type, release_types[k]))
                known = release_types[k];
        if (!known) {
            bad(c, field,
                "the type is premiere, festival, theatrical_limited, theatrical, "
                "digital, physical or tv");
            return;
        }
        if (date && !cu_date_valid(date)) {
            bad(c, field, "the date is YYYY, YYYY-MM or YYYY-MM-DD");
            return;
        }
        char cc[3] = "";
        if (country) {
            if (strlen(country) != 2 || !((country[0] | 32) >= 'a' && (country[0] | 32) <= 'z') ||
                !((country[1] | 32) >= 'a' && (country[1] | 32) <= 'z')) {
                bad(c, field, "the country is a two-letter code (ES, FR, US...)");
                return;
            }
            cc[0] = (char)(country[0] & ~32);
            cc[1] = (char)(country[1] & ~32);
            cc[2] = '\0';
        }
        cc_release *r = cc_film_add_release(film);
        r->type = cc_film_strdup(film, known);
        r->date = keep(film, date);
        r->country = country ? cc_film_strdup(film, cc) : NULL;
        r->event = keep(film, event);
        r->section = keep(film, section);
        r->distributor = keep(film, distributor);
        r->format = keep(film, format);
        r->note = keep(film, note);
    }
}

/* Applies body to film (the catalog's record: members left out keep what
 * it says) and to *edition. Field errors go into c. */
static void apply_body(checker *c, json_t *body, cc_film *film, const char **edition)
{
    const char *title;
    if (text_member(c, body, "title", "title", TEXT_MAX, &title) == 1) {
        film->title = keep(film, title);
        if (!film->title)
            bad(c, "title", "a title is required");
    }
    set_text(c, body, film, "original_title", TEXT_MAX, &film->original_title);
    set_text(c, body, film, "sort_title", TEXT_MAX, &film->sort_title);
    set_text(c, body, film, "plot", PLOT_MAX, &film->plot);
    set_text(c, body, film, "tagline", TEXT_MAX, &film->tagline);
    set_text(c, body, film, "collection", TEXT_MAX, &film->set_name);
    json_t *year = json_object_get(body, "year");
    if (year && json_is_null(year))
        film->year = 0;
    else if (year && (!json_is_integer(year) || json_integer_value(year) < CU_YEAR_MIN ||
                      json_integer_value(year) > CU_YEAR_MAX))
        bad(c, "year",
            "a year from " CU_YEAR_TEXT(CU_YEAR_MIN) " to " CU_YEAR_TEXT(CU_YEAR_MAX) ", or empty");
    else if (year)
        film->year = (int)json_integer_value(year);
    const char *ed;
    if (text_member(c, body, "edition", "edition", 200, &ed) == 1)
        *edition = ed;
    check_genres(c, body, film);
    check_people(c, body, film);
    check_releases(c, body, film);
    json_t *ow = json_object_get(body, "overwrite");
    if (ow && !json_is_boolean(ow))
        bad(c, "overwrite", "true or false");
}

static enum MHD_Result reply_lib_error(cs_request *req, const cu_err *err)
{
    if (err->code == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "no such film");
    if (err->code == CU_EINVAL)
        return cs_reply_error(req, 409, "not_editable", "%s", err->msg);
    if (err->code == CU_ELIMIT)
        return cs_reply_error(req, 413, "too_large", "%s", err->msg);
    if (err->code == CU_EPARSE || err->code == CU_EMEDIA)
        return cs_reply_error(req, 400, "bad_image", "%s", err->msg);
    cu_log(CU_LOG_WARN, "edit: %s", err->msg);
    return cs_reply_error(req, 500, "write_failed", "%s", err->msg);
}

/* The .nfo's state, for the editor to ask before it replaces a person's. */
static json_t *nfo_state(const cl_edit_paths *paths)
{
    cl_nfo_owner owner = CL_NFO_ABSENT;
    cu_err err = {0};
    cl_nfo_owner_of(paths->nfo, &owner, &err);
    return json_pack("{s:b, s:b}", "nfo_exists", owner != CL_NFO_ABSENT, "nfo_hand_written",
                     owner == CL_NFO_PERSONS);
}

/* Reads the written files back into the catalog through the writer. */
static int apply_with_writer(cs_request *req, const cl_edit_paths *paths, const char *kind,
                             cu_err *err)
{
    cs_auth *a = cs_server_auth(req->server);
    cc_db *w = cs_auth_writer(a, err);
    if (!w)
        return err->code ? err->code : CU_EDB;
    int rc = kind ? cl_edit_apply_artwork(w, req->route.id, paths, kind, err)
                  : cl_edit_apply_nfo(w, req->route.id, paths, err);
    cs_auth_writer_release(a);
    return rc;
}

static enum MHD_Result metadata(cs_request *req, cc_db *db, const cl_edit_paths *paths)
{
    if (req->method == CS_METHOD_GET || req->method == CS_METHOD_HEAD)
        return cs_reply_json(req, 200, nfo_state(paths));
    if (req->method != CS_METHOD_PUT)
        return cs_reply_method_not_allowed(req, "GET, HEAD, PUT");
    const char *type =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type || strncasecmp(type, "application/json", 16) != 0)
        return cs_reply_error(req, 415, "unsupported_media_type",
                              "the body must be JSON (Content-Type: application/json)");
    json_error_t jerr;
    json_t *body =
        json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body || !json_is_object(body)) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request", "the body must be a JSON object");
    }
    cu_err err = {0};
    cc_film *film = NULL;
    enum MHD_Result ret;
    if (cc_film_get(db, req->route.id, &film, &err) < 0) {
        json_decref(body);
        return cs_reply_catalog_error(req, &err);
    }
    /* The edition the .nfo names now stays unless the body changes it. */
    cl_nfo *current = NULL;
    cu_err ignored = {0};
    cl_nfo_read(paths->nfo, &current, &ignored);
    const char *edition = current ? current->edition : NULL;
    checker c = {.fields = json_object()};
    apply_body(&c, body, film, &edition);
    if (json_object_size(c.fields)) {
        ret = cs_reply_json(req, 400,
                            json_pack("{s:{s:s, s:s, s:O}}", "error", "code", "invalid", "message",
                                      "some fields need another look", "fields", c.fields));
        goto done;
    }
    bool overwrite = json_is_true(json_object_get(body, "overwrite"));
    int rc = cl_edit_write_nfo(paths, film, edition, overwrite, &err);
    if (rc == -EEXIST) {
        ret = cs_reply_error(req, 409, "nfo_hand_written",
                             "this film's .nfo was written by hand: send \"overwrite\": true to "
                             "replace it (it is kept as .nfo.bak)");
        goto done;
    }
    if (rc == 0)
        rc = apply_with_writer(req, paths, NULL, &err);
    if (rc < 0) {
        ret = reply_lib_error(req, &err);
        goto done;
    }
    /* The edition belongs to the film's files (cl_scan places them): a
     * rescan, as "scan now" asks for, puts them in the named cut. */
    const cs_config *config = cs_server_config(req->server);
    if (json_object_get(body, "edition") && config->rescan)
        config->rescan(config->control_user);
    cu_log(CU_LOG_INFO, "film %lld: metadata written to %s by user %lld", (long long)req->route.id,
           paths->nfo, (long long)req->user_id);
    json_t *reply = nfo_state(paths);
    json_object_set_new(reply, "id", json_integer(req->route.id));
    ret = cs_reply_json(req, 200, reply);
done:
    json_decref(c.fields);
    cl_nfo_free(current);
    cc_film_free(film);
    json_decref(body);
    return ret;
}

static enum MHD_Result upload(cs_request *req, const cl_edit_paths *paths, const char *kind)
{
    if (req->body_too_large)
        return cs_reply_error(req, 413, "too_large", "an image is at most %d bytes",
                              CS_EDIT_IMAGE_MAX);
    if (!req->body_len)
        return cs_reply_error(req, 400, "bad_image", "send the image as the body");
    /* The bytes reach the decoder through a descriptor of memory: nothing
     * of an unchecked upload is written beside the film. */
    int fd = memfd_create("cinemateca-upload", MFD_CLOEXEC);
    if (fd < 0)
        return cs_reply_error(req, 500, "internal", "cannot hold the upload: %s", strerror(errno));
    size_t done = 0;
    while (done < req->body_len) {
        ssize_t n = write(fd, req->body + done, req->body_len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return cs_reply_error(req, 500, "internal", "cannot hold the upload");
        }
        done += (size_t)n;
    }
    cu_err err = {0};
    int rc = cl_edit_write_image(paths, kind, fd, &err);
    close(fd);
    if (rc == 0)
        rc = apply_with_writer(req, paths, kind, &err);
    if (rc < 0)
        return reply_lib_error(req, &err);
    cu_log(CU_LOG_INFO, "film %lld: %s uploaded by user %lld", (long long)req->route.id, kind,
           (long long)req->user_id);
    return cs_reply_json(req, 200,
                         json_pack("{s:I, s:s}", "id", (json_int_t)req->route.id, kind, "written"));
}

static enum MHD_Result frame(cs_request *req, const cl_edit_paths *paths, const char *kind)
{
    const char *t = cs_query_get(&req->query, "t");
    char *end = NULL;
    double seconds = t ? strtod(t, &end) : NAN;
    if (!t || end == t || *end || !isfinite(seconds) || seconds < 0 || seconds > 1e6)
        return cs_reply_error(req, 400, "bad_request", "t is the time in the film, in seconds");
    cu_err err = {0};
    int rc = cl_edit_write_frame(paths, kind, seconds, &err);
    if (rc == CU_EINVAL)
        return cs_reply_error(req, 400, "bad_request", "%s", err.msg);
    if (rc == 0)
        rc = apply_with_writer(req, paths, kind, &err);
    if (rc < 0)
        return reply_lib_error(req, &err);
    return cs_reply_json(req, 200,
                         json_pack("{s:I, s:s}", "id", (json_int_t)req->route.id, kind, "written"));
}

enum MHD_Result cs_api_edit(cs_request *req)
{
    cs_route_kind k = req->route.kind;
    bool upload_route = k == CS_ROUTE_FILM_POSTER_UPLOAD || k == CS_ROUTE_FILM_BACKDROP_UPLOAD;
    bool frame_route = k == CS_ROUTE_FILM_POSTER_FRAME || k == CS_ROUTE_FILM_BACKDROP_FRAME;
    if (frame_route && req->method != CS_METHOD_POST)
        return cs_reply_method_not_allowed(req, "POST");
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    cl_edit_paths paths;
    if (cl_edit_paths_get(db, req->route.id, &paths, &err) < 0)
        return reply_lib_error(req, &err);
    enum MHD_Result ret;
    const char *kind =
        k == CS_ROUTE_FILM_POSTER_UPLOAD || k == CS_ROUTE_FILM_POSTER_FRAME ? "poster" : "backdrop";
    if (upload_route)
        ret = upload(req, &paths, kind);
    else if (frame_route)
        ret = frame(req, &paths, kind);
    else
        ret = metadata(req, db, &paths);
    cl_edit_paths_clear(&paths);
    return ret;
}
