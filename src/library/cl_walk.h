/* cl_walk: walking one library root and deciding what is a film, which
 * files are its parts and versions, and which are its special features.
 * Reads the file system only (readdir, stat); knows nothing of the catalog. */
#ifndef CL_WALK_H
#define CL_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "library/cl_name.h"
#include "util/cu_err.h"

/* Bounds on hostile trees. */
#define CL_WALK_MAX_DEPTH 32
#define CL_WALK_MAX_ENTRIES_PER_DIR 100000

typedef struct cl_found_film {
    char *key;      /* stable grouping key: the film's folder, or folder/stem when flat */
    char *dir;      /* the folder it lives in */
    cl_name name;   /* title, year, ids from the folder or file name */
    char *nfo_path; /* movie.nfo or <video>.nfo beside it, NULL when none */
    int64_t nfo_mtime_ns;
    char *poster;   /* poster/folder/cover or <video>-poster image, NULL when none */
    char *backdrop; /* fanart/backdrop/background or <video>-fanart image */
} cl_found_film;

typedef enum {
    CL_DISC_NONE = 0,
    CL_DISC_BLURAY_FOLDER,
    CL_DISC_DVD_FOLDER,
    CL_DISC_IMAGE,
} cl_disc;

typedef struct cl_found_file {
    char *path; /* absolute */
    int64_t size;
    int64_t mtime_ns;
    size_t film; /* index into films */
    bool is_extra;
    int part;               /* 1 unless multi-part */
    char *version;          /* NULL unless the film has several versions */
    const char *extra_type; /* static vocabulary string, extras only */
    char *extra_title;      /* extras only */
    char *nfo_path;         /* extras only: <video>.nfo beside it, NULL when none */
    /* Main files only: the cut and the copy its name says (cl_edition);
     * NULL for the default edition or an unlabelled copy. */
    char *edition;
    char *version_label;
    /* A disc: its folder (path is the folder holding BDMV or VIDEO_TS;
     * size and mtime are its index file's) or an image (a .iso file whose
     * kind the scanner learns by reading it). */
    cl_disc disc;
} cl_found_file;

typedef struct cl_walk_problem {
    char *path;
    char *message;
} cl_walk_problem;

typedef struct cl_walk_result {
    cl_found_film *films;
    size_t film_count, film_cap;
    cl_found_file *files;
    size_t file_count, file_cap;
    /* Folders that could not be read: catalog entries beneath them are kept
     * rather than treated as deleted. */
    char **unreadable;
    size_t unreadable_count, unreadable_cap;
    /* Things worth telling the user (orphan extras, unreadable folders,
     * symlinks leaving the root); none of them stops the walk. */
    cl_walk_problem *problems;
    size_t problem_count, problem_cap;
} cl_walk_result;

/* Called after each folder with the number of video files found so far. */
typedef void (*cl_walk_progress_fn)(size_t found, const char *dir, void *user);

/* Walks root (absolute and canonical, see cu_path_real) and appends what it
 * finds to result. Fails only when root itself cannot be read. */
int cl_walk_root(const char *root, cl_walk_result *result, cl_walk_progress_fn progress, void *user,
                 cu_err *err);
void cl_walk_result_clear(cl_walk_result *result);

#endif
