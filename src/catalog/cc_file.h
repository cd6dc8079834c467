/* cc_file: the scanner's side of the catalog: which files are known, and
 * recording what a scan found. Every call here is a write except
 * cc_file_each_known; callers group them in cc_db_begin/commit batches. */
#ifndef CC_FILE_H
#define CC_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "media/cm_media.h"

/* A file as the catalog last saw it. */
typedef struct cc_known_file {
    int64_t id;
    const char *path;
    int64_t size;
    int64_t mtime_ns;
    const char *fingerprint; /* NULL when never computed */
    int64_t film_id;         /* 0 when none */
    bool failed;             /* the last probe failed */
    bool is_extra;
    int part;
    const char *version;     /* NULL when none */
} cc_known_file;

/* Calls fn for every file under root (strings valid during the call only).
 * fn returning non-zero stops the walk and is returned. */
int cc_file_each_known(cc_db *db, const char *root,
                       int (*fn)(const cc_known_file *file, void *user), void *user,
                       cu_err *err);

/* Where a file sits in the library: which film, and as what. */
typedef struct cc_file_place {
    const char *path;
    const char *root;
    int64_t film_id;
    bool is_extra;
    int part;                /* 1 for single-part films */
    const char *version;     /* NULL when the film has one version */
    const char *extra_type;  /* extras only: trailer, interview, ... */
    const char *extra_title; /* extras only */
} cc_file_place;

/* Inserts or updates (by path) a probed file: its place, size, mtime,
 * fingerprint, and either info (streams, chapters, tags) or probe_error.
 * Returns the file id in *id. */
int cc_file_put(cc_db *db, const cc_file_place *place, int64_t size, int64_t mtime_ns,
                const char *fingerprint, const cm_media_info *info, const char *probe_error,
                int64_t *id, cu_err *err);

/* Updates where a known file is (its path after a move, its film, part,
 * version, extra type) without touching probe results. */
int cc_file_place_update(cc_db *db, int64_t id, const cc_file_place *place, cu_err *err);

/* Records a known file's new size and modification time (after a move
 * that kept its content) without re-probing it. */
int cc_file_touch(cc_db *db, int64_t id, int64_t size, int64_t mtime_ns, cu_err *err);

int cc_file_remove(cc_db *db, int64_t id, cu_err *err);

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

/* Scan errors: one per path, replaced on every scan of that path. */
int cc_scan_error_put(cc_db *db, const char *path, const char *root, const char *kind,
                      const char *message, cu_err *err);
int cc_scan_error_clear(cc_db *db, const char *path, cu_err *err);
/* Drops errors under root for paths not seen by this scan (start time). */
int cc_scan_error_prune(cc_db *db, const char *root, int64_t before, cu_err *err);

#endif
