/* cc_film: films: created by the scanner from their names, described by
 * metadata (an .nfo or container tags), read back whole as plain structs.
 * Metadata writes replace a film's metadata as a whole, so a rescan of a
 * changed .nfo never leaves stale credits behind. */
#ifndef CC_FILM_H
#define CC_FILM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_extra.h"
#include "catalog/cc_file.h"

typedef struct cc_credit {
    int64_t person_id;
    char *name;
    char *job;              /* actor, director, writer, producer, composer, ... */
    char *character;        /* actors only, else NULL */
    int billing;
    char *thumb;
} cc_credit;

typedef struct cc_release {
    char *type, *date, *country, *event, *section, *distributor, *format, *note;
} cc_release;

typedef struct cc_term_list {
    char **items;
    size_t count;
} cc_term_list;

typedef struct cc_rating {
    char *source;
    double value, max;
    int votes;
} cc_rating;

typedef struct cc_film {
    int64_t id;
    char *title;
    char *original_title;
    char *sort_title;
    int year;               /* 0 when unknown */
    char *tmdb_id, *imdb_id;
    int64_t added_at;
    char *plot, *outline, *tagline;
    int runtime;            /* minutes from metadata; 0 when unknown */
    char *premiered, *mpaa, *set_name, *set_overview;
    char *metadata_source;  /* name | tags | nfo */
    char *poster, *backdrop;/* artwork paths, NULL when none */
    int poster_generated;
    cc_term_list genres, countries, studios, tags;
    cc_credit *credits;     /* directors, writers, other crew, then cast by billing */
    size_t credit_count;
    cc_release *releases;   /* in date order */
    size_t release_count;
    cc_rating *ratings;
    size_t rating_count;
    cc_file *files;         /* main files, by version then part */
    size_t file_count;
    cc_extra *extras;       /* by type then title */
    size_t extra_count;
} cc_film;

/* Every film id, by title then year. */
int cc_film_list_ids(cc_db *db, int64_t **ids, size_t *count, cu_err *err);
/* One film with its files, streams and extras; CU_ENOTFOUND when absent. */
int cc_film_get(cc_db *db, int64_t id, cc_film **out, cu_err *err);
void cc_film_free(cc_film *film);

/* Films: created or refreshed by their grouping key. Names come from the
 * file and folder names; a film whose metadata came from a richer source
 * (.nfo, tags) keeps it. */
typedef struct cc_film_names {
    const char *title;
    int year;                /* 0 when unknown */
    const char *tmdb_id;     /* NULL or "" when unknown */
    const char *imdb_id;
} cc_film_names;

int cc_film_ensure(cc_db *db, const char *key, const cc_film_names *names, int64_t *film_id,
                   cu_err *err);
/* A film as the scanner needs to know it (strings valid during the call). */
typedef struct cc_known_film {
    int64_t id;
    const char *key;
    const char *metadata_source;  /* name | tags | nfo */
    const char *metadata_path;    /* the .nfo last read, NULL when none */
    int64_t metadata_mtime;
    const char *poster;           /* NULL when none */
    bool poster_generated;
    const char *backdrop;
} cc_known_film;

/* Calls fn for every film whose key lies under root. */
int cc_film_each_key(cc_db *db, const char *root,
                     int (*fn)(const cc_known_film *film, void *user), void *user, cu_err *err);
/* Looks a film up by key; 0 in *film_id when absent. */
int cc_film_find_key(cc_db *db, const char *key, int64_t *film_id, cu_err *err);
/* Gives a film a new key (its folder moved); keeps its id and history. */
int cc_film_rekey(cc_db *db, int64_t film_id, const char *key, cu_err *err);
/* Deletes films under root that have no main file left; *removed counts them. */
int cc_film_prune(cc_db *db, const char *root, int *removed, cu_err *err);

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

#endif
