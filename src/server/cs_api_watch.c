/* cs_api_watch: watch state over HTTP: progress reports, watched marks,
 * the films in progress, and the "watch" and "offline" members every film
 * and file record carries for the signed-in user (user 0 in local mode).
 *
 * A write is queued on the catalog's watch writer, which commits whatever
 * queued meanwhile in one transaction and then wakes each request; the
 * request waits for that on its connection's own thread (every connection
 * has one), holding no catalog connection, for at most CS_WATCH_WAIT_MS;
 * the reply then says what was stored. */
#include "catalog/cc_browse.h"
#include "catalog/cc_page.h"
#include "catalog/cc_root.h"
#include "catalog/cc_watch.h"
#include "server/cs_internal.h"
#include "server/cs_wake.h"
#include "json/cj_user.h"
#include "json/cj_browse.h"
#include "json/cj_film.h"
#include "json/cj_write.h"
#include "util/cu_log.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONTINUE_DEFAULT 20

/* What the writer leaves for the request (in the wake's own bytes: the
 * request may have given up and be gone when it writes). */
typedef struct watch_answer {
    int result;
    cc_watch stored;
} watch_answer;

static int add_file_watch(cs_request *req, cc_db *db, int64_t file_id, json_t *record, cu_err *err)
{
    cc_watch w;
    if (!record || cc_watch_file_get(db, req->user_id, file_id, &w, err) < 0)
        return record ? CU_EDB : 0;
    json_object_set_new(record, "watch", cj_watch(&w));
    return 0;
}

static int add_film_watch(cs_request *req, cc_db *db, int64_t film_id, json_t *record, cu_err *err)
{
    cc_watch w;
    bool offline;
    if (cc_watch_film_get(db, req->user_id, film_id, &w, err) < 0 ||
        cc_root_film_offline(db, film_id, &offline, err) < 0)
        return CU_EDB;
    json_object_set_new(record, "watch", cj_watch(&w));
    json_object_set_new(record, "offline", json_boolean(offline));
    return 0;
}

void cs_list_head(cu_buf *body, int64_t total, int64_t offset, int64_t limit)
{
    cu_buf_putc(body, '{');
    cj_write_key(body, true, "total");
    cj_write_int(body, total);
    cj_write_key(body, false, "offset");
    cj_write_int(body, offset);
    cj_write_key(body, false, "limit");
    cj_write_int(body, limit);
    cj_write_key(body, false, "items");
}

int cs_watch_page_items(cs_request *req, cc_db *db, const cc_film_page *page, const int64_t *order,
                        size_t order_count, cu_buf *out, size_t *shown_count, cu_err *err)
{
    /* The films shown, in the order shown. */
    size_t n = 0, cap = page->count ? page->count : 1;
    const cc_film_item **shown = cu_xreallocarray(NULL, cap, sizeof *shown);
    if (!order) {
        for (size_t i = 0; i < page->count; i++)
            shown[n++] = &page->items[i];
    } else {
        for (size_t i = 0; i < order_count && n < page->count; i++)
            for (size_t j = 0; j < page->count; j++)
                if (page->items[j].id == order[i]) {
                    shown[n++] = &page->items[j];
                    break;
                }
    }
    /* Their watch state and offline marks: one query each for the page. */
    int64_t *ids = cu_xreallocarray(NULL, cap, sizeof *ids);
    cc_watch *watch = cu_xreallocarray(NULL, cap, sizeof *watch);
    bool *offline = cu_xreallocarray(NULL, cap, sizeof *offline);
    for (size_t i = 0; i < n; i++)
        ids[i] = shown[i]->id;
    int rc = CU_EDB;
    if (cc_page_watch(db, req->user_id, ids, n, watch, err) < 0 ||
        cc_page_offline(db, ids, n, offline, err) < 0)
        goto done;
    cu_buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            cu_buf_putc(out, ',');
        cj_film_item_write(out, shown[i], &watch[i], offline[i]);
    }
    cu_buf_putc(out, ']');
    if (shown_count)
        *shown_count = n;
    rc = 0;
done:
    free(shown);
    free(ids);
    free(watch);
    free(offline);
    return rc;
}

int cs_watch_add_to_film(cs_request *req, cc_db *db, const cc_film *film, json_t *record,
                         cu_err *err)
{
    if (add_film_watch(req, db, film->id, record, err) < 0)
        return CU_EDB;
    json_t *files = json_object_get(record, "files");
    for (size_t i = 0; i < film->file_count && i < json_array_size(files); i++)
        if (add_file_watch(req, db, film->files[i].id, json_array_get(files, i), err) < 0)
            return CU_EDB;
    json_t *extras = json_object_get(record, "extras");
    for (size_t i = 0; i < film->extra_count && i < json_array_size(extras); i++)
        if (add_file_watch(req, db, film->extras[i].file.id, json_array_get(extras, i), err) < 0)
            return CU_EDB;
    return 0;
}

/* Called on the writer's thread once the write is committed or failed
 * (the stored state is written before). */
static void on_written(int result, void *user)
{
    cs_wake *w = user;
    ((watch_answer *)cs_wake_data(w))->result = result;
    cs_wake_signal(w);
}

/* Marks the request as waiting for the writer (on_request then waits) and
 * makes the wait, with the writer's reference taken: a refusal to queue
 * calls on_written at once, which drops it. */
