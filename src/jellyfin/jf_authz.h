/* jf_authz: the credentials a Jellyfin client sends, in whichever of its
 * forms: `Authorization` or `X-Emby-Authorization` with the scheme
 * MediaBrowser or Emby and comma-separated Name="value" pairs (quoted or
 * not, values percent-encoded), X-Emby-Token / X-MediaBrowser-Token
 * headers, ApiKey / api_key query parameters. Pure, bounded, fuzzed
 * (tests/fuzz/fuzz_jf_authz.c). */
#ifndef JF_AUTHZ_H
#define JF_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>

#define JF_AUTHZ_VALUE_MAX 256   /* longest value kept, bytes */
#define JF_AUTHZ_HEADER_MAX 4096 /* longest header parsed */

typedef struct jf_authz {
    char client[JF_AUTHZ_VALUE_MAX];
    char device[JF_AUTHZ_VALUE_MAX];
    char device_id[JF_AUTHZ_VALUE_MAX];
    char version[JF_AUTHZ_VALUE_MAX];
    char token[JF_AUTHZ_VALUE_MAX];
} jf_authz;

/* Parses one MediaBrowser/Emby header value into out (fields not given
 * stay ""). 0; CU_EPARSE for another scheme or a malformed list; CU_ELIMIT
 * when too long. A value longer than JF_AUTHZ_VALUE_MAX is an error, not
 * cut (a cut token would be another token). */
int jf_authz_parse(const char *header, jf_authz *out);

#endif
