/* Unit tests for the Jellyfin door's pure parts (ids, the authorization
 * header, DeviceProfile decisions, which paths are the door's) and its
 * catalog additions (favourites, a folder's films). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/cc_db.h"
#include "catalog/cc_favorite.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_scope.h"
#include "catalog/cc_writer.h"
#include "jellyfin/jf_authz.h"
#include "jellyfin/jf_door.h"
#include "jellyfin/jf_id.h"
#include "jellyfin/jf_profile.h"
#include "util/cu_err.h"

static void test_ids(void **state)
{
    (void)state;
    char out[JF_ID_CHARS + 1];
    jf_id_make(JF_ID_FILM, 7, out);
    assert_string_equal(out, "c1d3ca7e000000010000000000000007");
    jf_id_kind kind;
    uint64_t id;
    assert_int_equal(jf_id_parse(out, strlen(out), &kind, &id), 0);
    assert_int_equal(kind, JF_ID_FILM);
    assert_int_equal(id, 7);
    /* The dashed form, in capitals, is the same id. */
    const char *dashed = "C1D3CA7E-0000-0003-0000-0000000000FF";
    assert_int_equal(jf_id_parse(dashed, strlen(dashed), &kind, &id), 0);
    assert_int_equal(kind, JF_ID_FILE);
    assert_int_equal(id, 255);
    /* Stable: the same catalog id gives the same GUID on every run. */
    jf_id_make(JF_ID_PERSON, UINT64_C(0x7fffffffffffffff), out);
    assert_string_equal(out, "c1d3ca7e000000047fffffffffffffff");
    const char *bad[] = {"",
                         "c1d3ca7e00000001000000000000000",   /* 31 */
                         "c1d3ca7e0000000100000000000000077", /* 33 */
                         "c1d3ca7e00000009000000000000000f",  /* no such kind */
                         "0123456789abcdef0123456789abcdef",  /* not ours */
                         "c1d3ca7e00000001000000000000000g",  /* not hex */
                         "c1d3ca7e-00000001-0000-0000-00000007"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(jf_id_parse(bad[i], strlen(bad[i]), &kind, &id), CU_EPARSE);
    assert_int_equal(jf_id_hash("/films"), jf_id_hash("/films"));
    assert_int_not_equal(jf_id_hash("/films"), jf_id_hash("/films2"));
}

