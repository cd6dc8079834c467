/* Unit tests for cl_nfo: a full Kodi .nfo with cinemateca's additions,
 * legacy forms, and hostile files (entities, DTDs, huge and broken input). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "library/cl_nfo.h"
#include "util/cu_str.h"

static cl_nfo *parse_ok(const char *xml)
{
    cl_nfo *nfo = NULL;
    cu_err err = {0};
    int rc = cl_nfo_parse(xml, strlen(xml), &nfo, &err);
    if (rc != 0)
        fail_msg("parse failed: %s", err.msg);
    assert_non_null(nfo);
    return nfo;
}

static const cc_credit *find_credit(const cl_nfo *nfo, const char *job, const char *name)
{
    for (size_t i = 0; i < nfo->film->credit_count; i++)
        if (!strcmp(nfo->film->credits[i].job, job) && !strcmp(nfo->film->credits[i].name, name))
            return &nfo->film->credits[i];
    return NULL;
}

static const char full_nfo[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<movie>\n"
    "  <title>Pain and Glory</title>\n"
    "  <originaltitle>Dolor y gloria</originaltitle>\n"
    "  <sorttitle>Pain and Glory</sorttitle>\n"
    "  <year>2019</year>\n"
    "  <runtime>113</runtime>\n"
    "  <plot>A film director looks back.</plot>\n"
    "  <outline>Memory and desire.</outline>\n"
    "  <tagline>  Spaces are trimmed  </tagline>\n"
    "  <premiered>2019-03-22</premiered>\n"
    "  <mpaa>R</mpaa>\n"
    "  <edition>Director's Cut</edition>\n"
    "  <genre>Drama</genre>\n"
    "  <genre>Drama</genre>\n"
    "  <country>Spain</country>\n"
    "  <studio>El Deseo</studio>\n"
    "  <tag>Cannes 2019</tag>\n"
    "  <set><name>Autofiction</name><overview>Three films.</overview></set>\n"
    "  <uniqueid type=\"tmdb\" default=\"true\">519010</uniqueid>\n"
    "  <uniqueid type=\"IMDB\">tt8291806</uniqueid>\n"
    "  <director>Pedro Almodóvar</director>\n"
    "  <credits>Pedro Almodóvar</credits>\n"
    "  <actor><name>Antonio Banderas</name><role>Salvador Mallo</role><order>0</order>"
    "<thumb>https://example.org/a.jpg</thumb></actor>\n"
    "  <actor><name>Penélope Cruz</name><role>Jacinta Mallo</role><order>2</order></actor>\n"
    "  <actor><name>Asier Etxeandia</name><role>Alberto Crespo</role></actor>\n"
    "  <crew role=\"Composer\">Alberto Iglesias</crew>\n"
    "  <crew role=\"producer\">Agustín Almodóvar</crew>\n"
    "  <release type=\"festival\" date=\"2019-05-17\" event=\"Cannes Film Festival\" "
    "section=\"Competition\" country=\"fr\"/>\n"
    "  <release type=\"theatrical\" date=\"2019-10-04\" country=\"US\" "
    "distributor=\"Sony Pictures Classics\"/>\n"
    "  <release type=\"physical\" date=\"2020-01-21\" country=\"US\" format=\"Blu-ray\">"
    "With extras</release>\n"
    "  <ratings><rating name=\"imdb\" max=\"10\" default=\"true\"><value>7.5</value>"
    "<votes>12,345</votes></rating></ratings>\n"
    "  <fileinfo><streamdetails/></fileinfo>\n"
    "</movie>\n";

static void test_full(void **state)
{
    (void)state;
    cl_nfo *nfo = parse_ok(full_nfo);
    assert_string_equal(nfo->film->title, "Pain and Glory");
    assert_string_equal(nfo->film->original_title, "Dolor y gloria");
    assert_int_equal(nfo->film->year, 2019);
    assert_int_equal(nfo->film->runtime, 113);
    assert_string_equal(nfo->film->tagline, "Spaces are trimmed");
    assert_string_equal(nfo->film->premiered, "2019-03-22");
    assert_string_equal(nfo->film->mpaa, "R");
    assert_string_equal(nfo->edition, "Director's Cut");
    assert_int_equal(nfo->film->genres.count, 1); /* duplicates folded */
    assert_string_equal(nfo->film->countries.items[0], "Spain");
    assert_string_equal(nfo->film->studios.items[0], "El Deseo");
    assert_string_equal(nfo->film->tags.items[0], "Cannes 2019");
    assert_string_equal(nfo->film->set_name, "Autofiction");
    assert_string_equal(nfo->film->set_overview, "Three films.");
    assert_string_equal(nfo->film->tmdb_id, "519010");
    assert_string_equal(nfo->film->imdb_id, "tt8291806");
    /* Other id types are not kept: the catalog links tmdb and imdb only. */

    assert_non_null(find_credit(nfo, "director", "Pedro Almodóvar"));
    assert_non_null(find_credit(nfo, "writer", "Pedro Almodóvar"));
    const cc_credit *ab = find_credit(nfo, "actor", "Antonio Banderas");
    assert_non_null(ab);
    assert_string_equal(ab->character, "Salvador Mallo");
    assert_int_equal(ab->billing, 0);
    assert_string_equal(ab->thumb, "https://example.org/a.jpg");
    assert_int_equal(find_credit(nfo, "actor", "Penélope Cruz")->billing, 2);
    /* No <order>: its position among actors. */
    assert_int_equal(find_credit(nfo, "actor", "Asier Etxeandia")->billing, 2);
    assert_non_null(find_credit(nfo, "composer", "Alberto Iglesias")); /* role lower-cased */
    assert_non_null(find_credit(nfo, "producer", "Agustín Almodóvar"));

    assert_int_equal(nfo->film->release_count, 3);
    assert_string_equal(nfo->film->releases[0].type, "festival");
    assert_string_equal(nfo->film->releases[0].event, "Cannes Film Festival");
    assert_string_equal(nfo->film->releases[0].section, "Competition");
    assert_string_equal(nfo->film->releases[0].country, "FR");
    assert_string_equal(nfo->film->releases[1].distributor, "Sony Pictures Classics");
    assert_string_equal(nfo->film->releases[2].format, "Blu-ray");
    assert_string_equal(nfo->film->releases[2].note, "With extras");

    assert_int_equal(nfo->film->rating_count, 1);
    assert_string_equal(nfo->film->ratings[0].source, "imdb");
    assert_true(nfo->film->ratings[0].value > 7.49 && nfo->film->ratings[0].value < 7.51);
    assert_int_equal(nfo->film->ratings[0].votes, 12345);
    assert_null(nfo->warnings);
    cl_nfo_free(nfo);
}

