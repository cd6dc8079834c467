/* jf_items: browsing: the views (one movies collection per library
 * folder the user may see), /Items with its filters and sorts over the
 * catalog and its search, one item whole, latest, resume, similar,
 * special features, search hints, people, genres and filters. What a
 * restricted user may not see is absent here as in /api/v1. */
#include "jellyfin/jf_internal.h"
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

#define PAGE_MAX 500            /* cc_browse_films' largest page */

/* ---- sets of film ids ---- */

typedef struct idset {
    bool all;                   /* no restriction yet */
    int64_t *ids;               /* ascending */
    size_t count;
} idset;

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Keeps the ids of s that are also in ids (count of them; need not be sorted). */
static void narrow(idset *s, const int64_t *ids, size_t count)
{
    int64_t *sorted = malloc((count ? count : 1) * sizeof *sorted);
    memcpy(sorted, ids, count * sizeof *sorted);
    qsort(sorted, count, sizeof *sorted, cmp_id);
    if (s->all) {
        s->all = false;
        s->ids = sorted;
        s->count = count;
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < s->count; i++)
        if (cc_scope_has(sorted, count, s->ids[i]))
            s->ids[kept++] = s->ids[i];
    s->count = kept;
    free(sorted);
}

/* The library folders the user may see: paths (malloc'd) and count. */
static int visible_roots(jf_req *r, char ***out, size_t *count, cu_err *err)
{
    cc_root_info *roots = NULL;
    size_t n = 0;
    *out = NULL;
    *count = 0;
    if (cc_root_list(r->db, &roots, &n, err) < 0)
        return CU_EDB;
    cc_user u = {0};
    bool limited = false;
    if (r->user_id > 0 && !r->admin) {
        if (cc_user_get(r->db, r->user_id, &u, err) < 0) {
            cc_root_list_free(roots, n);
            return CU_EDB;
        }
        limited = !u.all_roots;
    }
    char **paths = calloc(n ? n : 1, sizeof *paths);
    for (size_t i = 0; i < n; i++)
        if (!limited || cc_scope_root_allowed(&u, roots[i].path))
            paths[(*count)++] = cu_xstrdup(roots[i].path);
    cc_user_clear(&u);
    cc_root_list_free(roots, n);
    *out = paths;
    return 0;
}

static void free_paths(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

/* The folder a view id names, among those the user sees (malloc'd), or NULL. */
static char *view_root(jf_req *r, const char *id)
{
    int64_t h;
    if (jf_id_of(id, JF_ID_VIEW, &h) < 0)
        return NULL;
    char **paths;
    size_t n;
    cu_err err = {0};
    if (visible_roots(r, &paths, &n, &err) < 0)
        return NULL;
    char *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if ((int64_t)jf_id_hash(paths[i]) == h)
            found = cu_xstrdup(paths[i]);
    free_paths(paths, n);
    return found;
}

static int root_films(jf_req *r, const char *root, int64_t **ids, size_t *count, cu_err *err)
{
    return cc_scope_root_film_ids(r->db, root, ids, count, err);
}

/* Starts a set with what the user may see. */
static void visible_set(jf_req *r, idset *s)
{
    *s = (idset){.all = true};
    bool restricted;
    size_t n;
    const int64_t *v = cs_door_visible(r->req, &n, &restricted);
    if (restricted)
        narrow(s, v, n);
}

/* ---- views ---- */

static json_t *view_dto(jf_req *r, const char *root, int64_t count)
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
                     (json_int_t)0, "PlayCount", (json_int_t)0, "IsFavorite", 0, "Played", 0,
                     "Key", vid, "ItemId", vid);
}

int jf_views(jf_req *r)
{
    char **paths;
    size_t n;
    cu_err err = {0};
    if (visible_roots(r, &paths, &n, &err) < 0)
        return jf_reply_catalog(r, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        idset s;
        visible_set(r, &s);
        int64_t *ids = NULL;
        size_t count = 0;
        if (root_films(r, paths[i], &ids, &count, &err) < 0) {
            free(s.ids);
            free_paths(paths, n);
            json_decref(items);
            return jf_reply_catalog(r, &err);
        }
        narrow(&s, ids, count);
        free(ids);
        json_array_append_new(items, view_dto(r, paths[i], (int64_t)s.count));
        free(s.ids);
    }
    free_paths(paths, n);
    size_t total = json_array_size(items);
    return jf_reply_json(r, 200, jf_result(items, (int64_t)total, 0));
}

