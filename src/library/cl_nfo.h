/* cl_nfo: reading Kodi-style .nfo files (XML) with libxml2, plus
 * cinemateca's own additions (<crew role=..>, <release ..>).
 * Files are hostile: no network, no external entities, no DTD loading,
 * bounded size and entity expansion; invalid UTF-8 is repaired. */
#ifndef CL_NFO_H
#define CL_NFO_H

#include <stddef.h>

#include "catalog/cc_film.h"
#include "util/cu_err.h"

#define CL_NFO_MAX_BYTES (4 * 1024 * 1024)

/* What an .nfo says: the catalog's one film-metadata record (cc_film:
 * titles, year, synopsis, runtime, dates, set, tmdb and imdb ids, genres,
 * countries, studios, tags, credits, releases, ratings; metadata_source
 * "nfo"), and what was wrong with it. Credits come as directors, writers
 * (<credits>), actors and crew in the order met; an actor's billing is its
 * <order>, else its position. */
typedef struct cl_nfo {
    cc_film *film;
    /* Non-fatal problems met while reading ("bad <year>", "unknown release
     * type 'x'"), one per line, in the film's arena; NULL when none. */
    const char *warnings;
    /* <edition>: the cut this file is ("Director's Cut"), in the film's
     * arena; NULL when absent. A file's fact, not the film's: the library
     * gives it to the file's edition (cl_edition), not to cc_film. */
    const char *edition;
    /* <disctitle>: which title of a disc (Blu-ray playlist or DVD title
     * number) is the film; 0 when absent. */
    int disc_title;
} cl_nfo;

/* Reads and parses the file at path. Fails (negative code, reason in err)
 * on a missing, oversized, malformed or non-<movie> file; the caller then
 * falls back to the next metadata source. */
int cl_nfo_read(const char *path, cl_nfo **out, cu_err *err);
/* The same from memory (len bytes); what the fuzz target drives. */
int cl_nfo_parse(const char *data, size_t len, cl_nfo **out, cu_err *err);
void cl_nfo_free(cl_nfo *nfo);

#endif
