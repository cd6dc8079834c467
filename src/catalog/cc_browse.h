/* cc_browse: questions asked across entities: films by filter and sort,
 * festivals and genres with their counts, the catalog's totals. */
#ifndef CC_BROWSE_H
#define CC_BROWSE_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef enum { CC_SORT_TITLE, CC_SORT_YEAR, CC_SORT_ADDED, CC_SORT_RUNTIME } cc_sort;

typedef struct cc_film_filter {
    const char *genre;      /* exact genre, case-insensitive; NULL: any */
    int64_t person_id;      /* 0: any */
    int year;               /* 0: any */
    int decade;             /* 1990 for the 1990s; 0: any */
    const char *festival;   /* event name, case-insensitive substring ("Cannes"); NULL: any */
    int watched;            /* 1: watched by watch_user, -1: not, 0: any */
    int64_t watch_user;
    const int64_t *ids;     /* restrict to these films (search results); NULL: all */
    size_t id_count;
    cc_sort sort;
    int descending;
    int64_t offset, limit;  /* limit <= 0: 50; at most 500 */
} cc_film_filter;

typedef struct cc_film_item {
    int64_t id;
    char *title, *original_title;
    int year;               /* 0 when unknown */
    int runtime;            /* minutes: metadata, else the main file's duration */
    char *genres;           /* comma-separated, NULL when none */
    int has_poster;
    char *director;         /* first director, NULL when none */
} cc_film_item;

typedef struct cc_film_page {
    int64_t total;
    cc_film_item *items;
    size_t count;
} cc_film_page;

int cc_browse_films(cc_db *db, const cc_film_filter *filter, cc_film_page *out, cu_err *err);
void cc_browse_films_clear(cc_film_page *page);

/* Counted names: festivals (from releases of type festival) and genres. */
typedef struct cc_count_item {
    char *name;
    int64_t count;
} cc_count_item;

typedef struct cc_count_list {
    cc_count_item *items;
    size_t count;
} cc_count_list;

int cc_browse_festivals(cc_db *db, cc_count_list *out, cu_err *err);
int cc_browse_genres(cc_db *db, cc_count_list *out, cu_err *err);
void cc_browse_counts_clear(cc_count_list *list);

/* Counts for summaries. */
typedef struct cc_counts {
    int64_t films, extras, files, failed_files, people;
} cc_counts;
int cc_browse_totals(cc_db *db, cc_counts *out, cu_err *err);

#endif