/* ---- lists ---- */

/* Whether IncludeItemTypes (when given) asks for films; ExcludeItemTypes
 * may rule them out. */
static bool wants_movies(jf_req *r)
{
    const char *inc = jf_param(r, "IncludeItemTypes");
    if (inc && *inc && !jf_param_has(r, "IncludeItemTypes", "Movie"))
        return false;
    return !jf_param_has(r, "ExcludeItemTypes", "Movie");
}

/* Whether Fields asks for what only the whole record has. */
static bool wants_whole(jf_req *r)
{
    static const char *const whole[] = {"Overview", "People", "MediaSources", "MediaStreams",
                                        "Studios", "Taglines", "ProviderIds", "Chapters"};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        if (jf_param_has(r, "Fields", whole[i]))
            return true;
    return false;
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

/* The first value of a list parameter ("a|b" or "a,b"), into out. */
static const char *first_value(jf_req *r, const char *name, char *out, size_t size)
{
    const char *v = jf_param(r, name);
    if (!v || !*v)
        return NULL;
    size_t n = strcspn(v, "|,");
    if (n >= size)
        n = size - 1;
    memcpy(out, v, n);
    out[n] = '\0';
    return out;
}

typedef struct query {
    idset set;
    cc_film_filter filter;
    char genre[256];
    bool empty;
} query;

static int genre_list(jf_req *r, cc_count_list *list, cu_err *err);

/* The genre a genre id names (its name's hash), into out; false when none. */
static bool genre_named(jf_req *r, const char *id, char *out, size_t size)
{
    int64_t h;
    if (jf_id_of(id, JF_ID_GENRE, &h) < 0)
        return false;
    cc_count_list list = {0};
    cu_err err = {0};
    bool found = false;
    if (genre_list(r, &list, &err) == 0)
        for (size_t i = 0; i < list.count && !found; i++)
            if ((int64_t)jf_id_hash(list.items[i].name) == h) {
                cu_strlcpy(out, list.items[i].name, size);
                found = true;
            }
    cc_browse_counts_clear(&list);
    return found;
}

/* A list parameter (name) of values of field: one value narrows the
 * catalog's own filter where it has one, several the set of films to
 * those having any of them. Ids that are not of the right kind match
 * nothing. 0, or a 400 queued into *ret. */
static int any_of(jf_req *r, query *q, const char *name, const char *seps,
                  cc_match_field field, int *ret)
{
    char (*values)[JF_VALUE_MAX] = calloc(JF_VALUES_MAX, sizeof *values);
    int n = jf_param_list(r, name, seps, values, JF_VALUES_MAX);
    const char *keep[JF_VALUES_MAX];
    size_t kept = 0;
    int rc = 0;
    if (n < 0) {
        *ret = jf_reply_error(r, 400, "too many values in a list parameter");
        rc = -1;
        goto done;
    }
    for (int i = 0; i < n; i++) {
        int64_t id;
        if (field == CC_MATCH_PERSON) { /* a GUID to the catalog's number */
            if (jf_id_of(values[i], JF_ID_PERSON, &id) < 0)
                continue;
            snprintf(values[i], JF_VALUE_MAX, "%lld", (long long)id);
        } else if (!strcmp(name, "GenreIds")) {
            char genre[JF_VALUE_MAX];
            if (!genre_named(r, values[i], genre, sizeof genre))
                continue;
            memcpy(values[i], genre, sizeof genre);
        } else if (field == CC_MATCH_YEAR) {
            char *end;
            long y = strtol(values[i], &end, 10);
            if (*end || y < 1 || y > 9999) {
                *ret = jf_reply_error(r, 400, "Years are numbers");
                rc = -1;
                goto done;
            }
        }
        keep[kept++] = values[i];
    }
    if (n == 0)
        goto done;
    if (kept == 0) {
        q->empty = true; /* only ids of nothing we have */
    } else if (kept == 1 && field == CC_MATCH_GENRE && !q->filter.genre) {
        cu_strlcpy(q->genre, keep[0], sizeof q->genre);
        q->filter.genre = q->genre;
    } else if (kept == 1 && field == CC_MATCH_YEAR && !q->filter.year) {
        q->filter.year = atoi(keep[0]);
    } else if (kept == 1 && field == CC_MATCH_PERSON && !q->filter.person_id) {
        q->filter.person_id = atoll(keep[0]);
    } else {
        int64_t *ids = NULL;
        size_t count = 0;
        cu_err err = {0};
        if (cc_match_any(r->db, field, keep, kept, &ids, &count, &err) < 0) {
            *ret = jf_reply_catalog(r, &err);
            rc = -1;
            goto done;
        }
        narrow(&q->set, ids, count);
        free(ids);
    }
done:
    free(values);
    return rc;
}

/* Reads /Items' parameters into q. 0, or a 400 queued into *ret. */
static int read_query(jf_req *r, query *q, int *ret)
{
    memset(q, 0, sizeof *q);
    visible_set(r, &q->set);
    cu_err err = {0};
    if (!wants_movies(r))
        q->empty = true;
    int64_t start = 0, limit = PAGE_MAX;
    if (jf_param_int(r, "StartIndex", 0, INT32_MAX, &start) < 0 ||
        jf_param_int(r, "Limit", 0, INT32_MAX, &limit) < 0) {
        *ret = jf_reply_error(r, 400, "StartIndex and Limit are numbers");
        return -1;
    }
    q->filter.offset = start;
    q->filter.limit = limit > PAGE_MAX ? PAGE_MAX : limit;
    if (limit == 0)
        q->empty = true;
    const char *parent = jf_param(r, "ParentId");
    if (parent && *parent) {
        char *root = view_root(r, parent);
        if (!root) {
            q->empty = true; /* a film, an unknown or hidden folder: no children */
        } else {
            int64_t *ids = NULL;
            size_t count = 0;
            int rc = root_films(r, root, &ids, &count, &err);
            free(root);
            if (rc < 0) {
                *ret = jf_reply_catalog(r, &err);
                return -1;
            }
            narrow(&q->set, ids, count);
            free(ids);
        }
    }
    const char *term = jf_param(r, "SearchTerm");
    if (term && *term) {
        int64_t *ids = NULL;
        size_t count = 0;
        if (cc_search_query_film_ids(r->db, term, 10000, &ids, &count, &err) < 0) {
            *ret = jf_reply_catalog(r, &err);
            return -1;
        }
        narrow(&q->set, ids, count);
        free(ids);
    }
    /* Lists mean any of their values, as in Jellyfin; different
     * parameters all apply. */
    static const struct {
        const char *name, *seps;
        cc_match_field field;
    } lists[] = {
        {"Genres", "|", CC_MATCH_GENRE},        {"GenreIds", ",|", CC_MATCH_GENRE},
        {"Years", ",|", CC_MATCH_YEAR},         {"PersonIds", ",|", CC_MATCH_PERSON},
        {"Studios", "|", CC_MATCH_STUDIO},      {"Tags", "|", CC_MATCH_TAG},
        {"OfficialRatings", "|", CC_MATCH_RATING},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (any_of(r, q, lists[i].name, lists[i].seps, lists[i].field, ret) < 0)
            return -1;
    q->filter.watch_user = r->user_id;
    const char *played = jf_param(r, "IsPlayed");
    if (jf_param_has(r, "Filters", "IsPlayed") || (played && !strcasecmp(played, "true")))
        q->filter.watched = 1;
    if (jf_param_has(r, "Filters", "IsUnplayed") || (played && !strcasecmp(played, "false")))
        q->filter.watched = -1;
    const char *fav = jf_param(r, "IsFavorite");
    if (jf_param_has(r, "Filters", "IsFavorite") || (fav && !strcasecmp(fav, "true"))) {
        int64_t *ids = NULL;
        size_t count = 0;
        if (cc_favorite_list(r->db, r->user_id, &ids, &count, &err) < 0) {
            *ret = jf_reply_catalog(r, &err);
            return -1;
        }
        narrow(&q->set, ids, count);
        free(ids);
    }
    if (jf_param_has(r, "Filters", "IsResumable")) {
        int64_t *ids = NULL;
        size_t count = 0;
        if (cc_watch_continue(r->db, r->user_id, 500, &ids, &count, &err) < 0) {
            *ret = jf_reply_catalog(r, &err);
            return -1;
        }
        narrow(&q->set, ids, count);
        free(ids);
    }
    char sort[64] = "SortName";
    first_value(r, "SortBy", sort, sizeof sort);
    if (!strcasecmp(sort, "PremiereDate") || !strcasecmp(sort, "ProductionYear"))
        q->filter.sort = CC_SORT_YEAR;
    else if (!strcasecmp(sort, "DateCreated") || !strcasecmp(sort, "DateLastContentAdded"))
        q->filter.sort = CC_SORT_ADDED;
    else if (!strcasecmp(sort, "Runtime"))
        q->filter.sort = CC_SORT_RUNTIME;
    else if (!strcasecmp(sort, "Random")) {
        q->filter.sort = CC_SORT_RANDOM;
        q->filter.random_seed = arc4random();
    } else if (!strcasecmp(sort, "PlayCount"))
        q->filter.sort = CC_SORT_PLAYS;
    else
        q->filter.sort = CC_SORT_TITLE;
    const char *order = jf_param(r, "SortOrder");
    q->filter.descending = order && !strncasecmp(order, "Descending", 10);
    if (!q->set.all && q->set.count == 0)
        q->empty = true;
    if (!q->set.all) {
        q->filter.ids = q->set.ids;
        q->filter.id_count = q->set.count;
    }
    return 0;
}

/* Runs q: a page of films as items (into *items) and the total. */
static int run_query(jf_req *r, query *q, bool whole, json_t **items, int64_t *total,
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
    char (*ids)[JF_VALUE_MAX] = calloc(JF_VALUES_MAX, sizeof *ids);
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
    query q;
    int ret;
    if (read_query(r, &q, &ret) < 0) {
        free(q.set.ids);
        return ret;
    }
    /* A client opening a view without Recursive asks for its children:
     * a view's children are its films, so both answers are the same. */
    json_t *items;
    int64_t total;
    cu_err err = {0};
    int rc = run_query(r, &q, wants_whole(r), &items, &total, &err);
    free(q.set.ids);
    if (rc < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    return jf_reply_json(r, 200, jf_result(items, total, q.filter.offset));
}

int jf_latest(jf_req *r)
{
    query q;
    int ret;
    if (read_query(r, &q, &ret) < 0) {
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
static int items_in_order(jf_req *r, const int64_t *ids, size_t count, bool whole, json_t *out,
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
    if (!wants_movies(r))
        return jf_reply_json(r, 200, jf_result(items, 0, start));
    int64_t *ids = NULL;
    size_t count = 0;
    cu_err err = {0};
    if (cc_watch_continue(r->db, r->user_id, 500, &ids, &count, &err) < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    int rc = items_in_order(r, ids, count, wants_whole(r), items, &err);
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
    char *root = view_root(r, id);
    if (root) {
        idset s;
        visible_set(r, &s);
        int64_t *ids = NULL;
        size_t count = 0;
        cu_err err = {0};
        int rc = root_films(r, root, &ids, &count, &err);
        if (rc == 0)
            narrow(&s, ids, count);
        free(ids);
        json_t *v = view_dto(r, root, (int64_t)s.count);
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
        if (cc_facet_person_ids(r->db, film->credits[i].person_id, NULL, 200, &ids, &count,
                                &err) == 0)
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
    int rc = items_in_order(r, ordered, m, false, items, &err);
    free(ordered);
    if (rc < 0) {
        json_decref(items);
        return jf_reply_catalog(r, &err);
    }
    size_t total = json_array_size(items);
    return jf_reply_json(r, 200, jf_result(items, (int64_t)total, 0));
}

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
    bool movies = wants_movies(r);
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
    cu_arena_free(arena);
    for (size_t i = 0; people && i < res.person_count; i++) {
        bool visible = true;
        if (restricted &&
            cc_scope_person_visible(r->db, res.people[i].id, v, vn, &visible, &err) < 0)
            visible = false;
        if (!visible)
            continue;
        char id[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_PERSON, (uint64_t)res.people[i].id, id);
        json_array_append_new(hints, json_pack("{s:s, s:s, s:s, s:s, s:b}", "ItemId", id, "Id",
                                               id, "Name", res.people[i].name, "Type", "Person",
                                               "IsFolder", 0));
    }
    cc_search_query_clear(&res);
    size_t total = json_array_size(hints);
    return jf_reply_json(r, 200, json_pack("{s:o, s:I}", "SearchHints", hints,
                                           "TotalRecordCount", (json_int_t)total));
}

static json_t *person_dto(jf_req *r, int64_t id, const char *name)
{
    char pid[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_PERSON, (uint64_t)id, pid);
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:{}, s:s}", "Name", name, "ServerId",
                     r->server_id, "Id", pid, "Type", "Person", "IsFolder", 0, "ImageTags",
                     "LocationType", "FileSystem");
}

int jf_persons(jf_req *r)
{
    const char *term = jf_param(r, "SearchTerm");
    int64_t limit = 100, start = 0;
    jf_param_int(r, "Limit", 1, 1000, &limit);
    jf_param_int(r, "StartIndex", 0, INT32_MAX, &start);
    bool restricted;
    size_t vn;
    const int64_t *v = cs_door_visible(r->req, &vn, &restricted);
    json_t *all = json_array();
    cu_err err = {0};
    if (term && *term) {
        cc_search_result res = {0};
        if (cc_search_query(r->db, term, 200, &res, &err) < 0) {
            cc_search_query_clear(&res);
            json_decref(all);
            return jf_reply_catalog(r, &err);
        }
        for (size_t i = 0; i < res.person_count; i++) {
            bool visible = true;
            if (restricted)
                cc_scope_person_visible(r->db, res.people[i].id, v, vn, &visible, &err);
            if (visible)
                json_array_append_new(all, person_dto(r, res.people[i].id, res.people[i].name));
        }
        cc_search_query_clear(&res);
    } else {
        const char *jobs[] = {"director", "actor"};
        for (size_t j = 0; j < 2; j++) {
            cc_facet_person_list list = {0};
            if (cc_facet_people(r->db, jobs[j], &list, &err) < 0) {
                json_decref(all);
                return jf_reply_catalog(r, &err);
            }
            for (size_t i = 0; i < list.count; i++) {
                bool visible = true;
                if (restricted)
                    cc_scope_person_visible(r->db, list.items[i].id, v, vn, &visible, &err);
                if (visible)
                    json_array_append_new(all,
                                          person_dto(r, list.items[i].id, list.items[i].name));
            }
            cc_facet_person_list_clear(&list);
        }
    }
    size_t total = json_array_size(all);
    json_t *page = json_array();
    for (size_t i = (size_t)start; i < total && i < (size_t)(start + limit); i++)
        json_array_append(page, json_array_get(all, i));
    json_decref(all);
    return jf_reply_json(r, 200, jf_result(page, (int64_t)total, start));
}

static int genre_list(jf_req *r, cc_count_list *list, cu_err *err)
{
    bool restricted;
    size_t vn;
    const int64_t *v = cs_door_visible(r->req, &vn, &restricted);
    return restricted ? cc_scope_genre_list(r->db, v, vn, list, err)
                      : cc_browse_genres(r->db, list, err);
}

/* The films a menu counts over: the user's, in ParentId's folder when
 * given (*s; *none when nothing can be under it). 0, or CU_EDB. */
static int menu_films(jf_req *r, idset *s, bool *none, cu_err *err)
{
    visible_set(r, s);
    *none = !wants_movies(r);
    const char *parent = jf_param(r, "ParentId");
    if (*none || !parent || !*parent)
        return 0;
    char *root = view_root(r, parent);
    if (!root) {
        *none = true; /* a film, an unknown or hidden folder: nothing under it */
        return 0;
    }
    int64_t *ids = NULL;
    size_t count = 0;
    int rc = root_films(r, root, &ids, &count, err);
    free(root);
    if (rc == 0)
        narrow(s, ids, count);
    free(ids);
    return rc < 0 ? CU_EDB : 0;
}

int jf_genres(jf_req *r)
{
    cc_count_list list = {0};
    cu_err err = {0};
    idset s;
    bool none;
    int rc = menu_films(r, &s, &none, &err);
    if (rc == 0 && !none)
        rc = cc_scope_facet_list(r->db, CC_FACET_GENRE, s.all ? NULL : s.ids, s.count, &list,
                                 &err);
    free(s.ids);
    if (rc < 0)
        return jf_reply_catalog(r, &err);
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++) {
        char gid[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_GENRE, jf_id_hash(list.items[i].name), gid);
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:{}}", "Name",
                                        list.items[i].name, "ServerId", r->server_id, "Id", gid,
                                        "Type", "Genre", "IsFolder", 1, "MovieCount",
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
    idset s;
    bool none;
    cu_err err = {0};
    if (menu_films(r, &s, &none, &err) < 0) {
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
            json_array_append_new(g, json_pack("{s:s, s:s}", "Name", lists[0].items[i].name,
                                               "Id", gid));
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
