/* jf_list: lists of films: the views (one movies collection per library
 * folder the user may see), /Items, latest, resume; each page's rows with
 * their artwork, watch state and favourites read for the whole page. */
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

/* ---- views ---- */

json_t *jf_view_dto(jf_req *r, const char *root, int64_t count)
{
    char vid[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_VIEW, jf_id_hash(root), vid);
    const char *slash = strrchr(root, '/');
    const char *name = slash && slash[1] ? slash + 1 : root;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:I, s:I, s:{}, s:[], s:s, "
                     "s:[], s:{s:I, s:I, s:b, s:b, s:s, s:s}}",
                     "Name", name, "ServerId", r->server_id, "Id", vid, "Etag", vid, "Type",
                     "CollectionFolder", "CollectionType", "movies", "IsFolder", 1, "SortName",
                     name, "LocationType", "FileSystem", "ChildCount", (json_int_t)count,
                     "RecursiveItemCount", (json_int_t)count, "ImageTags", "BackdropImageTags",
                     "MediaType", "Unknown", "ExternalUrls", "UserData", "PlaybackPositionTicks",
                     (json_int_t)0, "PlayCount", (json_int_t)0, "IsFavorite", 0, "Played", 0, "Key",
                     vid, "ItemId", vid);
}

int jf_views(jf_req *r)
{
    char **paths;
    size_t n;
    cu_err err = {0};
    if (jf_visible_roots(r, &paths, &n, &err) < 0)
        return jf_reply_catalog(r, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        jf_idset s;
        jf_set_visible(r, &s);
        int64_t *ids = NULL;
        size_t count = 0;
        if (jf_root_films(r, paths[i], &ids, &count, &err) < 0) {
            free(s.ids);
            jf_paths_free(paths, n);
            json_decref(items);
            return jf_reply_catalog(r, &err);
        }
        jf_set_narrow(&s, ids, count);
        free(ids);
        json_array_append_new(items, jf_view_dto(r, paths[i], (int64_t)s.count));
        free(s.ids);
    }
    jf_paths_free(paths, n);
    size_t total = json_array_size(items);
    return jf_reply_json(r, 200, jf_result(items, (int64_t)total, 0));
}

/* Appends films (rows of cc_browse_films) to out: list items, whose
 * artwork, watch state and favourite marks are read for all of them at
 * once, or whole records when asked. */
static int append_rows(jf_req *r, const cc_film_item *const *rows, size_t count, bool whole,
                       json_t *out, cu_err *err)
{
    if (whole) {
        for (size_t i = 0; i < count; i++) {
            cc_film *film = NULL;
            if (cc_film_get(r->db, rows[i]->id, &film, err) < 0)
                return CU_EDB;
            json_t *o = jf_dto_film(r, film, err);
            cc_film_free(film);
            if (!o)
                return CU_EDB;
            json_array_append_new(out, o);
        }
        return 0;
    }
    cu_arena *arena = cu_arena_new();
    int64_t *ids = cu_arena_array(arena, count ? count : 1, sizeof *ids);
    jf_row_facts *facts = cu_arena_array(arena, count ? count : 1, sizeof *facts);
    for (size_t i = 0; i < count; i++)
        ids[i] = rows[i]->id;
    int rc = jf_page_facts(r, arena, ids, count, facts, err);
    for (size_t i = 0; rc == 0 && i < count; i++)
        json_array_append_new(out, jf_dto_film_item(r, rows[i], &facts[i]));
    cu_arena_free(arena);
    return rc;
}

/* Runs q: a page of films as items (into *items) and the total. */
static int run_query(jf_req *r, jf_query *q, bool whole, json_t **items, int64_t *total,
                     cu_err *err)
{
    *items = json_array();
    *total = 0;
    if (q->empty)
        return 0;
    cc_film_filter f = q->filter;
    if (f.limit <= 0)
        f.limit = PAGE_MAX;
    cc_film_page page = {0};
    if (cc_browse_films(r->db, &f, &page, err) < 0)
        return CU_EDB;
    *total = page.total;
    const cc_film_item **rows = calloc(page.count ? page.count : 1, sizeof *rows);
    for (size_t i = 0; i < page.count; i++)
        rows[i] = &page.items[i];
    int rc = append_rows(r, rows, page.count, whole, *items, err);
    free(rows);
    cc_browse_films_clear(&page);
    return rc;
}

