/* jf_id: the 32-hex GUIDs Jellyfin clients use as item ids, derived from
 * catalog ids so they survive restarts and rescans: a fixed tag, the kind
 * of thing (film, extra, file, person, view, user, genre) and its id,
 * "c1d3ca7e" KKKKKKKK IIIIIIIIIIIIIIII. Things without a catalog id (a
 * library folder, a genre) use a 64-bit hash of their name. Pure; the
 * parser is fuzzed (tests/fuzz/fuzz_jf_id.c). */
#ifndef JF_ID_H
#define JF_ID_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    JF_ID_FILM = 1,
    JF_ID_EXTRA = 2,
    JF_ID_FILE = 3,
    JF_ID_PERSON = 4,
    JF_ID_VIEW = 5,
    JF_ID_USER = 6,
    JF_ID_GENRE = 7,
    JF_ID_SERVER = 8,
} jf_id_kind;

#define JF_ID_CHARS 32

/* Writes the id (lower-case hex, NUL-terminated). */
void jf_id_make(jf_id_kind kind, uint64_t id, char out[JF_ID_CHARS + 1]);
/* The server's id from its key (32 bytes): stable for one catalog's key,
 * not guessable from another server's; the same in HTTP and discovery. */
void jf_server_id(const unsigned char *key, char out[JF_ID_CHARS + 1]);
/* Reads an id, with or without the dashes of the 8-4-4-4-12 form, in
 * either case. 0 with *kind and *id; CU_EPARSE when it is not one of ours. */
int jf_id_parse(const char *s, size_t len, jf_id_kind *kind, uint64_t *id);
/* A stable 63-bit hash of a name (FNV-1a), for ids of things named only. */
uint64_t jf_id_hash(const char *name);

#endif
