/* cc_user: accounts, their passwords (argon2id) and what they may see. */
#include "catalog/cc_user.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_writer.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* 3 passes over 64 MiB: about a tenth of a second on one core, and a
 * memory bound the server can afford for a couple of sign-ins at once
 * (libsodium's MODERATE, 256 MiB, would let a burst of sign-ins exhaust a
 * small server). */
#define PWHASH_OPS 3
#define PWHASH_MEM (64u * 1024 * 1024)

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;
static char dummy_hash[crypto_pwhash_STRBYTES];

/* libsodium's one-time setup, and a hash of a random password made with
 * the same limits, checked against when a name does not exist. */
static void sodium_setup(void)
{
    if (sodium_init() < 0)
        return;
    unsigned char random_password[32];
    randombytes_buf(random_password, sizeof random_password);
    if (crypto_pwhash_str_alg(dummy_hash, (const char *)random_password, sizeof random_password,
                              PWHASH_OPS, PWHASH_MEM, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return;
    sodium_ok = 1;
}

static int need_sodium(cu_err *err)
{
    pthread_once(&sodium_once, sodium_setup);
    return sodium_ok ? 0 : cu_err_set(err, -ENOMEM, "libsodium could not be initialised");
}

void cc_user_clear(cc_user *u)
{
    for (size_t i = 0; i < u->root_count; i++)
        free(u->roots[i]);
    free(u->roots);
    memset(u, 0, sizeof *u);
}

int cc_user_name_check(const char *name, cu_err *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > CC_USER_NAME_MAX)
        return cu_err_set(err, CU_EINVAL, "a user name has 1 to %d characters", CC_USER_NAME_MAX);
    if (!cu_utf8_valid(name, n))
        return cu_err_set(err, CU_EINVAL, "a user name must be UTF-8 text");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return cu_err_set(err, CU_EINVAL, "a user name has no control characters");
    if (isspace((unsigned char)name[0]) || isspace((unsigned char)name[n - 1]))
        return cu_err_set(err, CU_EINVAL, "a user name does not start or end with a space");
    return 0;
}

int cc_user_password_check(const char *password, cu_err *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n < CC_PASSWORD_MIN)
        return cu_err_set(err, CU_EINVAL, "a password has at least %d characters", CC_PASSWORD_MIN);
    if (n > CC_PASSWORD_MAX)
        return cu_err_set(err, CU_EINVAL, "a password has at most %d characters", CC_PASSWORD_MAX);
    return 0;
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], cu_err *err)
{
    if (need_sodium(err) < 0)
        return -ENOMEM;
    if (crypto_pwhash_str_alg(out, password, strlen(password), PWHASH_OPS, PWHASH_MEM,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return cu_err_set(err, -ENOMEM, "not enough memory to hash the password");
    return 0;
}

int cc_user_count(cc_db *db, int64_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *count = 0;
    if (cc_prepare(db, "SELECT count(*) FROM users", &st, err) < 0)
        return CU_EDB;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "counting users");
}

int cc_user_admin_count(cc_db *db, int64_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *count = 0;
    if (cc_prepare(db, "SELECT count(*) FROM users WHERE admin AND NOT disabled", &st, err) < 0)
        return CU_EDB;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "counting admins");
}

int cc_user_add(cc_db *db, const char *name, const char *password, bool admin, int64_t *id,
                cu_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc;
    if ((rc = cc_user_name_check(name, err)) < 0 ||
        (rc = cc_user_password_check(password, err)) < 0)
        return rc;
    if ((rc = hash_password(password, hash, err)) < 0)
        return rc;
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO users (name, password, admin, created_at) VALUES (?1, ?2, ?3, ?4)",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, admin);
    sqlite3_bind_int64(st, 4, cu_time_now());
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    sodium_memzero(hash, sizeof hash);
    if (step == SQLITE_CONSTRAINT_UNIQUE || (step & 0xff) == SQLITE_CONSTRAINT)
        return cu_err_set(err, -EEXIST, "a user named '%s' exists already", name);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "adding user");
    if (id)
        *id = sqlite3_last_insert_rowid(db->sql);
    return 0;
}

#define USER_COLUMNS "id, name, admin, disabled, all_roots, max_cert, generation, created_at"

