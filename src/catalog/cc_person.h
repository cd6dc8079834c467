/* cc_person: people credited on films (shared across films: matched by
 * exact name), with their roles and most frequent collaborators. */
#ifndef CC_PERSON_H
#define CC_PERSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "util/cu_arena.h"

typedef struct cc_person_role {
    int64_t film_id;
    char *title;
    int year;
    char *job;
    char *character;
    bool has_poster; /* the film's */
} cc_person_role;

typedef struct cc_collaborator {
    int64_t person_id;
    char *name;
    int films; /* films in common */
} cc_collaborator;

typedef struct cc_person {
    int64_t id;
    char *name;
    char *thumb;
    cc_person_role *roles; /* by year, then title */
    size_t role_count;
    cc_collaborator *collaborators; /* most films in common first, at most 20 */
    size_t collaborator_count;
} cc_person;

/* CU_ENOTFOUND when absent. */
int cc_person_get(cc_db *db, int64_t id, cc_person **out, cu_err *err);
void cc_person_free(cc_person *person);

/* The photos (the .nfo's <thumb>, as recorded; NULL when none) of count
 * people, thumbs[i] for ids[i], allocated from arena: a list's page of
 * people without reading each one whole. An unknown id gets NULL. */
int cc_person_thumbs(cc_db *db, cu_arena *arena, const int64_t *ids, size_t count, char **thumbs,
                     cu_err *err);

/* The id of the person called name, created when new (thumb kept unless
 * NULL); indexes a new name for search. */
int cc_person_ensure(cc_db *db, const char *name, const char *thumb, int64_t *id, cu_err *err);
/* Removes people who are credited on no film any more. */
int cc_person_prune(cc_db *db, cu_err *err);

#endif
