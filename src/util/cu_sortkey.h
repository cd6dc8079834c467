/* cu_sortkey: the key a title is shelved by, as a librarian would: a
 * leading article dropped ("The Godfather" under G, "Les Misérables"
 * under M for a French title), accents folded with case to base letters
 * ("Amélie" beside "Amour", not after "Zoo"), punctuation to one space,
 * and numbers in natural order ("2 Fast" before "10 Things", "8½" between
 * them). Pure; the catalog stores the key at write time (cc_shelf.c) and
 * sorts by it with plain byte order.
 *
 *   cu_sortkey("The Godfather", NULL, true)      -> "godfather"
 *   cu_sortkey("La Haine", "fr", true)           -> "haine"
 *   cu_sortkey("La La Land", "en", true)         -> "la la land"
 *   cu_sortkey("L'Atalante", "fr", true)         -> "atalante"
 *   cu_sortkey("Amélie", NULL, true)             -> "amelie"
 *   cu_sortkey("2001: A Space Odyssey", ...)     -> "0000002001 a space odyssey"
 *
 * Hostile input: any bytes; only the first CU_SORTKEY_INPUT_MAX bytes of
 * a title are used, so a key is bounded. */
#ifndef CU_SORTKEY_H
#define CU_SORTKEY_H

#include <stdbool.h>

#define CU_SORTKEY_INPUT_MAX 512
#define CU_SORTKEY_DIGITS 10 /* digit runs are zero-padded to this width */

/* A newly allocated key (free() it) for title. lang: the title's language
 * as an ISO 639-1 or 639-2 code ("es", "spa", "fr-CA") or its English or
 * own name ("Spanish", "Español", any case), or NULL when unknown: then
 * English articles and the foreign ones an English title hardly starts
 * with (Les, Los, Las, Der, Das, Il, Gli, L') are dropped. A known
 * language drops its own articles and English "The". strip_articles is
 * false for a sort title the user chose (Kodi's <sorttitle>): it is only
 * folded. A title that is nothing but an article keeps it. */
char *cu_sortkey(const char *title, const char *lang, bool strip_articles);

/* The ISO 639-1 language of a country (an ISO 3166 alpha-2 code or an
 * English name, any case) whose films are mostly titled in a language
 * with articles we know; NULL otherwise ("Spain" -> "es"). */
const char *cu_sortkey_country_lang(const char *country);

#endif
