/* dl_tree: the ContentDirectory tree over the catalog (see dl_internal.h
 * for the object ids) and Browse's two flavours. */
#include "catalog/cc_browse.h"
#include "catalog/cc_facet.h"
#include "catalog/cc_person.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_watch.h"
#include "dlna/dl_didl.h"
#include "dlna/dl_internal.h"
#include "dlna/dl_view.h"
#include "util/cu_str.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RECENT_MAX 50
#define CONTINUE_MAX 100
#define GROUP_IDS_MAX 100000

static const struct {
    const char *id, *title;
} films_folders[] = {
    {"films/all", "All films"},        {"films/letter", "By title"},
    {"films/year", "By year"},         {"films/genre", "By genre"},
    {"films/director", "By director"}, {"films/festival", "By festival"},
};
#define FILMS_FOLDERS (sizeof films_folders / sizeof *films_folders)

static const struct {
    const char *id, *title;
} root_folders[] = {
    {"films", "Films"}, {"recent", "Recently added"}, {"continue", "Continue watching"}};
#define ROOT_FOLDERS (sizeof root_folders / sizeof *root_folders)

int64_t dl_parse_id(const char *s, const char **rest)
{
    int64_t v = 0;
    size_t n = 0;
    if (s[0] < '1' || s[0] > '9')
        return -1;
    while (s[n] >= '0' && s[n] <= '9') {
        if (++n > 18)
            return -1;
        v = v * 10 + (s[n - 1] - '0');
    }
    *rest = s + n;
    return v;
}

/* Sort: the first key of SortCriteria we know ("+dc:title", "-dc:date");
 * 0 or 709 for a key we cannot sort by. */
int dl_tree_parse_sort(const char *sort, cc_sort *key, int *descending)
{
    if (!sort || !*sort)
        return 0;
    char first[64];
    size_t n = strcspn(sort, ",");
    if (n >= sizeof first)
        return 709;
    memcpy(first, sort, n);
    first[n] = '\0';
    char *f = cu_str_trim(first);
    int desc = 0;
    if (*f == '+' || *f == '-') {
        desc = *f == '-';
        f++;
    }
    if (!strcmp(f, "dc:title"))
        *key = CC_SORT_TITLE;
    else if (!strcmp(f, "dc:date"))
        *key = CC_SORT_YEAR;
    else
        return 709;
    *descending = desc;
    return 0;
}

static void page_bounds(const dl_page *page, int64_t total, int64_t *first, int64_t *n)
{
    int64_t count = page->count <= 0 || page->count > DL_PAGE_MAX ? DL_PAGE_MAX : page->count;
    *first = page->start < 0 ? 0 : page->start;
    *n = *first >= total ? 0 : (total - *first < count ? total - *first : count);
}

int64_t dl_tree_film_child_count(dl_ctx *ctx, int64_t film_id)
{
    int64_t mains = 0, extras = 0;
    cu_err err = {0};
    if (cc_file_film_counts(ctx->db, film_id, &mains, &extras, &err) < 0)
        return -1;
    return mains + (extras ? 1 : 0); /* its files, then "Special features" */
}

/* Film containers under parent, chosen by filter (offset/limit/sort set
 * here from the page). */
