/* cc_file: the files the scanner found and what their probes said: which
 * are known, recording a scan's findings (each call a write: group them
 * with cc_writer), and locating one file for streaming. */
#ifndef CC_FILE_H
#define CC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_stream.h"
#include "util/cu_arena.h"

typedef struct cc_file {
    int64_t id;
    char *path;
    int part;
    char *version; /* NULL for the only version */
    int64_t size;
    double duration; /* seconds */
    char *container;
    char *probe_error; /* NULL when probed fine */
    cc_stream *streams;
    size_t stream_count;
    /* A disc's title: "main" or "extra"; NULL for a plain file (and in
     * lists other than cc_edition_list's). */
    char *title_kind;
} cc_file;

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
    const char *version; /* NULL when none */
} cc_known_file;

/* Calls fn for every file under root (strings valid during the call only).
 * fn returning non-zero stops the walk and is returned. */
int cc_file_each_known(cc_db *db, const char *root,
                       int (*fn)(const cc_known_file *file, void *user), void *user, cu_err *err);

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

/* What a probe found in a file, as the catalog stores it (filled by the
 * library from media's probe: cl_facts). Strings are borrowed. */
typedef struct cc_file_facts {
    char container[32];   /* "mkv", "mp4", "avi", ... */
    char format_name[64]; /* libavformat's own name ("matroska,webm") */
    double duration;      /* seconds; 0 when unknown */
    int64_t bit_rate;
    const char *tag_title, *tag_date, *tag_description, *tag_comment; /* NULL when absent */
    const cc_stream *streams;
    size_t stream_count;
    const cc_chapter *chapters;
    size_t chapter_count;
} cc_file_facts;

/* Inserts or updates (by path) a probed file: its place, size, mtime,
 * fingerprint, and either info (streams, chapters, tags) or probe_error.
 * Returns the file id in *id. */
int cc_file_put(cc_db *db, const cc_file_place *place, int64_t size, int64_t mtime_ns,
                const char *fingerprint, const cc_file_facts *info, const char *probe_error,
                int64_t *id, cu_err *err);

/* Updates where a known file is (its path after a move, its film, part,
 * version, extra type) without touching probe results. */
int cc_file_place_update(cc_db *db, int64_t id, const cc_file_place *place, cu_err *err);

/* Records a known file's new size and modification time (after a move
 * that kept its content) without re-probing it. */
int cc_file_touch(cc_db *db, int64_t id, int64_t size, int64_t mtime_ns, cu_err *err);

int cc_file_remove(cc_db *db, int64_t id, cu_err *err);

/* A film's main files, by version then part, with their streams, all
 * allocated from arena. */
int cc_file_list_main(cc_db *db, cu_arena *arena, int64_t film_id, cc_file **files, size_t *count,
                      cu_err *err);

/* What the server needs to stream one file (main or extra) by id. */
typedef struct cc_file_location {
    int64_t id;
    char *path; /* absolute, as found by the scanner */
    char *root; /* the library root it was found under */
    int64_t size;
    int64_t mtime_ns;
    char *container;
    int64_t bit_rate; /* the container's, bits/s; 0 when unknown */
    int disc_title;   /* a disc title's number on its disc; 0 when not a disc */
} cc_file_location;
/* A film's playable main files (probed without error) and its extras:
 * what a browsing client lists under it. */
int cc_file_film_counts(cc_db *db, int64_t film_id, int64_t *mains, int64_t *extras, cu_err *err);
/* The same for n films at once (a page of a browsing client's list), in
 * one statement: mains[i] and extras[i] for film_ids[i]. n at most
 * CC_FILE_COUNTS_MAX. */
#define CC_FILE_COUNTS_MAX 500
int cc_file_films_counts(cc_db *db, const int64_t *film_ids, size_t n, int64_t *mains,
                         int64_t *extras, cu_err *err);

/* CU_ENOTFOUND when no such file. */
int cc_file_locate(cc_db *db, int64_t file_id, cc_file_location *out, cu_err *err);
void cc_file_location_clear(cc_file_location *loc);

#endif
