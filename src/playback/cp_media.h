/* cp_media: one catalog file, found and opened for playback. The catalog
 * says where the scanner saw it and under which library root; the checked
 * opener (cp_file_open, or cp_disc_open for a disc title) opens it, so
 * every read of a playback goes through that one descriptor. */
#ifndef CP_MEDIA_H
#define CP_MEDIA_H

#include <stdint.h>

#include "catalog/cc_file.h"
#include "util/cu_err.h"

/* A catalog file located: the catalog's row and its root made real (a
 * root that no longer resolves means the file is not served). */
typedef struct cp_place {
    cc_file_location loc;
    char *root; /* real */
} cp_place;

/* Errors as the catalog gives them (CU_ENOTFOUND for no such file); also
 * CU_ENOTFOUND "the file is not in the library" when its root is gone.
 * The file itself is not opened. */
int cp_place_find(struct cc_db *db, int64_t file_id, cp_place *out, cu_err *err);
void cp_place_clear(cp_place *p);

/* One file being played: opened by the checked opener (cp_file_open) under
 * its library root, so every read below goes through that descriptor. */
typedef struct cp_media {
    int64_t id;
    int fd;
    char *path;        /* as the scanner found it; sidecars sit beside it */
    char *root;        /* its library root, real */
    char identity[96]; /* "id-size-mtime": changes when the file does */
    struct cc_db *db;  /* the calling thread's catalog: stored indexes come
                         * from it first, sidecars only from it (may be NULL) */
} cp_media;

/* CU_ENOTFOUND when the file is gone, is not a regular file, or leads
 * outside root (a link swapped in since the scan). */
int cp_media_open(cp_media *m, int64_t id, const char *path, const char *root, cu_err *err);
/* The same for a catalog file that may be a disc title: disc_title is the
 * catalog's title number for it (0 when none: a "#NNNNN" suffix, else
 * the disc's own main title). A disc title is read as its stream. */
int cp_media_open_title(cp_media *m, int64_t id, const char *path, int disc_title, const char *root,
                        cu_err *err);
/* A located file, opened; m->db is db (the calling thread's catalog). */
int cp_media_open_place(cp_media *m, const cp_place *p, struct cc_db *db, cu_err *err);
void cp_media_close(cp_media *m);

#endif
