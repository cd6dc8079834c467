/* cl_nfo: reading Kodi-style .nfo files (XML) with libxml2, plus
 * cinemateca's own additions (<crew role=..>, <release ..>).
 * Files are hostile: no network, no external entities, no DTD loading,
 * bounded size and entity expansion; invalid UTF-8 is repaired. */
#ifndef CL_NFO_H
#define CL_NFO_H

#include <stddef.h>

#include "util/cu_err.h"

#define CL_NFO_MAX_BYTES (4 * 1024 * 1024)

typedef struct cl_nfo_credit {
    char *name;
    char *job;       /* "actor", "director", "writer", "producer", "composer", ... */
    char *character; /* actors only, else NULL */
    int order;       /* billing order for actors (from <order>, else position) */
    char *thumb;     /* NULL when absent */
} cl_nfo_credit;

typedef struct cl_nfo_release {
    char *type;      /* premiere festival theatrical_limited theatrical digital physical tv */
    char *date;      /* "YYYY-MM-DD" (or "YYYY-MM", "YYYY") */
    char *country;   /* ISO 3166-1 alpha-2 or NULL */
    char *event;     /* festival name */
    char *section;
    char *distributor;
    char *format;    /* "Blu-ray", "DVD", ... */
    char *note;
} cl_nfo_release;

typedef struct cl_nfo_rating {
    char *source;    /* <rating name=".."> */
    double value;
    int votes;
    double max;
} cl_nfo_rating;

typedef struct cl_nfo_uniqueid {
    char *type;      /* "tmdb", "imdb", ... */
    char *value;
} cl_nfo_uniqueid;

typedef struct cl_nfo_list {
    char **items;
    size_t count;
} cl_nfo_list;

typedef struct cl_nfo {
    /* Every string is valid UTF-8 or NULL when the element is absent. */
    char *title, *original_title, *sort_title;
    int year;        /* 0 when absent */
    char *plot, *outline, *tagline;
    int runtime;     /* minutes, 0 when absent */
    char *premiered; /* "YYYY-MM-DD" */
    char *mpaa;
    char *set_name, *set_overview;
    char *edition;   /* <edition>: the cut this file is ("Director's Cut") */
    cl_nfo_list genres, countries, studios, tags;
    cl_nfo_uniqueid *ids;
    size_t id_count;
    cl_nfo_credit *credits;  /* directors, writers (<credits>), actors, crew */
    size_t credit_count;
    cl_nfo_release *releases;
    size_t release_count;
    cl_nfo_rating *ratings;
    size_t rating_count;
    /* Non-fatal problems met while reading ("bad <year>", "unknown release
     * type 'x'"), one per line; NULL when none. */
    char *warnings;
} cl_nfo;

/* Reads and parses the file at path. Fails (negative code, reason in err)
 * on a missing, oversized, malformed or non-<movie> file; the caller then
 * falls back to the next metadata source. */
int cl_nfo_read(const char *path, cl_nfo **out, cu_err *err);
/* The same from memory (len bytes); what the fuzz target drives. */
int cl_nfo_parse(const char *data, size_t len, cl_nfo **out, cu_err *err);
void cl_nfo_free(cl_nfo *nfo);

/* The value of the id of the given type ("tmdb", "imdb"), or NULL. */
const char *cl_nfo_id(const cl_nfo *nfo, const char *type);

#endif
