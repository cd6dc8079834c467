/* cl_edition: what a file name says about which cut of a film it is (its
 * edition), which copy of that cut (its version label) and which piece of
 * the copy (its part). Pure string work on hostile input: bounded, never
 * reads past the string, never fails.
 *
 * Examples (folder, stem -> edition | version | part):
 *   "", "Blade Runner (1982) {edition-Final Cut} - 4K"  -> "Final Cut" | "4K" |
 * 0 "Film (2001)", "Film (2001) - Director's Cut - Part 1" -> "Director's Cut"
 * | "" | 1 "Film (2001)", "Film (2001) - 2160p HDR"            -> "" | "4K HDR"
 * | 0 "Film (2001) {edition-Extended}", "Film (2001)"     -> "Extended" | "" |
 * 0
 *   "", "Alien.1979.Directors.Cut.1080p.BluRay.x264"    -> "Director's Cut" |
 * "1080p Blu-ray H.264" | 0 "Film (2001)", "Film (2001) - Criterion" -> "" |
 * "Criterion" | 0 */
#ifndef CL_EDITION_H
#define CL_EDITION_H

#include <stdbool.h>
#include <stddef.h>

#define CL_EDITION_MAX 128

typedef struct cl_edition {
    char edition[CL_EDITION_MAX]; /* the cut; "" for the film's default edition */
    char version[CL_EDITION_MAX]; /* the copy's label; "" when it has none */
    int part;                     /* 1..99 when the name carries a part token, else 0 */
} cl_edition;

/* Reads a file stem and the name of the folder it is in (folder may be
 * NULL or ""). The edition comes from "{edition-X}" (Plex's convention) in
 * the stem, else in the folder, else from a " - " label that names a cut
 * ("Director's Cut", "Final Cut", "Extended", "Theatrical", "Unrated",
 * "Black and White", "Restored", "IMAX", anything ending in "Cut" or
 * "Edition"), else from cut words after the year in a dotted release name.
 * Labels are the " - " segments after the film's name (the folder's name
 * when the stem starts with it, else the part up to the year); a segment
 * made only of release words (resolution, HDR, source, codec, remaster) is
 * normalised ("2160p HDR10" -> "4K HDR"), any other is kept as written.
 * Strings are display-safe (see cl_name_copy_display) and cut to fit. */
void cl_edition_from_name(const char *folder, const char *stem, cl_edition *out);

/* The same for a label alone ("Director's Cut - 4K", "1080p"), as older
 * catalogs stored it: splits it into edition, version and part. */
void cl_edition_from_label(const char *label, cl_edition *out);

/* Whether text names a cut of the film (see cl_edition_from_name). */
bool cl_edition_names_cut(const char *text);

/* "Director's Cut · 4K HDR", "Director's Cut", "4K HDR" or "" into out
 * (always terminated). Returns the length written. */
size_t cl_edition_display(const cl_edition *e, char *out, size_t outsize);

#endif
