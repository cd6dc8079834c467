/* Unit tests for the DLNA front door's pure parts and its catalog queries:
 * SearchCriteria, SSDP datagrams and targets, SOAP in and out, WebVTT to
 * SRT, subnets, and cc_facet's search (values bound, accents folded),
 * groupings and change stamp, with dl_search and Browse over them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_db.h"
#include "catalog/cc_facet.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_writer.h"
#include "dlna/dl_criteria.h"
#include "dlna/dl_internal.h"
#include "dlna/dl_net.h"
#include "dlna/dl_soap.h"
#include "dlna/dl_srt.h"
#include "dlna/dl_ssdp_msg.h"

/* ---- SearchCriteria ---- */

static dl_criteria *parse_ok(const char *s)
{
    dl_criteria *c = malloc(sizeof *c);
    cu_err err = {0};
    int rc = dl_criteria_parse(s, strlen(s), c, &err);
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", s, err.msg);
    assert_int_equal(rc, 0);
    return c;
}

static int parse_rc(const char *s)
{
    dl_criteria *c = malloc(sizeof *c);
    cu_err err = {0};
    int rc = dl_criteria_parse(s, strlen(s), c, &err);
    free(c);
    return rc;
}

static void test_criteria_grammar(void **state)
{
    (void)state;
    dl_criteria *c = parse_ok("*");
    assert_int_equal(c->nodes[c->root].kind, DL_CRIT_ALL);
    free(c);

    /* 'and' binds tighter than 'or': a or (b and c). */
    c = parse_ok("dc:title contains \"a\" or upnp:genre = \"b\" and dc:date >= \"2019\"");
    const dl_crit_node *root = &c->nodes[c->root];
    assert_int_equal(root->kind, DL_CRIT_OR);
    assert_int_equal(c->nodes[root->a].kind, DL_CRIT_REL);
    assert_string_equal(c->nodes[root->a].prop, "dc:title");
    assert_int_equal(c->nodes[root->a].op, DL_OP_CONTAINS);
    assert_int_equal(c->nodes[root->b].kind, DL_CRIT_AND);
    assert_int_equal(c->nodes[c->nodes[root->b].b].op, DL_OP_GE);
    free(c);

    /* Parentheses, escapes, every operator, exists. */
    c = parse_ok("(dc:title = \"say \\\"hi\\\" \\\\ x\")");
    assert_string_equal(c->nodes[c->root].value, "say \"hi\" \\ x");
    free(c);
    c = parse_ok(" @refID  exists false and upnp:class derivedfrom \"object.item\" and"
                 " dc:creator doesNotContain \"x\" and a:b != \"\" and a:b < \"1\" and a:b <= \"1\""
                 " and a:b > \"1\"\tand\na:b>=\"1\"");
    assert_int_equal(c->nodes[c->root].kind, DL_CRIT_AND);
    assert_int_equal(c->nodes[0].op, DL_OP_EXISTS);
    assert_string_equal(c->nodes[0].value, "false");
    assert_int_equal(c->nodes[1].op, DL_OP_DERIVED_FROM);
    free(c);

    assert_int_equal(parse_rc(""), CU_EPARSE);
    assert_int_equal(parse_rc("dc:title contains \"x"), CU_EPARSE);
    assert_int_equal(parse_rc("dc:title contains \"x\") or 1=1 --\""), CU_EPARSE);
    assert_int_equal(parse_rc("dc:title like \"x\""), CU_EPARSE);
    assert_int_equal(parse_rc("dc:title = x"), CU_EPARSE);
    assert_int_equal(parse_rc("dc:title exists maybe"), CU_EPARSE);
    assert_int_equal(parse_rc("* and dc:title = \"x\""), CU_EPARSE);
    assert_int_equal(parse_rc("(dc:title = \"x\""), CU_EPARSE);
    assert_int_equal(parse_rc("dc:title = \"\\x\""), CU_EPARSE);
    assert_int_equal(parse_rc("dc:title = \"x\" andd dc:title = \"y\""), CU_EPARSE);

    /* Bounds: nesting, node count, length. */
    char deep[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "(");
    strcat(deep, "a:b = \"c\"");
    for (int i = 0; i < 40; i++)
        strcat(deep, ")");
    assert_int_equal(parse_rc(deep), CU_ELIMIT);
    char *many = calloc(1, 8000);
    strcpy(many, "a:b = \"c\"");
    for (int i = 0; i < 200 && strlen(many) < 3900; i++)
        strcat(many, " or a:b = \"c\"");
    assert_int_equal(parse_rc(many), CU_ELIMIT);
    memset(many, ' ', 5000);
    many[5000] = '\0';
    assert_int_equal(parse_rc(many), CU_ELIMIT);
    free(many);
}

