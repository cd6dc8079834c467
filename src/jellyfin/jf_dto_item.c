/* jf_dto_item: BaseItemDto for films (whole, or as a list row), their
 * special features, and UserItemDataDto from the same watch state the
 * web app shows. */
#include "jellyfin/jf_internal.h"
#include "catalog/cc_artwork.h"
#include "catalog/cc_browse.h"
#include "catalog/cc_edition.h"
#include "catalog/cc_favorite.h"
#include "catalog/cc_page.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_watch.h"
#include "util/cu_arena.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

json_t *jf_result(json_t *items, int64_t total, int64_t start)
{
    return json_pack("{s:o, s:I, s:I}", "Items", items, "TotalRecordCount", (json_int_t)total,
                     "StartIndex", (json_int_t)start);
}

const char *jf_extra_type(const char *type)
{
    static const char *const map[][2] = {
        {"trailer", "Trailer"},
        {"interview", "Interview"},
        {"featurette", "Featurette"},
        {"behind_the_scenes", "BehindTheScenes"},
        {"deleted_scene", "DeletedScene"},
        {"scene", "Scene"},
        {"clip", "Clip"},
        {"short", "Short"},
        {"sample", "Sample"},
    };
    for (size_t i = 0; type && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(type, map[i][0]))
            return map[i][1];
    return "Clip"; /* "other" extras: Jellyfin's nearest kind */
}

/* The tag names the artwork's content as the catalog and the disk know it
 * (path, size, modification time): replacing the picture changes it. */
