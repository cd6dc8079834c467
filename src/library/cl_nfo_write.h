/* cl_nfo_write: a film's metadata written as a Kodi-style .nfo, with
 * cinemateca's own additions (<crew role=..>, <release ..>), so that what
 * cl_nfo reads back is what was written. Written whole or not at all
 * (cu_file_replace), the previous file kept as "<name>.bak", and never over
 * an .nfo a person wrote unless the caller says so. */
#ifndef CL_NFO_WRITE_H
#define CL_NFO_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog/cc_film.h"
#include "util/cu_err.h"

/* Who wrote the .nfo at a path. Ours carries a first comment with a check
 * of the rest of the file: a file of ours a person changed since counts as
 * theirs. */
typedef enum {
    CL_NFO_ABSENT,  /* no file there */
    CL_NFO_OURS,    /* written by cl_nfo_write and not changed since */
    CL_NFO_PERSONS, /* written (or changed) by someone else */
} cl_nfo_owner;

int cl_nfo_owner_of(const char *path, cl_nfo_owner *owner, cu_err *err);

/* The document for film (and edition, the file's cut; NULL: none), in
 * UTF-8, malloc'd, NUL-terminated. Uses the film's titles, year, runtime,
 * plot, outline, tagline, premiered, mpaa, genres, countries, studios,
 * tags, set, tmdb and imdb ids, credits, releases and ratings. Strings are
 * written as text (XML's special characters escaped); invalid UTF-8 is
 * repaired and control characters XML cannot hold are dropped. */
int cl_nfo_format(const cc_film *film, const char *edition, char **out, size_t *len, cu_err *err);

/* Writes the document to path. A file there that is not ours is replaced
 * only with overwrite (else -EEXIST, nothing written); a file that was
 * there is kept as path + ".bak". */
int cl_nfo_write(const char *path, const cc_film *film, const char *edition, bool overwrite,
                 cu_err *err);

/* Sets the film's <disctitle> (which title of its disc is the film, as an
 * admin chooses it; number <= 0 removes it, and the disc's own rules
 * choose again) in the .nfo at path, changing nothing else of it: a
 * person's file keeps its other elements, comments and layout; ours stays
 * marked as ours. With no file there, writes film (cl_nfo_format) with
 * it. Whole or not at all; the file that was there kept as path + ".bak".
 * CU_EPARSE when the file there is not a readable .nfo. */
int cl_nfo_set_disc_title(const char *path, const cc_film *film, int number, cu_err *err);

#endif
