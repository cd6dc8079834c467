/* jf_menus: search hints, people, and the filter menus (genres, years,
 * tags, certifications), counted over what the user may see. What a
 * restricted user may not see is absent here as in /api/v1. */
#include "jellyfin/jf_items_internal.h"
#include "catalog/cc_browse.h"
#include "catalog/cc_facet.h"
#include "catalog/cc_favorite.h"
#include "catalog/cc_match.h"
#include "catalog/cc_page.h"
#include "catalog/cc_person.h"
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

/* ---- search, people, genres, filters ---- */

int jf_search_hints(jf_req *r)
{
    const char *term = jf_param(r, "SearchTerm");
    int64_t limit = 20;
    jf_param_int(r, "Limit", 1, 200, &limit);
    json_t *hints = json_array();
    cc_search_result res = {0};
    cu_err err = {0};
    if (term && *term && cc_search_query(r->db, term, (int)limit, &res, &err) < 0) {
        cc_search_query_clear(&res);
        json_decref(hints);
        return jf_reply_catalog(r, &err);
    }
    bool movies = jf_wants_movies(r);
    bool people = !jf_param(r, "IncludeItemTypes") || jf_param_has(r, "IncludeItemTypes", "Person");
    bool restricted;
    size_t vn;
    const int64_t *v = cs_door_visible(r->req, &vn, &restricted);
    /* The posters of all films found, in one catalog statement. */
    cu_arena *arena = cu_arena_new();
    size_t nf = res.film_count < CC_PAGE_MAX ? res.film_count : CC_PAGE_MAX;
    int64_t *fids = cu_arena_array(arena, nf ? nf : 1, sizeof *fids);
    char **posters = cu_arena_array(arena, nf ? nf : 1, sizeof *posters);
    char **backdrops = cu_arena_array(arena, nf ? nf : 1, sizeof *backdrops);
    for (size_t i = 0; i < nf; i++)
        fids[i] = res.films[i].id;
    if (movies && cc_page_artwork(r->db, arena, fids, nf, posters, backdrops, &err) < 0) {
        cu_arena_free(arena);
        cc_search_query_clear(&res);
        json_decref(hints);
        return jf_reply_catalog(r, &err);
    }
    for (size_t i = 0; movies && i < nf; i++) {
        const cc_search_film *f = &res.films[i];
        if (!cs_door_film_visible(r->req, f->id))
            continue;
        char id[JF_ID_CHARS + 1], tag[17];
        jf_id_make(JF_ID_FILM, (uint64_t)f->id, id);
        json_t *h = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "ItemId", id, "Id", id, "Name",
                              f->title, "Type", "Movie", "MediaType", "Video", "IsFolder", 0);
        if (f->year)
            json_object_set_new(h, "ProductionYear", json_integer(f->year));
        if (posters[i]) {
            jf_image_tag_of(posters[i], tag);
            json_object_set_new(h, "PrimaryImageTag", json_string(tag));
        }
        json_array_append_new(hints, h);
    }
    for (size_t i = 0; people && i < res.person_count; i++) {
        bool visible = true;
        if (restricted &&
            cc_scope_person_visible(r->db, res.people[i].id, v, vn, &visible, &err) < 0)
            visible = false;
        if (!visible)
            continue;
        char id[JF_ID_CHARS + 1], tag[17];
        jf_id_make(JF_ID_PERSON, (uint64_t)res.people[i].id, id);
        json_t *h = json_pack("{s:s, s:s, s:s, s:s, s:b}", "ItemId", id, "Id", id, "Name",
                              res.people[i].name, "Type", "Person", "IsFolder", 0);
        char *thumb = NULL;
        if (cc_person_thumbs(r->db, arena, &res.people[i].id, 1, &thumb, &err) == 0 &&
            jf_person_image_tag(thumb, tag))
            json_object_set_new(h, "PrimaryImageTag", json_string(tag));
        json_array_append_new(hints, h);
    }
    cu_arena_free(arena);
    cc_search_query_clear(&res);
    size_t total = json_array_size(hints);
    return jf_reply_json(
        r, 200,
        json_pack("{s:o, s:I}", "SearchHints", hints, "TotalRecordCount", (json_int_t)total));
}

