/* Unit tests for shares (cc_share), the times people type for them
 * (cu_when) and a clip's segment plan (cm_hls_plan_new_timed_range): what
 * a share refuses, its states over time, the view limit, a share set aside
 * when its file leaves the catalog and found again when it returns. */
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
#include "catalog/cc_extra.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_share.h"
#include "catalog/cc_user.h"
#include "catalog/cc_writer.h"
#include "media/cm_hls_plan.h"
#include "util/cu_err.h"
#include "util/cu_when.h"

static char db_path[512];

typedef struct fixture {
    cc_db *db;
    int64_t film, file, other_film;
} fixture;

static int setup(void **state)
{
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-share-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    unlink(db_path);
    fixture *f = calloc(1, sizeof *f);
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &f->db, &err), 0);
    cc_writer *w = cc_writer_new(f->db, 0);
    assert_int_equal(cc_writer_begin(w, &err), 0);
    cc_film_names names = {.title = "Pain and Glory"};
    assert_int_equal(cc_film_ensure(f->db, "/films/Pain and Glory (2019)", &names, &f->film, &err),
                     0);
    cc_file_facts info = {.container = "mkv", .duration = 100.0};
    cc_file_place place = {.path = "/films/Pain and Glory (2019)/film.mkv",
                           .root = "/films",
                           .film_id = f->film,
                           .part = 1};
    assert_int_equal(cc_file_put(f->db, &place, 1000, 42, "print", &info, NULL, &f->file, &err), 0);
    cc_film_names other = {.title = "No Files"};
    assert_int_equal(cc_film_ensure(f->db, "/films/No Files", &other, &f->other_film, &err), 0);
    assert_int_equal(cc_writer_commit(w, &err), 0);
    cc_writer_free(w);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cc_db_close(f->db);
    free(f);
    const char *suffixes[] = {"", "-wal", "-shm", ".lock"};
    for (size_t i = 0; i < 4; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s", db_path, suffixes[i]);
        unlink(p);
    }
    return 0;
}

static const int64_t NOW = 1800000000;

static int add(fixture *f, const cc_share_new *spec, char token[CC_SHARE_TOKEN_CHARS + 1],
               int64_t *id)
{
    cu_err err = {0};
    return cc_share_add(f->db, spec, NOW, token, id, &err);
}

static void test_when(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(cu_when_parse("now", NOW, &t), 0);
    assert_int_equal(t, NOW);
    assert_int_equal(cu_when_parse("+1h", NOW, &t), 0);
    assert_int_equal(t, NOW + 3600);
    assert_int_equal(cu_when_parse("+30m", NOW, &t), 0);
    assert_int_equal(t, NOW + 1800);
    assert_int_equal(cu_when_parse("-2d", NOW, &t), 0);
    assert_int_equal(t, NOW - 2 * 86400);
    assert_int_equal(cu_when_parse("2020-01-21T00:00:00Z", NOW, &t), 0);
    assert_int_equal(t, 1579564800);
    assert_int_equal(cu_when_parse("2020-01-21T01:00:00+01:00", NOW, &t), 0);
    assert_int_equal(t, 1579564800);
    assert_int_equal(cu_when_parse("2020-01-20T19:00-0500", NOW, &t), 0);
    assert_int_equal(t, 1579564800);
    assert_int_equal(cu_when_parse("2020-01-21T00:00:00.750Z", NOW, &t), 0);
    assert_int_equal(t, 1579564800);
    assert_int_equal(cu_when_parse("2024-02-29T12:00:00Z", NOW, &t), 0);
    /* Refused: no offset, impossible dates, junk, overflowing numbers. */
    const char *bad[] = {"",
                         "2020-01-21T00:00:00",
                         "2023-02-29T00:00:00Z",
                         "2020-13-01T00:00:00Z",
                         "2020-01-21T24:00:00Z",
                         "2020-01-21",
                         "+1",
                         "+h",
                         "+1y",
                         "+9999999999h",
                         "tomorrow",
                         "2020-01-21T00:00:00+19:00",
                         "2020-01-21T00:00:00Zjunk",
                         "1969-12-31T23:59:59Z",
                         NULL};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t = 7;
        assert_int_equal(cu_when_parse(bad[i], NOW, &t), CU_EPARSE);
        assert_int_equal(t, 7);
    }
    char text[32];
    cu_when_format(1579564800, text, sizeof text);
    assert_string_equal(text, "2020-01-21T00:00:00Z");
}

