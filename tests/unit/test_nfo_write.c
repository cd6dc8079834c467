/* Unit tests for cl_nfo_write and cu_file_replace: what is written is what
 * cl_nfo reads back (unicode, releases, crew, set, hostile text), an .nfo a
 * person wrote is not replaced without asking, the previous file is kept
 * as .bak, and a failed write leaves no partial file behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>

#include "library/cl_nfo.h"
#include "library/cl_nfo_write.h"
#include "util/cu_file.h"
#include "util/cu_str.h"

static char dir[512];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("CINEMATECA_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/test_nfo_write_XXXXXX", tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

static char *path_in(const char *name)
{
    return cu_xasprintf("%s/%s", dir, name);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *get_file(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    cu_err err = {0};
    if (cu_file_read(path, 1 << 24, &data, &len, &err) < 0)
        return NULL;
    return data;
}

/* Files in dir whose name contains part. */
static int count_named(const char *part)
{
    int n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)))
        if (strstr(de->d_name, part))
            n++;
    closedir(d);
    return n;
}

static const char hostile[] =
    "Fish & <Chips> \"quoted\" 'single' ]]> <!-- no --> &amp; &#x41; <![CDATA[x]]>";

/* A film with every field the writer covers. */
static cc_film *sample_film(void)
{
    cc_film *f = cc_film_new();
    f->title = cc_film_strdup(f, "Amélie: Le Fabuleux Destin d'Amélie Poulain ★");
    f->original_title = cc_film_strdup(f, "Le Fabuleux Destin d'Amélie Poulain");
    f->sort_title = cc_film_strdup(f, "Fabuleux Destin");
    f->year = 2001;
    f->runtime = 122;
    f->plot = cc_film_strdup(f, "Line one\nline two — 日本語 テスト\n\tand a tab");
    f->outline = cc_film_strdup(f, hostile);
    f->tagline = cc_film_strdup(f, "She'll change your life <really>");
    f->premiered = cc_film_strdup(f, "2001-04-25");
    f->mpaa = cc_film_strdup(f, "R");
    f->set_name = cc_film_strdup(f, "Jeunet & Caro <collection>");
    f->set_overview = cc_film_strdup(f, "Films by Jean-Pierre Jeunet");
    f->tmdb_id = cc_film_strdup(f, "194");
    f->imdb_id = cc_film_strdup(f, "tt0211915");
    cc_film_add_term(f, &f->genres, "Comedy");
    cc_film_add_term(f, &f->genres, "Romance & Fantasy");
    cc_film_add_term(f, &f->countries, "France");
    cc_film_add_term(f, &f->studios, "UGC");
    cc_film_add_term(f, &f->tags, "paris");
    cc_film_add_term(f, &f->languages, "fr");
    cc_credit *c = cc_film_add_credit(f);
    c->name = cc_film_strdup(f, "Jean-Pierre Jeunet");
    c->job = cc_film_strdup(f, "director");
    c->billing = 0;
    c = cc_film_add_credit(f);
    c->name = cc_film_strdup(f, "Guillaume Laurant");
    c->job = cc_film_strdup(f, "writer");
    c->billing = 1;
    c = cc_film_add_credit(f);
    c->name = cc_film_strdup(f, "Yann Tiersen");
    c->job = cc_film_strdup(f, "composer");
    c->billing = 2;
    c = cc_film_add_credit(f);
    c->name = cc_film_strdup(f, "Audrey Tautou");
    c->job = cc_film_strdup(f, "actor");
    c->character = cc_film_strdup(f, "Amélie Poulain");
    c->billing = 0;
    c = cc_film_add_credit(f);
    c->name = cc_film_strdup(f, "Mathieu Kassovitz");
    c->job = cc_film_strdup(f, "actor");
    c->character = cc_film_strdup(f, hostile);
    c->billing = 1;
    cc_release *r = cc_film_add_release(f);
    r->type = cc_film_strdup(f, "festival");
    r->date = cc_film_strdup(f, "2001-04-25");
    r->country = cc_film_strdup(f, "FR");
    r->event = cc_film_strdup(f, "Festival \"de\" <Paris> & co");
    r->section = cc_film_strdup(f, "Hors compétition");
    r->note = cc_film_strdup(f, "world premiere");
    r = cc_film_add_release(f);
    r->type = cc_film_strdup(f, "theatrical");
    r->date = cc_film_strdup(f, "2001-04");
    r->country = cc_film_strdup(f, "DE");
    r->distributor = cc_film_strdup(f, "Prokino");
    r = cc_film_add_release(f);
    r->type = cc_film_strdup(f, "physical");
    r->date = cc_film_strdup(f, "2002");
    r->format = cc_film_strdup(f, "dvd");
    cc_rating *rt = cc_film_add_rating(f);
    rt->source = cc_film_strdup(f, "imdb");
    rt->value = 8.3;
    rt->max = 10;
    rt->votes = 780000;
    return f;
}

