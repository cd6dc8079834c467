/* dl_view: which films the DLNA tree shows. DLNA has no sign-in, so the
 * admin names the user whose view the LAN gets (--dlna-user): that user's
 * folders and certification limit (cc_scope). Films whose files all lie
 * in offline roots are never listed (a TV cannot play them). Loaded once
 * per request, like the server's own scope. */
#include "dlna/dl_view.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/cc_root.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_scope_cache.h"
#include "util/cu_str.h"
#include "util/cu_log.h"

/* ids minus the sorted drop[] (both ascending), in place. */
static size_t subtract(int64_t *ids, size_t count, const int64_t *drop, size_t drop_count)
{
    size_t out = 0;
    for (size_t i = 0; i < count; i++)
        if (!cc_scope_has(drop, drop_count, ids[i]))
            ids[out++] = ids[i];
    return out;
}

int dl_view_load(dl_ctx *ctx, cu_err *err)
{
    ctx->limited = false;
    ctx->visible = NULL;
    ctx->visible_count = 0;
    ctx->user_id = 0;
    cc_user user = {.all_roots = true};
    bool have_user = false;
    if (ctx->dl->user[0]) {
        int rc = cc_user_find(ctx->db, ctx->dl->user, &user, err);
        if (rc < 0 && rc != CU_ENOTFOUND)
            return rc;
        if (rc == CU_ENOTFOUND || user.disabled) {
            /* The named user is gone or disabled: the LAN sees nothing
             * rather than everything. */
            cu_log(CU_LOG_WARN, "dlna: user %s %s: showing no films", ctx->dl->user,
                   rc == CU_ENOTFOUND ? "does not exist" : "is disabled");
            cc_user_clear(&user);
            ctx->limited = true;
            return 0;
        }
        have_user = true;
        ctx->user_id = user.id;
    }
    int64_t *offline = NULL;
    size_t offline_count = 0;
    int rc = cc_root_offline_film_ids(ctx->db, &offline, &offline_count, err);
    bool restricted = have_user && cc_scope_restricted(&user);
    if (rc == 0 && (restricted || offline_count)) {
        /* An unrestricted user's scope is every film. Kept between
         * requests (cc_scope_cache.h); a copy, the offline ones taken out. */
        cc_user everyone = {.all_roots = true};
        cc_scope_set *set = NULL;
        rc =
            cc_scope_cache_get(ctx->dl->scopes, ctx->db, restricted ? &user : &everyone, &set, err);
        if (rc == 0) {
            const int64_t *ids = cc_scope_set_ids(set, &ctx->visible_count);
            if (ctx->visible_count) {
                ctx->visible = cu_xreallocarray(NULL, ctx->visible_count, sizeof *ids);
                memcpy(ctx->visible, ids, ctx->visible_count * sizeof *ids);
            }
            cc_scope_set_unref(set);
            ctx->visible_count = subtract(ctx->visible, ctx->visible_count, offline, offline_count);
            ctx->limited = true;
        }
    }
    free(offline);
    cc_user_clear(&user);
    return rc;
}

void dl_view_clear(dl_ctx *ctx)
{
    free(ctx->visible);
    ctx->visible = NULL;
    ctx->visible_count = 0;
    ctx->limited = false;
}

bool dl_view_film(const dl_ctx *ctx, int64_t film_id)
{
    return !ctx->limited || cc_scope_has(ctx->visible, ctx->visible_count, film_id);
}

size_t dl_view_narrow(const dl_ctx *ctx, int64_t *ids, size_t count)
{
    if (!ctx->limited)
        return count;
    size_t out = 0;
    for (size_t i = 0; i < count; i++)
        if (cc_scope_has(ctx->visible, ctx->visible_count, ids[i]))
            ids[out++] = ids[i];
    return out;
}

bool dl_view_file(dl_ctx *ctx, int64_t file_id)
{
    if (!ctx->limited)
        return true;
    int64_t film_id = 0;
    char *root = NULL;
    cu_err err = {0};
    bool ok = cc_scope_file_owner(ctx->db, file_id, &film_id, &root, &err) == 0 && film_id > 0 &&
              dl_view_film(ctx, film_id);
    free(root);
    return ok;
}