/* ---- SSDP ---- */

static const char uuid[] = "uuid:11111111-2222-5333-8444-555555555555";

static void test_ssdp_msearch(void **state)
{
    (void)state;
    dl_msearch ms;
    const char *ok = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
                     "MAN: \"ssdp:discover\"\r\nMX: 120\r\nST: ssdp:all\r\n\r\n";
    assert_int_equal(dl_ssdp_parse_msearch(ok, strlen(ok), &ms), 0);
    assert_string_equal(ms.st, "ssdp:all");
    assert_int_equal(ms.mx, 5); /* clamped, as UDA 1.1 asks */
    const char *lf = "M-SEARCH * HTTP/1.1\nman: \"ssdp:discover\"\nst:  upnp:rootdevice \n\n";
    assert_int_equal(dl_ssdp_parse_msearch(lf, strlen(lf), &ms), 0);
    assert_string_equal(ms.st, "upnp:rootdevice");
    assert_int_equal(ms.mx, 0);
    const char *no_man = "M-SEARCH * HTTP/1.1\r\nMX: 1\r\nST: ssdp:all\r\n\r\n";
    assert_int_equal(dl_ssdp_parse_msearch(no_man, strlen(no_man), &ms), CU_EPARSE);
    const char *notify = "NOTIFY * HTTP/1.1\r\nNTS: ssdp:alive\r\n\r\n";
    assert_int_equal(dl_ssdp_parse_msearch(notify, strlen(notify), &ms), CU_EPARSE);
    const char *bad_mx = "M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: x\r\nST: a\r\n\r\n";
    assert_int_equal(dl_ssdp_parse_msearch(bad_mx, strlen(bad_mx), &ms), CU_EPARSE);

    assert_int_equal(dl_ssdp_match("ssdp:all", uuid), 0x1f);
    assert_int_equal(dl_ssdp_match("upnp:rootdevice", uuid), 0x01);
    assert_int_equal(dl_ssdp_match(uuid, uuid), 0x02);
    assert_int_equal(dl_ssdp_match("urn:schemas-upnp-org:device:MediaServer:1", uuid), 0x04);
    assert_int_equal(dl_ssdp_match("urn:schemas-upnp-org:service:ContentDirectory:1", uuid), 0x08);
    assert_int_equal(dl_ssdp_match("urn:schemas-upnp-org:service:ConnectionManager:1", uuid), 0x10);
    assert_int_equal(dl_ssdp_match("urn:schemas-upnp-org:device:MediaServer:2", uuid), 0);
    assert_int_equal(dl_ssdp_match("urn:schemas-upnp-org:device:MediaRenderer:1", uuid), 0);
    assert_int_equal(dl_ssdp_match("urn:schemas-upnp-org:device:MediaServer:1x", uuid), 0);
}

/* ---- SOAP ---- */

#define ENV_HEAD                                                                                   \
    "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"    \
    "<s:Body>"
#define ENV_TAIL "</s:Body></s:Envelope>"

static int soap(const char *body, dl_soap_call *call)
{
    cu_err err = {0};
    return dl_soap_parse(body, strlen(body), call, &err);
}

