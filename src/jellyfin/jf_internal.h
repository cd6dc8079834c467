/* jf_internal: what the Jellyfin door's files share: the request as the
 * door sees it (path split into segments, who asks), replies, and the
 * handlers, one file per area. */
#ifndef JF_INTERNAL_H
#define JF_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_film.h"
#include "catalog/cc_watch.h"
#include "util/cu_arena.h"
#include "jellyfin/jf_authz.h"
#include "jellyfin/jf_id.h"
#include "server/cs_door.h"
#include "server/cs_door_still.h"
#include "server/cs_door_user.h"

/* The version advertised: current clients (10.10 style DTOs) accept it. */
#define JF_VERSION "10.10.7"
#define JF_PRODUCT "Jellyfin Server"
#define JF_TICKS 10000000LL /* 100 ns ticks per second */
#define JF_SEGMENTS_MAX 8
#define JF_SEGMENT_MAX 256

typedef struct jf_req {
    cs_request *req;
    const char *method;
    /* The path after any /Users/{id} alias, lower-cased for matching
     * (seg) and as sent (raw, for names and ids). */
    size_t nseg;
    char seg[JF_SEGMENTS_MAX][JF_SEGMENT_MAX];
    char raw[JF_SEGMENTS_MAX][JF_SEGMENT_MAX];
    jf_authz authz;
    int64_t user_id; /* 0: local mode (or nobody) */
    bool admin, signed_in;
    cc_db *db;
    char server_id[JF_ID_CHARS + 1];
    /* The subtitle format DeliveryUrls name ("vtt" unless a PlaybackInfo's
     * DeviceProfile asks for "srt"); NULL: "vtt". */
    const char *subtitle_format;
} jf_req;

/* A query parameter, its name matched case-insensitively. */
const char *jf_param(jf_req *r, const char *name);
/* 1 and *out when present and a number in [min, max]; 0 when absent;
 * -1 when malformed. */
int jf_param_int(jf_req *r, const char *name, int64_t min, int64_t max, int64_t *out);
/* Whether a comma-separated parameter holds value (case-insensitive). */
bool jf_param_has(jf_req *r, const char *name, const char *value);

/* Every value of a list parameter, repeated ("Genres=a&Genres=b") or
 * split at any of seps ("a|b"), empty ones skipped, each cut to
 * JF_VALUE_MAX - 1 bytes: how many (at most max), or -1 for more. */
#define JF_VALUE_MAX 256
#define JF_VALUES_MAX 64
int jf_param_list(jf_req *r, const char *name, const char *seps, char (*out)[JF_VALUE_MAX],
                  size_t max);

/* Replies: JSON (stolen), 204, 404 with an empty JSON body, errors. */
int jf_reply_json(jf_req *r, unsigned status, json_t *body);
int jf_reply_empty(jf_req *r, unsigned status);
int jf_reply_not_found(jf_req *r);
int jf_reply_error(jf_req *r, unsigned status, const char *message);
/* 400 for an id that is not one of ours or of another kind. */
int jf_reply_catalog(jf_req *r, const cu_err *err);
/* The request body as a JSON object; NULL when malformed (a 400 queued
 * into *ret); an empty body is {}. */
json_t *jf_body(jf_req *r, int *ret);

/* An id from a path segment or parameter: 0 with *id; CU_EPARSE. */
int jf_id_of(const char *s, jf_id_kind want, int64_t *id);
/* An item id that names a film (or an extra: *is_extra). */
int jf_item_of(const char *s, int64_t *id, bool *is_extra);

/* The catalog file an item id (a film, an extra or a file) and an
 * optional MediaSourceId name, visible to the user: 0, or a reply
 * queued into *ret. */
int jf_resolve_file(jf_req *r, const char *id, const char *source, int64_t *file_id, int *ret);

/* ISO 8601 as Jellyfin writes it ("2026-11-30T02:51:05.0000000Z"). */
json_t *jf_time(int64_t t);
/* A catalog date ("2019", "2019-03", "2019-03-22") as an ISO time, or NULL. */
json_t *jf_date(const char *date);

