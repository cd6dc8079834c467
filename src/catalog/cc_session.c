/* cc_session: sessions and tokens (stored hashed) and the server key. */
#include "catalog/cc_session.h"
#include "catalog/cc_internal.h"
#include "catalog/cc_writer.h"
#include "util/cu_str.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The stored form of a token: BLAKE2b-256 of its text, in hex. The token
 * is 256 random bits, so a fast hash is enough (no password to guess). */
static int token_hash(const char *token, char hex[65])
{
    unsigned char h[32];
    if (sodium_init() < 0)
        return -1;
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof h);
    return 0;
}

static bool token_shape_ok(const char *token)
{
    if (!token || strlen(token) != CC_TOKEN_CHARS)
        return false;
    for (const char *c = token; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            return false;
    return true;
}

int cc_session_create(cc_db *db, int64_t user_id, cc_session_kind kind, const char *name,
                      const char *address, int64_t now, int64_t expires_at,
                      char token[CC_TOKEN_CHARS + 1], int64_t *id, cu_err *err)
{
    if (sodium_init() < 0)
        return cu_err_set(err, -ENOMEM, "libsodium could not be initialised");
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, CC_TOKEN_CHARS + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    char hex[65];
    token_hash(token, hex);
    char cut[CC_TOKEN_NAME_MAX + 1] = "";
    if (name) {
        /* Cut on a character boundary, so the stored name stays UTF-8. */
        size_t n = strlen(name);
        if (n > CC_TOKEN_NAME_MAX) {
            n = CC_TOKEN_NAME_MAX;
            while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
                n--;
        }
        memcpy(cut, name, n);
        cut[n] = '\0';
    }
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "INSERT INTO sessions (user_id, kind, hash, name, address, created_at,"
                   " last_used, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_text(st, 3, hex, -1, SQLITE_TRANSIENT);
    cc_bind_text_or_null(st, 4, cut);
    cc_bind_text_or_null(st, 5, address);
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, expires_at);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        sodium_memzero(token, CC_TOKEN_CHARS + 1);
        return cc_fail(db, err, "making a session");
    }
    if (id)
        *id = sqlite3_last_insert_rowid(db->sql);
    return 0;
}

int cc_session_lookup(cc_db *db, const char *token, int64_t now, int64_t idle_limit,
                      cc_session *out, cu_err *err)
{
    memset(out, 0, sizeof *out);
    if (!token_shape_ok(token))
        return cu_err_set(err, CU_ENOTFOUND, "no such session");
    char hex[65];
    if (token_hash(token, hex) < 0)
        return cu_err_set(err, -ENOMEM, "libsodium could not be initialised");
    if (!db->session_lookup &&
        cc_prepare(db,
                   "SELECT s.id, s.user_id, s.kind, s.name, s.address, s.created_at, s.last_used,"
                   " s.expires_at, u.admin, u.generation FROM sessions s"
                   " JOIN users u ON u.id = s.user_id"
                   " WHERE s.hash = ?1 AND NOT u.disabled",
                   &db->session_lookup, err) < 0)
        return CU_EDB;
    sqlite3_stmt *st = db->session_lookup;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        out->kind = sqlite3_column_int(st, 2) == 1 ? CC_SESSION_TOKEN : CC_SESSION_BROWSER;
        cc_column_copy(st, 3, out->name, sizeof out->name);
        cc_column_copy(st, 4, out->address, sizeof out->address);
        out->created_at = sqlite3_column_int64(st, 5);
        out->last_used = sqlite3_column_int64(st, 6);
        out->expires_at = sqlite3_column_int64(st, 7);
        out->admin = sqlite3_column_int(st, 8) != 0;
        out->generation = sqlite3_column_int64(st, 9);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (step == SQLITE_DONE)
        return cu_err_set(err, CU_ENOTFOUND, "no such session");
    if (step != SQLITE_ROW)
        return cc_fail(db, err, "looking up session");
    if ((out->expires_at && now >= out->expires_at) ||
        (out->kind == CC_SESSION_BROWSER && idle_limit > 0 && now - out->last_used > idle_limit)) {
        memset(out, 0, sizeof *out);
        return cu_err_set(err, CU_ENOTFOUND, "the session has expired");
    }
    return 0;
}

int cc_session_touch(cc_db *db, int64_t id, int64_t now, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "UPDATE sessions SET last_used = ?2 WHERE id = ?1", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "recording session use");
}

int cc_session_delete(cc_db *db, int64_t user_id, int64_t id, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db, "DELETE FROM sessions WHERE id = ?1 AND user_id = ?2", &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return cc_fail(db, err, "ending a session");
    if (sqlite3_changes(db->sql) == 0)
        return cu_err_set(err, CU_ENOTFOUND, "no such session");
    return 0;
}

