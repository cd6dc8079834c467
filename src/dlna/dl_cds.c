/* dl_cds: ContentDirectory:1 actions: Browse, Search, the capability
 * and update-id queries, and Samsung's X_GetFeatureList / X_SetBookmark. */
#include "catalog/cc_facet.h"
#include "catalog/cc_watch.h"
#include "dlna/dl_didl.h"
#include "dlna/dl_internal.h"
#include "dlna/dl_soap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char search_caps[] =
    "dc:title,dc:date,dc:creator,dc:description,upnp:class,upnp:genre,upnp:director,"
    "upnp:actor,upnp:artist,@refID";
static const char sort_caps[] = "dc:title,dc:date";

static unsigned fault(cu_buf *reply, int code, const char *text)
{
    dl_soap_fault(reply, code, text);
    return 500;
}

/* A ui4 argument; missing or empty counts as 0. false when malformed. */
static bool ui4_arg(const dl_soap_call *call, const char *name, int64_t *out)
{
    const char *s = dl_soap_arg(call, name);
    *out = 0;
    if (!s || !*s)
        return true;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 4294967295LL)
        return false;
    *out = v;
    return true;
}

static const char *error_text(int code)
{
    switch (code) {
    case 701: return "No such object";
    case 708: return "Unsupported or invalid search criteria";
    case 709: return "Unsupported or invalid sort criteria";
    case 710: return "No such container";
    default: return "Action failed";
    }
}

static unsigned result_reply(dl_ctx *ctx, const dl_soap_call *call, cu_buf *didl, int64_t returned,
                             int64_t total, cu_buf *reply)
{
    uint32_t update = 0;
    cu_err err = {0};
    cc_facet_update_stamp(ctx->db, &update, &err);
    char nr[24], tm[24], up[16];
    snprintf(nr, sizeof nr, "%" PRId64, returned);
    snprintf(tm, sizeof tm, "%" PRId64, total);
    snprintf(up, sizeof up, "%" PRIu32, update);
    const char *values[] = {"Result",
                            didl->data ? didl->data : "",
                            "NumberReturned",
                            nr,
                            "TotalMatches",
                            tm,
                            "UpdateID",
                            up,
                            NULL};
    dl_soap_reply(reply, DL_CDS_TYPE, call->action, values);
    return 200;
}

static unsigned browse(dl_ctx *ctx, const dl_soap_call *call, cu_buf *reply, bool search)
{
    const char *id = dl_soap_arg(call, search ? "ContainerID" : "ObjectID");
    const char *flag = dl_soap_arg(call, "BrowseFlag");
    dl_page page = {.sort = dl_soap_arg(call, "SortCriteria")};
    if (!id || !ui4_arg(call, "StartingIndex", &page.start) ||
        !ui4_arg(call, "RequestedCount", &page.count))
        return fault(reply, 402, "Invalid Args");
    cu_buf didl = {0};
    dl_didl_begin(&didl);
    int64_t returned = 0, total = 0;
    int code;
    if (search) {
        const char *criteria = dl_soap_arg(call, "SearchCriteria");
        code = dl_search(ctx, id, criteria ? criteria : "*", &page, &didl, &returned, &total);
    } else if (flag && !strcmp(flag, "BrowseMetadata")) {
        code = dl_tree_metadata(ctx, id, &didl);
        returned = total = code ? 0 : 1;
    } else if (flag && !strcmp(flag, "BrowseDirectChildren")) {
        code = dl_tree_children(ctx, id, &page, &didl, &returned, &total);
    } else {
        cu_buf_free(&didl);
        return fault(reply, 402, "Invalid Args");
    }
    unsigned status;
    if (code) {
        status = fault(reply, code, error_text(code));
    } else {
        dl_didl_end(&didl);
        status = result_reply(ctx, call, &didl, returned, total, reply);
    }
    cu_buf_free(&didl);
    return status;
}

static void bookmark_done(int result, void *user)
{
    (void)result, (void)user; /* the TV does not wait for the write */
}

/* Samsung's X_SetBookmark(CategoryType, RID, ObjectID, PosSecond): where
 * the viewer stopped, recorded as the view's user's position in that
 * file (the same watch state the web app resumes from). */
static unsigned set_bookmark(dl_ctx *ctx, const dl_soap_call *call, cu_buf *reply)
{
    const char *object = dl_soap_arg(call, "ObjectID");
    int64_t pos = 0;
    if (!object || !ui4_arg(call, "PosSecond", &pos))
        return fault(reply, 402, "Invalid Args");
    int64_t file_id = dl_tree_object_file(ctx, object);
    if (file_id <= 0)
        return fault(reply, 701, "No such object");
    if (!ctx->watch)
        return fault(reply, 501, "Action failed: watch state is not available");
    cc_progress p = {.user_id = ctx->user_id, .file_id = file_id, .position = (double)pos};
    if (cc_watch_writer_progress(ctx->watch, &p, bookmark_done, NULL) < 0)
        return fault(reply, 501, "Action failed: too many bookmarks at once");
    dl_soap_reply(reply, DL_CDS_TYPE, call->action, NULL);
    return 200;
}

unsigned dl_cds_action(dl_ctx *ctx, const dl_soap_call *call, cu_buf *reply)
{
    const char *a = call->action;
    if (!strcmp(a, "Browse"))
        return browse(ctx, call, reply, false);
    if (!strcmp(a, "Search"))
        return browse(ctx, call, reply, true);
    if (!strcmp(a, "GetSearchCapabilities")) {
        const char *v[] = {"SearchCaps", search_caps, NULL};
        dl_soap_reply(reply, DL_CDS_TYPE, a, v);
        return 200;
    }
    if (!strcmp(a, "GetSortCapabilities")) {
        const char *v[] = {"SortCaps", sort_caps, NULL};
        dl_soap_reply(reply, DL_CDS_TYPE, a, v);
        return 200;
    }
    if (!strcmp(a, "GetSystemUpdateID")) {
        uint32_t update = 0;
        cu_err err = {0};
        if (cc_facet_update_stamp(ctx->db, &update, &err) < 0)
            return fault(reply, 501, "Action failed");
        char up[16];
        snprintf(up, sizeof up, "%" PRIu32, update);
        const char *v[] = {"Id", up, NULL};
        dl_soap_reply(reply, DL_CDS_TYPE, a, v);
        return 200;
    }
    if (!strcmp(a, "X_GetFeatureList")) {
        /* Samsung's BASICVIEW: where its video view starts. */
        const char *v[] = {
            "FeatureList",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<Features xmlns=\"urn:schemas-upnp-org:av:avs\""
            " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
            " xsi:schemaLocation=\"urn:schemas-upnp-org:av:avs http://www.upnp.org/schemas/av/avs.xsd\">"
            "<Feature name=\"samsung.com_BASICVIEW\" version=\"1\">"
            "<container id=\"films/all\" type=\"object.item.videoItem\"/>"
            "</Feature></Features>",
            NULL};
        dl_soap_reply(reply, DL_CDS_TYPE, a, v);
        return 200;
    }
    if (!strcmp(a, "X_SetBookmark"))
        return set_bookmark(ctx, call, reply);
    return fault(reply, 401, "Invalid Action");
}