static void test_clock(void **state)
{
    (void)state;
    int64_t ms = 0;
    assert_int_equal(cu_when_clock_ms("00:12:30", &ms), 0);
    assert_int_equal(ms, 750000);
    assert_int_equal(cu_when_clock_ms("12:30.5", &ms), 0);
    assert_int_equal(ms, 750500);
    assert_int_equal(cu_when_clock_ms("5.25", &ms), 0);
    assert_int_equal(ms, 5250);
    assert_int_equal(cu_when_clock_ms("1:13:45.125", &ms), 0);
    assert_int_equal(ms, 4425125);
    const char *bad[] = {"", ":", "1:60", "1:2:3:4", "1:75:00", "a", "1.", "1.2345", "-1", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(cu_when_clock_ms(bad[i], &ms), CU_EPARSE);
    char text[24];
    cu_when_format_clock(750000, text, sizeof text);
    assert_string_equal(text, "00:12:30");
    cu_when_format_clock(4425125, text, sizeof text);
    assert_string_equal(text, "01:13:45.125");
}

static void test_refusals(void **state)
{
    fixture *f = *state;
    char token[CC_SHARE_TOKEN_CHARS + 1];
    cu_err err = {0};
    cc_share_new none = {.opens_at = NOW};
    assert_int_equal(cc_share_check(&none, &err), CU_EINVAL);
    cc_share_new both = {.film_id = f->film, .extra_id = 1, .opens_at = NOW};
    assert_int_equal(cc_share_check(&both, &err), CU_EINVAL);
    cc_share_new backwards = {.film_id = f->film, .clip_from_ms = 9000, .clip_to_ms = 3000};
    assert_int_equal(add(f, &backwards, token, NULL), CU_EINVAL);
    cc_share_new tiny = {.film_id = f->film, .clip_from_ms = 1000, .clip_to_ms = 1500};
    assert_int_equal(add(f, &tiny, token, NULL), CU_EINVAL);
    cc_share_new past_end = {.film_id = f->film, .clip_from_ms = 90000, .clip_to_ms = 120000};
    assert_int_equal(add(f, &past_end, token, NULL), CU_EINVAL);
    cc_share_new closes_first = {.film_id = f->film, .opens_at = NOW, .closes_at = NOW - 1};
    assert_int_equal(add(f, &closes_first, token, NULL), CU_EINVAL);
    cc_share_new control = {.film_id = f->film, .title = "bad\x01title"};
    assert_int_equal(add(f, &control, token, NULL), CU_EINVAL);
    cc_share_new no_file = {.film_id = f->other_film};
    assert_int_equal(add(f, &no_file, token, NULL), CU_ENOTFOUND);
    cc_share_new no_film = {.film_id = 999};
    assert_int_equal(add(f, &no_film, token, NULL), CU_ENOTFOUND);
    cc_share_new no_extra = {.extra_id = 999};
    assert_int_equal(add(f, &no_extra, token, NULL), CU_ENOTFOUND);
    cc_share *list;
    size_t count;
    assert_int_equal(cc_share_list(f->db, &list, &count, &err), 0);
    assert_int_equal(count, 0); /* nothing half-made */
    cc_share_list_free(list, count);
}

static void test_states(void **state)
{
    fixture *f = *state;
    char token[CC_SHARE_TOKEN_CHARS + 1], other[CC_SHARE_TOKEN_CHARS + 1];
    int64_t id;
    cc_share_new clip = {.film_id = f->film,
                         .clip_from_ms = 750000 / 10,
                         .clip_to_ms = 82500,
                         .title = "A clip",
                         .note = "<b>note</b>",
                         .opens_at = NOW + 3600,
                         .closes_at = NOW + 7200};
    assert_int_equal(add(f, &clip, token, &id), 0);
    assert_int_equal(strlen(token), CC_SHARE_TOKEN_CHARS);
    assert_int_equal(add(f, &clip, other, NULL), 0);
    assert_string_not_equal(token, other); /* random, not derived */
    cu_err err = {0};
    cc_share s;
    assert_int_equal(cc_share_find(f->db, token, &s, &err), 0);
    assert_int_equal(s.id, id);
    assert_int_equal(s.film_id, f->film);
    assert_int_equal(s.file_id, f->file);
    assert_int_equal(s.clip_from_ms, 75000);
    assert_int_equal(s.clip_to_ms, 82500);
    assert_string_equal(s.note, "<b>note</b>"); /* stored as given; escaped where shown */
    assert_true(cc_share_available(&s));
    assert_int_equal(cc_share_state_at(&s, NOW), CC_SHARE_SCHEDULED);
    assert_int_equal(cc_share_state_at(&s, NOW + 3600), CC_SHARE_LIVE);
    assert_int_equal(cc_share_state_at(&s, NOW + 7200), CC_SHARE_EXPIRED);
    cc_share_clear(&s);
    /* Unknown and malformed tokens. */
    assert_int_equal(cc_share_find(f->db, "AAAAAAAAAAAAAAAAAAAAAA", &s, &err), CU_ENOTFOUND);
    assert_int_equal(cc_share_find(f->db, "short", &s, &err), CU_ENOTFOUND);
    assert_int_equal(cc_share_find(f->db, "AAAAAAAAAAAAAAAAAAAA'--", &s, &err), CU_ENOTFOUND);
    /* Edits. */
    assert_int_equal(cc_share_set_times(f->db, id, NOW - 10, 0, &err), 0);
    assert_int_equal(cc_share_get(f->db, id, &s, &err), 0);
    assert_int_equal(cc_share_state_at(&s, NOW), CC_SHARE_LIVE);
    assert_int_equal(s.closes_at, 0);
    cc_share_clear(&s);
    assert_int_equal(cc_share_set_times(f->db, id, NOW, NOW - 5, &err), CU_EINVAL);
    assert_int_equal(cc_share_revoke_token(f->db, token, &err), 0);
    assert_int_equal(cc_share_get(f->db, id, &s, &err), 0);
    assert_int_equal(cc_share_state_at(&s, NOW), CC_SHARE_REVOKED);
    cc_share_clear(&s);
    assert_int_equal(cc_share_revoke_token(f->db, "AAAAAAAAAAAAAAAAAAAAAA", &err), CU_ENOTFOUND);
    assert_int_equal(cc_share_delete(f->db, id, &err), 0);
    assert_int_equal(cc_share_get(f->db, id, &s, &err), CU_ENOTFOUND);
    assert_int_equal(cc_share_delete(f->db, id, &err), CU_ENOTFOUND);
}

static void test_view_limit(void **state)
{
    fixture *f = *state;
    char token[CC_SHARE_TOKEN_CHARS + 1];
    int64_t id;
    cc_share_new spec = {.film_id = f->film, .opens_at = NOW, .view_limit = 2};
    assert_int_equal(add(f, &spec, token, &id), 0);
    cu_err err = {0};
    assert_int_equal(cc_share_view(f->db, id, "viewer-a", NOW, &err), 0);
    assert_int_equal(cc_share_view(f->db, id, "viewer-a", NOW, &err), 0); /* once a session */
    assert_int_equal(cc_share_view(f->db, id, "viewer-b", NOW, &err), 0);
    assert_int_equal(cc_share_view(f->db, id, "viewer-c", NOW, &err), CU_ELIMIT);
    assert_int_equal(cc_share_view(f->db, id, "viewer-a", NOW, &err), 0); /* counted before */
    assert_int_equal(cc_share_view(f->db, id, "", NOW, &err), CU_EINVAL);
    cc_share s;
    assert_int_equal(cc_share_get(f->db, id, &s, &err), 0);
    assert_int_equal(s.views, 2);
    assert_int_equal(cc_share_state_at(&s, NOW), CC_SHARE_EXPIRED);
    cc_share_clear(&s);
    assert_int_equal(cc_share_set_view_limit(f->db, id, 0, &err), 0);
    assert_int_equal(cc_share_view(f->db, id, "viewer-c", NOW, &err), 0);
}

static void test_follows_file(void **state)
{
    fixture *f = *state;
    char token[CC_SHARE_TOKEN_CHARS + 1];
    cc_share_new spec = {.film_id = f->film, .opens_at = NOW};
    assert_int_equal(add(f, &spec, token, NULL), 0);
    cu_err err = {0};
    /* Moved: the scanner keeps the file's id, and so does the share. */
    cc_file_place moved = {
        .path = "/films/Elsewhere/film.mkv", .root = "/films", .film_id = f->film, .part = 1};
    assert_int_equal(cc_file_place_update(f->db, f->file, &moved, &err), 0);
    cc_share s;
    assert_int_equal(cc_share_find(f->db, token, &s, &err), 0);
    assert_int_equal(s.file_id, f->file);
    assert_true(cc_share_available(&s));
    cc_share_clear(&s);
    /* Gone: set aside, not deleted; the share says so. */
    assert_int_equal(cc_file_remove(f->db, f->file, &err), 0);
    assert_int_equal(cc_share_find(f->db, token, &s, &err), 0);
    assert_false(cc_share_available(&s));
    assert_true(s.file_id < 0);
    cc_share_clear(&s);
    /* Back with the same size and fingerprint, under a new id. */
    cc_file_facts info = {.container = "mkv", .duration = 100.0};
    cc_file_place back = {
        .path = "/films/Back/film.mkv", .root = "/films", .film_id = f->film, .part = 1};
    int64_t again;
    assert_int_equal(cc_file_put(f->db, &back, 1000, 43, "print", &info, NULL, &again, &err), 0);
    assert_int_equal(cc_share_find(f->db, token, &s, &err), 0);
    assert_int_equal(s.file_id, again);
    assert_true(cc_share_available(&s));
    cc_share_clear(&s);
}

static void test_grants(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    bool allowed = true;
    assert_int_equal(cc_share_granted(f->db, 1, &allowed, &err), 0);
    assert_false(allowed);
    /* No such user: refused as missing, and nothing written. */
    assert_int_equal(cc_share_grant(f->db, 1, true, &err), CU_ENOTFOUND);
    assert_int_equal(cc_share_grant(f->db, 1, false, &err), CU_ENOTFOUND);
    assert_int_equal(cc_share_granted(f->db, 1, &allowed, &err), 0);
    assert_false(allowed);
    /* A user that exists is granted, and stopped. */
    int64_t id = 0;
    assert_int_equal(cc_user_add(f->db, "viewer", "a-long-password", false, &id, &err), 0);
    assert_int_equal(cc_share_grant(f->db, id, true, &err), 0);
    assert_int_equal(cc_share_granted(f->db, id, &allowed, &err), 0);
    assert_true(allowed);
    assert_int_equal(cc_share_grant(f->db, id, false, &err), 0);
    assert_int_equal(cc_share_granted(f->db, id, &allowed, &err), 0);
    assert_false(allowed);
}

static void test_clip_plan(void **state)
{
    (void)state;
    /* Keyframes every 2 s at 25 fps in a 1/1000 time base, 20 s. */
    int64_t pts[10];
    for (int i = 0; i < 10; i++)
        pts[i] = i * 2000;
    cm_keyframes kf = {.tb_num = 1, .tb_den = 1000, .count = 10, .pts = pts, .end = 20000};
    cm_hls_plan *plan = NULL;
    cu_err err = {0};
    assert_int_equal(cm_hls_plan_new_timed_range(&kf, 4.0, 2.0, 2, 5.4, 11.0, &plan, &err), 0);
    assert_int_equal(plan->segments[0].start, 5400); /* not the keyframe at 4 s */
    assert_int_equal(plan->segments[plan->count - 1].end, 11000);
    assert_true(plan->total_s > 5.599 && plan->total_s < 5.601);
    double sum = 0;
    for (size_t i = 0; i < plan->count; i++)
        sum += plan->segments[i].duration_s;
    assert_true(sum > 5.599 && sum < 5.601);
    assert_true(plan->segments[0].start_s == 0);
    cm_hls_plan_free(plan);
    /* Past the end is cut there; wholly outside is refused. */
    assert_int_equal(cm_hls_plan_new_timed_range(&kf, 4.0, 2.0, 2, 18.0, 30.0, &plan, &err), 0);
    assert_int_equal(plan->segments[plan->count - 1].end, 20000);
    cm_hls_plan_free(plan);
    assert_int_equal(cm_hls_plan_new_timed_range(&kf, 4.0, 2.0, 2, 25.0, 30.0, &plan, &err),
                     CU_EINVAL);
}

/* No token reads as a command-line option (`share revoke TOKEN`): one in
 * 64 random ones began with '-', so 1,000 shares would show one. */
static void test_token_not_an_option(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 1000; i++) {
        cc_share_new spec = {.film_id = f->film, .opens_at = NOW};
        char token[CC_SHARE_TOKEN_CHARS + 1];
        int64_t id = 0;
        assert_int_equal(add(f, &spec, token, &id), 0);
        assert_int_equal((int)strlen(token), CC_SHARE_TOKEN_CHARS);
        assert_true(token[0] != '-');
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_when),
        cmocka_unit_test(test_clock),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_not_an_option, setup, teardown),
        cmocka_unit_test_setup_teardown(test_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_view_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_follows_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grants, setup, teardown),
        cmocka_unit_test(test_clip_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