static int delete_all(cc_db *db, void *user, cu_err *err)
{
    int64_t user_id = *(const int64_t *)user;
    int rc = cc_exec_id(db, "UPDATE users SET generation = generation + 1 WHERE id = ?1", user_id,
                        err, "ending sessions");
    if (rc == 0)
        rc = cc_exec_id(db, "DELETE FROM sessions WHERE user_id = ?1", user_id, err,
                        "ending sessions");
    return rc;
}

int cc_session_delete_all(cc_db *db, int64_t user_id, cu_err *err)
{
    return cc_writer_run(db, delete_all, &user_id, err);
}

int cc_session_list(cc_db *db, int64_t user_id, cc_session_kind kind, cc_session **out,
                    size_t *count, cu_err *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    if (cc_prepare(
            db,
            "SELECT id, user_id, kind, name, address, created_at, last_used, expires_at"
            " FROM sessions WHERE user_id = ?1 AND kind = ?2 ORDER BY created_at DESC, id DESC"
            " LIMIT 1000",
            &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, kind);
    int step;
    size_t cap = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            *out = cu_xreallocarray(*out, cap, sizeof **out);
        }
        cc_session *s = &(*out)[(*count)++];
        memset(s, 0, sizeof *s);
        s->id = sqlite3_column_int64(st, 0);
        s->user_id = sqlite3_column_int64(st, 1);
        s->kind = kind;
        cc_column_copy(st, 3, s->name, sizeof s->name);
        cc_column_copy(st, 4, s->address, sizeof s->address);
        s->created_at = sqlite3_column_int64(st, 5);
        s->last_used = sqlite3_column_int64(st, 6);
        s->expires_at = sqlite3_column_int64(st, 7);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        free(*out);
        *out = NULL;
        *count = 0;
        return cc_fail(db, err, "listing sessions");
    }
    return 0;
}

int cc_session_prune(cc_db *db, int64_t now, int64_t idle_limit, cu_err *err)
{
    sqlite3_stmt *st;
    if (cc_prepare(db,
                   "DELETE FROM sessions WHERE (expires_at != 0 AND expires_at <= ?1)"
                   " OR (kind = 0 AND ?2 > 0 AND ?1 - last_used > ?2)",
                   &st, err) < 0)
        return CU_EDB;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, idle_limit);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? 0 : cc_fail(db, err, "pruning sessions");
}

/* ---- the server key ---- */

static int read_key(int fd, const char *path, unsigned char key[CC_SERVER_KEY_BYTES], cu_err *err)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return cu_err_set(err, -errno, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return cu_err_set(err, CU_EINVAL, "%s: not a regular file", path);
    if (st.st_mode & 077)
        return cu_err_set(err, CU_EINVAL,
                          "%s: others may read the server key (chmod 600 it, or remove it to "
                          "make a new one; signed URLs made with the old one stop working)",
                          path);
    size_t got = 0;
    while (got < CC_SERVER_KEY_BYTES) {
        ssize_t n = read(fd, key + got, CC_SERVER_KEY_BYTES - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return cu_err_set(err, CU_EINVAL,
                              "%s: the server key is too short (remove it to make "
                              "a new one)",
                              path);
        got += (size_t)n;
    }
    return 0;
}

int cc_server_key_load(const char *db_path, unsigned char key[CC_SERVER_KEY_BYTES], cu_err *err)
{
    if (sodium_init() < 0)
        return cu_err_set(err, -ENOMEM, "libsodium could not be initialised");
    char *path = cu_xasprintf("%s.key", db_path);
    int rc = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        rc = read_key(fd, path, key, err);
        close(fd);
        goto done;
    }
    if (errno != ENOENT) {
        rc = cu_err_set(err, -errno, "%s: %s", path, strerror(errno));
        goto done;
    }
    /* Written under a temporary name and linked into place, so a crash
     * never leaves a short key, and two starting servers agree on one. */
    char *tmp = cu_xasprintf("%s.%ld.tmp", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = cu_err_set(err, -errno, "%s: %s", tmp, strerror(errno));
        free(tmp);
        goto done;
    }
    randombytes_buf(key, CC_SERVER_KEY_BYTES);
    bool ok = write(fd, key, CC_SERVER_KEY_BYTES) == CC_SERVER_KEY_BYTES && fsync(fd) == 0;
    close(fd);
    if (ok && link(tmp, path) == 0) {
        unlink(tmp);
        free(tmp);
        goto done;
    }
    int saved = errno;
    unlink(tmp);
    free(tmp);
    if (ok && saved == EEXIST) { /* another process made it first: use theirs */
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        rc = fd < 0 ? cu_err_set(err, -errno, "%s: %s", path, strerror(errno))
                    : read_key(fd, path, key, err);
        if (fd >= 0)
            close(fd);
        goto done;
    }
    rc = cu_err_set(err, -saved, "%s: cannot write the server key: %s", path, strerror(saved));
done:
    if (rc < 0)
        sodium_memzero(key, CC_SERVER_KEY_BYTES);
    free(path);
    return rc;
}
