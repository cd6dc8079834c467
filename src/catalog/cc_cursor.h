/* cc_cursor: where a page of the films list ended, as an opaque token
 * (the list's "next", given back as ?after=): the sort it belongs to and
 * the sort key of the page's last film, so the next page is read from
 * the sort's index at that key (a keyset), never by walking an offset.
 *
 * The token is plain URL-safe text ([a-z0-9.-]), at most CC_CURSOR_MAX
 * bytes, ending in a check value over the rest: a token cut short or
 * edited is refused (CU_EINVAL) before anything is read. The check is
 * not a secret: a token made by hand only says where a page starts,
 * which ?offset= says as well. */
#ifndef CC_CURSOR_H
#define CC_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cu_err.h"

#define CC_CURSOR_MAX 1024 /* bytes of a token (a query string is at most 2048) */
#define CC_KEY_TERMS 6     /* values of a sort key, the film id last */
#define CC_KEY_TEXT_MAX                                                                            \
    256 /* bytes of one text value kept (a longer key is cut: the
                               * page after it may then repeat films sharing that start) */

typedef enum { CC_KEY_NULL, CC_KEY_INT, CC_KEY_REAL, CC_KEY_TEXT } cc_key_type;

typedef struct cc_key_value {
    cc_key_type type;
    int64_t i;
    double r;
    char *text; /* owned; CC_KEY_TEXT only */
} cc_key_value;

/* The key of one film in one sort: which sort, its direction and seed,
 * which part of a sort read in parts (cc_browse.c: played, plays,
 * random), and the part's order terms' values. */
typedef struct cc_film_key {
    int sort;
    bool descending;
    uint32_t seed;
    int part;
    int count;
    cc_key_value values[CC_KEY_TERMS];
} cc_film_key;

/* A new token for key (free() it). */
char *cc_cursor_encode(const cc_film_key *key);

/* Reads token into key (cleared first; cc_film_key_clear it after).
 * CU_EINVAL with a message for anything but a token cc_cursor_encode
 * made: too long, an unknown version, a bad check value, a malformed or
 * oversized value, too many values. */
int cc_cursor_decode(const char *token, cc_film_key *key, cu_err *err);

void cc_film_key_clear(cc_film_key *key);

#endif