static void test_authz(void **state)
{
    (void)state;
    jf_authz a;
    assert_int_equal(jf_authz_parse("MediaBrowser Client=\"Jellyfin Web\", Device=\"Firefox\", "
                                    "DeviceId=\"TW96aWxsYQ%3D%3D\", Version=\"10.10.7\", "
                                    "Token=\"abc\"",
                                    &a),
                     0);
    assert_string_equal(a.client, "Jellyfin Web");
    assert_string_equal(a.device, "Firefox");
    assert_string_equal(a.device_id, "TW96aWxsYQ==");
    assert_string_equal(a.version, "10.10.7");
    assert_string_equal(a.token, "abc");
    /* Emby, unquoted values, names in any case, unknown names skipped. */
    assert_int_equal(jf_authz_parse("Emby UserId=\"u\", client=Kodi,token=t%20t", &a), 0);
    assert_string_equal(a.client, "Kodi");
    assert_string_equal(a.token, "t t");
    assert_int_equal(jf_authz_parse("mediabrowser", &a), 0);
    assert_string_equal(a.token, "");
    const char *bad[] = {"Bearer abc",
                         "MediaBrowser Token=\"abc",
                         "MediaBrowser Token",
                         "MediaBrowser Token=\"a%zz\"",
                         "MediaBrowser Token=\"a%0ab\"",
                         "MediaBrowser Token=a b",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_true(jf_authz_parse(bad[i], &a) < 0);
    /* A value longer than a field is refused, not cut. */
    char longer[600] = "MediaBrowser Token=\"";
    memset(longer + strlen(longer), 'x', 300);
    strcat(longer, "\"");
    assert_int_equal(jf_authz_parse(longer, &a), CU_ELIMIT);
}

static void test_profile(void **state)
{
    (void)state;
    json_error_t e;
    json_t *p = json_loads("{\"DirectPlayProfiles\":[{\"Container\":\"mp4,m4v\",\"Type\":"
                           "\"Video\",\"VideoCodec\":\"h264\",\"AudioCodec\":\"aac,mp3\"},"
                           "{\"Container\":\"mkv\",\"Type\":\"Audio\"}]}",
                           0, &e);
    assert_non_null(p);
    assert_true(jf_profile_direct(p, "mp4", "h264", "aac"));
    assert_true(jf_profile_direct(p, "mov", "avc", "aac")); /* aliases */
    assert_false(jf_profile_direct(p, "mp4", "hevc", "aac"));
    assert_false(jf_profile_direct(p, "mp4", "h264", "ac3"));
    assert_false(jf_profile_direct(p, "mkv", "h264", "aac")); /* an audio profile */
    assert_true(jf_profile_direct(p, "mp4", "h264", NULL));   /* no audio stream */
    json_decref(p);
    assert_true(jf_profile_direct(NULL, "avi", "mpeg4", "mp3")); /* no profile */
    p = json_loads("{\"DirectPlayProfiles\":[]}", 0, &e);
    assert_false(jf_profile_direct(p, "mp4", "h264", "aac"));
    json_decref(p);
    assert_true(jf_profile_list_has(NULL, "mkv"));
    assert_true(jf_profile_list_has("webm, matroska", "mkv"));
    assert_false(jf_profile_list_has("mp4", ""));
}

static void test_match(void **state)
{
    (void)state;
    assert_true(jf_door_match("/System/Info/Public"));
    assert_true(jf_door_match("/system/ping"));
    assert_true(jf_door_match("/Users/AuthenticateByName"));
    assert_true(jf_door_match("/ITEMS?Limit=1"));
    assert_true(jf_door_match("/Videos/x/stream.mp4"));
    assert_true(jf_door_match("/items"));
    /* The web app's and the native API's paths are not the door's. */
    assert_false(jf_door_match("/"));
    assert_false(jf_door_match("/api/v1/films"));
    assert_false(jf_door_match("/film/7"));
    assert_false(jf_door_match("/app.js"));
    assert_false(jf_door_match("/itemsx"));
    assert_false(jf_door_match("/dlna/description.xml"));
}

static char db_path[512];

static void test_favorites(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-jellyfin-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    cc_db *db;
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err), 0);
    cc_writer *w = cc_writer_new(db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    int64_t a, b, fa, fb;
    cc_film_names na = {.title = "Alpha"}, nb = {.title = "Beta"};
    assert_int_equal(cc_film_ensure(db, "/one/Alpha", &na, &a, &err), 0);
    assert_int_equal(cc_film_ensure(db, "/two/Beta", &nb, &b, &err), 0);
    cc_file_facts info = {.container = "mkv", .duration = 10.0};
    cc_file_place pa = {.path = "/one/Alpha/Alpha.mkv", .root = "/one", .film_id = a, .part = 1};
    cc_file_place pb = {.path = "/two/Beta/Beta.mkv", .root = "/two", .film_id = b, .part = 1};
    assert_int_equal(cc_file_put(db, &pa, 1, 1, "a", &info, NULL, &fa, &err), 0);
    assert_int_equal(cc_file_put(db, &pb, 1, 1, "b", &info, NULL, &fb, &err), 0);
    assert_int_equal(cc_favorite_set(db, 3, b, true, 100, &err), 0);
    assert_int_equal(cc_favorite_set(db, 3, b, true, 101, &err), 0); /* twice: once */
    assert_int_equal(cc_favorite_set(db, 4, a, true, 100, &err), 0);
    assert_int_equal(cc_favorite_set(db, 3, 999, true, 100, &err), CU_ENOTFOUND);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    bool fav;
    assert_int_equal(cc_favorite_get(db, 3, b, &fav, &err), 0);
    assert_true(fav);
    assert_int_equal(cc_favorite_get(db, 3, a, &fav, &err), 0);
    assert_false(fav);
    int64_t *ids;
    size_t count;
    assert_int_equal(cc_favorite_list(db, 3, &ids, &count, &err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(ids[0], b);
    free(ids);
    assert_int_equal(cc_favorite_set(db, 3, b, false, 102, &err), 0);
    assert_int_equal(cc_favorite_list(db, 3, &ids, &count, &err), 0);
    assert_int_equal(count, 0);
    free(ids);
    /* A library folder's films. */
    assert_int_equal(cc_scope_root_film_ids(db, "/two", &ids, &count, &err), 0);
    assert_int_equal(count, 1);
    assert_int_equal(ids[0], b);
    free(ids);
    assert_int_equal(cc_scope_root_film_ids(db, "/nowhere", &ids, &count, &err), 0);
    assert_int_equal(count, 0);
    free(ids);
    cc_db_close(db);
    const char *suffixes[] = {"", "-wal", "-shm", ".lock"};
    for (size_t i = 0; i < 4; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", db_path, suffixes[i]);
        unlink(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),       cmocka_unit_test(test_authz),
        cmocka_unit_test(test_profile),   cmocka_unit_test(test_match),
        cmocka_unit_test(test_favorites),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