static void assert_same_str(const char *a, const char *b)
{
    if (!a || !b) {
        assert_null(a);
        assert_null(b);
        return;
    }
    assert_string_equal(a, b);
}

static void assert_same_film(const cc_film *a, const cc_film *b)
{
    assert_same_str(a->title, b->title);
    assert_same_str(a->original_title, b->original_title);
    assert_same_str(a->sort_title, b->sort_title);
    assert_int_equal(a->year, b->year);
    assert_int_equal(a->runtime, b->runtime);
    assert_same_str(a->plot, b->plot);
    assert_same_str(a->outline, b->outline);
    assert_same_str(a->tagline, b->tagline);
    assert_same_str(a->premiered, b->premiered);
    assert_same_str(a->mpaa, b->mpaa);
    assert_same_str(a->set_name, b->set_name);
    assert_same_str(a->set_overview, b->set_overview);
    assert_same_str(a->tmdb_id, b->tmdb_id);
    assert_same_str(a->imdb_id, b->imdb_id);
    const cc_term_list *la[] = {&a->genres, &a->countries, &a->studios, &a->tags, &a->languages};
    const cc_term_list *lb[] = {&b->genres, &b->countries, &b->studios, &b->tags, &b->languages};
    for (size_t l = 0; l < 5; l++) {
        assert_int_equal(la[l]->count, lb[l]->count);
        for (size_t i = 0; i < la[l]->count; i++)
            assert_string_equal(la[l]->items[i], lb[l]->items[i]);
    }
    assert_int_equal(a->credit_count, b->credit_count);
    for (size_t i = 0; i < a->credit_count; i++) {
        assert_string_equal(a->credits[i].name, b->credits[i].name);
        assert_string_equal(a->credits[i].job, b->credits[i].job);
        assert_same_str(a->credits[i].character, b->credits[i].character);
        assert_int_equal(a->credits[i].billing, b->credits[i].billing);
    }
    assert_int_equal(a->release_count, b->release_count);
    for (size_t i = 0; i < a->release_count; i++) {
        const cc_release *x = &a->releases[i], *y = &b->releases[i];
        assert_same_str(x->type, y->type);
        assert_same_str(x->date, y->date);
        assert_same_str(x->country, y->country);
        assert_same_str(x->event, y->event);
        assert_same_str(x->section, y->section);
        assert_same_str(x->distributor, y->distributor);
        assert_same_str(x->format, y->format);
        assert_same_str(x->note, y->note);
    }
    assert_int_equal(a->rating_count, b->rating_count);
    for (size_t i = 0; i < a->rating_count; i++) {
        assert_same_str(a->ratings[i].source, b->ratings[i].source);
        assert_true(a->ratings[i].value == b->ratings[i].value);
        assert_true(a->ratings[i].max == b->ratings[i].max);
        assert_int_equal(a->ratings[i].votes, b->ratings[i].votes);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    cc_film *film = sample_film();
    char *path = path_in("Amélie (2001).nfo");
    cu_err err = {0};
    assert_int_equal(cl_nfo_write(path, film, "Director's Cut & <more>", false, &err), 0);
    cl_nfo *nfo = NULL;
    if (cl_nfo_read(path, &nfo, &err) != 0)
        fail_msg("read back: %s", err.msg);
    assert_null(nfo->warnings);
    assert_same_film(film, nfo->film);
    assert_string_equal(nfo->edition, "Director's Cut & <more>");
    /* The text is escaped, not raw markup. */
    char *text = get_file(path);
    assert_non_null(strstr(text, "Fish &amp; &lt;Chips&gt;"));
    assert_null(strstr(text, "<Chips>"));
    free(text);
    /* Ours: a second write needs no permission, and keeps the first. */
    cl_nfo_owner owner;
    assert_int_equal(cl_nfo_owner_of(path, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_OURS);
    film->year = 2002;
    assert_int_equal(cl_nfo_write(path, film, NULL, false, &err), 0);
    char *bak = cu_xasprintf("%s.bak", path);
    cl_nfo *old = NULL;
    assert_int_equal(cl_nfo_read(bak, &old, &err), 0);
    assert_int_equal(old->film->year, 2001);
    cl_nfo_free(old);
    cl_nfo_free(nfo);
    assert_int_equal(cl_nfo_read(path, &nfo, &err), 0);
    assert_int_equal(nfo->film->year, 2002);
    assert_null(nfo->edition);
    cl_nfo_free(nfo);
    assert_int_equal(count_named(".tmp."), 0);
    free(bak);
    free(path);
    cc_film_free(film);
}

static void test_empty_and_control_text(void **state)
{
    (void)state;
    cc_film *film = cc_film_new();
    film->title = cc_film_strdup(film, "Bell\x07 and NUL-free \x01 text \xFF bad byte");
    char *path = path_in("control.nfo");
    cu_err err = {0};
    assert_int_equal(cl_nfo_write(path, film, NULL, false, &err), 0);
    cl_nfo *nfo = NULL;
    if (cl_nfo_read(path, &nfo, &err) != 0)
        fail_msg("read back: %s", err.msg);
    assert_string_equal(nfo->film->title, "Bell and NUL-free  text \xEF\xBF\xBD bad byte");
    assert_int_equal(nfo->film->year, 0);
    assert_int_equal(nfo->film->credit_count, 0);
    cl_nfo_free(nfo);
    free(path);
    cc_film_free(film);
}

static void test_hand_written_refused(void **state)
{
    (void)state;
    char *path = path_in("Hand.nfo");
    const char *hand = "<movie><title>Mine</title></movie>\n";
    put_file(path, hand);
    cc_film *film = sample_film();
    cu_err err = {0};
    cl_nfo_owner owner;
    assert_int_equal(cl_nfo_owner_of(path, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_PERSONS);
    assert_int_equal(cl_nfo_write(path, film, NULL, false, &err), -EEXIST);
    char *now = get_file(path);
    assert_string_equal(now, hand);
    free(now);
    char *bak = cu_xasprintf("%s.bak", path);
    assert_int_not_equal(access(bak, F_OK), 0);
    /* With overwrite: replaced, the person's file kept as .bak. */
    assert_int_equal(cl_nfo_write(path, film, NULL, true, &err), 0);
    now = get_file(bak);
    assert_string_equal(now, hand);
    free(now);
    assert_int_equal(cl_nfo_owner_of(path, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_OURS);
    /* A file of ours that a person then changed is theirs again. */
    char *text = get_file(path);
    char *year = strstr(text, "<year>2001</year>");
    assert_non_null(year);
    year[9] = '9';
    put_file(path, text);
    free(text);
    assert_int_equal(cl_nfo_owner_of(path, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_PERSONS);
    assert_int_equal(cl_nfo_write(path, film, NULL, false, &err), -EEXIST);
    char *absent = path_in("absent.nfo");
    assert_int_equal(cl_nfo_owner_of(absent, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_ABSENT);
    free(absent);
    free(bak);
    free(path);
    cc_film_free(film);
}

/* An admin's choice of a disc's main title (<disctitle>): a person's file
 * changes only there; ours stays ours and keeps it through an edit; with
 * no file, one is written from the film; removing it works; a file that
 * is not XML is left alone. */
static void test_disc_title(void **state)
{
    (void)state;
    cu_err err = {0};
    cl_nfo *nfo = NULL;
    cl_nfo_owner owner;
    char *path = path_in("movie.nfo");
    const char *hand = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- mine -->\n<movie>\n"
                       "    <title>Mine &amp; yours</title>\n"
                       "    <disctitle>3</disctitle>\n</movie>\n";
    put_file(path, hand);
    cc_film *film = sample_film();
    assert_int_equal(cl_nfo_set_disc_title(path, film, 800, &err), 0);
    char *now = get_file(path);
    assert_non_null(strstr(now, "<!-- mine -->"));
    assert_non_null(strstr(
        now, "    <title>Mine &amp; yours</title>\n    <disctitle>800</disctitle>\n</movie>"));
    assert_null(strstr(now, "<disctitle>3</disctitle>"));
    free(now);
    char *bak = cu_xasprintf("%s.bak", path);
    now = get_file(bak);
    assert_string_equal(now, hand);
    free(now);
    assert_int_equal(cl_nfo_read(path, &nfo, &err), 0);
    assert_int_equal(nfo->disc_title, 800);
    assert_string_equal(nfo->film->title, "Mine & yours");
    cl_nfo_free(nfo);
    /* Removed: the rules choose again; the rest stays. */
    assert_int_equal(cl_nfo_set_disc_title(path, film, 0, &err), 0);
    assert_int_equal(cl_nfo_read(path, &nfo, &err), 0);
    assert_int_equal(nfo->disc_title, 0);
    assert_string_equal(nfo->film->title, "Mine & yours");
    cl_nfo_free(nfo);
    assert_int_equal(cl_nfo_owner_of(path, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_PERSONS);

    /* No file: the film's record, with the choice, marked as ours. */
    char *fresh = path_in("Film (2001).nfo");
    assert_int_equal(cl_nfo_set_disc_title(fresh, film, 1, &err), 0);
    assert_int_equal(cl_nfo_owner_of(fresh, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_OURS);
    assert_int_equal(cl_nfo_read(fresh, &nfo, &err), 0);
    assert_int_equal(nfo->disc_title, 1);
    assert_int_equal(nfo->film->year, 2001);
    cl_nfo_free(nfo);
    /* Changed again: still ours. An editor's write keeps the choice. */
    assert_int_equal(cl_nfo_set_disc_title(fresh, film, 5, &err), 0);
    assert_int_equal(cl_nfo_owner_of(fresh, &owner, &err), 0);
    assert_int_equal(owner, CL_NFO_OURS);
    assert_int_equal(cl_nfo_write(fresh, film, "Director's Cut", false, &err), 0);
    assert_int_equal(cl_nfo_read(fresh, &nfo, &err), 0);
    assert_int_equal(nfo->disc_title, 5);
    assert_string_equal(nfo->edition, "Director's Cut");
    cl_nfo_free(nfo);

    /* Not XML: refused, untouched. */
    char *broken = path_in("broken.nfo");
    put_file(broken, "<movie><title>broken");
    assert_int_equal(cl_nfo_set_disc_title(broken, film, 2, &err), CU_EPARSE);
    now = get_file(broken);
    assert_string_equal(now, "<movie><title>broken");
    free(now);
    free(broken);
    free(fresh);
    free(bak);
    free(path);
    cc_film_free(film);
}

/* A write that fails half way (the file size limit, as `ulimit -f` sets
 * it, applies to root too) leaves the old file whole and no temporary. */
static void test_failed_write_leaves_nothing(void **state)
{
    (void)state;
    char *path = path_in("Atomic.nfo");
    put_file(path, "<movie><title>Before</title></movie>\n");
    cc_film *film = sample_film();
    cu_err err = {0};
    struct rlimit old;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    struct rlimit tiny = {.rlim_cur = 200, .rlim_max = old.rlim_max};
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    int rc = cl_nfo_write(path, film, NULL, true, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_true(rc < 0);
    assert_non_null(strstr(err.msg, "cannot write"));
    char *now = get_file(path);
    assert_string_equal(now, "<movie><title>Before</title></movie>\n");
    free(now);
    assert_int_equal(count_named(".tmp."), 0);

    /* A folder that is not there: nothing written anywhere. */
    char *nowhere = cu_xasprintf("%s/missing/film.nfo", dir);
    assert_true(cl_nfo_write(nowhere, film, NULL, false, &err) < 0);
    free(nowhere);
    /* A path that is a folder is not replaced. */
    assert_int_equal(cu_file_replace(dir, "x", 1, NULL, &err), CU_EINVAL);
    free(path);
    cc_film_free(film);
}

static void test_replace_keeps_bak(void **state)
{
    (void)state;
    char *path = path_in("poster.jpg");
    char *bak = path_in("poster.jpg.bak");
    cu_err err = {0};
    assert_int_equal(cu_file_replace(path, "one", 3, bak, &err), 0);
    assert_int_not_equal(access(bak, F_OK), 0); /* nothing before it */
    assert_int_equal(cu_file_replace(path, "two", 3, bak, &err), 0);
    assert_int_equal(cu_file_replace(path, "three", 5, bak, &err), 0);
    char *now = get_file(path), *before = get_file(bak);
    assert_string_equal(now, "three");
    assert_string_equal(before, "two");
    free(now);
    free(before);
    assert_int_equal(count_named(".tmp."), 0);
    free(path);
    free(bak);
}

typedef struct writer_arg {
    const char *path, *text;
    int failures;
} writer_arg;

static void *write_many(void *p)
{
    writer_arg *a = p;
    for (int i = 0; i < 50; i++) {
        cu_err err = {0};
        if (cu_file_replace(a->path, a->text, strlen(a->text), NULL, &err) != 0)
            a->failures++;
    }
    return NULL;
}

/* Two threads replacing one file (two admins saving at once): every write
 * succeeds, the file is one of them whole, no temporary is left. */
static void test_concurrent_replace(void **state)
{
    (void)state;
    char *path = path_in("both.nfo");
    writer_arg a = {path, "<movie><title>A</title></movie>", 0};
    writer_arg b = {path, "<movie><title>Bee</title></movie>", 0};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, write_many, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, write_many, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.failures + b.failures, 0);
    char *now = get_file(path);
    assert_true(!strcmp(now, a.text) || !strcmp(now, b.text));
    free(now);
    assert_int_equal(count_named(".tmp."), 0);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_control_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hand_written_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disc_title, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_keeps_bak, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_replace, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