/* A person as an item: with the photo's tag when the catalog has one on
 * disk (served by /Items/{id}/Images/Primary, jf_person_image.c). */
static json_t *person_dto(jf_req *r, int64_t id, const char *name, const char *thumb)
{
    char pid[JF_ID_CHARS + 1], tag[17];
    jf_id_make(JF_ID_PERSON, (uint64_t)id, pid);
    json_t *tags = json_object();
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:s}", "Name", name, "ServerId",
                          r->server_id, "Id", pid, "Type", "Person", "IsFolder", 0, "ImageTags",
                          tags, "LocationType", "FileSystem");
    if (jf_person_image_tag(thumb, tag)) /* (PrimaryImageTag is a BaseItemPerson's, not here) */
        json_object_set_new(tags, "Primary", json_string(tag));
    return o;
}

/* One person found, before the page is cut. */
typedef struct person_row {
    int64_t id;
    const char *name; /* borrowed from the list it came from */
} person_row;

int jf_persons(jf_req *r)
{
    const char *term = jf_param(r, "SearchTerm");
    int64_t limit = 100, start = 0;
    jf_param_int(r, "Limit", 1, 1000, &limit);
    jf_param_int(r, "StartIndex", 0, INT32_MAX, &start);
    bool restricted;
    size_t vn;
    const int64_t *v = cs_door_visible(r->req, &vn, &restricted);
    cu_err err = {0};
    cc_search_result res = {0};
    cc_facet_person_list lists[2] = {{0}};
    person_row *rows = NULL;
    size_t total = 0;
    int rc = 0;
    /* Everyone the user may see first (the total counts them all), then
     * the page's photos only. */
    if (term && *term) {
        rc = cc_search_query(r->db, term, 200, &res, &err);
        rows = cu_xreallocarray(NULL, res.person_count ? res.person_count : 1, sizeof *rows);
        for (size_t i = 0; rc == 0 && i < res.person_count; i++) {
            bool visible = true;
            if (restricted)
                cc_scope_person_visible(r->db, res.people[i].id, v, vn, &visible, &err);
            if (visible)
                rows[total++] = (person_row){res.people[i].id, res.people[i].name};
        }
    } else {
        const char *jobs[] = {"director", "actor"};
        for (size_t j = 0; j < 2 && rc == 0; j++) {
            rc = cc_facet_people(r->db, jobs[j], &lists[j], &err);
            if (rc < 0)
                break;
            rows = cu_xreallocarray(rows, total + lists[j].count + 1, sizeof *rows);
            for (size_t i = 0; i < lists[j].count; i++) {
                bool visible = true;
                if (restricted)
                    cc_scope_person_visible(r->db, lists[j].items[i].id, v, vn, &visible, &err);
                if (visible)
                    rows[total++] = (person_row){lists[j].items[i].id, lists[j].items[i].name};
            }
        }
    }
    json_t *page = json_array();
    size_t from = (size_t)start < total ? (size_t)start : total;
    size_t n = total - from < (size_t)limit ? total - from : (size_t)limit;
    cu_arena *arena = cu_arena_new();
    int64_t *ids = cu_arena_array(arena, n ? n : 1, sizeof *ids);
    char **thumbs = cu_arena_array(arena, n ? n : 1, sizeof *thumbs);
    for (size_t i = 0; i < n; i++)
        ids[i] = rows[from + i].id;
    if (rc == 0)
        rc = cc_person_thumbs(r->db, arena, ids, n, thumbs, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        json_array_append_new(page, person_dto(r, ids[i], rows[from + i].name, thumbs[i]));
    cu_arena_free(arena);
    free(rows);
    cc_search_query_clear(&res);
    cc_facet_person_list_clear(&lists[0]);
    cc_facet_person_list_clear(&lists[1]);
    if (rc < 0) {
        json_decref(page);
        return jf_reply_catalog(r, &err);
    }
    return jf_reply_json(r, 200, jf_result(page, (int64_t)total, start));
}

int jf_genres(jf_req *r)
{
    cc_count_list list = {0};
    cu_err err = {0};
    jf_idset s;
    bool none;
    int rc = jf_menu_films(r, &s, &none, &err);
    if (rc == 0 && !none)
        rc = cc_scope_facet_list(r->db, CC_FACET_GENRE, s.all ? NULL : s.ids, s.count, &list, &err);
    free(s.ids);
    if (rc < 0)
        return jf_reply_catalog(r, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++) {
        char gid[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_GENRE, jf_id_hash(list.items[i].name), gid);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:{}}", "Name",
                                               list.items[i].name, "ServerId", r->server_id, "Id",
                                               gid, "Type", "Genre", "IsFolder", 1, "MovieCount",
                                               (json_int_t)list.items[i].count, "ImageTags"));
    }
    cc_browse_counts_clear(&list);
    size_t total = json_array_size(items);
    return jf_reply_json(r, 200, jf_result(items, (int64_t)total, 0));
}

