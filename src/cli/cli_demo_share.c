/* cli_demo_share: the demo's shares. Pain and Glory's three pre-Cannes
 * clips (extras of the demo library) are published each time the demo
 * starts: one live now, one opening an hour after the demo started, one
 * that closed yesterday, so the three states can be seen side by side.
 * The demo's earlier shares (known by their note) are replaced, so times
 * are always relative to this start. A thread of its own waits for the
 * server's first scan to catalog the clips: serving never waits for it. */
#include "catalog/cc_db.h"
#include "catalog/cc_extra.h"
#include "catalog/cc_film.h"
#include "catalog/cc_share.h"
#include "catalog/cc_writer.h"
#include "cli/cli.h"
#include "util/cu_arena.h"
#include "util/cu_str.h"
#include "util/cu_time.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEMO_FILM "Pain and Glory"
#define DEMO_NOTE_PREFIX "A demo share."

static const struct {
    const char *extra_title;
    const char *state;
    int64_t opens, closes; /* from now, seconds; closes 0: never */
} demo_shares[] = {
    {"Clip: The Screening", "is live", 0, 0},
    {"Clip: The River", "opens an hour after the demo started", 3600, 0},
    {"Clip: The Letter", "closed yesterday", -2 * 86400, -86400},
};

typedef struct demo_job {
    int64_t extras[3];
    char tokens[3][CC_SHARE_TOKEN_CHARS + 1];
    int64_t now;
} demo_job;

static int replace_fn(cc_db *db, void *user, cu_err *err)
{
    demo_job *j = user;
    cc_share *shares;
    size_t count;
    int rc = cc_share_list(db, &shares, &count, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < count && rc == 0; i++)
        if (shares[i].note && cu_str_has_prefix(shares[i].note, DEMO_NOTE_PREFIX))
            rc = cc_share_delete(db, shares[i].id, err);
    cc_share_list_free(shares, count);
    for (size_t i = 0; i < 3 && rc == 0; i++) {
        if (j->extras[i] <= 0)
            continue;
        char note[200];
        snprintf(note, sizeof note, "%s This one %s.", DEMO_NOTE_PREFIX, demo_shares[i].state);
        cc_share_new spec = {.extra_id = j->extras[i],
                             .title = demo_shares[i].extra_title,
                             .note = note,
                             .opens_at = j->now + demo_shares[i].opens,
                             .closes_at =
                                 demo_shares[i].closes ? j->now + demo_shares[i].closes : 0};
        rc = cc_share_add(db, &spec, j->now, j->tokens[i], NULL, err);
    }
    return rc;
}

/* The demo film's clip extras into j->extras; how many were found. */
static int find_clips(cc_db *db, demo_job *j)
{
    cu_err err = {0};
    int64_t *ids = NULL;
    size_t count = 0, found = 0;
    memset(j->extras, 0, sizeof j->extras);
    if (cc_film_list_ids(db, &ids, &count, &err) < 0)
        return 0;
    for (size_t i = 0; i < count; i++) {
        cc_film *film = NULL;
        if (cc_film_get(db, ids[i], &film, &err) < 0)
            continue;
        bool demo = film->title && !strcmp(film->title, DEMO_FILM);
        cc_film_free(film);
        if (!demo)
            continue;
        cu_arena *arena = cu_arena_new();
        cc_extra *extras = NULL;
        size_t n = 0;
        if (cc_extra_list_for_film(db, arena, ids[i], &extras, &n, &err) == 0)
            for (size_t e = 0; e < n; e++)
                for (size_t k = 0; k < 3; k++)
                    if (extras[e].title && !strcmp(extras[e].title, demo_shares[k].extra_title) &&
                        !j->extras[k]) {
                        j->extras[k] = extras[e].id;
                        found++;
                    }
        cu_arena_free(arena);
        break;
    }
    free(ids);
    return (int)found;
}

/* One attempt: 1 when the shares were made, 0 when the clips are not in
 * the catalog yet, -1 on an error (reported). */
static int try_once(const char *db_path, demo_job *j)
{
    cc_db *db = NULL;
    cu_err err = {0};
    if (access(db_path, F_OK) < 0 || cc_db_open(db_path, CC_OPEN_READWRITE, &db, &err) < 0)
        return 0; /* the server makes the catalog; not yet */
    if (find_clips(db, j) < 3) {
        cc_db_close(db);
        return 0;
    }
    int rc = cc_writer_run(db, replace_fn, j, &err);
    cc_db_close(db);
    if (rc < 0) {
        cli_error("demo shares: %s", err.msg);
        return -1;
    }
    for (size_t i = 0; i < 3; i++)
        if (j->tokens[i][0])
            fprintf(stderr, "cinemateca: demo share, %s: /s/%s (%s)\n", demo_shares[i].extra_title,
                    j->tokens[i], demo_shares[i].state);
    return 1;
}

struct cli_demo_sharer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop; /* guarded by lock */
    char *db_path;
    demo_job job;
};

/* Waits for the library service's first scan to catalog the clips (the
 * server starts serving at once; the demo's catalog fills in seconds),
 * then makes the shares. Gives up after 10 minutes or when told to stop. */
static void *sharer_thread(void *arg)
{
    cli_demo_sharer *s = arg;
    for (int tries = 0; tries < 1200; tries++) {
        if (try_once(s->db_path, &s->job) != 0)
            break;
        pthread_mutex_lock(&s->lock);
        struct timespec until;
        cu_time_deadline(CLOCK_REALTIME, 500, &until);
        if (!s->stop)
            pthread_cond_timedwait(&s->wake, &s->lock, &until);
        bool stop = s->stop;
        pthread_mutex_unlock(&s->lock);
        if (stop)
            break;
    }
    return NULL;
}

cli_demo_sharer *cli_demo_shares_start(const char *db_path)
{
    cli_demo_sharer *s = cu_xcalloc(1, sizeof *s);
    s->db_path = cu_xstrdup(db_path);
    s->job.now = cu_time_now(); /* "an hour after the demo started" */
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, sharer_thread, s) != 0) {
        cli_error("demo shares: cannot start a thread; the demo has no shares");
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->wake);
        free(s->db_path);
        free(s);
        return NULL;
    }
    return s;
}

void cli_demo_shares_stop(cli_demo_sharer *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s->db_path);
    free(s);
}
