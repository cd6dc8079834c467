/* jf_query: /Items' parameters read into a catalog filter and a set of
 * film ids: what the user may see, narrowed by folder (ParentId), search,
 * lists of genres, years, people..., watch state and favourites. */
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

/* ---- sets of film ids ---- */

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Keeps the ids of s that are also in ids (count of them; need not be sorted). */
void jf_set_narrow(jf_idset *s, const int64_t *ids, size_t count)
{
    int64_t *sorted = malloc((count ? count : 1) * sizeof *sorted);
    if (count)
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
int jf_visible_roots(jf_req *r, char ***out, size_t *count, cu_err *err)
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

void jf_paths_free(char **paths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    free(paths);
}

/* The folder a view id names, among those the user sees (malloc'd), or NULL. */
char *jf_view_root(jf_req *r, const char *id)
{
    int64_t h;
    if (jf_id_of(id, JF_ID_VIEW, &h) < 0)
        return NULL;
    char **paths;
    size_t n;
    cu_err err = {0};
    if (jf_visible_roots(r, &paths, &n, &err) < 0)
        return NULL;
    char *found = NULL;
    for (size_t i = 0; i < n && !found; i++)
        if ((int64_t)jf_id_hash(paths[i]) == h)
            found = cu_xstrdup(paths[i]);
    jf_paths_free(paths, n);
    return found;
}

int jf_root_films(jf_req *r, const char *root, int64_t **ids, size_t *count, cu_err *err)
{
    return cc_scope_root_film_ids(r->db, root, ids, count, err);
}

/* Starts a set with what the user may see. */
void jf_set_visible(jf_req *r, jf_idset *s)
{
    *s = (jf_idset){.all = true};
    bool restricted;
    size_t n;
    const int64_t *v = cs_door_visible(r->req, &n, &restricted);
    if (restricted)
        jf_set_narrow(s, v, n);
}

/* ---- lists ---- */

/* Whether IncludeItemTypes (when given) asks for films; ExcludeItemTypes
 * may rule them out. */
bool jf_wants_movies(jf_req *r)
{
    const char *inc = jf_param(r, "IncludeItemTypes");
    if (inc && *inc && !jf_param_has(r, "IncludeItemTypes", "Movie"))
        return false;
    return !jf_param_has(r, "ExcludeItemTypes", "Movie");
}

/* Whether Fields asks for what only the whole record has. */
bool jf_wants_whole(jf_req *r)
{
    static const char *const whole[] = {"Overview", "People",   "MediaSources", "MediaStreams",
                                        "Studios",  "Taglines", "ProviderIds",  "Chapters"};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        if (jf_param_has(r, "Fields", whole[i]))
            return true;
    return false;
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

/* The genre a genre id names (its name's hash), into out; false when none. */
static bool genre_named(jf_req *r, const char *id, char *out, size_t size)
{
    int64_t h;
    if (jf_id_of(id, JF_ID_GENRE, &h) < 0)
        return false;
    cc_count_list list = {0};
    cu_err err = {0};
    bool found = false;
    if (jf_genre_list(r, &list, &err) == 0)
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
static int any_of(jf_req *r, jf_query *q, const char *name, const char *seps, cc_match_field field,
                  int *ret)
{
    char(*values)[JF_VALUE_MAX] = calloc(JF_VALUES_MAX, sizeof *values);
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
        jf_set_narrow(&q->set, ids, count);
        free(ids);
    }
done:
    free(values);
    return rc;
}

/* Reads /Items' parameters into q. 0, or a 400 queued into *ret. */
int jf_query_read(jf_req *r, jf_query *q, int *ret)
{
    memset(q, 0, sizeof *q);
    jf_set_visible(r, &q->set);
    cu_err err = {0};
    if (!jf_wants_movies(r))
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
        char *root = jf_view_root(r, parent);
        if (!root) {
            q->empty = true; /* a film, an unknown or hidden folder: no children */
        } else {
            int64_t *ids = NULL;
            size_t count = 0;
            int rc = jf_root_films(r, root, &ids, &count, &err);
            free(root);
            if (rc < 0) {
                *ret = jf_reply_catalog(r, &err);
                return -1;
            }
            jf_set_narrow(&q->set, ids, count);
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
        jf_set_narrow(&q->set, ids, count);
        free(ids);
    }
    /* Lists mean any of their values, as in Jellyfin; different
     * parameters all apply. */
    static const struct {
        const char *name, *seps;
        cc_match_field field;
    } lists[] = {
        {"Genres", "|", CC_MATCH_GENRE},
        {"GenreIds", ",|", CC_MATCH_GENRE},
        {"Years", ",|", CC_MATCH_YEAR},
        {"PersonIds", ",|", CC_MATCH_PERSON},
        {"Studios", "|", CC_MATCH_STUDIO},
        {"Tags", "|", CC_MATCH_TAG},
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
        jf_set_narrow(&q->set, ids, count);
        free(ids);
    }
    if (jf_param_has(r, "Filters", "IsResumable")) {
        int64_t *ids = NULL;
        size_t count = 0;
        if (cc_watch_continue(r->db, r->user_id, 500, &ids, &count, &err) < 0) {
            *ret = jf_reply_catalog(r, &err);
            return -1;
        }
        jf_set_narrow(&q->set, ids, count);
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

int jf_genre_list(jf_req *r, cc_count_list *list, cu_err *err)
{
    bool restricted;
    size_t vn;
    const int64_t *v = cs_door_visible(r->req, &vn, &restricted);
    return restricted ? cc_scope_genre_list(r->db, v, vn, list, err)
                      : cc_browse_genres(r->db, list, err);
}

/* The films a menu counts over: the user's, in ParentId's folder when
 * given (*s; *none when nothing can be under it). 0, or CU_EDB. */
int jf_menu_films(jf_req *r, jf_idset *s, bool *none, cu_err *err)
{
    jf_set_visible(r, s);
    *none = !jf_wants_movies(r);
    const char *parent = jf_param(r, "ParentId");
    if (*none || !parent || !*parent)
        return 0;
    char *root = jf_view_root(r, parent);
    if (!root) {
        *none = true; /* a film, an unknown or hidden folder: nothing under it */
        return 0;
    }
    int64_t *ids = NULL;
    size_t count = 0;
    int rc = jf_root_films(r, root, &ids, &count, err);
    free(root);
    if (rc == 0)
        jf_set_narrow(s, ids, count);
    free(ids);
    return rc < 0 ? CU_EDB : 0;
}
