/* cs_api_shelf: browsing a big library: the films list's shelf filters
 * (collection, country, studio, tag, release type, rating, resolution,
 * HDR, audio and subtitle language, a random seed), its A-Z bar
 * (/api/v1/films/letters), collections (/api/v1/collections[/{id}]) and
 * "more like this" (/api/v1/films/{id}/similar). A restricted user sees
 * only the films they may see, in every count. */
#include "catalog/cc_browse.h"
#include "catalog/cc_collection.h"
#include "catalog/cc_scope.h"
#include "server/cs_internal.h"
#include "json/cj_film.h"
#include "json/cj_text.h"
#include "json/cj_write.h"

#include <ctype.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

static enum MHD_Result bad_param(cs_request *req, const char *name, const char *what)
{
    return cs_reply_error(req, 400, "bad_request", "%s must be %s", name, what);
}

/* A term filter's value: non-empty, at most 200 bytes; NULL when absent. */
static int term_param(cs_request *req, const char *name, const char **out, enum MHD_Result *ret)
{
    const char *v = cs_query_get(&req->query, name);
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (strlen(v) > 200) {
        *ret = bad_param(req, name, "at most 200 bytes");
        return -1;
    }
    *out = v;
    return 0;
}

/* A language code: 2 or 3 letters, optionally a region ("pt-BR"). */
static int lang_param(cs_request *req, const char *name, const char **out, enum MHD_Result *ret)
{
    const char *v = cs_query_get(&req->query, name);
    *out = NULL;
    if (!v || !*v)
        return 0;
    size_t n = strlen(v), letters = 0;
    while (letters < n && isalpha((unsigned char)v[letters]))
        letters++;
    if (letters < 2 || letters > 3 || n > 8 || (letters < n && v[letters] != '-')) {
        *ret = bad_param(req, name, "a language code such as es, spa or pt-BR");
        return -1;
    }
    *out = v;
    return 0;
}

int cs_shelf_read_filter(cs_request *req, cc_film_filter *filter, enum MHD_Result *ret)
{
    const cs_query *q = &req->query;
    int64_t v;
    int rc;
    if ((rc = cs_query_int(q, "collection", 1, INT64_MAX / 2, &v)) < 0) {
        *ret = bad_param(req, "collection", "a collection id");
        return -1;
    }
    if (rc)
        filter->collection_id = v;
    if (term_param(req, "country", &filter->country, ret) < 0 ||
        term_param(req, "studio", &filter->studio, ret) < 0 ||
        term_param(req, "tag", &filter->tag, ret) < 0 ||
        lang_param(req, "audio", &filter->audio_lang, ret) < 0 ||
        lang_param(req, "subtitle", &filter->subtitle_lang, ret) < 0)
        return -1;
    const char *release = cs_query_get(q, "release");
    if (release && *release) {
        static const char *const types[] = {"premiere",   "festival", "theatrical_limited",
                                            "theatrical", "digital",  "physical",
                                            "tv"};
        size_t i;
        for (i = 0; i < sizeof types / sizeof *types; i++)
            if (!strcmp(release, types[i]))
                break;
        if (i == sizeof types / sizeof *types) {
            *ret = bad_param(
                req, "release",
                "premiere, festival, theatrical_limited, theatrical, digital, physical or tv");
            return -1;
        }
        filter->release_type = types[i];
    }
    const char *rating = cs_query_get(q, "rating");
    if (rating && *rating) {
        char *end;
        double r = strtod(rating, &end);
        if (*end || !(r >= 0 && r <= 10)) {
            *ret = bad_param(req, "rating", "a number from 0 to 10");
            return -1;
        }
        filter->rating_min = r;
    }
    const char *res = cs_query_get(q, "resolution");
    if (res && *res) {
        static const struct {
            const char *name;
            cc_resolution res;
        } classes[] = {
            {"sd", CC_RES_SD}, {"720p", CC_RES_720}, {"1080p", CC_RES_1080}, {"4k", CC_RES_4K}};
        size_t i;
        for (i = 0; i < sizeof classes / sizeof *classes; i++)
            if (!strcasecmp(res, classes[i].name))
                break;
        if (i == sizeof classes / sizeof *classes) {
            *ret = bad_param(req, "resolution", "sd, 720p, 1080p or 4k");
            return -1;
        }
        filter->resolution = classes[i].res;
    }
    const char *hdr = cs_query_get(q, "hdr");
    if (hdr && *hdr) {
        if (strcmp(hdr, "true") && strcmp(hdr, "false")) {
            *ret = bad_param(req, "hdr", "true or false");
            return -1;
        }
        filter->hdr = !strcmp(hdr, "true") ? 1 : -1;
    }
    if ((rc = cs_query_int(q, "seed", 0, UINT32_MAX, &v)) < 0) {
        *ret = bad_param(req, "seed", "an integer from 0 to 4294967295");
        return -1;
    }
    filter->random_seed = rc ? (uint32_t)v : 0;
    return 0;
}