void jf_image_tag_of(const char *path, char out[17])
{
    struct stat st;
    char key[64];
    uint64_t h = jf_id_hash(path);
    if (stat(path, &st) == 0) {
        snprintf(key, sizeof key, "%lld.%lld.%lld", (long long)st.st_size,
                 (long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec);
        h ^= jf_id_hash(key) * 31;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

bool jf_image_tag(jf_req *r, int64_t film_id, bool backdrop, char out[17])
{
    cu_arena *arena = cu_arena_new();
    char *path = NULL;
    int generated = 0;
    cu_err err = {0};
    bool found = cc_artwork_get(r->db, arena, film_id, backdrop ? "backdrop" : "poster", &path,
                                &generated, &err) == 0 &&
                 path;
    if (found)
        jf_image_tag_of(path, out);
    cu_arena_free(arena);
    return found;
}

json_t *jf_dto_user_data_of(int64_t film_id, const cc_watch *w, bool favorite)
{
    char id[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_FILM, (uint64_t)film_id, id);
    json_t *o =
        json_pack("{s:I, s:I, s:b, s:b, s:s, s:s}", "PlaybackPositionTicks",
                  (json_int_t)(w->position * JF_TICKS), "PlayCount", (json_int_t)w->play_count,
                  "IsFavorite", favorite, "Played", w->watched, "Key", id, "ItemId", id);
    if (w->last_played > 0)
        json_object_set_new(o, "LastPlayedDate", jf_time(w->last_played));
    return o;
}

json_t *jf_dto_user_data(jf_req *r, int64_t film_id, cu_err *err)
{
    cc_watch w;
    bool fav = false;
    if (cc_watch_film_get(r->db, r->user_id, film_id, &w, err) < 0 ||
        cc_favorite_get(r->db, r->user_id, film_id, &fav, err) < 0)
        return NULL;
    return jf_dto_user_data_of(film_id, &w, fav);
}

int jf_page_facts(jf_req *r, cu_arena *arena, const int64_t *ids, size_t count, jf_row_facts *out,
                  cu_err *err)
{
    char **posters = cu_arena_alloc(arena, (count ? count : 1) * sizeof *posters);
    char **backdrops = cu_arena_alloc(arena, (count ? count : 1) * sizeof *backdrops);
    cc_watch *watch = cu_arena_alloc(arena, (count ? count : 1) * sizeof *watch);
    bool *fav = cu_arena_alloc(arena, (count ? count : 1) * sizeof *fav);
    if (cc_page_artwork(r->db, arena, ids, count, posters, backdrops, err) < 0 ||
        cc_page_watch(r->db, r->user_id, ids, count, watch, err) < 0 ||
        cc_page_favorites(r->db, r->user_id, ids, count, fav, err) < 0)
        return CU_EDB;
    for (size_t i = 0; i < count; i++)
        out[i] = (jf_row_facts){posters[i], backdrops[i], watch[i], fav[i]};
    return 0;
}

/* The fields every item of ours has. */
static json_t *base(jf_req *r, jf_id_kind kind, int64_t id, const char *name, const char *type)
{
    char guid[JF_ID_CHARS + 1];
    jf_id_make(kind, (uint64_t)id, guid);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:s, s:[]}", "Name", name,
                     "ServerId", r->server_id, "Id", guid, "Etag", guid, "Type", type, "IsFolder",
                     0, "CanDelete", 0, "LocationType", "FileSystem", "MediaType", "Video",
                     "VideoType", "VideoFile", "ExternalUrls");
}

/* Image tags from the artwork's paths (NULL: none). */
static void add_images(json_t *o, const char *poster_path, const char *backdrop_path)
{
    char tag[17];
    json_t *tags = json_object(), *backdrops = json_array();
    if (poster_path) {
        jf_image_tag_of(poster_path, tag);
        json_object_set_new(tags, "Primary", json_string(tag));
        json_object_set_new(o, "PrimaryImageAspectRatio", json_real(2.0 / 3.0));
    }
    if (backdrop_path) {
        jf_image_tag_of(backdrop_path, tag);
        json_array_append_new(backdrops, json_string(tag));
    }
    json_object_set_new(o, "ImageTags", tags);
    json_object_set_new(o, "BackdropImageTags", backdrops);
}

static json_t *genre_items(const char *const *names, size_t count)
{
    json_t *a = json_array();
    for (size_t i = 0; i < count; i++) {
        char id[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_GENRE, jf_id_hash(names[i]), id);
        json_array_append_new(a, json_pack("{s:s, s:s}", "Name", names[i], "Id", id));
    }
    return a;
}

json_t *jf_dto_film_item(jf_req *r, const cc_film_item *item, const jf_row_facts *facts)
{
    json_t *o = base(r, JF_ID_FILM, item->id, item->title, "Movie");
    if (item->original_title)
        json_object_set_new(o, "OriginalTitle", json_string(item->original_title));
    /* The shelf's key (articles dropped, accents folded, numbers padded),
     * which is what the list is sorted by, as Jellyfin's own SortName. */
    json_object_set_new(o, "SortName", json_string(item->sort_key ? item->sort_key : item->title));
    if (item->year) {
        json_object_set_new(o, "ProductionYear", json_integer(item->year));
        char y[8];
        snprintf(y, sizeof y, "%d", item->year);
        json_object_set_new(o, "PremiereDate", jf_date(y));
    }
    if (item->runtime > 0)
        json_object_set_new(o, "RunTimeTicks",
                            json_integer((json_int_t)item->runtime * 60 * JF_TICKS));
    json_t *genres = json_array();
    const char *names[32];
    size_t n = 0;
    char *copy = item->genres ? cu_xstrdup(item->genres) : NULL, *save = NULL;
    for (char *g = copy ? strtok_r(copy, ",", &save) : NULL; g && n < 32;
         g = strtok_r(NULL, ",", &save)) {
        while (*g == ' ')
            g++;
        names[n++] = g;
        json_array_append_new(genres, json_string(g));
    }
    json_object_set_new(o, "Genres", genres);
    json_object_set_new(o, "GenreItems", genre_items(names, n));
    free(copy);
    add_images(o, facts->poster, facts->backdrop);
    json_object_set_new(o, "UserData",
                        jf_dto_user_data_of(item->id, &facts->watch, facts->favorite));
    return o;
}

static const char *person_kind(const char *job)
{
    static const char *const kinds[][2] = {
        {"actor", "Actor"},       {"director", "Director"}, {"writer", "Writer"},
        {"producer", "Producer"}, {"composer", "Composer"}, {"editor", "Editor"},
    };
    for (size_t i = 0; job && i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcasecmp(job, kinds[i][0]))
            return kinds[i][1];
    return "Unknown";
}

/* A media source's name: the version's label (with the part), or the
 * film's title. */
static void source_name(const cc_film *film, const cc_file *f, char *out, size_t size)
{
    if (f->version && f->part > 1)
        snprintf(out, size, "%s - part %d", f->version, f->part);
    else if (f->version)
        snprintf(out, size, "%s", f->version);
    else if (f->part > 1)
        snprintf(out, size, "%s - part %d", film->title, f->part);
    else
        snprintf(out, size, "%s", film->title);
}

/* The view (library folder) a film belongs to, by its first file's root. */
static void add_parent(jf_req *r, json_t *o, const cc_film *film)
{
    if (!film->file_count)
        return;
    int64_t owner;
    char *root = NULL;
    cu_err err = {0};
    if (cc_scope_file_owner(r->db, film->files[0].id, &owner, &root, &err) == 0 && root) {
        char vid[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_VIEW, jf_id_hash(root), vid);
        json_object_set_new(o, "ParentId", json_string(vid));
    }
    free(root);
}

json_t *jf_dto_film(jf_req *r, const cc_film *film, cu_err *err)
{
    json_t *o = base(r, JF_ID_FILM, film->id, film->title, "Movie");
    if (film->original_title)
        json_object_set_new(o, "OriginalTitle", json_string(film->original_title));
    json_object_set_new(o, "SortName",
                        json_string(film->sort_title ? film->sort_title : film->title));
    json_object_set_new(o, "DateCreated", jf_time(film->added_at));
    json_object_set_new(o, "CanDownload", json_true());
    if (film->plot || film->outline)
        json_object_set_new(o, "Overview", json_string(film->plot ? film->plot : film->outline));
    json_t *taglines = json_array();
    if (film->tagline)
        json_array_append_new(taglines, json_string(film->tagline));
    json_object_set_new(o, "Taglines", taglines);
    if (film->mpaa)
        json_object_set_new(o, "OfficialRating", json_string(film->mpaa));
    json_t *premiere = jf_date(film->premiered);
    if (!premiere && film->year) {
        char y[8];
        snprintf(y, sizeof y, "%d", film->year);
        premiere = jf_date(y);
    }
    if (premiere)
        json_object_set_new(o, "PremiereDate", premiere);
    if (film->year)
        json_object_set_new(o, "ProductionYear", json_integer(film->year));
    double seconds = film->runtime > 0  ? film->runtime * 60.0
                     : film->file_count ? film->files[0].duration
                                        : 0;
    if (seconds > 0)
        json_object_set_new(o, "RunTimeTicks", json_integer((json_int_t)(seconds * JF_TICKS)));
    json_t *ids = json_object();
    if (film->tmdb_id)
        json_object_set_new(ids, "Tmdb", json_string(film->tmdb_id));
    if (film->imdb_id)
        json_object_set_new(ids, "Imdb", json_string(film->imdb_id));
    json_object_set_new(o, "ProviderIds", ids);
    json_t *genres = json_array();
    for (size_t i = 0; i < film->genres.count; i++)
        json_array_append_new(genres, json_string(film->genres.items[i]));
    json_object_set_new(o, "Genres", genres);
    json_object_set_new(o, "GenreItems",
                        genre_items((const char *const *)film->genres.items, film->genres.count));
    json_t *studios = json_array();
    for (size_t i = 0; i < film->studios.count; i++) {
        char sid[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_GENRE, jf_id_hash(film->studios.items[i]) ^ 1, sid);
        json_array_append_new(studios,
                              json_pack("{s:s, s:s}", "Name", film->studios.items[i], "Id", sid));
    }
    json_object_set_new(o, "Studios", studios);
    json_t *countries = json_array();
    for (size_t i = 0; i < film->countries.count; i++)
        json_array_append_new(countries, json_string(film->countries.items[i]));
    json_object_set_new(o, "ProductionLocations", countries);
    json_t *tags = json_array();
    for (size_t i = 0; i < film->tags.count; i++)
        json_array_append_new(tags, json_string(film->tags.items[i]));
    json_object_set_new(o, "Tags", tags);
    for (size_t i = 0; i < film->rating_count; i++)
        if (film->ratings[i].max > 0) {
            json_object_set_new(o, "CommunityRating",
                                json_real(film->ratings[i].value * 10.0 / film->ratings[i].max));
            break;
        }
    json_t *people = json_array();
    for (size_t i = 0; i < film->credit_count; i++) {
        const cc_credit *c = &film->credits[i];
        char pid[JF_ID_CHARS + 1];
        jf_id_make(JF_ID_PERSON, (uint64_t)c->person_id, pid);
        const char *kind = person_kind(c->job);
        const char *role = c->character ? c->character : strcmp(kind, "Unknown") ? kind : c->job;
        json_t *p = json_pack("{s:s, s:s, s:s, s:s}", "Name", c->name, "Id", pid, "Role",
                              role ? role : "", "Type", kind);
        char tag[17];
        if (jf_person_image_tag(c->thumb, tag))
            json_object_set_new(p, "PrimaryImageTag", json_string(tag));
        json_array_append_new(people, p);
    }
    json_object_set_new(o, "People", people);
    int trailers = 0, specials = 0;
    for (size_t i = 0; i < film->extra_count; i++) {
        if (film->extras[i].type && !strcmp(film->extras[i].type, "trailer"))
            trailers++;
        else
            specials++;
    }
    json_object_set_new(o, "LocalTrailerCount", json_integer(trailers));
    json_object_set_new(o, "SpecialFeatureCount", json_integer(specials));
    add_images(o, film->poster, film->backdrop);
    add_parent(r, o, film);
    /* One media source per main file (each version, each part). */
    json_t *sources = json_array();
    for (size_t i = 0; i < film->file_count; i++) {
        char name[512];
        source_name(film, &film->files[i], name, sizeof name);
        json_t *s = jf_dto_media_source(r, film->id, &film->files[i], name, true, err);
        if (!s) {
            json_decref(sources);
            json_decref(o);
            return NULL;
        }
        json_array_append_new(sources, s);
    }
    if (json_array_size(sources)) {
        json_t *first = json_array_get(sources, 0);
        json_object_set(o, "MediaStreams", json_object_get(first, "MediaStreams"));
        json_object_set(o, "Container", json_object_get(first, "Container"));
    }
    json_object_set_new(o, "MediaSourceCount", json_integer((json_int_t)json_array_size(sources)));
    json_object_set_new(o, "MediaSources", sources);
    json_object_set_new(o, "Chapters", json_array());
    json_t *ud = jf_dto_user_data(r, film->id, err);
    if (!ud) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "UserData", ud);
    return o;
}

