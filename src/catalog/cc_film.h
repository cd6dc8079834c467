/* cc_film: films: created by the scanner from their names, described by
 * metadata (an .nfo or container tags), read back whole.
 *
 * cc_film is the one film-metadata model of the program: the .nfo reader
 * (library/cl_nfo) parses into it, cc_film_set_meta stores it, cc_film_get
 * reads it back, and json/ encodes it. Every string and array in it lives in
 * its arena and goes with cc_film_free. Metadata writes replace a film's
 * metadata as a whole, so a rescan of a changed .nfo never leaves stale
 * credits behind. */
#ifndef CC_FILM_H
#define CC_FILM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_extra.h"
#include "catalog/cc_file.h"
#include "util/cu_arena.h"

typedef struct cc_credit {
    int64_t person_id;
    char *name;
    char *job;       /* actor, director, writer, producer, composer, ... */
    char *character; /* actors only, else NULL */
    int billing;     /* order among actors (from <order>, else position); crew in order met */
    char *thumb;
} cc_credit;

typedef struct cc_release {
    char *type;    /* premiere festival theatrical_limited theatrical digital physical tv */
    char *date;    /* YYYY-MM-DD, YYYY-MM or YYYY */
    char *country; /* ISO 3166-1 alpha-2, upper case */
    char *event, *section, *distributor, *format, *note;
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
    cu_arena *arena; /* owns the record, every string and array in it */
    int64_t id;      /* 0 for a record not read from the catalog */
    char *title;
    char *original_title;
    char *sort_title;
    int year; /* 0 when unknown */
    char *tmdb_id, *imdb_id;
    int64_t added_at;
    char *plot, *outline, *tagline;
    int runtime; /* minutes from metadata; 0 when unknown */
    char *premiered, *mpaa, *set_name, *set_overview;
    char *metadata_source;   /* name | tags | nfo; what cc_film_set_meta records */
    char *poster, *backdrop; /* artwork paths, NULL when none */
    int poster_generated;
    cc_term_list genres, countries, studios, tags;
    cc_term_list languages; /* the .nfo's <language>: the film's own, at most one */
    cc_credit *credits;     /* directors, writers, other crew, then cast by billing */
    size_t credit_count;
    cc_release *releases; /* in date order */
    size_t release_count;
    cc_rating *ratings;
    size_t rating_count;
    cc_file *files; /* main files, by version then part */
    size_t file_count;
    cc_extra *extras; /* by type then title */
    size_t extra_count;
    struct cc_edition *editions; /* cuts, default first, with versions (cc_edition.h) */
    size_t edition_count;
} cc_film;

/* Every film id, by title then year. */
int cc_film_list_ids(cc_db *db, int64_t **ids, size_t *count, cu_err *err);
/* One film with its files, streams and extras; CU_ENOTFOUND when absent. */
int cc_film_get(cc_db *db, int64_t id, cc_film **out, cu_err *err);
/* An empty record with its own arena (for parsers of metadata). */
cc_film *cc_film_new(void);
/* Frees the record and everything in its arena; NULL is fine. */
void cc_film_free(cc_film *film);

/* Building a record: copies and zeroed elements in the film's arena. */
char *cc_film_strdup(cc_film *film, const char *s);
cc_credit *cc_film_add_credit(cc_film *film);
cc_release *cc_film_add_release(cc_film *film);
cc_rating *cc_film_add_rating(cc_film *film);
/* Appends a copy of value to one of film's term lists (genres, ...). */
void cc_film_add_term(cc_film *film, cc_term_list *list, const char *value);

/* Films: created or refreshed by their grouping key. Names come from the
 * file and folder names; a film whose metadata came from a richer source
 * (.nfo, tags) keeps it. */
typedef struct cc_film_names {
    const char *title;
    int year;            /* 0 when unknown */
    const char *tmdb_id; /* NULL or "" when unknown */
    const char *imdb_id;
} cc_film_names;

int cc_film_ensure(cc_db *db, const char *key, const cc_film_names *names, int64_t *film_id,
                   cu_err *err);
/* A film as the scanner needs to know it (strings valid during the call). */
typedef struct cc_known_film {
    int64_t id;
    const char *key;
    const char *metadata_source; /* name | tags | nfo */
    const char *metadata_path;   /* the .nfo last read, NULL when none */
    int64_t metadata_mtime;
    const char *poster; /* NULL when none */
    bool poster_generated;
    const char *backdrop;
} cc_known_film;

/* Calls fn for every film whose key lies under root. */
int cc_film_each_key(cc_db *db, const char *root, int (*fn)(const cc_known_film *film, void *user),
                     void *user, cu_err *err);
/* Looks a film up by key; 0 in *film_id when absent. */
int cc_film_find_key(cc_db *db, const char *key, int64_t *film_id, cu_err *err);
/* Gives a film a new key (its folder moved); keeps its id and history. */
int cc_film_rekey(cc_db *db, int64_t film_id, const char *key, cu_err *err);
/* Deletes films under root that have no main file left; *removed counts them. */
int cc_film_prune(cc_db *db, const char *root, int *removed, cu_err *err);

/* Replaces the film's metadata with meta's: metadata_source ("nfo" or
 * "tags"; NULL: "nfo"), titles, year (0 keeps the year from the names),
 * synopsis, runtime, dates, set, ids, terms, credits, releases, ratings.
 * NULL fields stay empty; a NULL title keeps the current one; meta's id,
 * files, extras and artwork are not looked at. People are matched by exact
 * name and shared across films. */
int cc_film_set_meta(cc_db *db, int64_t film_id, const cc_film *meta, cu_err *err);
/* Drops metadata from a richer source: the film goes back to its names. */
int cc_film_clear_meta(cc_db *db, int64_t film_id, cu_err *err);
/* Records which .nfo (path and mtime) was last read for the film, whether
 * it parsed or not, so an unchanged file is not read again. NULL path: none. */
int cc_film_set_meta_file(cc_db *db, int64_t film_id, const char *path, int64_t mtime_ns,
                          cu_err *err);

/* The .nfo last read for the film (malloc'd into *path; NULL when none).
 * CU_ENOTFOUND when there is no such film. */
int cc_film_meta_file(cc_db *db, int64_t film_id, char **path, cu_err *err);

#endif
