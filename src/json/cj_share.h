/* cj_share: a share as the admin sees it, one form for `share list --json`
 * and GET /api/v1/shares. (The public info.json is the server's: it shows
 * far less, see cs_share.c.) */
#ifndef CJ_SHARE_H
#define CJ_SHARE_H

#include <jansson.h>

#include "catalog/cc_share.h"

/* {"id","token","url":"/s/TOKEN","kind":"film"|"extra"|"clip","film_id",
 *  "extra_id","file_id","clip":{"from_ms","to_ms","from","to"}|null,
 *  "title","note","opens_at","closes_at"|null,"view_limit"|null,"views",
 *  "state":"scheduled"|"live"|"expired"|"revoked","available":bool,
 *  "created_by":{"id","name"}|null,"created_at"} */
json_t *cj_share(const cc_share *share, int64_t now);
/* "2026-11-30T17:00:00Z", or null for t <= 0. */
json_t *cj_share_time(int64_t t);

#endif
