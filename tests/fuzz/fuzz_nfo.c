/* fuzz_nfo: any bytes as a .nfo file. Beyond memory errors (ASan) it
 * checks what cl_nfo.h promises: on success every string is valid UTF-8,
 * counts are bounded and dates are well formed; on failure nothing leaks
 * out and a reason is given. */
#include "fuzz.h"
#include "library/cl_nfo.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_text(const char *s)
{
    if (s)
        CHECK(cu_utf8_valid(s, strlen(s)) && s[0] != '\0');
}

static void check_list(const cc_term_list *l)
{
    CHECK(l->count <= 200);
    for (size_t i = 0; i < l->count; i++)
        check_text(l->items[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cl_nfo *nfo = NULL;
    cu_err err = {0};
    int rc = cl_nfo_parse((const char *)data, size, &nfo, &err);
    if (rc < 0) {
        CHECK(nfo == NULL);
        CHECK(err.msg[0] != '\0');
        return 0;
    }
    CHECK(nfo != NULL);
    check_text(nfo->film->title);
    check_text(nfo->film->original_title);
    check_text(nfo->film->plot);
    check_text(nfo->film->set_name);
    check_text(nfo->warnings);
    CHECK(nfo->film->year == 0 || (nfo->film->year >= 1870 && nfo->film->year <= 2200));
    check_list(&nfo->film->genres);
    check_list(&nfo->film->countries);
    check_list(&nfo->film->studios);
    check_list(&nfo->film->tags);
    for (size_t i = 0; i < nfo->film->credit_count; i++) {
        check_text(nfo->film->credits[i].name);
        check_text(nfo->film->credits[i].job);
        check_text(nfo->film->credits[i].character);
        CHECK(nfo->film->credits[i].name && nfo->film->credits[i].job);
    }
    for (size_t i = 0; i < nfo->film->release_count; i++) {
        const cc_release *r = &nfo->film->releases[i];
        CHECK(r->type != NULL);
        check_text(r->event);
        if (r->date) {
            size_t len = strlen(r->date);
            CHECK(len == 4 || len == 7 || len == 10);
        }
    }
    check_text(nfo->film->tmdb_id);
    check_text(nfo->film->imdb_id);
    check_text(nfo->warnings);
    cl_nfo_free(nfo);
    return 0;
}
