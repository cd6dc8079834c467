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

static void check_list(const cl_nfo_list *l)
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
    check_text(nfo->title);
    check_text(nfo->original_title);
    check_text(nfo->plot);
    check_text(nfo->set_name);
    check_text(nfo->edition);
    check_text(nfo->warnings);
    CHECK(nfo->year == 0 || (nfo->year >= 1870 && nfo->year <= 2200));
    check_list(&nfo->genres);
    check_list(&nfo->countries);
    check_list(&nfo->studios);
    check_list(&nfo->tags);
    for (size_t i = 0; i < nfo->credit_count; i++) {
        check_text(nfo->credits[i].name);
        check_text(nfo->credits[i].job);
        check_text(nfo->credits[i].character);
        CHECK(nfo->credits[i].name && nfo->credits[i].job);
    }
    for (size_t i = 0; i < nfo->release_count; i++) {
        const cl_nfo_release *r = &nfo->releases[i];
        CHECK(r->type != NULL);
        check_text(r->event);
        if (r->date) {
            size_t len = strlen(r->date);
            CHECK(len == 4 || len == 7 || len == 10);
        }
    }
    for (size_t i = 0; i < nfo->id_count; i++)
        check_text(nfo->ids[i].value);
    cl_nfo_id(nfo, "tmdb");
    cl_nfo_free(nfo);
    return 0;
}