static void read_user(sqlite3_stmt *st, cc_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    const unsigned char *t = sqlite3_column_text(st, 1);
    cu_strlcpy(u->name, t ? (const char *)t : "", sizeof u->name);
    u->admin = sqlite3_column_int(st, 2) != 0;
    u->disabled = sqlite3_column_int(st, 3) != 0;
    u->all_roots = sqlite3_column_int(st, 4) != 0;
    t = sqlite3_column_text(st, 5);
    cu_strlcpy(u->max_cert, t ? (const char *)t : "", sizeof u->max_cert);
    u->generation = sqlite3_column_int64(st, 6);
    u->created_at = sqlite3_column_int64(st, 7);
}

static int read_roots(cc_db *db, cc_user *u, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "SELECT root FROM user_roots WHERE user_id = ?1 ORDER BY root", &st, err) <
        0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, u->id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW && u->root_count < CC_USER_ROOTS_MAX) {
        u->roots = cu_xreallocarray(u->roots, u->root_count + 1, sizeof *u->roots);
        u->roots[u->root_count++] = cc_column_strdup(st, 0);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE || step == SQLITE_ROW ? 0 : cc_fail(db, err, "reading user roots");
}

/* One user by a statement bound to its key; the password hash into hash
 * when asked. */
static int get_one(cc_db *db, sqlite3_stmt *st, cc_user *out, char *hash, size_t hash_size,
                   const char *what, cu_err *err)
{
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        read_user(st, out);
        if (hash) {
            const unsigned char *h = sqlite3_column_text(st, 8);
            cu_strlcpy(hash, h ? (const char *)h : "", hash_size);
        }
    }
    sqlite3_finalize(st);
    if (step == SQLITE_DONE)
        return cu_err_set(err, CU_ENOTFOUND, "no such user");
    if (step != SQLITE_ROW)
        return cc_fail(db, err, what);
    int rc = read_roots(db, out, err);
    if (rc < 0)
        cc_user_clear(out);
    return rc;
}

