/* cc_meta: a film's descriptive metadata (from an .nfo or container tags):
 * synopsis, credits with shared people, release history, genres and other
 * terms, ratings, artwork; and the special features' own titles and plots.
 * Writes replace a film's metadata as a whole, so a rescan of a changed
 * .nfo never leaves stale credits behind. */
#ifndef CC_META_H
#define CC_META_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_credit_in {
    const char *name;
    const char *job;        /* actor, director, writer, producer, composer, ... */
    const char *character;  /* actors only */
    int billing;            /* order among actors; 0 for crew */
    const char *thumb;
} cc_credit_in;

typedef struct cc_release_in {
    const char *type;       /* premiere festival theatrical_limited theatrical digital physical tv */
    const char *date;       /* YYYY-MM-DD, YYYY-MM or YYYY */
    const char *country, *event, *section, *distributor, *format, *note;
} cc_release_in;

typedef struct cc_rating_in {
    const char *source;
    double value;
    int votes;
    double max;
} cc_rating_in;

typedef struct cc_term_in {
    const char *kind;       /* genre | country | studio | tag */
    const char *value;
} cc_term_in;

typedef struct cc_film_meta {
    const char *source;     /* "nfo" or "tags" */
    const char *title, *original_title, *sort_title;
    int year;               /* 0: keep the year from the names */
    const char *plot, *outline, *tagline;
    int runtime;            /* minutes; 0 when unknown */
    const char *premiered, *mpaa, *set_name, *set_overview;
    const char *tmdb_id, *imdb_id;
    const cc_term_in *terms;
    size_t term_count;
    const cc_credit_in *credits;
    size_t credit_count;
    const cc_release_in *releases;
    size_t release_count;
    const cc_rating_in *ratings;
    size_t rating_count;
} cc_film_meta;

/* Replaces the film's metadata with meta (NULL fields stay empty; a NULL
 * title keeps the current one). People are matched by exact name and shared
 * across films. */
int cc_film_set_meta(cc_db *db, int64_t film_id, const cc_film_meta *meta, cu_err *err);
/* Drops metadata from a richer source: the film goes back to its names. */
int cc_film_clear_meta(cc_db *db, int64_t film_id, cu_err *err);
/* Records which .nfo (path and mtime) was last read for the film, whether
 * it parsed or not, so an unchanged file is not read again. NULL path: none. */
int cc_film_set_meta_file(cc_db *db, int64_t film_id, const char *path, int64_t mtime_ns,
                          cu_err *err);

/* An extra's own title and plot (from its .nfo). NULL title keeps it. */
int cc_extra_set_info(cc_db *db, int64_t file_id, const char *title, const char *plot,
                      cu_err *err);

/* Artwork: kind is "poster" or "backdrop"; generated marks a poster cut
 * from the film itself (kept in the cache, not the user's folder). */
int cc_artwork_set(cc_db *db, int64_t film_id, const char *kind, const char *path, int generated,
                   cu_err *err);
int cc_artwork_clear(cc_db *db, int64_t film_id, const char *kind, cu_err *err);

/* Removes people who are credited on no film any more. */
int cc_people_prune(cc_db *db, cu_err *err);

#endif