static void test_legacy_forms(void **state)
{
    (void)state;
    cl_nfo *nfo = parse_ok("<movie><title>Old</title><set>Old Set</set><id>tt0000001</id>"
                           "<rating>6.1</rating><votes>90</votes>"
                           "<genre>Drama / Comedy</genre>"
                           "<releases><release type=\"tv\" date=\"2001-02\"/></releases></movie>");
    assert_string_equal(nfo->film->set_name, "Old Set");
    assert_null(nfo->film->set_overview);
    assert_string_equal(nfo->film->imdb_id, "tt0000001");
    assert_int_equal(nfo->film->rating_count, 1);
    assert_int_equal(nfo->film->ratings[0].votes, 90);
    assert_int_equal(nfo->film->genres.count, 2);
    assert_string_equal(nfo->film->genres.items[1], "Comedy");
    assert_int_equal(nfo->film->release_count, 1); /* wrapped in <releases> */
    assert_string_equal(nfo->film->releases[0].date, "2001-02");
    cl_nfo_free(nfo);
}

/* The film's own language, as Jellyfin (<language>) and tinyMediaManager
 * (<languages>, a list, the original first) write it: the first one kept. */
static void test_language(void **state)
{
    (void)state;
    cl_nfo *nfo = parse_ok("<movie><title>El Sur</title><languages>Spanish, English</languages>"
                           "<language>fr</language></movie>");
    assert_int_equal(nfo->film->languages.count, 1);
    assert_string_equal(nfo->film->languages.items[0], "Spanish");
    cl_nfo_free(nfo);
    nfo = parse_ok("<movie><title>X</title><original_language> es </original_language></movie>");
    assert_string_equal(nfo->film->languages.items[0], "es");
    cl_nfo_free(nfo);
    nfo = parse_ok("<movie><title>X</title><language></language></movie>");
    assert_int_equal(nfo->film->languages.count, 0);
    cl_nfo_free(nfo);
}

static void test_trailing_url(void **state)
{
    (void)state;
    /* Kodi's "XML then scraper URL" form. */
    cl_nfo *nfo = parse_ok("<movie><title>With URL</title></movie>\n"
                           "https://www.themoviedb.org/movie/519010\n");
    assert_string_equal(nfo->film->title, "With URL");
    cl_nfo_free(nfo);
}

static void test_warnings(void **state)
{
    (void)state;
    cl_nfo *nfo = parse_ok("<movie><title>W</title><year>twenty</year><runtime>-3</runtime>"
                           "<release type=\"cinema\" date=\"2019-01-01\"/>"
                           "<release type=\"tv\" date=\"2019-13-40\"/>"
                           "<crew>No Role</crew><actor><role>Nobody</role></actor></movie>");
    assert_int_equal(nfo->film->year, 0);
    assert_int_equal(nfo->film->runtime, 0);
    assert_int_equal(nfo->film->release_count, 1);
    assert_null(nfo->film->releases[0].date);
    assert_int_equal(nfo->film->credit_count, 0);
    assert_non_null(nfo->warnings);
    assert_non_null(strstr(nfo->warnings, "year"));
    assert_non_null(strstr(nfo->warnings, "cinema"));
    assert_non_null(strstr(nfo->warnings, "<crew> without role"));
    cl_nfo_free(nfo);
}