/* Handlers. */
int jf_system_info_public(jf_req *r);
int jf_system_info(jf_req *r);
int jf_system_ping(jf_req *r);
int jf_system_endpoint(jf_req *r);
int jf_branding(jf_req *r);
int jf_branding_css(jf_req *r);
int jf_quick_connect(jf_req *r);
int jf_capabilities(jf_req *r);
int jf_display_preferences(jf_req *r);
int jf_localization(jf_req *r);
int jf_authenticate(jf_req *r);
int jf_users_public(jf_req *r);
int jf_user_me(jf_req *r);
int jf_user_get(jf_req *r, const char *id);
int jf_users_list(jf_req *r);
int jf_logout(jf_req *r);
int jf_views(jf_req *r);
int jf_items(jf_req *r);
int jf_item(jf_req *r, const char *id);
int jf_latest(jf_req *r);
int jf_resume(jf_req *r);
int jf_next_up(jf_req *r);
int jf_similar(jf_req *r, const char *id);
int jf_special_features(jf_req *r, const char *id, bool trailers);
int jf_search_hints(jf_req *r);
int jf_persons(jf_req *r);
int jf_genres(jf_req *r);
int jf_filters(jf_req *r);
int jf_image(jf_req *r, const char *id, const char *type);
int jf_playback_info(jf_req *r, const char *id);
int jf_stream(jf_req *r, const char *id);
int jf_hls(jf_req *r, const char *id, const char *tail);
int jf_subtitle(jf_req *r, const char *id, const char *msid, const char *index, const char *format);
int jf_playing(jf_req *r, const char *what);
int jf_played(jf_req *r, const char *id);
int jf_favorite(jf_req *r, const char *id);

/* DTOs (jf_dto_*.c). */
json_t *jf_dto_user(jf_req *r, int64_t user_id);
/* UserItemDataDto of a film for the request's user. */
json_t *jf_dto_user_data(jf_req *r, int64_t film_id, cu_err *err);
/* A film whole (BaseItemDto with people, media sources, counts). */
json_t *jf_dto_film(jf_req *r, const cc_film *film, cu_err *err);
/* What a list row shows beside its cc_film_item, read for a whole page at
 * once (jf_page_facts): artwork paths (for image tags), watch state and
 * the favourite mark. */
typedef struct jf_row_facts {
    const char *poster, *backdrop; /* NULL: none */
    cc_watch watch;
    bool favorite;
} jf_row_facts;
/* out[i] for ids[i] (at most CC_PAGE_MAX), strings from arena: three
 * catalog statements for the page. */
int jf_page_facts(jf_req *r, cu_arena *arena, const int64_t *ids, size_t count, jf_row_facts *out,
                  cu_err *err);
/* A film in a list: the common fields without a cc_film_get. */
struct cc_film_item;
json_t *jf_dto_film_item(jf_req *r, const struct cc_film_item *item, const jf_row_facts *facts);
/* UserItemDataDto from a film's state. */
json_t *jf_dto_user_data_of(int64_t film_id, const cc_watch *w, bool favorite);
/* An extra of film as a BaseItemDto with its ExtraType. */
json_t *jf_dto_extra(jf_req *r, const cc_film *film, const cc_extra *extra);
/* MediaSourceInfo for one file; transcode: offer the HLS TranscodingUrl. */
json_t *jf_dto_media_source(jf_req *r, int64_t item_id, const cc_file *file, const char *name,
                            bool direct, cu_err *err);
/* The image tag of a film's poster or backdrop; false when none. */
bool jf_image_tag(jf_req *r, int64_t film_id, bool backdrop, char out[17]);
/* The tag of the picture at path (its path, size and modification time). */
void jf_image_tag_of(const char *path, char out[17]);
/* A person's photo (an .nfo thumb that is a local picture): its tag
 * (false when there is none to serve), and the picture, 404 otherwise. */
bool jf_person_image_tag(const char *thumb, char out[17]);
int jf_person_image(jf_req *r, int64_t person_id);
/* Jellyfin's ExtraType for a catalog extra type. */
const char *jf_extra_type(const char *type);
/* A page of items: {"Items":[...],"TotalRecordCount":n,"StartIndex":s}. */
json_t *jf_result(json_t *items, int64_t total, int64_t start);

#endif