static void test_soap(void **state)
{
    (void)state;
    dl_soap_call call;
    assert_int_equal(soap(ENV_HEAD "<u:Browse xmlns:u=\"" DL_CDS_TYPE
                                   "\"><ObjectID>film/1</ObjectID>"
                                   "<Filter>a &amp; b &#233;</Filter><Empty/></u:Browse>" ENV_TAIL,
                          &call),
                     0);
    assert_string_equal(call.action, "Browse");
    assert_string_equal(call.service, DL_CDS_TYPE);
    assert_string_equal(dl_soap_arg(&call, "ObjectID"), "film/1");
    assert_string_equal(dl_soap_arg(&call, "Filter"), "a & b \xc3\xa9");
    assert_string_equal(dl_soap_arg(&call, "Empty"), "");
    assert_null(dl_soap_arg(&call, "Missing"));
    dl_soap_call_clear(&call);

    /* No DTD, so no entities of any kind; no SOAP envelope, no call. */
    assert_int_equal(soap("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
                          "\"file:///etc/passwd\">]>" ENV_HEAD
                          "<u:A xmlns:u=\"x\"><V>&e;</V></u:A>" ENV_TAIL,
                          &call),
                     CU_EPARSE);
    dl_soap_call_clear(&call);
    assert_int_equal(soap("<Envelope><Body><A/></Body></Envelope>", &call), CU_EPARSE);
    dl_soap_call_clear(&call);
    assert_int_equal(soap(ENV_HEAD "<A/>" ENV_TAIL, &call), CU_EPARSE); /* no namespace */
    dl_soap_call_clear(&call);
    assert_int_equal(soap(ENV_HEAD "<u:A xmlns:u=\"x\"><V><w/></V></u:A>" ENV_TAIL, &call),
                     CU_EPARSE);
    dl_soap_call_clear(&call);
    assert_int_equal(soap(ENV_HEAD "<u:A xmlns:u=\"x\"><V>" ENV_TAIL, &call), CU_EPARSE);
    dl_soap_call_clear(&call);
    /* Too many arguments. */
    char many[4096] = ENV_HEAD "<u:A xmlns:u=\"x\">";
    for (int i = 0; i < DL_SOAP_ARGS + 1; i++)
        strcat(many, "<V>1</V>");
    strcat(many, "</u:A>" ENV_TAIL);
    assert_int_equal(soap(many, &call), CU_ELIMIT);
    dl_soap_call_clear(&call);

    /* Replies escape values; faults carry the UPnP code. */
    cu_buf out = {0};
    const char *values[] = {"Result", "<DIDL-Lite a=\"1\">&</DIDL-Lite>", NULL};
    dl_soap_reply(&out, DL_CDS_TYPE, "Browse", values);
    assert_non_null(strstr(out.data, "<u:BrowseResponse xmlns:u=\"" DL_CDS_TYPE "\">"));
    assert_non_null(strstr(
        out.data, "<Result>&lt;DIDL-Lite a=&quot;1&quot;&gt;&amp;&lt;/DIDL-Lite&gt;</Result>"));
    cu_buf_reset(&out);
    dl_soap_fault(&out, 701, "No such object");
    assert_non_null(strstr(out.data, "<errorCode>701</errorCode>"));
    cu_buf_reset(&out);
    dl_xml_escape(&out, "a\x01<b>\t'");
    assert_string_equal(out.data, "a&lt;b&gt;\t&apos;");
    cu_buf_free(&out);
}

/* ---- SRT, subnets ---- */

static void test_srt_and_subnets(void **state)
{
    (void)state;
    const char *vtt = "WEBVTT\nX-TIMESTAMP-MAP=LOCAL:00:00:00.000,MPEGTS:0\n\n"
                      "1\n00:00.500 --> 00:02.250 align:start\nHola\n<i>mundo</i>\n\n"
                      "01:00:01.000 --> 01:00:02.000\r\nDos\r\n\r\n"
                      "broken --> cue\nskipped\n";
    cu_buf out = {0};
    dl_srt_from_webvtt(vtt, strlen(vtt), &out);
    assert_string_equal(out.data, "1\n00:00:00,500 --> 00:00:02,250\nHola\n<i>mundo</i>\n\n"
                                  "2\n01:00:01,000 --> 01:00:02,000\nDos\n\n");
    cu_buf_free(&out);

    dl_subnet n;
    assert_int_equal(dl_subnet_parse("192.168.1.77/24", &n), 0);
    assert_true(dl_subnet_contains(&n, 0xc0a80105));
    assert_false(dl_subnet_contains(&n, 0xc0a80205));
    assert_int_equal(dl_subnet_parse("10.0.0.1", &n), 0);
    assert_true(dl_subnet_contains(&n, 0x0a000001));
    assert_false(dl_subnet_contains(&n, 0x0a000002));
    assert_int_equal(dl_subnet_parse("0.0.0.0/0", &n), 0);
    assert_true(dl_subnet_contains(&n, 0x01020304));
    assert_int_equal(dl_subnet_parse("10.0.0.0/33", &n), CU_EPARSE);
    assert_int_equal(dl_subnet_parse("10.0.0/8", &n), CU_EPARSE);
    assert_int_equal(dl_subnet_parse("/8", &n), CU_EPARSE);
    assert_int_equal(dl_subnet_parse("::1/128", &n), CU_EPARSE);
}

/* ---- the catalog side ---- */

static char db_path[512];

/* Tests write through the catalog's writer, one transaction at a time. */
static cc_writer *test_writer;
static int test_begin(cc_db *db, cu_err *err)
{
    test_writer = cc_writer_new(db, 0);
    return cc_writer_begin(test_writer, err);
}
static int test_commit(cu_err *err)
{
    int rc = cc_writer_commit(test_writer, err);
    cc_writer_free(test_writer);
    test_writer = NULL;
    return rc;
}