static int film_list(dl_ctx *ctx, const char *parent, cc_film_filter *filter, const dl_page *page,
                     int64_t cap, cu_buf *didl, int64_t *returned, int64_t *total)
{
    int rc = dl_tree_parse_sort(page->sort, &filter->sort, &filter->descending);
    if (rc)
        return rc;
    if (ctx->limited && !filter->ids) {
        /* Only the view's films (ids given by the caller were narrowed). */
        filter->ids = ctx->visible;
        filter->id_count = ctx->visible_count;
    }
    if (ctx->limited && filter->id_count == 0) {
        *returned = *total = 0;
        return 0;
    }
    int64_t count = page->count <= 0 || page->count > DL_PAGE_MAX ? DL_PAGE_MAX : page->count;
    filter->offset = page->start < 0 ? 0 : page->start;
    filter->limit = count;
    if (cap > 0 && filter->offset + filter->limit > cap)
        filter->limit = cap - filter->offset;
    if (filter->limit <= 0) {
        /* Past the end (or the cap): ask only for the total. */
        filter->offset = 0;
        filter->limit = 1;
        cc_film_page p = {0};
        cu_err err = {0};
        if (cc_browse_films(ctx->db, filter, &p, &err) < 0)
            return 501;
        *total = cap > 0 && p.total > cap ? cap : p.total;
        *returned = 0;
        cc_browse_films_clear(&p);
        return 0;
    }
    cc_film_page p = {0};
    cu_err err = {0};
    if (cc_browse_films(ctx->db, filter, &p, &err) < 0)
        return 501;
    /* The page's child counts in one statement, not one per film. */
    int64_t ids[DL_PAGE_MAX], mains[DL_PAGE_MAX], extras[DL_PAGE_MAX];
    size_t n = p.count < DL_PAGE_MAX ? p.count : DL_PAGE_MAX;
    for (size_t i = 0; i < n; i++)
        ids[i] = p.items[i].id;
    bool counted = cc_file_films_counts(ctx->db, ids, n, mains, extras, &err) == 0;
    for (size_t i = 0; i < n; i++)
        dl_didl_film_container(didl, parent, &p.items[i],
                               counted ? mains[i] + (extras[i] ? 1 : 0) : -1, ctx->base);
    *returned = (int64_t)n;
    *total = cap > 0 && p.total > cap ? cap : p.total;
    cc_browse_films_clear(&p);
    return 0;
}

/* Films in a list of ids (letters, directors). */
static int film_list_ids(dl_ctx *ctx, const char *parent, int64_t *ids, size_t count,
                         const dl_page *page, cu_buf *didl, int64_t *returned, int64_t *total)
{
    count = dl_view_narrow(ctx, ids, count);
    if (count == 0) {
        *returned = *total = 0;
        free(ids);
        return 0;
    }
    cc_film_filter f = {.ids = ids, .id_count = count};
    int rc = film_list(ctx, parent, &f, page, 0, didl, returned, total);
    free(ids);
    return rc;
}

static void group_id(char *out, size_t size, const char *kind, const char *name)
{
    snprintf(out, size, "%s/%s", kind, name);
}

/* One folder per counted name (genres, festivals, letters, years). */
static void count_folders(const char *kind, const char *parent, const cc_count_list *list,
                          const dl_page *page, cu_buf *didl, int64_t *returned, int64_t *total)
{
    int64_t first, n;
    page_bounds(page, (int64_t)list->count, &first, &n);
    for (int64_t i = first; i < first + n; i++) {
        char id[600];
        group_id(id, sizeof id, kind, list->items[i].name);
        dl_didl_folder(didl, id, parent, list->items[i].name, list->items[i].count);
    }
    *returned = n;
    *total = (int64_t)list->count;
}

/* How many of the view's films a group holds (a limited view only). */
static int64_t group_visible(dl_ctx *ctx, const char *which, const char *name, int64_t person)
{
    cu_err err = {0};
    int64_t *ids = NULL;
    size_t count = 0;
    if (!strcmp(which, "year")) {
        cc_film_filter f = {
            .year = atoi(name), .ids = ctx->visible, .id_count = ctx->visible_count, .limit = 1};
        cc_film_page p = {0};
        int64_t n = ctx->visible_count && cc_browse_films(ctx->db, &f, &p, &err) == 0 ? p.total : 0;
        cc_browse_films_clear(&p);
        return n;
    }
    int rc =
        person ? cc_facet_person_ids(ctx->db, person, "director", GROUP_IDS_MAX, &ids, &count, &err)
               : cc_facet_letter_ids(ctx->db, name, GROUP_IDS_MAX, &ids, &count, &err);
    count = rc < 0 ? 0 : dl_view_narrow(ctx, ids, count);
    free(ids);
    return (int64_t)count;
}

/* A count list reduced to the view: counts recomputed, empty groups out. */
static void narrow_counts(dl_ctx *ctx, const char *which, cc_count_list *list)
{
    size_t out = 0;
    for (size_t i = 0; i < list->count; i++) {
        list->items[i].count = group_visible(ctx, which, list->items[i].name, 0);
        if (list->items[i].count > 0)
            list->items[out++] = list->items[i];
        else
            free(list->items[i].name);
    }
    list->count = out;
}

