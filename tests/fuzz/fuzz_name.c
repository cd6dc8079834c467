/* fuzz_name: file and folder names into cl_name. Beyond memory errors
 * (ASan) it checks what the header promises: bounded, terminated,
 * valid UTF-8 output and a year in range. */
#include "fuzz.h"
#include "library/cl_name.h"
#include "library/cl_sidecar.h"
#include "util/cu_str.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_text(const char *s, size_t size)
{
    size_t len = strnlen(s, size);
    CHECK(len < size);
    CHECK(cu_utf8_valid(s, len));
}

static bool all_digits(const char *s, size_t from)
{
    for (size_t i = from; s[i]; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The name as a C string in an exact-size buffer; NULs inside the
     * input split it into "folder" and "stem" for cl_name_version. */
    char *name = malloc(size + 1);
    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';
    size_t first_len = strlen(name);
    const char *second = first_len < size ? name + first_len + 1 : name;

    /* The same bytes as a sidecar subtitle beside a film (split at the
     * first NUL: film name, then subtitle name). */
    cl_sidecar_info side;
    if (cl_sidecar_parse(name, second, &side)) {
        size_t lang = strnlen(side.language, sizeof side.language);
        CHECK(lang < sizeof side.language);
        CHECK(cu_utf8_valid(side.language, lang));
        CHECK(strnlen(side.format, sizeof side.format) < sizeof side.format);
    }

    cl_name parsed;
    cl_name_parse(name, &parsed);
    check_text(parsed.title, sizeof parsed.title);
    CHECK(parsed.year == 0 || (parsed.year >= 1870 && parsed.year <= 2100));
    CHECK(strnlen(parsed.tmdb_id, sizeof parsed.tmdb_id) < sizeof parsed.tmdb_id);
    CHECK(all_digits(parsed.tmdb_id, 0));
    CHECK(strnlen(parsed.imdb_id, sizeof parsed.imdb_id) < sizeof parsed.imdb_id);
    CHECK(!parsed.imdb_id[0] || (strncmp(parsed.imdb_id, "tt", 2) == 0 && parsed.imdb_id[2] &&
                                 all_digits(parsed.imdb_id, 2)));
    if (parsed.title[0]) {
        CHECK(parsed.title[0] != ' ');
        CHECK(parsed.title[strlen(parsed.title) - 1] != ' ');
    }

    /* Parts, with a roomy and a tiny base buffer. */
    char base[CL_NAME_MAX];
    int part = -1;
    if (cl_name_part(name, &part, base, sizeof base)) {
        CHECK(part >= 1 && part <= 99);
        CHECK(base[0] != '\0');
        size_t blen = strlen(base);
        CHECK(blen < first_len && memcmp(base, name, blen) == 0);
    }
    char small[4];
    if (cl_name_part(name, &part, small, sizeof small))
        CHECK(strlen(small) < sizeof small);

    char label[64];
    if (cl_name_version(second, name, label, sizeof label)) {
        check_text(label, sizeof label);
        CHECK(label[0] != '\0');
    }
    if (cl_name_version(name, second, label, 1))
        abort(); /* no label fits in one byte */

    cl_name_is_video(name);
    cl_name_is_hidden(name);
    if (cl_name_is_hidden(name))
        CHECK(cl_name_is_ignored_dir(name));

    char display[16];
    cl_name_copy_display(display, sizeof display, (const char *)data, size);
    check_text(display, sizeof display);

    free(name);
    return 0;
}