typedef struct fixture {
    cc_db *db;
    int64_t pain, mother, other, pain_file, mother_file, other_file;
} fixture;

static void remove_db(void)
{
    char p[600];
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

static int64_t add_film(cc_db *db, const char *title, int year, const char *director,
                        const char *genre, int64_t *main_file)
{
    cu_err err = {0};
    char key[256], path[512];
    snprintf(key, sizeof key, "/films/%s (%d)", title, year);
    cc_film_names names = {.title = title, .year = year};
    int64_t id = 0;
    assert_int_equal(cc_film_ensure(db, key, &names, &id, &err), 0);
    snprintf(path, sizeof path, "%s/%s.mkv", key, title);
    cc_file_place place = {.path = path, .root = "/films", .film_id = id, .part = 1};
    cc_stream streams[] = {
        {.index = 0, .type = CC_STREAM_VIDEO, .codec = "h264", .width = 1280, .height = 720},
        {.index = 1, .type = CC_STREAM_AUDIO, .codec = "aac", .channels = 2},
        {.index = 2, .type = CC_STREAM_SUBTITLE, .codec = "subrip", .language = "spa"},
    };
    cc_file_facts info = {
        .container = "mkv", .duration = 5400.5, .stream_count = 3, .streams = streams};
    assert_int_equal(cc_file_put(db, &place, 1000000, 1, NULL, &info, NULL, main_file, &err), 0);
    cc_credit credits[] = {{.name = (char *)director, .job = "director"},
                           {.name = "Penélope Cruz", .job = "actor"}};
    char *genres[] = {(char *)genre};
    cc_film m = {.metadata_source = "nfo",
                 .title = (char *)title,
                 .year = year,
                 .credits = credits,
                 .credit_count = 2,
                 .genres = {genres, 1}};
    assert_int_equal(cc_film_set_meta(db, id, &m, &err), 0);
    return id;
}

static int setup(void **state)
{
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(db_path, sizeof db_path, "%s/test-dlna-%d.db", tmp ? tmp : "/tmp", (int)getpid());
    remove_db();
    fixture *f = calloc(1, sizeof *f);
    cu_err err = {0};
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READWRITE, &f->db, &err), 0);
    assert_int_equal(test_begin(f->db, &err), 0);
    f->pain = add_film(f->db, "Pain and Glory", 2019, "Pedro Almodóvar", "Drama", &f->pain_file);
    f->mother =
        add_film(f->db, "All About My Mother", 1999, "Pedro Almodóvar", "Drama", &f->mother_file);
    f->other = add_film(f->db, "Ólafur's Engines", 2016, "Maeve Ashdown", "Science Fiction",
                        &f->other_file);
    assert_int_equal(test_commit(&err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cc_db_close(f->db);
    free(f);
    remove_db();
    return 0;
}

static int64_t search_total(cc_db *db, const cc_crit *c, cc_facet_hits *hits)
{
    cu_err err = {0};
    assert_int_equal(cc_facet_search(db, c, 0, 100, hits, &err), 0);
    return hits->total;
}

static void test_facet_search(void **state)
{
    fixture *f = *state;
    cc_facet_hits hits;
    cc_crit director = {.kind = CC_CRIT_MATCH,
                        .field = CC_FIELD_DIRECTOR,
                        .op = CC_OP_CONTAINS,
                        .value = "ALMODOVAR"};
    assert_int_equal(search_total(f->db, &director, &hits), 2);
    /* by title: All About My Mother, then Pain and Glory */
    assert_int_equal(hits.items[0].film_id, f->mother);
    assert_int_equal(hits.items[0].file_id, f->mother_file);
    assert_int_equal(hits.items[1].film_id, f->pain);
    cc_facet_hits_clear(&hits);

    cc_crit title = {
        .kind = CC_CRIT_MATCH, .field = CC_FIELD_TITLE, .op = CC_OP_CONTAINS, .value = "olafur"};
    assert_int_equal(search_total(f->db, &title, &hits), 1);
    assert_int_equal(hits.items[0].film_id, f->other);
    cc_facet_hits_clear(&hits);

    /* A value is a value: quotes and SQL change nothing. */
    cc_crit inject = {.kind = CC_CRIT_MATCH,
                      .field = CC_FIELD_TITLE,
                      .op = CC_OP_CONTAINS,
                      .value = "x') OR 1=1; DROP TABLE films; --"};
    assert_int_equal(search_total(f->db, &inject, &hits), 0);
    cc_facet_hits_clear(&hits);
    cc_crit not_inject = {.kind = CC_CRIT_NOT, .a = &inject};
    assert_int_equal(search_total(f->db, &not_inject, &hits), 3);
    cc_facet_hits_clear(&hits);

    cc_crit before = {
        .kind = CC_CRIT_MATCH, .field = CC_FIELD_DATE, .op = CC_OP_LT, .value = "2000"};
    cc_crit drama = {
        .kind = CC_CRIT_MATCH, .field = CC_FIELD_GENRE, .op = CC_OP_EQ, .value = "drama"};
    cc_crit both = {.kind = CC_CRIT_AND, .a = &before, .b = &drama};
    assert_int_equal(search_total(f->db, &both, &hits), 1);
    assert_int_equal(hits.items[0].film_id, f->mother);
    cc_facet_hits_clear(&hits);
    cc_crit either = {.kind = CC_CRIT_OR, .a = &before, .b = &title};
    assert_int_equal(search_total(f->db, &either, &hits), 2);
    cc_facet_hits_clear(&hits);

    /* Paging. */
    cc_crit all = {.kind = CC_CRIT_TRUE};
    cu_err err = {0};
    assert_int_equal(cc_facet_search(f->db, &all, 2, 5, &hits, &err), 0);
    assert_int_equal(hits.total, 3);
    assert_int_equal(hits.count, 1);
    cc_facet_hits_clear(&hits);
    assert_int_equal(cc_facet_search(f->db, &all, 10, 5, &hits, &err), 0);
    assert_int_equal(hits.total, 3); /* past the end: still the total */
    assert_int_equal(hits.count, 0);
    cc_facet_hits_clear(&hits);

    /* A tree deeper than the limit is refused, not run. */
    cc_crit *chain = calloc(CC_CRIT_MAX_DEPTH + 10, sizeof *chain);
    chain[0] = all;
    for (int i = 1; i < CC_CRIT_MAX_DEPTH + 10; i++)
        chain[i] = (cc_crit){.kind = CC_CRIT_NOT, .a = &chain[i - 1]};
    assert_int_equal(cc_facet_search(f->db, &chain[CC_CRIT_MAX_DEPTH + 9], 0, 5, &hits, &err),
                     CU_EINVAL);
    free(chain);
}

static void test_facet_groups(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    cc_count_list letters;
    assert_int_equal(cc_facet_letters(f->db, &letters, &err), 0);
    assert_int_equal(letters.count, 3); /* A, O (Ó folded), P */
    assert_string_equal(letters.items[0].name, "A");
    assert_string_equal(letters.items[1].name, "O");
    assert_string_equal(letters.items[2].name, "P");
    cc_browse_counts_clear(&letters);
    int64_t *ids;
    size_t n;
    assert_int_equal(cc_facet_letter_ids(f->db, "O", 10, &ids, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], f->other);
    free(ids);

    cc_count_list years;
    assert_int_equal(cc_facet_years(f->db, &years, &err), 0);
    assert_int_equal(years.count, 3);
    assert_string_equal(years.items[0].name, "2019");
    cc_browse_counts_clear(&years);

    cc_facet_person_list people;
    assert_int_equal(cc_facet_people(f->db, "director", &people, &err), 0);
    assert_int_equal(people.count, 2);
    assert_string_equal(people.items[1].name, "Pedro Almodóvar");
    assert_int_equal(people.items[1].count, 2);
    assert_int_equal(cc_facet_person_ids(f->db, people.items[1].id, "director", 10, &ids, &n, &err),
                     0);
    assert_int_equal(n, 2);
    free(ids);
    cc_facet_person_list_clear(&people);

    uint32_t a, b;
    assert_int_equal(cc_facet_update_stamp(f->db, &a, &err), 0);
    assert_int_equal(cc_facet_update_stamp(f->db, &b, &err), 0);
    assert_int_equal(a, b);
    assert_int_equal(test_begin(f->db, &err), 0);
    int64_t file;
    add_film(f->db, "Volver", 2006, "Pedro Almodóvar", "Drama", &file);
    assert_int_equal(test_commit(&err), 0);
    assert_int_equal(cc_facet_update_stamp(f->db, &b, &err), 0);
    assert_int_not_equal(a, b);

    /* A server's read-only connection keeps its stamp between commits; a
     * commit by another connection (the scanner's) must still move it. */
    cc_db *reader = NULL;
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READONLY, &reader, &err), 0);
    assert_int_equal(cc_facet_update_stamp(reader, &a, &err), 0);
    assert_int_equal(cc_facet_update_stamp(reader, &b, &err), 0);
    assert_int_equal(a, b);
    assert_int_equal(test_begin(f->db, &err), 0);
    add_film(f->db, "Julieta", 2016, "Pedro Almodóvar", "Drama", &file);
    assert_int_equal(test_commit(&err), 0);
    assert_int_equal(cc_facet_update_stamp(reader, &b, &err), 0);
    assert_int_not_equal(a, b);
    cc_db_close(reader);

    /* A page's child counts in one statement: the same as one by one. */
    int64_t page[] = {f->other, f->pain, 999999, f->mother};
    int64_t mains[4], extras[4];
    assert_int_equal(cc_file_films_counts(f->db, page, 4, mains, extras, &err), 0);
    for (size_t i = 0; i < 4; i++) {
        int64_t m = -1, x = -1;
        assert_int_equal(cc_file_film_counts(f->db, page[i], &m, &x, &err), 0);
        assert_int_equal(mains[i], m);
        assert_int_equal(extras[i], x);
    }
    assert_int_equal(mains[0], 1);
    assert_int_equal(mains[2], 0);
    int64_t many[CC_FILE_COUNTS_MAX + 1] = {0};
    int64_t many_m[CC_FILE_COUNTS_MAX + 1], many_x[CC_FILE_COUNTS_MAX + 1];
    assert_int_equal(
        cc_file_films_counts(f->db, many, CC_FILE_COUNTS_MAX + 1, many_m, many_x, &err), CU_EINVAL);
}