static void narrow_people(dl_ctx *ctx, cc_facet_person_list *people)
{
    size_t out = 0;
    for (size_t i = 0; i < people->count; i++) {
        people->items[i].count = group_visible(ctx, "director", NULL, people->items[i].id);
        if (people->items[i].count > 0)
            people->items[out++] = people->items[i];
        else
            free(people->items[i].name);
    }
    people->count = out;
}

static int group_folders(dl_ctx *ctx, const char *which, const dl_page *page, cu_buf *didl,
                         int64_t *returned, int64_t *total)
{
    char parent[64];
    snprintf(parent, sizeof parent, "films/%s", which);
    cu_err err = {0};
    if (!strcmp(which, "director")) {
        cc_facet_person_list people = {0};
        if (cc_facet_people(ctx->db, "director", &people, &err) < 0)
            return 501;
        if (ctx->limited)
            narrow_people(ctx, &people);
        int64_t first, n;
        page_bounds(page, (int64_t)people.count, &first, &n);
        for (int64_t i = first; i < first + n; i++) {
            char id[64];
            snprintf(id, sizeof id, "director/%" PRId64, people.items[i].id);
            dl_didl_folder(didl, id, parent, people.items[i].name, people.items[i].count);
        }
        *returned = n;
        *total = (int64_t)people.count;
        cc_facet_person_list_clear(&people);
        return 0;
    }
    cc_count_list list = {0};
    bool genre = !strcmp(which, "genre"), festival = !strcmp(which, "festival");
    int rc;
    if (ctx->limited && (genre || festival))
        rc = genre ? cc_scope_genre_list(ctx->db, ctx->visible, ctx->visible_count, &list, &err)
                   : cc_scope_festival_list(ctx->db, ctx->visible, ctx->visible_count, &list, &err);
    else
        rc = !strcmp(which, "letter") ? cc_facet_letters(ctx->db, &list, &err)
             : !strcmp(which, "year") ? cc_facet_years(ctx->db, &list, &err)
             : genre                  ? cc_browse_genres(ctx->db, &list, &err)
                                      : cc_browse_festivals(ctx->db, &list, &err);
    if (rc < 0)
        return 501;
    if (ctx->limited && !genre && !festival)
        narrow_counts(ctx, which, &list);
    count_folders(which, parent, &list, page, didl, returned, total);
    cc_browse_counts_clear(&list);
    return 0;
}

static char *file_title(const cc_film *film, const cc_file *file)
{
    size_t parts = 0;
    for (size_t i = 0; i < film->file_count; i++)
        if (film->files[i].part > 1)
            parts++;
    if (file->version && parts)
        return cu_xasprintf("%s - %s (part %d)", film->title, file->version, file->part);
    if (file->version)
        return cu_xasprintf("%s - %s", film->title, file->version);
    if (parts)
        return cu_xasprintf("%s (part %d)", film->title, file->part);
    return cu_xstrdup(film->title);
}

/* The view's user's position in a file (0 when none). */
static double resume_of(dl_ctx *ctx, int64_t file_id)
{
    cc_watch w = {0};
    cu_err err = {0};
    if (cc_watch_file_get(ctx->db, ctx->user_id, file_id, &w, &err) < 0)
        return 0;
    return w.position;
}

void dl_tree_film_file_item(dl_ctx *ctx, const cc_film *film, size_t i, cu_buf *didl)
{
    char id[64], parent[32];
    snprintf(id, sizeof id, "film/%" PRId64 "/file/%" PRId64, film->id, film->files[i].id);
    snprintf(parent, sizeof parent, "film/%" PRId64, film->id);
    char *title = file_title(film, &film->files[i]);
    dl_didl_item(didl, id, parent, title, true, film, &film->files[i],
                 resume_of(ctx, film->files[i].id), ctx->base);
    free(title);
}

static void extra_item(dl_ctx *ctx, const cc_film *film, size_t i, cu_buf *didl)
{
    char id[64], parent[48];
    snprintf(id, sizeof id, "film/%" PRId64 "/extra/%" PRId64, film->id, film->extras[i].id);
    snprintf(parent, sizeof parent, "film/%" PRId64 "/extras", film->id);
    dl_didl_item(didl, id, parent, film->extras[i].title, false, film, &film->extras[i].file,
                 resume_of(ctx, film->extras[i].file.id), ctx->base);
}

