/* dl_view: the films the DLNA tree shows (the --dlna-user's scope, no
 * offline films). See dl_view.c. */
#ifndef DL_VIEW_H
#define DL_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dlna/dl_internal.h"

/* Fills ctx's view (ctx->dl and ctx->db set). 0 or a negative code. */
int dl_view_load(dl_ctx *ctx, cu_err *err);
void dl_view_clear(dl_ctx *ctx);
/* Whether the film may be shown. */
bool dl_view_film(const dl_ctx *ctx, int64_t film_id);
/* Keeps only the visible ids (order kept); returns how many are left. */
size_t dl_view_narrow(const dl_ctx *ctx, int64_t *ids, size_t count);
/* Whether the file (a main file or an extra) belongs to a visible film. */
bool dl_view_file(dl_ctx *ctx, int64_t file_id);

#endif
