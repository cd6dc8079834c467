/* cc_user: accounts. Names (case-insensitive, unique), passwords kept
 * only as argon2id strings (libsodium's crypto_pwhash_str: 3 passes over
 * 64 MiB), roles, and what a user may see: all library roots or a list,
 * and optionally a highest certification.
 * Names: 1 to CC_USER_NAME_MAX bytes of UTF-8 without control characters
 * or surrounding spaces. Passwords: CC_PASSWORD_MIN to CC_PASSWORD_MAX bytes. */
#ifndef CC_USER_H
#define CC_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

#define CC_USER_NAME_MAX 64
#define CC_PASSWORD_MIN 8
#define CC_PASSWORD_MAX 1024
#define CC_CERT_MAX 32
#define CC_USER_ROOTS_MAX 64

typedef struct cc_user {
    int64_t id;
    char name[CC_USER_NAME_MAX + 1];
    bool admin, disabled;
    bool all_roots;                 /* false: only roots[] */
    char max_cert[CC_CERT_MAX + 1]; /* "" when unlimited */
    int64_t generation;             /* bumped when every session must end */
    int64_t created_at;
    char **roots; /* malloc'd; cc_user_clear frees */
    size_t root_count;
} cc_user;

void cc_user_clear(cc_user *user);

/* 0, or CU_EINVAL with a reason a person can act on. */
int cc_user_name_check(const char *name, cu_err *err);
int cc_user_password_check(const char *password, cu_err *err);

/* How many accounts exist (disabled ones too). */
int cc_user_count(cc_db *db, int64_t *count, cu_err *err);
/* Hashes password and adds the user; -EEXIST when the name is taken. */
int cc_user_add(cc_db *db, const char *name, const char *password, bool admin, int64_t *id,
                cu_err *err);
/* CU_ENOTFOUND when absent. */
int cc_user_get(cc_db *db, int64_t id, cc_user *out, cu_err *err);
int cc_user_find(cc_db *db, const char *name, cc_user *out, cu_err *err);
/* Every user, by name (*users malloc'd; free with cc_user_list_free). */
int cc_user_list(cc_db *db, cc_user **users, size_t *count, cu_err *err);
void cc_user_list_free(cc_user *users, size_t count);

/* Checks name and password. Always does the same work (a user that does
 * not exist is checked against a dummy hash), so the time taken does not
 * tell whether the name exists. 0 and *out filled when they match and the
 * account is enabled; CU_ENOTFOUND otherwise. */
int cc_user_verify(cc_db *db, const char *name, const char *password, cc_user *out, cu_err *err);

/* Changes; each bumps the generation where sessions must end (password,
 * disable) and deletes the user's sessions then. CU_ENOTFOUND when absent. */
int cc_user_set_password(cc_db *db, int64_t id, const char *password, cu_err *err);
int cc_user_set_disabled(cc_db *db, int64_t id, bool disabled, cu_err *err);
int cc_user_set_admin(cc_db *db, int64_t id, bool admin, cu_err *err);
int cc_user_set_max_cert(cc_db *db, int64_t id, const char *cert /* NULL/"": none */, cu_err *err);
/* all: every root (roots ignored); else exactly these. */
int cc_user_set_roots(cc_db *db, int64_t id, bool all, const char *const *roots, size_t count,
                      cu_err *err);
int cc_user_remove(cc_db *db, int64_t id, cu_err *err);
/* How many enabled admins there are (so the last one is not removed). */
int cc_user_admin_count(cc_db *db, int64_t *count, cu_err *err);

/* The user's current state for a signed URL or a session: admin,
 * disabled and generation (kept prepared). CU_ENOTFOUND when absent. */
int cc_user_check(cc_db *db, int64_t id, bool *admin, bool *disabled, int64_t *generation,
                  cu_err *err);

/* The age a certification stands for ("G" 0, "PG-13" 13, "R" 17, "NC-17"
 * and "18" 18, "TV-MA" 17, "FSK 12" 12, "12A" 12; an optional country
 * prefix "US:", "Rated " and the like are skipped); -1 when unknown. */
int cc_cert_age(const char *cert);

#endif
