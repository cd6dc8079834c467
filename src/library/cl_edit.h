/* cl_edit: a person's edits of a film, kept with the film's files so they
 * survive a fresh catalog: its metadata as an .nfo (cl_nfo_write), its
 * poster and backdrop as "<video>-poster.jpg" and "<video>-fanart.jpg"
 * (the names the scanner looks for). Files first, then the catalog, as
 * the scanner does it: what was written is read back from the disk. */
#ifndef CL_EDIT_H
#define CL_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_film.h"
#include "util/cu_err.h"

#define CL_EDIT_POSTER_WIDTH 1000
#define CL_EDIT_BACKDROP_WIDTH 1920

/* Where a film's edits go (malloc'd paths). */
typedef struct cl_edit_paths {
    char *video;                     /* part 1 of the film's first version */
    char *nfo;                       /* the .nfo the scanner read, else "<video>.nfo" */
    char *poster;                    /* "<video>-poster.jpg" */
    char *backdrop;                  /* "<video>-fanart.jpg" */
    char *poster_now, *backdrop_now; /* the artwork the catalog shows now (NULL: none) */
    bool poster_now_generated;
} cl_edit_paths;

/* CU_ENOTFOUND for no such film; CU_EINVAL for a film with no plain
 * video file to write beside (a disc folder). */
int cl_edit_paths_get(cc_db *db, int64_t film_id, cl_edit_paths *out, cu_err *err);
void cl_edit_paths_clear(cl_edit_paths *paths);

/* Writes meta (and edition, NULL: none) as the film's .nfo; -EEXIST when
 * an .nfo a person wrote is there and overwrite is false. */
int cl_edit_write_nfo(const cl_edit_paths *paths, const cc_film *meta, const char *edition,
                      bool overwrite, cu_err *err);
/* Reads the .nfo just written back into the catalog (db: a writable
 * connection; its own transaction), as a scan would. */
int cl_edit_apply_nfo(cc_db *db, int64_t film_id, const cl_edit_paths *paths, cu_err *err);

/* kind: "poster" or "backdrop". The image open on fd (JPEG, PNG or WebP,
 * decoded within the media module's pixel limit) becomes the film's
 * artwork file, as JPEG; an earlier artwork file of the person's by
 * another name is kept as "<its name>.bak" (the scanner would otherwise
 * prefer it), and the file replaced as "<name>.bak". */
int cl_edit_write_image(const cl_edit_paths *paths, const char *kind, int fd, cu_err *err);
/* The same from the frame at `seconds` into the film. */
int cl_edit_write_frame(const cl_edit_paths *paths, const char *kind, double seconds, cu_err *err);
/* Records the written artwork in the catalog. */
int cl_edit_apply_artwork(cc_db *db, int64_t film_id, const cl_edit_paths *paths, const char *kind,
                          cu_err *err);

#endif
