/* cm_sprite: trickplay sheets, the small frames a player shows above its
 * seek bar while the viewer scrubs. One frame every `interval` seconds,
 * scaled to `tile_width` pixels (height from the display aspect), laid out
 * `columns` across and at most `rows` down per JPEG sheet; a long film gets
 * several sheets. A manifest (plain text, written last) names the layout, so
 * its presence means every sheet is complete.
 *
 * Bounded: at most CM_SPRITE_MAX_TILES tiles (a longer film gets a longer
 * interval), a deadline per tile, a bounded number of frames decoded per
 * tile, sources larger than 16384x16384 refused. */
#ifndef CM_SPRITE_H
#define CM_SPRITE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

#define CM_SPRITE_MAX_TILES 2000
#define CM_SPRITE_MAX_SHEETS 64
#define CM_SPRITE_MAX_TILE_WIDTH 640

typedef struct cm_sprite_info {
    double interval; /* seconds between two tiles */
    int tile_width, tile_height;
    int columns, rows; /* a sheet's grid (the last sheet may be shorter) */
    int tiles;         /* frames in all */
    int sheets;        /* JPEG files: <base>-0.jpg ... */
} cm_sprite_info;

typedef struct cm_sprite_options {
    double interval;   /* <= 0: 10 s */
    int tile_width;    /* <= 0: 160 */
    int columns, rows; /* <= 0: 10 and 10 */
    /* Either may be NULL; non-zero stops between tiles (CU_ELIMIT). */
    volatile sig_atomic_t *cancel, *yield;
} cm_sprite_options;

/* Reads the video open on fd (borrowed; read through the hardened source,
 * nothing opened by name; name only names it) and writes base-N.jpg for
 * every sheet and then base.txt, the manifest, each atomically (temporary
 * name, rename). CU_EMEDIA when the file has no decodable video. */
int cm_sprite_make(int fd, const char *name, const cm_sprite_options *opt, const char *base,
                   cm_sprite_info *out, cu_err *err);

/* Where the sheets of one file version live: dir/ID-SIZE-MTIME (malloc'd),
 * so a file changed since is never shown another's frames. The background
 * pass writes there and the server reads there: one name, one function. */
char *cm_sprite_base(const char *dir, int64_t file_id, int64_t size, int64_t mtime_ns);

/* Parses a manifest's text (at most 1 KiB is looked at): CU_EPARSE when it
 * is not one or its numbers are out of range. Pure (fuzzable). */
int cm_sprite_manifest_parse(const char *text, size_t len, cm_sprite_info *out, cu_err *err);
/* Reads base.txt and parses it: -ENOENT when there is none. */
int cm_sprite_manifest_read(const char *base, cm_sprite_info *out, cu_err *err);

#endif
