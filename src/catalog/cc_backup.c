/* cc_backup: online backups of the catalog, restoring one, the daily
 * backups a server keeps, and the lock that keeps a restore away from a
 * catalog in use. */
#include "catalog/cc_backup.h"
#include "catalog/cc_db.h"
#include "util/cu_log.h"
#include "util/cu_path.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DAILY_SUFFIX ".db"
#define DAILY_NAME_LEN 13 /* "YYYY-MM-DD.db" */

/* The lock lives in FILE.lock, never on the catalog itself: closing any
 * descriptor of a file drops every POSIX lock the process holds on it,
 * SQLite's included, so a second descriptor on the catalog would break
 * SQLite's locking the moment it was closed. */
static char *lock_path(const char *db_path)
{
    return cu_xasprintf("%s.lock", db_path);
}

static int open_lock(const char *db_path, int how, int *fd, cu_err *err)
{
    char *path = lock_path(db_path);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (*fd < 0 && (errno == EACCES || errno == EROFS))
        *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0) {
        int e = errno;
        free(path);
        /* A reader that may not create the lock file cannot be kept
         * from a restore by it; a catalog it cannot lock is still read. */
        if (how == LOCK_SH && (e == EACCES || e == EROFS))
            return 0;
        return cu_err_set(err, -e, "cannot open %s.lock: %s", db_path, strerror(e));
    }
    free(path);
    if (flock(*fd, how | LOCK_NB) < 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        return e == EWOULDBLOCK ? CU_EBUSY
                                : cu_err_set(err, -e, "cannot lock %s: %s", db_path, strerror(e));
    }
    return 0;
}

int cc_backup_lock_shared(const char *db_path, int *fd, cu_err *err)
{
    *fd = -1;
    int rc = open_lock(db_path, LOCK_SH, fd, err);
    if (rc == CU_EBUSY)
        return cu_err_set(err, CU_EBUSY, "catalog %s is being restored; try again when it is done",
                          db_path);
    return rc;
}

static int sql_fail(sqlite3 *sql, cu_err *err, const char *what, const char *path)
{
    return cu_err_set(err, CU_EDB, "%s %s: %s", what, path,
                      sql ? sqlite3_errmsg(sql) : "out of memory");
}

