/* cc_film: reading films back out of the catalog as plain structs. */
#ifndef CC_FILM_H
#define CC_FILM_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "media/cm_media.h"

typedef struct cc_file {
    int64_t id;
    char *path;
    int part;
    char *version;          /* NULL for the only version */
    int64_t size;
    double duration;        /* seconds */
    char *container;
    char *probe_error;      /* NULL when probed fine */
    cm_media_stream *streams;
    size_t stream_count;
} cc_file;

typedef struct cc_extra {
    int64_t id;
    char *type;
    char *title;
    char *plot;
    cc_file file;
} cc_extra;

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

/* What the server needs to stream one file (main or extra) by id. */
typedef struct cc_file_location {
    int64_t id;
    char *path;             /* absolute, as found by the scanner */
    char *root;             /* the library root it was found under */
    int64_t size;
    int64_t mtime_ns;
    char *container;
} cc_file_location;
/* CU_ENOTFOUND when no such file. */
int cc_file_locate(cc_db *db, int64_t file_id, cc_file_location *out, cu_err *err);
void cc_file_location_clear(cc_file_location *loc);

/* The film an extra belongs to; CU_ENOTFOUND when there is no such extra. */
int cc_extra_film_id(cc_db *db, int64_t extra_id, int64_t *film_id, cu_err *err);

/* Counts for summaries. */
typedef struct cc_counts {
    int64_t films, extras, files, failed_files, people;
} cc_counts;
int cc_counts_get(cc_db *db, cc_counts *out, cu_err *err);

/* Scan errors, newest first: fn gets path, kind, message. */
int cc_scan_error_each(cc_db *db, int (*fn)(const char *path, const char *kind,
                                            const char *message, void *user),
                       void *user, cu_err *err);

#endif