static void expect_failure(const char *data, size_t len, int code)
{
    cl_nfo *nfo = (cl_nfo *)1;
    cu_err err = {0};
    int rc = cl_nfo_parse(data, len, &nfo, &err);
    assert_int_equal(rc, code);
    assert_null(nfo);
    assert_true(err.msg[0] != '\0');
}

static void test_broken(void **state)
{
    (void)state;
    expect_failure("", 0, CU_EPARSE);
    expect_failure("<movie><title>unclosed", 22, CU_EPARSE);
    expect_failure("https://www.imdb.com/title/tt0000001/", 37, CU_EPARSE);
    expect_failure("<tvshow><title>x</title></tvshow>", 33, CU_EPARSE);
    expect_failure("\0\0\0\0", 4, CU_EPARSE);
    size_t big = CL_NFO_MAX_BYTES + 1;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    expect_failure(huge, big, CU_ELIMIT);
    free(huge);
}

static void test_entities_not_expanded(void **state)
{
    (void)state;
    /* External entity naming a local file: never read. */
    cl_nfo *nfo = parse_ok("<?xml version=\"1.0\"?>\n"
                           "<!DOCTYPE movie [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                           "<movie><title>Safe &xxe; title</title></movie>");
    assert_null(strstr(nfo->film->title, "root:"));
    assert_string_equal(nfo->film->title, "Safe  title");
    cl_nfo_free(nfo);

    /* Billion laughs: ten levels of ten; must finish at once, small. */
    char doc[4096];
    size_t o = (size_t)snprintf(doc, sizeof doc,
                                "<?xml version=\"1.0\"?>\n<!DOCTYPE movie [\n"
                                "<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i < 10; i++) {
        o += (size_t)snprintf(doc + o, sizeof doc - o, "<!ENTITY l%d \"", i);
        for (int j = 0; j < 10; j++)
            o += (size_t)snprintf(doc + o, sizeof doc - o, "&l%d;", i - 1);
        o += (size_t)snprintf(doc + o, sizeof doc - o, "\">\n");
    }
    snprintf(doc + o, sizeof doc - o, "]>\n<movie><title>&l9;</title><plot>p</plot></movie>");
    clock_t start = clock();
    cl_nfo *bomb = NULL;
    cu_err err = {0};
    int rc = cl_nfo_parse(doc, strlen(doc), &bomb, &err);
    double secs = (double)(clock() - start) / CLOCKS_PER_SEC;
    /* Either refused or parsed with the references left out. */
    if (rc == 0) {
        assert_null(bomb->film->title);
        assert_string_equal(bomb->film->plot, "p");
        cl_nfo_free(bomb);
    }
    assert_true(secs < 5.0); /* a hang guard, not a benchmark */
}

static void test_bad_utf8_repaired(void **state)
{
    (void)state;
    /* Latin-1 bytes in a file that claims nothing: repaired, with a warning. */
    cl_nfo *nfo = parse_ok("<movie><title>Caf\xe9 \xff</title></movie>");
    assert_true(cu_utf8_valid(nfo->film->title, strlen(nfo->film->title)));
    assert_non_null(strstr(nfo->film->title, "Caf"));
    assert_non_null(nfo->warnings);
    cl_nfo_free(nfo);

    /* A declared Latin-1 file is converted by libxml2. */
    nfo = parse_ok("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
                   "<movie><title>Caf\xe9</title></movie>");
    assert_string_equal(nfo->film->title, "Café");
    cl_nfo_free(nfo);
}

static void test_read_file(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    char path[512];
    snprintf(path, sizeof path, "%s/test_nfo_%d.nfo", tmp ? tmp : "/tmp", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(full_nfo, f);
    fclose(f);
    cl_nfo *nfo = NULL;
    cu_err err = {0};
    assert_int_equal(cl_nfo_read(path, &nfo, &err), 0);
    assert_string_equal(nfo->film->title, "Pain and Glory");
    cl_nfo_free(nfo);
    remove(path);
    assert_true(cl_nfo_read(path, &nfo, &err) < 0);
    assert_null(nfo);
    assert_true(cl_nfo_read("/", &nfo, &err) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_legacy_forms),
        cmocka_unit_test(test_trailing_url),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_entities_not_expanded),
        cmocka_unit_test(test_bad_utf8_repaired),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