/* The film as a list row, for its container's own metadata. */
static void film_row(const cc_film *film, cc_film_item *row, char **genres, char **director)
{
    memset(row, 0, sizeof *row);
    cu_buf g = {0};
    for (size_t i = 0; i < film->genres.count; i++) {
        if (i)
            cu_buf_putc(&g, ',');
        cu_buf_puts(&g, film->genres.items[i]);
    }
    *genres = cu_buf_take(&g);
    *director = NULL;
    for (size_t i = 0; i < film->credit_count && !*director; i++)
        if (film->credits[i].job && !strcmp(film->credits[i].job, "director"))
            *director = film->credits[i].name;
    row->id = film->id;
    row->title = film->title;
    row->year = film->year;
    row->genres = *genres;
    row->director = *director;
    row->has_poster = film->poster != NULL;
}

/* The film's children: main files, then the extras folder. */
static int film_children(dl_ctx *ctx, const cc_film *film, const dl_page *page, cu_buf *didl,
                         int64_t *returned, int64_t *total)
{
    size_t files = 0;
    size_t *index = cu_xcalloc(film->file_count + 1, sizeof *index);
    for (size_t i = 0; i < film->file_count; i++)
        if (!film->files[i].probe_error)
            index[files++] = i;
    int64_t all = (int64_t)files + (film->extra_count ? 1 : 0), first, n;
    page_bounds(page, all, &first, &n);
    for (int64_t k = first; k < first + n; k++) {
        if (k < (int64_t)files) {
            dl_tree_film_file_item(ctx, film, index[k], didl);
        } else {
            char id[48], parent[32];
            snprintf(id, sizeof id, "film/%" PRId64 "/extras", film->id);
            snprintf(parent, sizeof parent, "film/%" PRId64, film->id);
            dl_didl_folder(didl, id, parent, "Special features", (int64_t)film->extra_count);
        }
    }
    free(index);
    *returned = n;
    *total = all;
    return 0;
}

/* "film/ID..." parsed: the film and what follows. 701 when absent. */
static int load_film(dl_ctx *ctx, const char *id, cc_film **film, const char **rest)
{
    int64_t film_id = dl_parse_id(id + 5, rest);
    if (film_id < 0)
        return 701;
    if (!dl_view_film(ctx, film_id))
        return 701; /* not in this view: as if absent */
    cu_err err = {0};
    if (cc_film_get(ctx->db, film_id, film, &err) < 0)
        return err.code == CU_ENOTFOUND ? 701 : 501;
    return 0;
}

/* The films the view's user is in the middle of, most recent first. */
static int continue_list(dl_ctx *ctx, const dl_page *page, cu_buf *didl, int64_t *returned,
                         int64_t *total)
{
    int64_t *ids = NULL;
    size_t count = 0;
    cu_err err = {0};
    if (cc_watch_continue(ctx->db, ctx->user_id, CONTINUE_MAX, &ids, &count, &err) < 0)
        return 501;
    count = dl_view_narrow(ctx, ids, count);
    int64_t first, n;
    page_bounds(page, (int64_t)count, &first, &n);
    for (int64_t i = first; i < first + n; i++) {
        cc_film *film = NULL;
        if (cc_film_get(ctx->db, ids[i], &film, &err) < 0)
            continue;
        cc_film_item row;
        char *genres, *director;
        film_row(film, &row, &genres, &director);
        dl_didl_film_container(didl, "continue", &row, dl_tree_film_child_count(ctx, film->id),
                               ctx->base);
        free(genres);
        cc_film_free(film);
    }
    free(ids);
    *returned = n;
    *total = (int64_t)count;
    return 0;
}

/* A container's childCount: its children counted as Browse lists them
 * (so the two always agree); -1 when they cannot be counted. */
static int64_t child_count(dl_ctx *ctx, const char *id)
{
    cu_buf scratch = {0};
    dl_page one = {.start = 0, .count = 1};
    int64_t returned = 0, total = -1;
    if (dl_tree_children(ctx, id, &one, &scratch, &returned, &total) != 0)
        total = -1;
    cu_buf_free(&scratch);
    return total;
}

