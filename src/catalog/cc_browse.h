/* cc_browse: questions asked across entities: films by filter and sort,
 * festivals and genres with their counts, the catalog's totals. */
#ifndef CC_BROWSE_H
#define CC_BROWSE_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef enum {
    CC_SORT_TITLE, /* the shelf's sort key (cc_shelf.h) */
    CC_SORT_YEAR,
    CC_SORT_ADDED,
    CC_SORT_RUNTIME,
    CC_SORT_RATING,  /* the best rating, on a 0-10 scale; unrated films last either way */
    CC_SORT_RELEASE, /* premiered, else the earliest release, else the year; undated last */
    CC_SORT_PLAYED,  /* when watch_user last played it; never played last */
    CC_SORT_PLAYS,   /* watch_user's play count */
    CC_SORT_RANDOM,  /* a shuffle fixed by random_seed, so pages do not overlap */
} cc_sort;

/* Picture classes for cc_film_filter.resolution, by the main video's height. */
typedef enum { CC_RES_ANY, CC_RES_SD, CC_RES_720, CC_RES_1080, CC_RES_4K } cc_resolution;

typedef struct cc_film_filter {
    const char *genre;    /* exact genre, case-insensitive; NULL: any */
    int64_t person_id;    /* 0: any */
    int year;             /* 0: any */
    int decade;           /* 1990 for the 1990s; 0: any */
    const char *festival; /* event name, case-insensitive substring ("Cannes"); NULL: any */
    int watched;          /* 1: watched by watch_user, -1: not, 0: any */
    int64_t watch_user;
    const int64_t *ids; /* restrict to these films (search results); NULL: all */
    size_t id_count;
    cc_sort sort;
    int descending;
    int64_t offset, limit; /* limit <= 0: 50; at most 500 */
    /* The shelf's filters (all exact, any case; NULL or 0: any). */
    int64_t collection_id;
    const char *country, *studio, *tag;
    const char *release_type; /* has a release of this type: "festival" */
    double rating_min;        /* best rating at least this, on a 0-10 scale */
    cc_resolution resolution;
    int hdr;                                /* 1: some main file is HDR, -1: none is */
    const char *audio_lang, *subtitle_lang; /* "es", "spa" or "fre" alike */
    uint32_t random_seed;
    /* A page's "next" (cc_cursor.h): the films after it, in the same
     * sort (else CU_EINVAL); offset is then not used. NULL: none. */
    const char *after;
} cc_film_filter;

typedef struct cc_film_item {
    int64_t id;
    char *title, *original_title;
    int year;     /* 0 when unknown */
    int runtime;  /* minutes: metadata, else the main file's duration */
    char *genres; /* comma-separated, NULL when none */
    int has_poster;
    char *director; /* first director, NULL when none */
    int height;     /* tallest main video, 0 when unknown */
    int hdr;        /* some main video is HDR */
    char *sort_key; /* the shelf's key (cc_shelf.h); NULL before one was made */
} cc_film_item;

typedef struct cc_film_page {
    int64_t total;
    cc_film_item *items;
    size_t count;
    char *next; /* the token for the page after this one; NULL: this is the last */
    /* SQLite's VM steps for reading the page's films (the count, kept
     * between commits, not included): how much work the page was, a
     * figure that does not depend on the machine (tests, benches). */
    int64_t steps;
} cc_film_page;

int cc_browse_films(cc_db *db, const cc_film_filter *filter, cc_film_page *out, cu_err *err);
void cc_browse_films_clear(cc_film_page *page);

/* How SQLite walks the catalog for filter's sort (tests, and whoever asks
 * why a sort is slow): for each part of the sort, its first page and each
 * range a cursor reads from, one line each, "part P[ after T[ null]]
 * walk|sorted: " and EXPLAIN QUERY PLAN's lines of the statement choosing
 * the page's films, and once per part "part P page: " and the plan of the
 * first page's whole statement (which reads those films' rows and sorts
 * the page). "sorted" marks the short list of played films, ordered by
 * their keys; every other part walks an index. *out is free()d by the
 * caller. */
int cc_browse_plan(cc_db *db, const cc_film_filter *filter, char **out, cu_err *err);

/* How many films (filtered as by cc_browse_films, sort and page ignored)
 * start with each first character of their sort key, in key order: the
 * A-Z bar. out's names are one letter ("a", "0" for digits, "#" for the
 * rest), counts in key order, so a letter's offset in a title-sorted list
 * is the sum of the counts before it. */
struct cc_count_list;
int cc_browse_letters(cc_db *db, const cc_film_filter *filter, struct cc_count_list *out,
                      cu_err *err);

/* Films like film_id, best first: shared collection (3 points), director
 * (3), writer (1), cast members (1 each), genres (1 each). Only films in
 * ids when ids is not NULL (a restricted user's). At most limit (1-50). */
int cc_browse_similar(cc_db *db, int64_t film_id, const int64_t *ids, size_t id_count,
                      int64_t limit, cc_film_page *out, cu_err *err);

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