int cc_user_get(cc_db *db, int64_t id, cc_user *out, cu_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    if (cc_prepare(db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    return get_one(db, st, out, NULL, 0, "reading user", err);
}

int cc_user_find(cc_db *db, const char *name, cc_user *out, cu_err *err)
{
    sqlite3_stmt *st;
    memset(out, 0, sizeof *out);
    if (cc_prepare(db, "SELECT " USER_COLUMNS " FROM users WHERE name = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_TRANSIENT);
    return get_one(db, st, out, NULL, 0, "reading user", err);
}

int cc_user_list(cc_db *db, cc_user **users, size_t *count, cu_err *err)
{
    sqlite3_stmt *st;
    *users = NULL;
    *count = 0;
    if (cc_prepare(db, "SELECT " USER_COLUMNS " FROM users ORDER BY name", &st, err) < 0)
        return CU_EDB;
    int step;
    size_t cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            *users = cu_xreallocarray(*users, cap, sizeof **users);
        }
        read_user(st, &(*users)[(*count)++]);
    }
    sqlite3_finalize(st);
    int rc = step == SQLITE_DONE ? 0 : cc_fail(db, err, "listing users");
    for (size_t i = 0; rc == 0 && i < *count; i++)
        rc = read_roots(db, &(*users)[i], err);
    if (rc < 0) {
        cc_user_list_free(*users, *count);
        *users = NULL;
        *count = 0;
    }
    return rc;
}

void cc_user_list_free(cc_user *users, size_t count)
{
    for (size_t i = 0; i < count; i++)
        cc_user_clear(&users[i]);
    free(users);
}

int cc_user_verify(cc_db *db, const char *name, const char *password, cc_user *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (need_sodium(err) < 0)
        return -ENOMEM;
    char hash[crypto_pwhash_STRBYTES] = "";
    bool known = false;
    size_t name_len = name ? strlen(name) : 0;
    size_t password_len = password ? strlen(password) : 0;
    if (name_len > 0 && name_len <= CC_USER_NAME_MAX) {
        sqlite3_stmt *st;
        if (cc_prepare(db, "SELECT " USER_COLUMNS ", password FROM users WHERE name = ?1", &st,
                       err) < 0)
            return CU_EDB;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        int rc = get_one(db, st, out, hash, sizeof hash, "reading user", err);
        if (rc < 0 && rc != CU_ENOTFOUND)
            return rc;
        known = rc == 0;
    }
    /* The same argon2id work whether or not the name exists. */
    const char *against = known ? hash : dummy_hash;
    bool match = password_len <= CC_PASSWORD_MAX &&
                 crypto_pwhash_str_verify(against, password ? password : "", password_len) == 0;
    sodium_memzero(hash, sizeof hash);
    if (!known || !match || out->disabled) {
        cc_user_clear(out);
        return cu_err_set(err, CU_ENOTFOUND, "wrong name or password");
    }
    return 0;
}

/* Runs an UPDATE/DELETE bound to ?1 = id (and a text ?2 when given);
 * CU_ENOTFOUND when it touched nothing. */
static int change(cc_db *db, const char *sql, int64_t id, const char *text, int has_text,
                  const char *what, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, sql, &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    if (has_text)
        cc_bind_text_or_null(st, 2, text);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, what);
    if (sqlite3_changes(db->sql) == 0)
        return cu_err_set(err, CU_ENOTFOUND, "no such user");
    return 0;
}

/* Ends every session of the user and every signed URL made for it. */
static int end_sessions(cc_db *db, int64_t id, cu_err *err)
{
    int rc = change(db, "UPDATE users SET generation = generation + 1 WHERE id = ?1", id, NULL, 0,
                    "ending sessions", err);
    if (rc < 0)
        return rc;
    return cc_exec_id(db, "DELETE FROM sessions WHERE user_id = ?1", id, err, "ending sessions");
}

typedef struct change_job {
    const char *sql, *text, *what;
    int64_t id;
    int has_text;
} change_job;

static int change_then_end(cc_db *db, void *user, cu_err *err)
{
    const change_job *job = user;
    int rc = change(db, job->sql, job->id, job->text, job->has_text, job->what, err);
    return rc < 0 ? rc : end_sessions(db, job->id, err);
}

/* A change and the end of the user's sessions, in one transaction. */
static int change_and_end(cc_db *db, const char *sql, int64_t id, const char *text, int has_text,
                          const char *what, cu_err *err)
{
    change_job job = {.sql = sql, .text = text, .what = what, .id = id, .has_text = has_text};
    return cc_writer_run(db, change_then_end, &job, err);
}

int cc_user_set_password(cc_db *db, int64_t id, const char *password, cu_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc;
    if ((rc = cc_user_password_check(password, err)) < 0 ||
        (rc = hash_password(password, hash, err)) < 0)
        return rc;
    rc = change_and_end(db, "UPDATE users SET password = ?2 WHERE id = ?1", id, hash, 1,
                        "changing password", err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int cc_user_set_disabled(cc_db *db, int64_t id, bool disabled, cu_err *err)
{
    if (!disabled)
        return change(db, "UPDATE users SET disabled = 0 WHERE id = ?1", id, NULL, 0,
                      "enabling user", err);
    return change_and_end(db, "UPDATE users SET disabled = 1 WHERE id = ?1", id, NULL, 0,
                          "disabling user", err);
}

int cc_user_set_admin(cc_db *db, int64_t id, bool admin, cu_err *err)
{
    return change(db,
                  admin ? "UPDATE users SET admin = 1 WHERE id = ?1"
                        : "UPDATE users SET admin = 0 WHERE id = ?1",
                  id, NULL, 0, "changing role", err);
}

int cc_user_set_max_cert(cc_db *db, int64_t id, const char *cert, cu_err *err)
{
    if (cert && strlen(cert) > CC_CERT_MAX)
        return cu_err_set(err, CU_EINVAL, "a certification has at most %d characters", CC_CERT_MAX);
    if (cert && *cert && cc_cert_age(cert) < 0)
        return cu_err_set(err, CU_EINVAL, "unknown certification '%s' (e.g. PG-13, R, 12, FSK 16)",
                          cert);
    return change(db, "UPDATE users SET max_cert = ?2 WHERE id = ?1", id, cert, 1,
                  "changing certification", err);
}

typedef struct roots_job {
    int64_t id;
    bool all;
    const char *const *roots;
    size_t count;
} roots_job;

static int set_roots(cc_db *db, void *user, cu_err *err)
{
    const roots_job *job = user;
    int rc = change(db,
                    job->all ? "UPDATE users SET all_roots = 1 WHERE id = ?1"
                             : "UPDATE users SET all_roots = 0 WHERE id = ?1",
                    job->id, NULL, 0, "changing folders", err);
    if (rc == 0)
        rc = cc_exec_id(db, "DELETE FROM user_roots WHERE user_id = ?1", job->id, err,
                        "changing folders");
    for (size_t i = 0; rc == 0 && !job->all && i < job->count; i++) {
        sqlite3_stmt *st;
        if (cc_prepare(db, "INSERT OR IGNORE INTO user_roots (user_id, root) VALUES (?1, ?2)", &st,
                       err) < 0)
            return CU_EDB;
        sqlite3_bind_int64(st, 1, job->id);
        sqlite3_bind_text(st, 2, job->roots[i], -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = cc_fail(db, err, "changing folders");
        sqlite3_finalize(st);
    }
    return rc;
}

int cc_user_set_roots(cc_db *db, int64_t id, bool all, const char *const *roots, size_t count,
                      cu_err *err)
{
    if (!all && count > CC_USER_ROOTS_MAX)
        return cu_err_set(err, CU_ELIMIT, "at most %d folders per user", CC_USER_ROOTS_MAX);
    roots_job job = {.id = id, .all = all, .roots = roots, .count = count};
    return cc_writer_run(db, set_roots, &job, err);
}

int cc_user_remove(cc_db *db, int64_t id, cu_err *err)
{
    return change(db, "DELETE FROM users WHERE id = ?1", id, NULL, 0, "removing user", err);
}

int cc_user_check(cc_db *db, int64_t id, bool *admin, bool *disabled, int64_t *generation,
                  cu_err *err)
{
    if (!db->user_check &&
        cc_prepare(db, "SELECT admin, disabled, generation FROM users WHERE id = ?1",
                   &db->user_check, err) < 0)
        return CU_EDB;
    sqlite3_stmt *st = db->user_check;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *admin = sqlite3_column_int(st, 0) != 0;
        *disabled = sqlite3_column_int(st, 1) != 0;
        *generation = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    if (step == SQLITE_DONE)
        return cu_err_set(err, CU_ENOTFOUND, "no such user");
    return step == SQLITE_ROW ? 0 : cc_fail(db, err, "checking user");
}

/* ---- certifications ---- */

int cc_cert_age(const char *cert)
{
    if (!cert)
        return -1;
    char s[CC_CERT_MAX + 1];
    size_t n = 0;
    /* Upper-cased, spaces squeezed out. */
    for (const char *c = cert; *c && n < sizeof s - 1; c++)
        if (!isspace((unsigned char)*c))
            s[n++] = (char)toupper((unsigned char)*c);
    s[n] = '\0';
    if (strlen(cert) > 64)
        return -1;
    char *p = s;
    if (!strncmp(p, "RATED", 5))
        p += 5;
    /* "US:PG-13", "GB:15", "DE:FSK12" */
    char *colon = strchr(p, ':');
    if (colon && colon - p <= 3)
        p = colon + 1;
    if (!strncmp(p, "RATED", 5))
        p += 5;
    static const struct {
        const char *name;
        int age;
    } known[] = {
        {"G", 0},      {"PG", 10},    {"PG-13", 13}, {"PG13", 13}, {"R", 17},
        {"NC-17", 18}, {"NC17", 18},  {"X", 18},     {"U", 0},     {"UC", 0},
        {"12A", 12},   {"R18", 18},   {"TV-Y", 0},   {"TV-Y7", 7}, {"TV-G", 0},
        {"TV-PG", 10}, {"TV-14", 14}, {"TV-MA", 17}, {"TP", 0},    {"TOUSPUBLICS", 0},
        {"ALL", 0},    {"E", 0},      {"A", 18},     {"M", 15},    {"MA15+", 15},
        {"AL", 0},
    };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(p, known[i].name))
            return known[i].age;
    /* "FSK12", "FSK 16", "12", "-16", "16+", "K-12", "AB12" */
    const char *d = p;
    while (*d && !isdigit((unsigned char)*d))
        d++;
    if (!*d || d - p > 4)
        return -1;
    int age = 0;
    while (isdigit((unsigned char)*d)) {
        age = age * 10 + (*d - '0');
        if (age > 21)
            return -1;
        d++;
    }
    if (*d && strcmp(d, "+") && strcmp(d, "A"))
        return -1;
    return age;
}