int dl_tree_children(dl_ctx *ctx, const char *id, const dl_page *page, cu_buf *didl,
                     int64_t *returned, int64_t *total)
{
    *returned = *total = 0;
    if (!strcmp(id, "0")) {
        int64_t first, n;
        page_bounds(page, ROOT_FOLDERS, &first, &n);
        for (int64_t i = first; i < first + n; i++)
            dl_didl_folder(didl, root_folders[i].id, "0", root_folders[i].title,
                           i == 0 ? (int64_t)FILMS_FOLDERS : child_count(ctx, root_folders[i].id));
        *returned = n;
        *total = ROOT_FOLDERS;
        return 0;
    }
    if (!strcmp(id, "films")) {
        int64_t first, n;
        page_bounds(page, FILMS_FOLDERS, &first, &n);
        for (int64_t i = first; i < first + n; i++)
            dl_didl_folder(didl, films_folders[i].id, "films", films_folders[i].title,
                           child_count(ctx, films_folders[i].id));
        *returned = n;
        *total = FILMS_FOLDERS;
        return 0;
    }
    if (!strcmp(id, "continue"))
        return continue_list(ctx, page, didl, returned, total);
    if (!strcmp(id, "films/all")) {
        cc_film_filter f = {0};
        return film_list(ctx, id, &f, page, 0, didl, returned, total);
    }
    if (!strcmp(id, "recent")) {
        cc_film_filter f = {0};
        dl_page p = *page;
        p.sort = NULL;
        int rc = dl_tree_parse_sort(page->sort, &f.sort, &f.descending);
        if (rc)
            return rc;
        f.sort = CC_SORT_ADDED;
        f.descending = 1;
        return film_list(ctx, id, &f, &p, RECENT_MAX, didl, returned, total);
    }
    if (cu_str_has_prefix(id, "films/")) {
        const char *which = id + 6;
        if (strcmp(which, "letter") && strcmp(which, "year") && strcmp(which, "genre") &&
            strcmp(which, "director") && strcmp(which, "festival"))
            return 701;
        return group_folders(ctx, which, page, didl, returned, total);
    }
    cu_err err = {0};
    if (cu_str_has_prefix(id, "letter/")) {
        int64_t *ids = NULL;
        size_t count = 0;
        if (cc_facet_letter_ids(ctx->db, id + 7, GROUP_IDS_MAX, &ids, &count, &err) < 0)
            return 501;
        return film_list_ids(ctx, id, ids, count, page, didl, returned, total);
    }
    if (cu_str_has_prefix(id, "director/")) {
        const char *rest;
        int64_t person = dl_parse_id(id + 9, &rest);
        if (person < 0 || *rest)
            return 701;
        int64_t *ids = NULL;
        size_t count = 0;
        if (cc_facet_person_ids(ctx->db, person, "director", GROUP_IDS_MAX, &ids, &count, &err) < 0)
            return 501;
        return film_list_ids(ctx, id, ids, count, page, didl, returned, total);
    }
    if (cu_str_has_prefix(id, "year/")) {
        const char *rest;
        int64_t year = dl_parse_id(id + 5, &rest);
        if (year < 0 || year > 9999 || *rest)
            return 701;
        cc_film_filter f = {.year = (int)year};
        return film_list(ctx, id, &f, page, 0, didl, returned, total);
    }
    if (cu_str_has_prefix(id, "genre/")) {
        cc_film_filter f = {.genre = id + 6};
        return film_list(ctx, id, &f, page, 0, didl, returned, total);
    }
    if (cu_str_has_prefix(id, "festival/")) {
        cc_film_filter f = {.festival = id + 9};
        return film_list(ctx, id, &f, page, 0, didl, returned, total);
    }
    if (cu_str_has_prefix(id, "film/")) {
        cc_film *film = NULL;
        const char *rest;
        int rc = load_film(ctx, id, &film, &rest);
        if (rc)
            return rc;
        if (!*rest) {
            rc = film_children(ctx, film, page, didl, returned, total);
        } else if (!strcmp(rest, "/extras")) {
            int64_t first, n;
            page_bounds(page, (int64_t)film->extra_count, &first, &n);
            for (int64_t i = first; i < first + n; i++)
                extra_item(ctx, film, (size_t)i, didl);
            *returned = n;
            *total = (int64_t)film->extra_count;
        } else if (cu_str_has_prefix(rest, "/file/") || cu_str_has_prefix(rest, "/extra/")) {
            rc = 0; /* an item has no children: an empty answer */
        } else {
            rc = 701;
        }
        cc_film_free(film);
        return rc;
    }
    return 701;
}

