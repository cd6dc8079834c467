/* cc_internal: what the catalog's .c files share and nobody else sees. */
#ifndef CC_INTERNAL_H
#define CC_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_db.h"
#include "catalog/cc_file.h"
#include "util/cu_arena.h"

#define CC_CACHED_MAX 16
#define CC_MEMO_MAX 12

struct cc_db {
    sqlite3 *sql;
    char *path;
    bool readonly;
    int lock_fd; /* shared lock against a restore (cc_backup.c); -1: none */
    /* Kept prepared: the server locates a file on every stream request. */
    sqlite3_stmt *locate;
    /* Kept prepared: every signed-in request looks up its session, every
     * signed URL its user (cc_session.c). */
    sqlite3_stmt *session_lookup, *user_check;
    /* Statements kept prepared by cc_prepare_kept, keyed by their SQL's
     * address: a scan saves thousands of files with the same dozen
     * statements, and parsing them again was a fifth of a cold scan. */
    struct cc_kept {
        const char *sql;
        sqlite3_stmt *stmt;
    } * kept;
    size_t kept_count;
    bool read_txn; /* cc_db_read_begin opened one */
    /* Statements built at run time (a filter's SQL), kept by their text
     * (cc_prepare_cached); the least recently used one goes. */
    struct cc_cached {
        char *sql;
        sqlite3_stmt *stmt;
        uint64_t used;
    } cached[CC_CACHED_MAX];
    uint64_t cached_clock;
    /* Answers over the whole catalog (cc_memo.c): the counts of films
     * for a filter (a sort in two parts counts twice per page, hence a
     * few), the A-Z bar, the status totals, the update stamp. */
    struct cc_memo {
        char *key;
        void *data;
        size_t len;
        int64_t data_version, changes;
        uint64_t used;
    } memo[CC_MEMO_MAX];
};

/* Prepares sql; the caller finalizes. On failure fills err. */
int cc_prepare(cc_db *db, const char *sql, sqlite3_stmt **stmt, cu_err *err);
/* Like cc_prepare for a statement run again and again (the scan's saves):
 * sql must be a string constant (it is the key), the statement stays the
 * db's, and the caller ends with sqlite3_reset, never sqlite3_finalize. It
 * comes reset, bindings cleared. Not for a statement that may be taken
 * again while in use (recursion). */
int cc_prepare_kept(cc_db *db, const char *sql, sqlite3_stmt **stmt, cu_err *err);
/* Like cc_prepare_kept for SQL built at run time: the statement is kept
 * by its text, CC_CACHED_MAX of them, the least recently used dropped.
 * The caller ends with sqlite3_reset, never sqlite3_finalize, and does
 * not hold it past the next cc_prepare_cached call (it may be dropped). */
int cc_prepare_cached(cc_db *db, const char *sql, sqlite3_stmt **stmt, cu_err *err);
/* PRAGMA data_version: moves when another connection commits (within a
 * read transaction, as of its snapshot). */
int cc_data_version(cc_db *db, int64_t *out, cu_err *err);
/* Records SQLite's last error for db into err and returns CU_EDB. */
int cc_fail(cc_db *db, cu_err *err, const char *what);
/* Runs a statement that returns no rows. */
int cc_exec(cc_db *db, const char *sql, cu_err *err);
/* Runs sql, which returns no rows, with ?1 = id; `what` names it in errors.
 * sql is a string constant: the statement is kept (cc_prepare_kept). */
int cc_exec_id(cc_db *db, const char *sql, int64_t id, cu_err *err, const char *what);
/* Steps a prepared, bound statement to its end, collecting the first
 * column of every row into *ids (malloc'd, *count of them), and finalizes
 * it. On failure *ids is NULL and `what` names the statement in err. */
int cc_step_ids(cc_db *db, sqlite3_stmt *st, int64_t **ids, size_t *count, cu_err *err,
                const char *what);
/* Steps st once, finalizes it; 0 when it ran to its end. */
int cc_step_done(cc_db *db, sqlite3_stmt *st, cu_err *err, const char *what);
/* Binds text or NULL when s is NULL or empty. */
void cc_bind_text_or_null(sqlite3_stmt *stmt, int index, const char *s);
/* A copy of column i's text, or NULL. */
char *cc_column_strdup(sqlite3_stmt *stmt, int i);
/* Column i as text into dst (cut to size; "" for NULL). */
void cc_column_copy(sqlite3_stmt *stmt, int i, char *dst, size_t size);
/* Runs sql (no parameters) whose rows are (name, count) into out; out is
 * emptied first and cleared again on failure. */
struct cc_count_list;
/* Reads (name, count) rows; ids (count id_count) are bound from the first
 * parameter when sql holds a cc_ids_sql set (NULL: none). */
int cc_count_list_read(cc_db *db, const char *sql, const int64_t *ids, size_t id_count,
                       struct cc_count_list *out, cu_err *err);
/* The same, allocated from arena. */
char *cc_column_adup(cu_arena *arena, sqlite3_stmt *stmt, int i);

/* SQL fragment: `col` is root itself or lies beneath it (bound as ?N). */
#define CC_UNDER_ROOT(col, n)                                                                      \
    "(" col " = ?" #n " OR substr(" col ", 1, length(?" #n ") + 1) = ?" #n " || '/')"

/* A film's runtime in minutes as lists show it: from metadata, else the
 * main files' durations (the longest version of each part, summed). `t` is
 * the films table's name or alias in the surrounding statement. */
#define CC_FILM_RUNTIME_SQL(t)                                                                     \
    "coalesce(" t ".runtime, (SELECT CAST(round(sum(d) / 60.0) AS INTEGER) FROM"                   \
    " (SELECT max(x.duration) AS d FROM files x WHERE x.film_id = " t ".id AND x.role = 'main'"    \
    " GROUP BY x.part)), 0)"

/* Columns 0..7 of a files row (alias f), read by cc_file_read_columns. */
#define CC_FILE_COLUMNS                                                                            \
    "f.id, f.path, f.part, f.version, f.size, f.duration, f.container, f.probe_error"
void cc_file_read_columns(cu_arena *arena, sqlite3_stmt *st, int first, cc_file *f);

/* Steps st (prepared, bound) to its end, collecting column 0 of each row
 * as an id (*ids malloc'd, NULL when none), and finalizes it. A failure
 * says "what" (cc_fail) and leaves no ids. */
int cc_ids_read(cc_db *db, sqlite3_stmt *st, int64_t **ids, size_t *count, const char *what,
                cu_err *err);

#endif
