/* cs_sign: signed URLs for players that send no cookie (VLC, TVs,
 * ffmpeg). A signature binds one user, one file, an expiry and the
 * user's generation (moved on by "sign out everywhere", a new password or
 * disabling), with HMAC-SHA256 under the server key:
 *   sig = USER "." EXPIRES "." GENERATION "." base64url(HMAC(key,
 *         "cinemateca-sig-v1" \n FILE \n USER \n EXPIRES \n GENERATION))
 * It opens that file's stream, HLS playlists, segments and subtitles and
 * nothing else. Pure; the parser is fuzzed (tests/fuzz/fuzz_sign.c). */
#ifndef CS_SIGN_H
#define CS_SIGN_H

#include <stddef.h>
#include <stdint.h>

#define CS_SIGN_KEY_BYTES 32
#define CS_SIG_MAX 128 /* longest sig value accepted */

/* Writes the sig value into out (CS_SIG_MAX bytes). */
void cs_sign_make(const unsigned char key[CS_SIGN_KEY_BYTES], int64_t file_id, int64_t user_id,
                  int64_t expires_at, int64_t generation, char out[CS_SIG_MAX]);

/* Checks sig for file_id at now. 0 with *user_id and *generation set when
 * the signature is right and not expired; CU_EPARSE when malformed,
 * CU_EINVAL when the MAC does not match (another file, tampered),
 * CU_ELIMIT when expired. The MAC is compared in constant time. */
int cs_sign_check(const unsigned char key[CS_SIGN_KEY_BYTES], int64_t file_id, const char *sig,
                  int64_t now, int64_t *user_id, int64_t *generation);

/* A copy of an HLS playlist with "sig=SIG" added to the query of every
 * relative URI (lines that are not tags, and URI="..." attributes), so
 * a player that follows them keeps its permission. Absolute URIs and
 * data: URIs are left alone. NULL when text is too large (over 16 MiB). */
char *cs_sign_playlist(const char *text, const char *sig);

#endif