int dl_tree_metadata(dl_ctx *ctx, const char *id, cu_buf *didl)
{
    if (!strcmp(id, "0")) {
        /* The root's parent is "-1" (ContentDirectory:1 2.8.3). */
        dl_didl_folder(didl, "0", "-1", "cinemateca", (int64_t)ROOT_FOLDERS);
        return 0;
    }
    if (!strcmp(id, "films")) {
        dl_didl_folder(didl, "films", "0", "Films", FILMS_FOLDERS);
        return 0;
    }
    for (size_t i = 1; i < ROOT_FOLDERS; i++)
        if (!strcmp(id, root_folders[i].id)) {
            dl_didl_folder(didl, id, "0", root_folders[i].title, child_count(ctx, id));
            return 0;
        }
    for (size_t i = 0; i < FILMS_FOLDERS; i++)
        if (!strcmp(id, films_folders[i].id)) {
            dl_didl_folder(didl, id, "films", films_folders[i].title, child_count(ctx, id));
            return 0;
        }
    static const struct {
        const char *prefix, *parent;
    } groups[] = {{"letter/", "films/letter"},
                  {"year/", "films/year"},
                  {"genre/", "films/genre"},
                  {"festival/", "films/festival"}};
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        if (cu_str_has_prefix(id, groups[i].prefix) && id[strlen(groups[i].prefix)]) {
            /* Whether the group exists is Browse's business: an empty one
             * simply has no children. */
            dl_didl_folder(didl, id, groups[i].parent, id + strlen(groups[i].prefix),
                           child_count(ctx, id));
            return 0;
        }
    if (cu_str_has_prefix(id, "director/")) {
        const char *rest;
        int64_t person = dl_parse_id(id + 9, &rest);
        if (person < 0 || *rest)
            return 701;
        cc_person *p = NULL;
        cu_err err = {0};
        if (cc_person_get(ctx->db, person, &p, &err) < 0)
            return err.code == CU_ENOTFOUND ? 701 : 501;
        dl_didl_folder(didl, id, "films/director", p->name, child_count(ctx, id));
        cc_person_free(p);
        return 0;
    }
    if (!cu_str_has_prefix(id, "film/"))
        return 701;
    cc_film *film = NULL;
    const char *rest;
    int rc = load_film(ctx, id, &film, &rest);
    if (rc)
        return rc;
    rc = 701;
    if (!*rest) {
        cc_film_item row;
        char *genres;
        char *director;
        film_row(film, &row, &genres, &director);
        dl_didl_film_container(didl, "films/all", &row, dl_tree_film_child_count(ctx, film->id),
                               ctx->base);
        free(genres);
        rc = 0;
    } else if (!strcmp(rest, "/extras") && film->extra_count) {
        char parent[32];
        snprintf(parent, sizeof parent, "film/%" PRId64, film->id);
        dl_didl_folder(didl, id, parent, "Special features", (int64_t)film->extra_count);
        rc = 0;
    } else if (cu_str_has_prefix(rest, "/file/") || cu_str_has_prefix(rest, "/extra/")) {
        bool is_file = rest[1] == 'f';
        const char *tail;
        int64_t item = dl_parse_id(rest + (is_file ? 6 : 7), &tail);
        if (item > 0 && !*tail) {
            if (is_file) {
                for (size_t i = 0; i < film->file_count; i++)
                    if (film->files[i].id == item && !film->files[i].probe_error) {
                        dl_tree_film_file_item(ctx, film, i, didl);
                        rc = 0;
                    }
            } else {
                for (size_t i = 0; i < film->extra_count; i++)
                    if (film->extras[i].id == item) {
                        extra_item(ctx, film, i, didl);
                        rc = 0;
                    }
            }
        }
    }
    cc_film_free(film);
    return rc;
}

/* ---- a container's films, for Search's ContainerID ---- */