static int open_sql(const char *path, int flags, sqlite3 **out, cu_err *err)
{
    if (sqlite3_open_v2(path, out, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int rc = sql_fail(*out, err, "cannot open", path);
        sqlite3_close_v2(*out);
        *out = NULL;
        return rc;
    }
    sqlite3_extended_result_codes(*out, 1);
    sqlite3_busy_timeout(*out, CC_BUSY_TIMEOUT_MS);
    return 0;
}

/* PRAGMA integrity_check and, with want_catalog, that the file is a
 * catalog this build can open. */
static int check_file(sqlite3 *sql, const char *path, bool want_catalog, cu_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(sql, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = cu_err_set(err, CU_EDB, "%s is not a readable SQLite database: %s", path,
                        sqlite3_errmsg(sql));
        goto done;
    }
    const char *answer = (const char *)sqlite3_column_text(st, 0);
    if (!answer || strcmp(answer, "ok")) {
        rc = cu_err_set(err, CU_EDB, "%s fails the integrity check: %s", path,
                        answer ? answer : "(no answer)");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!want_catalog)
        goto done;
    int version = -1, films = 0;
    if (sqlite3_prepare_v2(sql, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(sql, "SELECT count(*) FROM sqlite_schema WHERE name = 'films'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        films = sqlite3_column_int(st, 0);
    if (version < 1 || !films)
        rc = cu_err_set(err, CU_EINVAL, "%s is not a cinemateca catalog", path);
    else if (version > CC_SCHEMA_VERSION)
        rc = cu_err_set(err, CU_EINVAL, "%s has schema version %d, newer than this cinemateca (%d)",
                        path, version, CC_SCHEMA_VERSION);
done:
    sqlite3_finalize(st);
    return rc;
}

/* Every page of src's main database into dest's, in one step: one read
 * transaction on src, so the copy is what was committed when it began. */
static int copy_pages(sqlite3 *src, sqlite3 *dest, const char *dest_path, cu_err *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
    if (!b)
        return sql_fail(dest, err, "cannot start copying into", dest_path);
    int step = sqlite3_backup_step(b, -1);
    int finish = sqlite3_backup_finish(b);
    if (step != SQLITE_DONE || finish != SQLITE_OK)
        return cu_err_set(err, CU_EDB, "copying into %s: %s", dest_path,
                          sqlite3_errstr(step != SQLITE_DONE ? step : finish));
    return 0;
}

static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int rc = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return rc;
}

/* cc_backup_write; take_lock false when the caller holds the catalog's
 * lock already (a restore keeping the catalog it replaces). */
static int backup_to(const char *db_path, const char *out_path, bool take_lock, cu_err *err)
{
    sqlite3 *src = NULL, *dest = NULL;
    int lock_fd = -1, rc;
    char *tmp = cu_xasprintf("%s.partial-%ld", out_path, (long)getpid());
    char *dir = NULL;
    if (access(out_path, F_OK) == 0) {
        rc = cu_err_set(err, -EEXIST, "%s exists; choose another name (nothing was written)",
                        out_path);
        goto done;
    }
    if (take_lock && (rc = cc_backup_lock_shared(db_path, &lock_fd, err)) < 0)
        goto done;
    if ((rc = open_sql(db_path, SQLITE_OPEN_READONLY, &src, err)) < 0)
        goto done;
    unlink(tmp);
    if ((rc = open_sql(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dest, err)) < 0)
        goto done;
    if ((rc = copy_pages(src, dest, tmp, err)) < 0)
        goto done;
    /* The copy carries the catalog's WAL flag; a backup is one file. */
    if (sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = sql_fail(dest, err, "cannot finish", tmp);
        goto done;
    }
    if ((rc = check_file(dest, tmp, true, err)) < 0)
        goto done;
    if (sqlite3_close(dest) != SQLITE_OK) {
        rc = sql_fail(dest, err, "cannot close", tmp);
        goto done;
    }
    dest = NULL;
    if ((rc = sync_path(tmp)) < 0) {
        rc = cu_err_set(err, rc, "cannot sync %s: %s", tmp, strerror(-rc));
        goto done;
    }
    /* link() rather than rename(): a file that appeared under the name in
     * the meantime is not replaced. */
    if (link(tmp, out_path) < 0) {
        rc = cu_err_set(err, -errno, "cannot name the backup %s: %s", out_path, strerror(errno));
        goto done;
    }
    dir = cu_path_dirname(out_path);
    if (dir)
        sync_path(dir);
    rc = 0;
done:
    if (dest)
        sqlite3_close_v2(dest);
    if (src)
        sqlite3_close_v2(src);
    if (lock_fd >= 0)
        close(lock_fd);
    unlink(tmp);
    char *journal = cu_xasprintf("%s-journal", tmp);
    unlink(journal);
    free(journal);
    free(tmp);
    free(dir);
    return rc;
}

int cc_backup_write(const char *db_path, const char *out_path, cu_err *err)
{
    return backup_to(db_path, out_path, true, err);
}

int cc_backup_restore(const char *db_path, const char *in_path, char **kept, cu_err *err)
{
    sqlite3 *in = NULL, *dest = NULL;
    int fd = -1, rc;
    *kept = NULL;
    if ((rc = open_sql(in_path, SQLITE_OPEN_READONLY, &in, err)) < 0)
        goto done;
    if ((rc = check_file(in, in_path, true, err)) < 0)
        goto done;
    rc = open_lock(db_path, LOCK_EX, &fd, err);
    if (rc == CU_EBUSY)
        rc = cu_err_set(err, CU_EBUSY,
                        "catalog %s is open by a cinemateca server or scan; stop it first "
                        "(nothing was changed)",
                        db_path);
    if (rc < 0)
        goto done;
    struct stat st;
    if (stat(db_path, &st) == 0 && st.st_size > 0) {
        char stamp[32];
        time_t now = (time_t)cu_time_now();
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
        *kept = cu_xasprintf("%s.before-restore-%s", db_path, stamp);
        if ((rc = backup_to(db_path, *kept, false, err)) < 0) {
            free(*kept);
            *kept = NULL;
            goto done;
        }
    }
    if ((rc = open_sql(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dest, err)) < 0)
        goto done;
    if ((rc = copy_pages(in, dest, db_path, err)) < 0)
        goto done;
    if (sqlite3_exec(dest, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(dest, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL) != SQLITE_OK) {
        rc = sql_fail(dest, err, "cannot finish restoring", db_path);
        goto done;
    }
    rc = check_file(dest, db_path, true, err);
done:
    if (dest)
        sqlite3_close_v2(dest);
    if (in)
        sqlite3_close_v2(in);
    if (fd >= 0)
        close(fd); /* releases the lock */
    return rc;
}

/* "YYYY-MM-DD.db": the only names the daily backups prune. */
static bool is_daily_name(const char *name)
{
    if (strlen(name) != DAILY_NAME_LEN || strcmp(name + 10, DAILY_SUFFIX))
        return false;
    for (int i = 0; i < 10; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? name[i] != '-' : (name[i] < '0' || name[i] > '9'))
            return false;
    }
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cc_backup_list(const char *db_path, char ***paths, size_t *count, cu_err *err)
{
    *paths = NULL;
    *count = 0;
    char *dir_path = cu_xasprintf("%s" CC_BACKUP_SUFFIX, db_path);
    DIR *dir = opendir(dir_path);
    if (!dir) {
        int e = errno;
        free(dir_path);
        return e == ENOENT
                   ? 0
                   : cu_err_set(err, -e, "cannot read %s.backups: %s", db_path, strerror(e));
    }
    size_t cap = 0;
    struct dirent *de;
    /* Bounded: a folder of ours, but never trusted to be small. */
    while ((de = readdir(dir)) && *count < 100000) {
        if (!is_daily_name(de->d_name))
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            *paths = cu_xreallocarray(*paths, cap, sizeof **paths);
        }
        (*paths)[(*count)++] = cu_path_join(dir_path, de->d_name);
    }
    closedir(dir);
    free(dir_path);
    if (*count)
        qsort(*paths, *count, sizeof **paths, cmp_str);
    return 0;
}

int cc_backup_daily(const char *db_path, int keep, int64_t now, bool *made, cu_err *err)
{
    *made = false;
    if (keep < 1)
        keep = 1;
    char *dir_path = cu_xasprintf("%s" CC_BACKUP_SUFFIX, db_path);
    char day[16];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    char *today = cu_xasprintf("%s/%s%s", dir_path, day, DAILY_SUFFIX);
    int rc = 0;
    if (mkdir(dir_path, 0755) < 0 && errno != EEXIST) {
        rc = cu_err_set(err, -errno, "cannot create %s: %s", dir_path, strerror(errno));
        goto done;
    }
    if (access(today, F_OK) != 0) {
        if ((rc = cc_backup_write(db_path, today, err)) < 0)
            goto done;
        *made = true;
    }
    char **paths;
    size_t count;
    if ((rc = cc_backup_list(db_path, &paths, &count, err)) < 0)
        goto done;
    for (size_t i = 0; i < count; i++) {
        if (i + (size_t)keep < count && unlink(paths[i]) < 0)
            cu_log(CU_LOG_WARN, "cannot remove old backup %s: %s", paths[i], strerror(errno));
        free(paths[i]);
    }
    free(paths);
done:
    free(today);
    free(dir_path);
    return rc;
}

struct cc_backup_keeper {
    char *db_path;
    int keep;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
};

static void *keeper_main(void *arg)
{
    cc_backup_keeper *k = arg;
    pthread_mutex_lock(&k->lock);
    while (!k->stop) {
        pthread_mutex_unlock(&k->lock);
        cu_err err = {0};
        bool made = false;
        if (cc_backup_daily(k->db_path, k->keep, cu_time_now(), &made, &err) < 0)
            cu_log(CU_LOG_WARN, "daily backup: %s", err.msg);
        else if (made)
            cu_log(CU_LOG_INFO, "daily backup of %s taken", k->db_path);
        pthread_mutex_lock(&k->lock);
        /* An hour, or until stopped: a day's backup is at most an hour late. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 3600;
        while (!k->stop && pthread_cond_timedwait(&k->wake, &k->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&k->lock);
    return NULL;
}

int cc_backup_keeper_start(const char *db_path, int keep, cc_backup_keeper **out, cu_err *err)
{
    cc_backup_keeper *k = cu_xcalloc(1, sizeof *k);
    k->db_path = cu_xstrdup(db_path);
    k->keep = keep;
    pthread_mutex_init(&k->lock, NULL);
    pthread_cond_init(&k->wake, NULL);
    if (pthread_create(&k->thread, NULL, keeper_main, k) != 0) {
        pthread_mutex_destroy(&k->lock);
        pthread_cond_destroy(&k->wake);
        free(k->db_path);
        free(k);
        *out = NULL;
        return cu_err_set(err, -EAGAIN, "cannot start the backup thread");
    }
    *out = k;
    return 0;
}

void cc_backup_keeper_stop(cc_backup_keeper *k)
{
    if (!k)
        return;
    pthread_mutex_lock(&k->lock);
    k->stop = true;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->lock);
    pthread_join(k->thread, NULL);
    pthread_mutex_destroy(&k->lock);
    pthread_cond_destroy(&k->wake);
    free(k->db_path);
    free(k);
}