/* dl_search and Browse through the tree, on the same catalog. */
static void test_search_and_browse(void **state)
{
    fixture *f = *state;
    dl_server dl = {0};
    dl_ctx ctx = {.dl = &dl, .db = f->db};
    strcpy(ctx.base, "http://10.0.0.1:8420");
    cu_buf didl = {0};
    int64_t returned, total;
    dl_page page = {0};
    assert_int_equal(dl_search(&ctx, "0",
                               "upnp:class derivedfrom \"object.item.videoItem\" and "
                               "(dc:title contains \"almodovar\" or upnp:director contains "
                               "\"almodóvar\")",
                               &page, &didl, &returned, &total),
                     0);
    assert_int_equal(total, 2);
    assert_int_equal(returned, 2);
    assert_non_null(strstr(didl.data, "<dc:title>All About My Mother</dc:title>"));
    assert_non_null(strstr(didl.data, "<upnp:class>object.item.videoItem.movie</upnp:class>"));
    assert_non_null(strstr(didl.data, "http://10.0.0.1:8420/dlna/res/"));
    assert_non_null(strstr(didl.data, "protocolInfo=\"http-get:*:video/x-matroska:"
                                      "DLNA.ORG_PN=AVC_MKV_HP_HD_AAC_MULT5;DLNA.ORG_OP=01;"));
    assert_non_null(strstr(didl.data, "duration=\"1:30:00.500\""));
    assert_non_null(strstr(didl.data, "resolution=\"1280x720\""));
    assert_non_null(strstr(didl.data, "bitrate=\"185\"")); /* bytes per second */
    assert_non_null(strstr(didl.data, "<upnp:director>Pedro Almodóvar</upnp:director>"));
    assert_non_null(strstr(didl.data, "<upnp:genre>Drama</upnp:genre>"));
    assert_non_null(strstr(didl.data, "<sec:CaptionInfoEx sec:type=\"srt\">"));
    assert_non_null(strstr(didl.data, "<res protocolInfo=\"http-get:*:text/srt:*\">"));
    cu_buf_reset(&didl);
    assert_int_equal(
        dl_search(&ctx, "0", "upnp:class = \"object.container\"", &page, &didl, &returned, &total),
        0);
    assert_int_equal(total, 0);
    cu_buf_reset(&didl);
    assert_int_equal(dl_search(&ctx, "0", "dc:title contains", &page, &didl, &returned, &total),
                     708);
    cu_buf_reset(&didl);

    assert_int_equal(dl_tree_children(&ctx, "films/all", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 3);
    cu_buf_reset(&didl);
    dl_page sorted = {.start = 0, .count = 1, .sort = "-dc:date"};
    assert_int_equal(dl_tree_children(&ctx, "films/all", &sorted, &didl, &returned, &total), 0);
    assert_int_equal(returned, 1);
    assert_non_null(strstr(didl.data, "Pain and Glory"));
    cu_buf_reset(&didl);
    dl_page bad_sort = {.sort = "+upnp:album"};
    assert_int_equal(dl_tree_children(&ctx, "films/all", &bad_sort, &didl, &returned, &total), 709);
    assert_int_equal(dl_tree_children(&ctx, "films/nothing", &page, &didl, &returned, &total), 701);
    assert_int_equal(dl_tree_children(&ctx, "film/0", &page, &didl, &returned, &total), 701);
    assert_int_equal(dl_tree_children(&ctx, "film/99999", &page, &didl, &returned, &total), 701);
    assert_int_equal(dl_tree_metadata(&ctx, "director/abc", &didl), 701);
    cu_buf_reset(&didl);
    char id[64];
    snprintf(id, sizeof id, "film/%lld", (long long)f->pain);
    assert_int_equal(dl_tree_children(&ctx, id, &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 1); /* one main file, no extras */
    cu_buf_reset(&didl);
    assert_int_equal(dl_tree_children(&ctx, "genre/Drama", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 2);
    cu_buf_reset(&didl);

    /* Search honours ContainerID and SortCriteria. */
    assert_int_equal(dl_search(&ctx, "genre/Drama", "*", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 2);
    cu_buf_reset(&didl);
    dl_page by_date = {.start = 0, .count = 1, .sort = "-dc:date"};
    assert_int_equal(dl_search(&ctx, "0", "*", &by_date, &didl, &returned, &total), 0);
    assert_int_equal(total, 3);
    assert_non_null(strstr(didl.data, "Pain and Glory")); /* 2019: the newest */
    cu_buf_reset(&didl);
    by_date.sort = "+dc:date";
    assert_int_equal(dl_search(&ctx, "0", "*", &by_date, &didl, &returned, &total), 0);
    assert_null(strstr(didl.data, "Pain and Glory"));
    cu_buf_reset(&didl);
    assert_int_equal(dl_search(&ctx, "0", "*", &bad_sort, &didl, &returned, &total), 709);
    assert_int_equal(dl_search(&ctx, "nowhere/x", "*", &page, &didl, &returned, &total), 710);
    snprintf(id, sizeof id, "film/%lld", (long long)f->pain);
    assert_int_equal(dl_search(&ctx, id, "*", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 1);
    cu_buf_reset(&didl);

    /* childCount on every container: the root's folders and a film's. */
    assert_int_equal(dl_tree_children(&ctx, "0", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 3);
    assert_non_null(
        strstr(didl.data, "id=\"recent\" parentID=\"0\" restricted=\"1\" childCount=\"3\""));
    assert_non_null(
        strstr(didl.data, "id=\"continue\" parentID=\"0\" restricted=\"1\" childCount=\"0\""));
    cu_buf_reset(&didl);
    assert_int_equal(dl_tree_children(&ctx, "films", &page, &didl, &returned, &total), 0);
    assert_non_null(
        strstr(didl.data, "id=\"films/all\" parentID=\"films\" restricted=\"1\" childCount=\"3\""));
    assert_non_null(strstr(
        didl.data, "id=\"films/year\" parentID=\"films\" restricted=\"1\" childCount=\"3\""));
    cu_buf_reset(&didl);
    assert_int_equal(dl_tree_children(&ctx, "films/all", &page, &didl, &returned, &total), 0);
    assert_null(strstr(
        didl.data, "<container id=\"film/1\" parentID=\"films/all\" restricted=\"1\" searchable"));
    cu_buf_reset(&didl);

    /* A limited view (a user's scope): only its films, everywhere. */
    int64_t only[1] = {f->pain};
    ctx.limited = true;
    ctx.visible = only;
    ctx.visible_count = 1;
    assert_int_equal(dl_tree_children(&ctx, "films/all", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 1);
    assert_non_null(strstr(didl.data, "Pain and Glory"));
    cu_buf_reset(&didl);
    assert_int_equal(dl_tree_children(&ctx, "films/year", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 1);
    assert_non_null(strstr(didl.data, "<dc:title>2019</dc:title>"));
    cu_buf_reset(&didl);
    assert_int_equal(dl_tree_children(&ctx, "films/director", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 1);
    cu_buf_reset(&didl);
    assert_int_equal(dl_search(&ctx, "0", "*", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 1);
    cu_buf_reset(&didl);
    assert_int_equal(dl_tree_children(&ctx, "genre/Drama", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 1);
    cu_buf_reset(&didl);
    char other[64];
    for (int64_t k = 1; k < 10; k++)
        if (k != f->pain) {
            snprintf(other, sizeof other, "film/%lld", (long long)k);
            assert_int_equal(dl_tree_metadata(&ctx, other, &didl), 701);
        }
    ctx.visible_count = 0; /* a view with nothing in it shows nothing, not everything */
    assert_int_equal(dl_tree_children(&ctx, "films/all", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 0);
    assert_int_equal(dl_search(&ctx, "0", "*", &page, &didl, &returned, &total), 0);
    assert_int_equal(total, 0);
    ctx.limited = false;
    ctx.visible = NULL;
    cu_buf_free(&didl);
}

/* The answers kept between requests (cc_memo: the status counts, the A-Z
 * bar) follow every commit: another connection's (a scan's) and the
 * connection's own; more questions than the memo keeps still get their
 * own answers. */
static int64_t letter_count(const cc_count_list *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (!strcmp(l->items[i].name, name))
            return l->items[i].count;
    return 0;
}

static void test_memo_follows_commits(void **state)
{
    fixture *f = *state;
    cu_err err = {0};
    cc_db *reader = NULL;
    assert_int_equal(cc_db_open(db_path, CC_OPEN_READONLY, &reader, &err), 0);
    cc_counts counts;
    cc_count_list letters;
    cc_film_filter all = {0}, drama = {.genre = "Drama"};
    for (int again = 0; again < 2; again++) {
        assert_int_equal(cc_browse_totals(reader, &counts, &err), 0);
        assert_int_equal(counts.films, 3);
        assert_int_equal(counts.files, 3);
        assert_int_equal(cc_browse_letters(reader, &all, &letters, &err), 0);
        assert_int_equal(letters.count, 3);
        assert_int_equal(letter_count(&letters, "p"), 1);
        assert_int_equal(letter_count(&letters, "j"), 0);
        cc_browse_counts_clear(&letters);
        assert_int_equal(cc_browse_letters(reader, &drama, &letters, &err), 0);
        assert_int_equal(letters.count, 2); /* "All About…" and "Pain…" */
        cc_browse_counts_clear(&letters);
    }
    /* Another connection commits: the reader's kept answers are old. */
    int64_t file;
    assert_int_equal(test_begin(f->db, &err), 0);
    add_film(f->db, "Julieta", 2016, "Pedro Almodóvar", "Drama", &file);
    assert_int_equal(test_commit(&err), 0);
    assert_int_equal(cc_browse_totals(reader, &counts, &err), 0);
    assert_int_equal(counts.films, 4);
    assert_int_equal(cc_browse_letters(reader, &all, &letters, &err), 0);
    assert_int_equal(letter_count(&letters, "j"), 1);
    cc_browse_counts_clear(&letters);
    assert_int_equal(cc_browse_letters(reader, &drama, &letters, &err), 0);
    assert_int_equal(letter_count(&letters, "j"), 1);
    cc_browse_counts_clear(&letters);
    /* More questions than the memo keeps: a genre each, all answered. */
    const char *genres[] = {"Drama", "Science Fiction", "Comedy", "Horror", "Western",
                            "War",   "Music",           "Crime",  "Drama",  "Science Fiction"};
    const int64_t want[] = {3, 1, 0, 0, 0, 0, 0, 0, 3, 1};
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof genres / sizeof *genres; i++) {
            cc_film_filter g = {.genre = genres[i]};
            assert_int_equal(cc_browse_letters(reader, &g, &letters, &err), 0);
            int64_t n = 0;
            for (size_t k = 0; k < letters.count; k++)
                n += letters.items[k].count;
            assert_int_equal(n, want[i]);
            cc_browse_counts_clear(&letters);
        }
    cc_db_close(reader);
    /* The writing connection's own change moves its own answers. */
    assert_int_equal(cc_browse_totals(f->db, &counts, &err), 0);
    assert_int_equal(counts.films, 4);
    assert_int_equal(test_begin(f->db, &err), 0);
    add_film(f->db, "Volver", 2006, "Pedro Almodóvar", "Drama", &file);
    assert_int_equal(test_commit(&err), 0);
    assert_int_equal(cc_browse_totals(f->db, &counts, &err), 0);
    assert_int_equal(counts.films, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_criteria_grammar),
        cmocka_unit_test(test_ssdp_msearch),
        cmocka_unit_test(test_soap),
        cmocka_unit_test(test_srt_and_subnets),
        cmocka_unit_test_setup_teardown(test_facet_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_facet_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_and_browse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memo_follows_commits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
