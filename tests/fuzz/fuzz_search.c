/* fuzz_search: any bytes as a search query. A small catalog (in memory)
 * is made once; every input must search without an error, and every hit
 * must be a row that exists, with its group's fields filled. */
#include "fuzz.h"
#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "catalog/cc_film.h"
#include "catalog/cc_search_query.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cc_db *catalog(void)
{
    static cc_db *db;
    if (db)
        return db;
    cu_err err = {0};
    CHECK(cc_db_open(":memory:", CC_OPEN_READWRITE, &db, &err) == 0);
    static const char *const titles[] = {
        "Pain and Glory", "All About My Mother", "Volver", "Talk to Her", "Julieta", "Glory"};
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        char key[64], path[128];
        snprintf(key, sizeof key, "/films/%zu", i);
        snprintf(path, sizeof path, "%s/extra.mkv", key);
        cc_film_names names = {.title = titles[i], .year = 1999 + (int)i};
        int64_t id;
        CHECK(cc_film_ensure(db, key, &names, &id, &err) == 0);
        cc_file_place extra = {.path = path,
                               .root = "/films",
                               .film_id = id,
                               .is_extra = true,
                               .extra_type = "interview",
                               .extra_title = "In His Own Words"};
        CHECK(cc_file_put(db, &extra, 1, 1, NULL, NULL, "fuzz", NULL, &err) == 0);
        cc_credit credits[] = {
            {.name = "Pedro Almodóvar", .job = "director"},
            {.name = "Penélope Cruz", .job = "actor", .character = "Jacinta"},
            {.name = "Antonio Banderas", .job = "actor", .character = "Salvador Mallo"},
        };
        cc_film meta = {.metadata_source = "nfo",
                        .title = (char *)titles[i],
                        .original_title = "Dolor y gloria",
                        .plot = "A director revisits his childhood.",
                        .credits = credits,
                        .credit_count = 3};
        CHECK(cc_film_set_meta(db, id, &meta, &err) == 0);
    }
    return db;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cc_db *db = catalog();
    char *query = malloc(size + 1);
    if (!query)
        return 0;
    memcpy(query, data, size);
    query[size] = '\0'; /* a NUL inside ends the query, as in C */
    cu_err err = {0};
    cc_search_result r;
    CHECK(cc_search_query(db, query, 5, &r, &err) == 0);
    CHECK(r.film_count <= 5 && r.person_count <= 5 && r.extra_count <= 5);
    for (size_t i = 0; i < r.film_count; i++)
        CHECK(r.films[i].id > 0 && r.films[i].title);
    for (size_t i = 0; i < r.person_count; i++)
        CHECK(r.people[i].id > 0 && r.people[i].name);
    for (size_t i = 0; i < r.extra_count; i++)
        CHECK(r.extras[i].id > 0 && r.extras[i].title && r.extras[i].type &&
              r.extras[i].film_id > 0);
    cc_search_query_clear(&r);
    int64_t *ids;
    size_t count;
    CHECK(cc_search_query_film_ids(db, query, 100, &ids, &count, &err) == 0);
    CHECK(count <= 6);
    free(ids);
    free(query);
    return 0;
}
