/* jf_item: one item whole (a film, an extra, a view), its special
 * features and trailers, and films like it. */
#include "jellyfin/jf_items_internal.h"
#include "catalog/cc_browse.h"
#include "catalog/cc_facet.h"
#include "catalog/cc_favorite.h"
#include "catalog/cc_match.h"
#include "catalog/cc_page.h"
#include "catalog/cc_root.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_scope_facet.h"
#include "catalog/cc_search_query.h"
#include "catalog/cc_user.h"
#include "catalog/cc_watch.h"
#include "util/cu_arena.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- one item ---- */

/* The film an item id names, if the user may see it (a 404 otherwise). */
static int load_film(jf_req *r, const char *id, cc_film **film, int *ret)
{
    int64_t fid;
    bool extra;
    if (jf_item_of(id, &fid, &extra) < 0) {
        *ret = jf_reply_error(r, 400, "not an item id of this server");
        return -1;
    }
    cu_err err = {0};
    if (extra && cc_extra_film_id(r->db, fid, &fid, &err) < 0) {
        *ret = jf_reply_catalog(r, &err);
        return -1;
    }
    if (!cs_door_film_visible(r->req, fid)) {
        *ret = jf_reply_not_found(r);
        return -1;
    }
    if (cc_film_get(r->db, fid, film, &err) < 0) {
        *ret = jf_reply_catalog(r, &err);
        return -1;
    }
    return 0;
}

int jf_item(jf_req *r, const char *id)
{
    /* A view asked as an item (clients open a folder this way). */
    char *root = jf_view_root(r, id);
    if (root) {
        jf_idset s;
        jf_set_visible(r, &s);
        int64_t *ids = NULL;
        size_t count = 0;
        cu_err err = {0};
        int rc = jf_root_films(r, root, &ids, &count, &err);
        if (rc == 0)
            jf_set_narrow(&s, ids, count);
        free(ids);
        json_t *v = jf_view_dto(r, root, (int64_t)s.count);
        free(s.ids);
        free(root);
        return rc < 0 ? (json_decref(v), jf_reply_catalog(r, &err)) : jf_reply_json(r, 200, v);
    }
    int64_t xid;
    bool is_extra;
    if (jf_item_of(id, &xid, &is_extra) < 0)
        return jf_reply_error(r, 400, "not an item id of this server");
    cc_film *film = NULL;
    int ret;
    if (load_film(r, id, &film, &ret) < 0)
        return ret;
    cu_err err = {0};
    json_t *o = NULL;
    if (is_extra) {
        for (size_t i = 0; i < film->extra_count && !o; i++)
            if (film->extras[i].id == xid)
                o = jf_dto_extra(r, film, &film->extras[i]);
        cc_film_free(film);
        return o ? jf_reply_json(r, 200, o) : jf_reply_not_found(r);
    }
    o = jf_dto_film(r, film, &err);
    cc_film_free(film);
    return o ? jf_reply_json(r, 200, o) : jf_reply_catalog(r, &err);
}

int jf_special_features(jf_req *r, const char *id, bool trailers)
{
    cc_film *film = NULL;
    int ret;
    if (load_film(r, id, &film, &ret) < 0)
        return ret;
    json_t *items = json_array();
    for (size_t i = 0; i < film->extra_count; i++) {
        bool trailer = film->extras[i].type && !strcmp(film->extras[i].type, "trailer");
        if (trailer == trailers)
            json_array_append_new(items, jf_dto_extra(r, film, &film->extras[i]));
    }
    cc_film_free(film);
    return jf_reply_json(r, 200, items); /* bare arrays, as Jellyfin answers */
}

typedef struct score {
    int64_t id;
    int points;
} score;

static int cmp_score(const void *a, const void *b)
{
    const score *x = a, *y = b;
    if (x->points != y->points)
        return y->points - x->points;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void add_points(score **s, size_t *n, const int64_t *ids, size_t count, int points,
                       int64_t self)
{
    for (size_t i = 0; i < count; i++) {
        if (ids[i] == self)
            continue;
        size_t k = 0;
        while (k < *n && (*s)[k].id != ids[i])
            k++;
        if (k == *n) {
            *s = cu_xreallocarray(*s, *n + 1, sizeof **s);
            (*s)[(*n)++] = (score){ids[i], 0};
        }
        (*s)[k].points += points;
    }
}

int jf_similar(jf_req *r, const char *id)
{
    cc_film *film = NULL;
    int ret;
    if (load_film(r, id, &film, &ret) < 0)
        return ret;
    int64_t limit = 12;
    jf_param_int(r, "Limit", 1, 100, &limit);
    score *s = NULL;
    size_t n = 0;
    cu_err err = {0};
    /* Shared people weigh more than a shared genre; at most 200 films a key. */
    for (size_t i = 0; i < film->credit_count && i < 12; i++) {
        int64_t *ids = NULL;
        size_t count = 0;
        if (cc_facet_person_ids(r->db, film->credits[i].person_id, NULL, 200, &ids, &count, &err) ==
            0)
            add_points(&s, &n, ids, count, 3, film->id);
        free(ids);
    }
    for (size_t i = 0; i < film->genres.count; i++) {
        cc_film_filter f = {.genre = film->genres.items[i], .limit = 200};
        cc_film_page page = {0};
        if (cc_browse_films(r->db, &f, &page, &err) == 0) {
            int64_t ids[200];
            size_t count = 0;
            for (size_t k = 0; k < page.count && count < 200; k++)
                ids[count++] = page.items[k].id;
            add_points(&s, &n, ids, count, 1, film->id);
        }
        cc_browse_films_clear(&page);
    }
    cc_film_free(film);
    qsort(s, n, sizeof *s, cmp_score);
    int64_t *ordered = calloc(n ? n : 1, sizeof *ordered);
    size_t m = 0;
    for (size_t i = 0; i < n && m < (size_t)limit; i++)
        if (cs_door_film_visible(r->req, s[i].id))
            ordered[m++] = s[i].id;
    free(s);
    json_t *items = json_array();
    int rc = jf_items_in_order(r, ordered, m, false, items, &err);
    free(ordered);
    if (rc < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    size_t total = json_array_size(items);
    return jf_reply_json(r, 200, jf_result(items, (int64_t)total, 0));
}