json_t *jf_dto_extra(jf_req *r, const cc_film *film, const cc_extra *extra)
{
    const char *title = extra->title ? extra->title : "Extra";
    bool trailer = extra->type && !strcmp(extra->type, "trailer");
    json_t *o = base(r, JF_ID_EXTRA, extra->id, title, trailer ? "Trailer" : "Video");
    char fid[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_FILM, (uint64_t)film->id, fid);
    json_object_set_new(o, "ParentId", json_string(fid));
    json_object_set_new(o, "SortName", json_string(title));
    json_object_set_new(o, "ExtraType", json_string(jf_extra_type(extra->type)));
    if (extra->plot)
        json_object_set_new(o, "Overview", json_string(extra->plot));
    if (extra->file.duration > 0)
        json_object_set_new(o, "RunTimeTicks",
                            json_integer((json_int_t)(extra->file.duration * JF_TICKS)));
    /* Its picture: a still from its trickplay sheets, once they are made
     * (an extra has no artwork of its own in the catalog). */
    json_t *tags = json_object();
    char tag[17];
    if (cs_door_still_tag(r->req, extra->file.id, tag)) {
        json_object_set_new(tags, "Primary", json_string(tag));
        json_object_set_new(o, "PrimaryImageAspectRatio", json_real(16.0 / 9.0));
    }
    json_object_set_new(o, "ImageTags", tags);
    json_object_set_new(o, "BackdropImageTags", json_array());
    cu_err err = {0};
    json_t *src = jf_dto_media_source(r, extra->id, &extra->file, title, true, &err);
    json_t *sources = json_array();
    if (src) {
        json_object_set(o, "MediaStreams", json_object_get(src, "MediaStreams"));
        json_object_set(o, "Container", json_object_get(src, "Container"));
        json_array_append_new(sources, src);
    }
    json_object_set_new(o, "MediaSources", sources);
    /* Watch state is kept per file: an extra's own position. */
    cc_watch w;
    if (cc_watch_file_get(r->db, r->user_id, extra->file.id, &w, &err) < 0)
        memset(&w, 0, sizeof w);
    char eid[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_EXTRA, (uint64_t)extra->id, eid);
    json_object_set_new(o, "UserData",
                        json_pack("{s:I, s:I, s:b, s:b, s:s, s:s}", "PlaybackPositionTicks",
                                  (json_int_t)(w.position * JF_TICKS), "PlayCount",
                                  (json_int_t)w.play_count, "IsFavorite", 0, "Played", w.watched,
                                  "Key", eid, "ItemId", eid));
    return o;
}
