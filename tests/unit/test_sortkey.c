/* Unit tests for cu_sortkey: titles in several languages shelved as a
 * librarian would, checked as one table against the expected order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cu_sortkey.h"

typedef struct {
    const char *title;
    const char *lang; /* the title's language; NULL: unknown */
    bool sort_title;  /* a <sorttitle> the user chose: folded only */
} shelf_title;

/* The expected shelf order, top to bottom. The test sorts a shuffled copy
 * by key and compares. */
static const shelf_title expected[] = {
    {"2 Fast 2 Furious", "en", false}, /* numbers first, in natural order */
    {"8½", "it", false},
    {"10 Things I Hate About You", "en", false},
    {"1917", "en", false},
    {"2001: A Space Odyssey", "en", false},
    {"The Age of Innocence", "en", false},
    {"Alien", NULL, false},
    {"Amélie", "fr", false}, /* beside Amour, not after Zoo */
    {"Amour", "fr", false},
    {"L'Atalante", "fr", false},
    {"Das Boot", "de", false},
    {"Ça", "fr", false},
    {"Un chien andalou", "fr", false},
    {"A Clockwork Orange", NULL, false},
    {"Die Hard", "en", false}, /* "Die" is no article in English */
    {"La Dolce Vita", "it", false},
    {"Dolor y gloria", "es", false},
    {"An Education", "en", false},
    {"El Dorado", "en", false}, /* an English title keeps "El" */
    {"Le Fabuleux Destin d'Amélie Poulain", "fr", false},
    {"Il Gattopardo", "it", false},
    {"Gli Amori", "it", true}, /* a chosen sort title keeps its article */
    {"The Godfather", NULL, false},
    {"La Haine", "fr", false},
    {"Der Himmel über Berlin", "de", false},
    {"La La Land", "en", false},
    {"El laberinto del fauno", "es", false},
    {"Das Leben der Anderen", "de", false},
    {"The Lord of the Rings", "en", false},
    {"Les Misérables", NULL, false},
    {"Los Olvidados", NULL, false},
    {"O Pagador de Promessas", "pt", false},
    {"Les Parapluies de Cherbourg", "fr", false},
    {"Il Postino", NULL, false},
    {"[REC]", "es", false}, /* leading punctuation skipped */
};

static void test_keys(void **state)
{
    (void)state;
    static const struct {
        const char *title, *lang, *key;
        bool strip;
    } cases[] = {
        {"The Godfather", NULL, "godfather", true},
        {"La Haine", "fr", "haine", true},
        {"La La Land", "en", "la la land", true},
        {"La La Land", NULL, "la la land", true},
        {"L'Atalante", "fr", "atalante", true},
        {"L’Atalante", "fr", "atalante", true}, /* a curly apostrophe */
        {"Amélie", NULL, "amelie", true},
        {"2001: A Space Odyssey", "en", "0000002001 a space odyssey", true},
        {"The", "en", "the", true}, /* only an article: kept */
        {"Die Hard", "en", "die hard", true},
        {"Die Hard", NULL, "die hard", true},
        {"Die Blechtrommel", "de", "blechtrommel", true},
        {"Das Boot", NULL, "boot", true},
        {"El Dorado", NULL, "el dorado", true},
        {"El Dorado", "spa", "dorado", true}, /* a 639-2 code */
        {"A Bout de souffle", "fr", "a bout de souffle", true},
        {"The Others", "es", "others", true},    /* English "The" in any language */
        {"Gli Amori", "it", "gli amori", false}, /* a sort title: folded only */
        {"...And Justice for All", "en", "and justice for all", true},
        {"¿Qué he hecho yo para merecer esto!!", "es", "que he hecho yo para merecer esto", true},
        {"", NULL, "", true},
        {"007", NULL, "0000000007", true},
        {"Straße", "de", "strasse", true},
        /* Languages by name, as .nfo files write them. */
        {"El Sur", "Castellano", "sur", true},
        {"El Sur", "Español", "sur", true},
        {"La Haine", "Français", "haine", true},
        {"Der Himmel über Berlin", "deutsch", "himmel uber berlin", true},
        {"El Sur", "Japanese", "el sur", true}, /* a language without known articles */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *k = cu_sortkey(cases[i].title, cases[i].lang, cases[i].strip);
        if (strcmp(k, cases[i].key))
            fail_msg("\"%s\" (%s): key \"%s\", expected \"%s\"", cases[i].title,
                     cases[i].lang ? cases[i].lang : "unknown", k, cases[i].key);
        free(k);
    }
    assert_null(cu_sortkey_country_lang("Japan"));
    assert_string_equal(cu_sortkey_country_lang("Spain"), "es");
    assert_string_equal(cu_sortkey_country_lang("fr"), "fr");
    assert_null(cu_sortkey_country_lang(NULL));
}

static void test_bounded(void **state)
{
    (void)state;
    char big[4096];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *k = cu_sortkey(big, NULL, true);
    assert_true(strlen(k) <= CU_SORTKEY_INPUT_MAX + CU_SORTKEY_DIGITS);
    free(k);
    /* Invalid UTF-8 and control bytes do not crash and give some key. */
    k = cu_sortkey("\xff\xfe\x01The \xc3 End", NULL, true);
    assert_non_null(k);
    free(k);
}

typedef struct {
    const shelf_title *t;
    char *key;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    return strcmp(x->key, y->key);
}

static void test_table_order(void **state)
{
    (void)state;
    size_t n = sizeof expected / sizeof *expected;
    assert_true(n >= 30);
    keyed *list = calloc(n, sizeof *list);
    /* A fixed shuffle: reversed, then every third swapped. */
    for (size_t i = 0; i < n; i++) {
        list[i].t = &expected[n - 1 - i];
        list[i].key = cu_sortkey(list[i].t->title, list[i].t->lang, !list[i].t->sort_title);
    }
    for (size_t i = 0; i + 3 < n; i += 3) {
        keyed tmp = list[i];
        list[i] = list[i + 2];
        list[i + 2] = tmp;
    }
    qsort(list, n, sizeof *list, by_key);
    int wrong = 0;
    for (size_t i = 0; i < n; i++) {
        if (list[i].t != &expected[i]) {
            print_message("position %zu: got \"%s\" (key \"%s\"), expected \"%s\"\n", i,
                          list[i].t->title, list[i].key, expected[i].title);
            wrong++;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(list[i].key);
    free(list);
    assert_int_equal(wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_table_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