/* /Items/Filters and /Items/Filters2: what a filter menu offers, counted
 * over the films the user may see (in ParentId's folder when given), so
 * that a restricted user's menu is what it would be if the films hidden
 * from them did not exist. */
int jf_filters(jf_req *r)
{
    jf_idset s;
    bool none;
    cu_err err = {0};
    if (jf_menu_films(r, &s, &none, &err) < 0) {
        free(s.ids);
        return jf_reply_catalog(r, &err);
    }
    const int64_t *ids = s.all ? NULL : s.ids; /* NULL: every film */
    static const cc_scope_facet kinds[] = {CC_FACET_GENRE, CC_FACET_TAG, CC_FACET_RATING,
                                           CC_FACET_YEAR};
    cc_count_list lists[4] = {{0}};
    for (size_t k = 0; k < 4 && !none; k++)
        if (cc_scope_facet_list(r->db, kinds[k], ids, s.count, &lists[k], &err) < 0) {
            for (size_t j = 0; j < 4; j++)
                cc_browse_counts_clear(&lists[j]);
            free(s.ids);
            return jf_reply_catalog(r, &err);
        }
    free(s.ids);
    json_t *out = json_object();
    if (!strcmp(r->seg[1], "filters2")) {
        json_t *g = json_array();
        for (size_t i = 0; i < lists[0].count; i++) {
            char gid[JF_ID_CHARS + 1];
            jf_id_make(JF_ID_GENRE, jf_id_hash(lists[0].items[i].name), gid);
            json_array_append_new(
                g, json_pack("{s:s, s:s}", "Name", lists[0].items[i].name, "Id", gid));
        }
        json_object_set_new(out, "Genres", g);
        json_t *t = json_array();
        for (size_t i = 0; i < lists[1].count; i++)
            json_array_append_new(t, json_string(lists[1].items[i].name));
        json_object_set_new(out, "Tags", t);
    } else {
        static const char *const names[] = {"Genres", "Tags", "OfficialRatings", "Years"};
        for (size_t k = 0; k < 4; k++) {
            json_t *a = json_array();
            for (size_t i = 0; i < lists[k].count; i++)
                json_array_append_new(a, k == 3 ? json_integer(atoi(lists[k].items[i].name))
                                                : json_string(lists[k].items[i].name));
            json_object_set_new(out, names[k], a);
        }
    }
    for (size_t k = 0; k < 4; k++)
        cc_browse_counts_clear(&lists[k]);
    return jf_reply_json(r, 200, out);
}