static watch_answer *park(cs_request *req)
{
    req->pending = true;
    req->result = 0;
    req->pending_until = cu_time_mono_ms() + CS_WATCH_WAIT_MS;
    cs_wake_drop(req->wake);
    req->wake = cs_wake_new(sizeof(watch_answer), req);
    cs_wake_hold(req->wake);
    return cs_wake_data(req->wake);
}

void cs_api_watch_wait(cs_request *req)
{
    cs_wake *w = req->wake;
    req->wake = NULL;
    if (w && cs_wake_wait(w, req->pending_until)) {
        const watch_answer *a = cs_wake_data(w);
        req->result = a->result;
        req->stored = a->stored;
    } else {
        cu_log(CU_LOG_WARN, "watch state: the writer did not answer within %d s",
               CS_WATCH_WAIT_MS / 1000);
        req->result = CU_EBUSY;
    }
    cs_wake_drop(w);
}

/* A number member of a JSON object: 1 found, 0 absent, -1 not a usable
 * number of seconds. */
static int seconds(json_t *o, const char *name, double *out)
{
    json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v))
        return -1;
    double d = json_number_value(v);
    if (!isfinite(d) || d < 0 || d > CC_WATCH_MAX_SECONDS)
        return -1;
    *out = d;
    return 1;
}

enum MHD_Result cs_api_progress(cs_request *req)
{
    json_error_t jerr;
    json_t *body =
        req->body ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(body)) {
        json_decref(body);
        return cs_reply_error(req, 400, "bad_request",
                              "the body must be a JSON object: {\"position\":s,\"duration\":s}");
    }
    cc_progress p = {.user_id = req->user_id, .file_id = req->route.id};
    int has_position = seconds(body, "position", &p.position);
    int has_duration = seconds(body, "duration", &p.duration);
    json_decref(body);
    if (has_position != 1 || has_duration < 0)
        return cs_reply_error(req, 400, "bad_request",
                              "position (and duration, when given) must be seconds, 0 to %.0f",
                              CC_WATCH_MAX_SECONDS);
    watch_answer *a = park(req);
    int rc = cc_watch_writer_progress_stored(cs_server_watch_writer(req->server), &p, &a->stored,
                                             on_written, req->wake);
    if (rc < 0)
        on_written(rc, req->wake);
    return MHD_YES;
}

enum MHD_Result cs_api_watched(cs_request *req, bool watched)
{
    watch_answer *a = park(req);
    int rc =
        cc_watch_writer_film_set_stored(cs_server_watch_writer(req->server), req->user_id,
                                        req->route.id, watched, &a->stored, on_written, req->wake);
    if (rc < 0)
        on_written(rc, req->wake);
    return MHD_YES;
}

enum MHD_Result cs_api_watch_finish(cs_request *req)
{
    int rc = req->result;
    if (rc == CU_ENOTFOUND)
        return cs_reply_error(req, 404, "not_found", "no %s with id %lld",
                              req->route.kind == CS_ROUTE_FILE_PROGRESS ? "file" : "film",
                              (long long)req->route.id);
    if (rc == CU_EINVAL)
        return cs_reply_error(req, 400, "bad_request", "position and duration must be seconds");
    if (rc == CU_ELIMIT || rc == CU_EBUSY)
        return cs_reply_error(req, 503, "unavailable", "too many reports at once; try again");
    if (rc < 0)
        return cs_reply_error(req, 500, "internal", "the watch state could not be saved");
    /* Committed: the state as every reader now sees it, read by the
     * writer in the same transaction (no catalog read here: measured, the
     * read-back on this thread's connection was most of a report's CPU
     * on the HTTP threads). */
    json_t *out = json_object();
    json_object_set_new(out, "watch", cj_watch(&req->stored));
    return cs_reply_json(req, 200, out);
}

enum MHD_Result cs_api_continue(cs_request *req)
{
    int64_t limit = CONTINUE_DEFAULT;
    int q = cs_query_int(&req->query, "limit", 1, 500, &limit);
    if (q < 0)
        return cs_reply_error(req, 400, "bad_request", "limit must be between 1 and 500");
    cu_err err = {0};
    cc_db *db = cs_server_db(req->server, &err);
    if (!db)
        return cs_reply_catalog_error(req, &err);
    int64_t *ids = NULL;
    size_t count = 0;
    if (cc_watch_continue(db, req->user_id, (size_t)limit, &ids, &count, &err) < 0)
        return cs_reply_catalog_error(req, &err);
    /* What one played before the admin narrowed one's folders or rating
     * is there still: only the films one may see now are shown. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (cs_auth_film_visible(req, ids[i]))
            ids[kept++] = ids[i];
    count = kept;
    cc_film_page page = {0};
    if (count) {
        cc_film_filter filter = {.ids = ids, .id_count = count, .limit = 500};
        if (cc_browse_films(db, &filter, &page, &err) < 0) {
            free(ids);
            return cs_reply_catalog_error(req, &err);
        }
    }
    /* In the order played, most recent first (the query sorts by title). */
    cu_buf items = CU_BUF_INIT;
    size_t shown = 0;
    int rc = cs_watch_page_items(req, db, &page, ids, count, &items, &shown, &err);
    cc_browse_films_clear(&page);
    free(ids);
    if (rc < 0) {
        cu_buf_free(&items);
        return cs_reply_catalog_error(req, &err);
    }
    cu_buf body = CU_BUF_INIT;
    cs_list_head(&body, (int64_t)shown, 0, limit);
    cu_buf_append(&body, items.data, items.len);
    cu_buf_putc(&body, '}');
    cu_buf_free(&items);
    return cs_reply_json_text(req, 200, cu_buf_take(&body));
}