int jf_items(jf_req *r)
{
    /* ?Ids=a,b: those items, in that order. */
    char(*ids)[JF_VALUE_MAX] = calloc(JF_VALUES_MAX, sizeof *ids);
    int nids = jf_param_list(r, "Ids", ",|", ids, JF_VALUES_MAX);
    if (nids < 0) {
        free(ids);
        return jf_reply_error(r, 400, "too many values in a list parameter");
    }
    if (nids == 0)
        free(ids);
    if (nids > 0) {
        json_t *items = json_array();
        for (int i = 0; i < nids; i++) {
            int64_t id;
            bool extra;
            cc_film *film = NULL;
            cu_err err = {0};
            if (jf_item_of(ids[i], &id, &extra) == 0 && !extra &&
                cs_door_film_visible(r->req, id) && cc_film_get(r->db, id, &film, &err) == 0) {
                json_t *o = jf_dto_film(r, film, &err);
                if (o)
                    json_array_append_new(items, o);
            }
            cc_film_free(film);
        }
        free(ids);
        size_t total = json_array_size(items);
        return jf_reply_json(r, 200, jf_result(items, (int64_t)total, 0));
    }
    /* No parent, not recursive, no search, no types: the user's root
     * folder's children, which are the views (as Jellyfin answers). */
    const char *parent = jf_param(r, "ParentId"), *recursive = jf_param(r, "Recursive");
    const char *term = jf_param(r, "SearchTerm"), *types = jf_param(r, "IncludeItemTypes");
    if ((!parent || !*parent) && (!recursive || strcasecmp(recursive, "true")) &&
        (!term || !*term) && (!types || !*types) && !jf_param(r, "Filters") &&
        !jf_param(r, "IsFavorite") && !jf_param(r, "PersonIds") && !jf_param(r, "Genres") &&
        !jf_param(r, "GenreIds") && !jf_param(r, "Years"))
        return jf_views(r);
    jf_query q;
    int ret;
    if (jf_query_read(r, &q, &ret) < 0) {
        free(q.set.ids);
        return ret;
    }
    /* A client opening a view without Recursive asks for its children:
     * a view's children are its films, so both answers are the same. */
    json_t *items;
    int64_t total;
    cu_err err = {0};
    int rc = run_query(r, &q, jf_wants_whole(r), &items, &total, &err);
    free(q.set.ids);
    if (rc < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    return jf_reply_json(r, 200, jf_result(items, total, q.filter.offset));
}

int jf_latest(jf_req *r)
{
    jf_query q;
    int ret;
    if (jf_query_read(r, &q, &ret) < 0) {
        free(q.set.ids);
        return ret;
    }
    int64_t limit = 16;
    jf_param_int(r, "Limit", 1, PAGE_MAX, &limit);
    q.filter.sort = CC_SORT_ADDED;
    q.filter.descending = 1;
    q.filter.offset = 0;
    q.filter.limit = limit;
    json_t *items;
    int64_t total;
    cu_err err = {0};
    int rc = run_query(r, &q, false, &items, &total, &err);
    free(q.set.ids);
    if (rc < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    return jf_reply_json(r, 200, items); /* a bare array, as Jellyfin answers */
}

/* Films by id in the given order (at most PAGE_MAX), as list items
 * (hidden ones skipped): one catalog page for all of them. */
int jf_items_in_order(jf_req *r, const int64_t *ids, size_t count, bool whole, json_t *out,
                      cu_err *err)
{
    if (count > PAGE_MAX)
        count = PAGE_MAX;
    int64_t *visible = calloc(count ? count : 1, sizeof *visible);
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (cs_door_film_visible(r->req, ids[i]))
            visible[n++] = ids[i];
    cc_film_page page = {0};
    int rc = 0;
    if (n) {
        cc_film_filter f = {.ids = visible, .id_count = n, .limit = PAGE_MAX};
        rc = cc_browse_films(r->db, &f, &page, err);
    }
    /* Back into the order asked for. */
    const cc_film_item **rows = calloc(n ? n : 1, sizeof *rows);
    size_t m = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t k = 0; k < page.count; k++)
            if (page.items[k].id == visible[i]) {
                rows[m++] = &page.items[k];
                break;
            }
    if (rc == 0)
        rc = append_rows(r, rows, m, whole, out, err);
    free(rows);
    free(visible);
    cc_browse_films_clear(&page);
    return rc < 0 ? CU_EDB : 0;
}

int jf_resume(jf_req *r)
{
    int64_t limit = 20, start = 0;
    jf_param_int(r, "Limit", 1, 500, &limit);
    jf_param_int(r, "StartIndex", 0, 500, &start);
    json_t *items = json_array();
    if (!jf_wants_movies(r))
        return jf_reply_json(r, 200, jf_result(items, 0, start));
    int64_t *ids = NULL;
    size_t count = 0;
    cu_err err = {0};
    if (cc_watch_continue(r->db, r->user_id, 500, &ids, &count, &err) < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    int rc = jf_items_in_order(r, ids, count, jf_wants_whole(r), items, &err);
    free(ids);
    if (rc < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    size_t total = json_array_size(items);
    json_t *page = json_array();
    for (size_t i = (size_t)start; i < total && i < (size_t)(start + limit); i++)
        json_array_append(page, json_array_get(items, i));
    json_decref(items);
    return jf_reply_json(r, 200, jf_result(page, (int64_t)total, start));
}

int jf_next_up(jf_req *r)
{
    /* Films have no next episode. */
    return jf_reply_json(r, 200, jf_result(json_array(), 0, 0));
}