enum MHD_Result cs_shelf_letters_reply(cs_request *req, cc_count_list *letters)
{
    /* {"total":N,"letters":[{"letter":"A","offset":0,"count":12}]} in
     * the title order: a letter's offset is where its films start. */
    json_t *list = json_array();
    int64_t offset = 0;
    for (size_t i = 0; i < letters->count; i++) {
        const char *name = letters->items[i].name ? letters->items[i].name : "#";
        char letter[2] = {(char)toupper((unsigned char)name[0]), 0};
        json_array_append_new(list, json_pack("{s:s, s:I, s:I}", "letter", letter, "offset",
                                              (json_int_t)offset, "count",
                                              (json_int_t)letters->items[i].count));
        offset += letters->items[i].count;
    }
    cc_browse_counts_clear(letters);
    return cs_reply_json(req, 200,
                         json_pack("{s:I, s:o}", "total", (json_int_t)offset, "letters", list));
}

int cs_shelf_add_to_film(cs_request *req, cc_db *db, int64_t film_id, json_t *record, cu_err *err)
{
    (void)req;
    int64_t id = 0;
    char *name = NULL;
    if (cc_collection_of_film(db, film_id, &id, &name, err) < 0)
        return CU_EDB;
    json_object_set_new(record, "collection",
                        id ? json_pack("{s:I, s:o, s:o}", "id", (json_int_t)id, "name",
                                       cj_text(name), "url",
                                       cj_url(1, "/api/v1/collections/%lld", id))
                           : json_null());
    free(name);
    return 0;
}

static json_t *collection_json(const cc_collection *c)
{
    json_t *o = json_pack("{s:I, s:o, s:o, s:s, s:I}", "id", (json_int_t)c->id, "name",
                          cj_text(c->name), "overview", cj_text_or_null(c->overview), "source",
                          c->source ? c->source : "nfo", "count", (json_int_t)c->count);
    json_object_set_new(o, "poster_url", cj_poster_url(c->poster_film, c->poster_film > 0));
    json_object_set_new(o, "url", cj_url(1, "/api/v1/collections/%lld", c->id));
    return o;
}

enum MHD_Result cs_api_collections(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    bool restricted;
    size_t count;
    const int64_t *visible = cs_auth_visible(req, &count, &restricted);
    cc_collection_list list;
    if (cc_collection_list_all(db, restricted ? visible : NULL, count, &list, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, collection_json(&list.items[i]));
    cc_collection_list_clear(&list);
    return cs_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

enum MHD_Result cs_api_collection(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    bool restricted;
    size_t count;
    const int64_t *visible = cs_auth_visible(req, &count, &restricted);
    cc_collection c;
    if (cc_collection_get(db, req->route.id, restricted ? visible : NULL, count, &c, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    /* Its films in the order they came out (a saga reads in order). */
    cc_film_filter filter = {.collection_id = c.id,
                             .sort = CC_SORT_YEAR,
                             .limit = 500,
                             .ids = restricted ? visible : NULL,
                             .id_count = count};
    cc_film_page page = {0};
    cu_buf items = CU_BUF_INIT;
    if (cc_browse_films(db, &filter, &page, &err) < 0 ||
        cs_watch_page_items(req, db, &page, NULL, 0, &items, NULL, &err) < 0) {
        cc_browse_films_clear(&page);
        cc_collection_clear(&c);
        cu_buf_free(&items);
        return cs_reply_catalog_error(req, &err);
    }
    json_t *record = collection_json(&c);
    char *text = json_dumps(record, JSON_COMPACT);
    json_decref(record);
    cc_browse_films_clear(&page);
    cc_collection_clear(&c);
    if (!text) {
        cu_buf_free(&items);
        return cs_reply_error(req, 500, "internal", "encoding failed");
    }
    text = cj_write_add_member(text, "films", items.data, items.len);
    cu_buf_free(&items);
    return cs_reply_json_text(req, 200, text);
}

enum MHD_Result cs_api_film_similar(cs_request *req)
{
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    int64_t limit = 12, v;
    int rc = cs_query_int(&req->query, "limit", 1, 50, &v);
    if (rc < 0)
        return bad_param(req, "limit", "between 1 and 50");
    if (rc)
        limit = v;
    /* No such film: 404, as for the film itself. */
    int64_t id = req->route.id;
    cc_film_filter one = {.ids = &id, .id_count = 1, .limit = 1};
    cc_film_page found = {0};
    if (cc_browse_films(db, &one, &found, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    int64_t exists = found.total;
    cc_browse_films_clear(&found);
    if (!exists)
        return cs_reply_error(req, 404, "not_found", "no film with id %lld", (long long)id);
    bool restricted;
    size_t count;
    const int64_t *visible = cs_auth_visible(req, &count, &restricted);
    cc_film_page page = {0};
    cu_buf body = CU_BUF_INIT;
    cu_buf_putc(&body, '{');
    cj_write_key(&body, true, "items");
    if (cc_browse_similar(db, req->route.id, restricted ? visible : NULL, count, limit, &page,
                          &err) < 0 ||
        cs_watch_page_items(req, db, &page, NULL, 0, &body, NULL, &err) < 0) {
        cc_browse_films_clear(&page);
        cu_buf_free(&body);
        return cs_reply_catalog_error(req, &err);
    }
    cc_browse_films_clear(&page);
    cu_buf_putc(&body, '}');
    return cs_reply_json_text(req, 200, cu_buf_take(&body));
}