/* Every film a filter matches (the view applied), paging through. */
static int collect_films(dl_ctx *ctx, cc_film_filter *f, int64_t cap, int64_t **ids, size_t *count)
{
    if (ctx->limited && !f->ids) {
        f->ids = ctx->visible;
        f->id_count = ctx->visible_count;
    }
    if (ctx->limited && f->id_count == 0)
        return 0;
    cu_err err = {0};
    size_t room = 0;
    for (f->offset = 0; f->offset < cap; f->offset += 500) {
        f->limit = cap - f->offset < 500 ? cap - f->offset : 500;
        cc_film_page p = {0};
        if (cc_browse_films(ctx->db, f, &p, &err) < 0)
            return 501;
        for (size_t i = 0; i < p.count; i++) {
            if (*count == room) {
                room = room ? room * 2 : 64;
                *ids = cu_xreallocarray(*ids, room, sizeof **ids);
            }
            (*ids)[(*count)++] = p.items[i].id;
        }
        bool last = p.count < (size_t)f->limit;
        cc_browse_films_clear(&p);
        if (last)
            break;
    }
    return 0;
}

int dl_tree_container_films(dl_ctx *ctx, const char *id, int64_t **ids, size_t *count, bool *all)
{
    *ids = NULL;
    *count = 0;
    *all = false;
    if (!strcmp(id, "0") || !strcmp(id, "films")) {
        *all = true;
        return 0;
    }
    for (size_t i = 0; i < FILMS_FOLDERS; i++)
        if (!strcmp(id, films_folders[i].id)) {
            *all = true;
            return 0;
        }
    cu_err err = {0};
    const char *rest;
    if (!strcmp(id, "recent")) {
        cc_film_filter f = {.sort = CC_SORT_ADDED, .descending = 1};
        return collect_films(ctx, &f, RECENT_MAX, ids, count);
    }
    if (!strcmp(id, "continue")) {
        if (cc_watch_continue(ctx->db, ctx->user_id, CONTINUE_MAX, ids, count, &err) < 0)
            return 501;
        *count = dl_view_narrow(ctx, *ids, *count);
        return 0;
    }
    if (cu_str_has_prefix(id, "letter/") || cu_str_has_prefix(id, "director/")) {
        bool letter = id[0] == 'l';
        int64_t person = letter ? 0 : dl_parse_id(id + 9, &rest);
        if (!letter && (person < 0 || *rest))
            return 710;
        int rc = letter ? cc_facet_letter_ids(ctx->db, id + 7, GROUP_IDS_MAX, ids, count, &err)
                        : cc_facet_person_ids(ctx->db, person, "director", GROUP_IDS_MAX, ids,
                                              count, &err);
        if (rc < 0)
            return 501;
        *count = dl_view_narrow(ctx, *ids, *count);
        return 0;
    }
    cc_film_filter f = {0};
    if (cu_str_has_prefix(id, "year/")) {
        int64_t year = dl_parse_id(id + 5, &rest);
        if (year < 0 || year > 9999 || *rest)
            return 710;
        f.year = (int)year;
    } else if (cu_str_has_prefix(id, "genre/") && id[6]) {
        f.genre = id + 6;
    } else if (cu_str_has_prefix(id, "festival/") && id[9]) {
        f.festival = id + 9;
    } else if (cu_str_has_prefix(id, "film/")) {
        int64_t film = dl_parse_id(id + 5, &rest);
        if (film < 0 || (*rest && strcmp(rest, "/extras")))
            return 710;
        if (dl_view_film(ctx, film)) {
            *ids = cu_xcalloc(1, sizeof **ids);
            (*ids)[(*count)++] = film;
        }
        return 0;
    } else {
        return 710;
    }
    return collect_films(ctx, &f, GROUP_IDS_MAX, ids, count);
}

int64_t dl_tree_object_file(dl_ctx *ctx, const char *id)
{
    if (!cu_str_has_prefix(id, "film/"))
        return -1;
    cc_film *film = NULL;
    const char *rest;
    if (load_film(ctx, id, &film, &rest))
        return -1;
    bool is_file = cu_str_has_prefix(rest, "/file/");
    const char *tail;
    int64_t item = is_file                              ? dl_parse_id(rest + 6, &tail)
                   : cu_str_has_prefix(rest, "/extra/") ? dl_parse_id(rest + 7, &tail)
                                                        : -1;
    int64_t file = -1;
    for (size_t i = 0; item > 0 && !*tail && is_file && i < film->file_count; i++)
        if (film->files[i].id == item)
            file = item;
    for (size_t i = 0; item > 0 && !*tail && !is_file && i < film->extra_count; i++)
        if (film->extras[i].id == item)
            file = film->extras[i].file.id;
    cc_film_free(film);
    return file;
}
