/* cc_watch: what each user watched: per user and file a position, a
 * watched mark, a play count and when it was last played; a film's state
 * is derived from its main files'.
 *
 * Watch state follows the file's identity, the catalog file id, which a
 * moved or renamed file keeps. A rescan never deletes it: when a file
 * leaves the catalog its rows are set aside (a trigger negates their file
 * id, so an id SQLite reuses for another file starts clean), and they come
 * back to a file that returns with the same size and content fingerprint.
 * User 0 is the local mode's user (no accounts). */
#ifndef CC_WATCH_H
#define CC_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

typedef struct cc_watch {
    double position; /* seconds; 0 when not started or finished */
    bool watched;
    int64_t play_count;
    int64_t last_played; /* seconds since the epoch; 0 when never */
} cc_watch;

/* A film counts as watched once playback passes this share of the file's
 * duration, or the start of a chapter named like "End Credits". */
#define CC_WATCH_DONE_SHARE 0.90
/* Positions and durations beyond this (seconds, about 115 days) are refused. */
#define CC_WATCH_MAX_SECONDS 1e7

typedef struct cc_progress {
    int64_t user_id;
    int64_t file_id;
    double position; /* seconds, finite, 0 to CC_WATCH_MAX_SECONDS */
    double duration; /* seconds as the player knows it; <= 0: the probed one */
} cc_progress;

/* Records a progress report (a write: inside the caller's transaction).
 * Past the watched mark the file becomes watched, its position returns to
 * 0 and, if this was a new viewing, its play count grows by one.
 * CU_ENOTFOUND when there is no such file; CU_EINVAL for a bad number. */
int cc_watch_progress(cc_db *db, const cc_progress *report, int64_t now, cu_err *err);

/* Marks every main file of a film watched (a new viewing: play count + 1,
 * last played now) or unwatched (position and mark cleared, counts kept).
 * CU_ENOTFOUND when there is no such film. */
int cc_watch_film_set(cc_db *db, int64_t user_id, int64_t film_id, bool watched, int64_t now,
                      cu_err *err);

/* A file's state; all zero when the user never played it. A main file
 * of an edition shares it with the same part of the edition's other
 * versions (the most recently played wins); editions keep their own. */
int cc_watch_file_get(cc_db *db, int64_t user_id, int64_t file_id, cc_watch *out, cu_err *err);

/* A film's state from its main files: watched when every part of one of
 * its versions is; play count and last played the highest of its files';
 * position that of the main file played last, if it is in progress. */
int cc_watch_film_get(cc_db *db, int64_t user_id, int64_t film_id, cc_watch *out, cu_err *err);

/* Films the user is in the middle of (a main file with a position, or a
 * part finished and a later one not), most recently played first, at most
 * limit (1 to 500). *ids is malloc'd. */
int cc_watch_continue(cc_db *db, int64_t user_id, size_t limit, int64_t **ids, size_t *count,
                      cu_err *err);

/* The writer for requests: one read-write connection on a thread of its
 * own that applies queued reports in short transactions (a batch of
 * whatever queued up while the last one committed), so that requests
 * never wait on SQLite's lock and a stream never waits on a request.
 * `done` is called on the writer's thread once the report is committed
 * (0), or failed (CU_ENOTFOUND, CU_EINVAL, CU_EDB). */
typedef struct cc_watch_writer cc_watch_writer;
typedef void (*cc_watch_done_fn)(int result, void *user);

#define CC_WATCH_QUEUE_MAX 8192

int cc_watch_writer_new(const char *db_path, cc_watch_writer **out, cu_err *err);
/* Queues a progress report. CU_ELIMIT when the queue is full, CU_EBUSY
 * when the writer stopped; `done` is then not called. */
int cc_watch_writer_progress(cc_watch_writer *w, const cc_progress *report, cc_watch_done_fn done,
                             void *user);
int cc_watch_writer_film_set(cc_watch_writer *w, int64_t user_id, int64_t film_id, bool watched,
                             cc_watch_done_fn done, void *user);
/* The same, and when the write succeeds *stored (when not NULL) receives
 * the state as committed: what cc_watch_file_get (a report) or
 * cc_watch_film_get (a film's mark) says, read in the writer's own
 * transaction after the batch is applied, so it is what every reader sees
 * once the commit is done. Filled before `done` is called; a request's
 * reply then needs no read of its own (which would find its connection's
 * page cache emptied by the commit, as SQLite drops it on any change). */
int cc_watch_writer_progress_stored(cc_watch_writer *w, const cc_progress *report, cc_watch *stored,
                                    cc_watch_done_fn done, void *user);
int cc_watch_writer_film_set_stored(cc_watch_writer *w, int64_t user_id, int64_t film_id,
                                    bool watched, cc_watch *stored, cc_watch_done_fn done,
                                    void *user);
/* Applies what is queued (every `done` is called) and stops the thread;
 * later reports are refused with CU_EBUSY. Safe to call more than once. */
void cc_watch_writer_stop(cc_watch_writer *w);
/* Stops (if not yet) and frees. */
void cc_watch_writer_free(cc_watch_writer *w);

#endif
