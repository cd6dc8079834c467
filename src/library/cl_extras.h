/* cl_extras: recognising special features (trailers, interviews, ...) by
 * folder and by file name. The vocabulary is fixed:
 * trailer featurette interview behind_the_scenes deleted_scene scene clip
 * short sample other. */
#ifndef CL_EXTRAS_H
#define CL_EXTRAS_H

#include <stdbool.h>

/* The extra type a subfolder name stands for (case-insensitive; spaces,
 * '_', '.' and '-' ignored; singular forms accepted):
 * "Trailers" -> "trailer", "Behind The Scenes" -> "behind_the_scenes",
 * "Extras" -> "other", ...; NULL when the folder is not an extras folder. */
const char *cl_extras_folder_type(const char *dirname);

/* The extra type a file stem announces with a suffix ("Film-trailer",
 * "Film.interview", "Film_deletedscene", "Film extra"; case-insensitive,
 * after '-', '.', '_' or a space) or by being exactly "trailer" or
 * "sample". On a match stores the stem without the suffix and without the
 * separators before it in base (size basesize; "" for the exact names; cut
 * at a UTF-8 boundary if it does not fit) and returns the type; returns
 * NULL otherwise. The space form also matches a film's own name ("The
 * Short", "Crime Scene"), so callers should not apply it to the main video
 * of a film folder. */
const char *cl_extras_suffix_type(const char *stem, char *base, int basesize);

/* True when type is one of the vocabulary's words. */
bool cl_extras_type_valid(const char *type);

/* A human title for an extra from its stem: separators become spaces,
 * the suffix is dropped ("Pedro_Almodovar-interview" -> "Pedro Almodovar").
 * Underscores always separate words, dots only when they outnumber spaces.
 * When nothing is left but the type ("trailer", "-deleted") the title is
 * the type's name ("Trailer", "Deleted scene"). Invalid UTF-8 becomes
 * U+FFFD; a title too long for titlesize is cut between code points. */
void cl_extras_title(const char *stem, char *title, int titlesize);

#endif
