/* cl_scan: rescans are incremental — a file whose size and modification
 * time are unchanged is never probed again; a file that vanished from one
 * place and appeared in another with the same size and fingerprint is the
 * same catalog file, moved; everything else is probed off the main thread
 * and saved in batches. */
#include "library/cl_scan.h"
#include "library/cl_facts.h"
#include "catalog/cc_edition.h"
#include "media/cm_disc.h"
#include "library/cl_edition.h"
#include "catalog/cc_file.h"
#include "catalog/cc_artwork.h"
#include "catalog/cc_extra.h"
#include "catalog/cc_film.h"
#include "catalog/cc_person.h"
#include "catalog/cc_root.h"
#include "catalog/cc_scan_error.h"
#include "catalog/cc_subtitle.h"
#include "catalog/cc_writer.h"
#include "library/cl_meta.h"
#include "library/cl_nfo.h"
#include "library/cl_sidecar.h"
#include "library/cl_walk.h"
#include "media/cm_media.h"
#include "util/cu_log.h"
#include "util/cu_map.h"
#include "util/cu_path.h"
#include "util/cu_pool.h"
#include "util/cu_str.h"
#include "util/cu_time.h"
#include "util/cu_tmp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Files saved per transaction: small enough that a kill loses little,
 * large enough that commits do not dominate. */
#define SAVE_BATCH 64
/* Probes handed to the pool and not yet saved: enough to keep every
 * worker busy while the scanning thread saves a batch, and a bound on
 * the jobs held (1.6 KB each, mostly error and disc-warning text). All of
 * a scan's files were queued at once before: 3.3 MB held for 2,000 files
 * (1.8 MiB of peak RSS, BENCHMARKS.md), growing with the library. */
#define PROBES_IN_FLIGHT (2 * SAVE_BATCH)
#define FINGERPRINT_SPAN (64 * 1024)

/* What the catalog knew about a file before this scan. */
typedef struct known {
    int64_t id, size, mtime_ns, film_id;
    char *path, *fingerprint, *version;
    bool failed, is_extra, seen, moved_away;
    int part;
    struct known *same_print; /* next missing file with the same size and fingerprint */
} known;

/* What the catalog knew about a film before this scan. */
typedef struct known_film {
    int64_t id;
    char *metadata_source, *metadata_path, *poster, *backdrop;
    int64_t metadata_mtime;
    bool poster_generated;
} known_film;

typedef enum { FILE_UNCHANGED, FILE_CHANGED, FILE_NEW, FILE_MOVED } file_state;

/* One probe: filled in by a worker, consumed by the scanning thread. */
typedef struct probe_job {
    struct scan *scan;
    size_t file; /* index into the walk result */
    char fingerprint[17];
    cm_media_info *info; /* NULL when the probe failed */
    cu_err err;
    /* Discs: the main title's number, the kind read, and damage found
     * that did not stop reading ("" when none). */
    int disc_title;
    int chosen_title; /* the film's .nfo <disctitle> (read by the scanning thread); 0: none */
    cm_disc_kind disc_kind;
    char disc_warnings[1024];
    /* A disc's special features: titles longer than the minimum that are
     * not the film, each described like a file. */
    size_t extra_count;
    int *extra_numbers;
    cm_media_info **extra_infos;
    struct probe_job *next;
} probe_job;

/* The catalog files made of one disc's special features in this scan. */
typedef struct disc_extras {
    size_t count;
    int64_t *ids;
    int *numbers;
} disc_extras;

typedef struct scan {
    cc_db *db;
    cc_writer *writer; /* every write of the scan; SAVE_BATCH files a transaction */
    const cl_scan_options *opt;
    cl_scan_report *report;
    const char *root;
    cl_walk_result walk;
    cu_map *known_by_path;    /* path -> known* */
    cu_map *missing_by_print; /* "size:fingerprint" -> list of known* not seen in the walk */
    cu_map *missing_sizes;    /* "size" -> non-NULL when some missing file has it */
    cu_map *film_ids;         /* key -> known_film*, catalog films under root */
    file_state *states;       /* per found file */
    known **matches;          /* per found file: the catalog file it is (or NULL) */
    int64_t *file_ids;        /* per found file: its catalog id once saved */
    int *disc_titles;         /* per found file: a disc's main title read in this scan, else 0 */
    disc_extras *disc_extras; /* per found file: a disc's special features saved in this scan */
    int64_t *film_id_of;      /* per found film */
    bool *film_touched;       /* per found film: created, renamed or given new files */
    cl_meta_tags *film_tags;  /* per found film: tags of its main file probed in this scan */
    /* Finished probes, guarded by lock. */
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    probe_job *done_head;
    size_t probed;
} scan;

int cl_scan_fingerprint(const char *path, int64_t size, char out[17])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return -errno;
    static const size_t span = FINGERPRINT_SPAN;
    unsigned char *buf = cu_xmalloc(span);
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)size;
    int rc = 0;
    for (int pass = 0; pass < 2; pass++) {
        off_t off = pass == 0 ? 0 : (size > (int64_t)span ? size - (int64_t)span : 0);
        if (pass == 1 && size <= (int64_t)span)
            break; /* the first pass already read everything */
        ssize_t n = pread(fd, buf, span, off);
        if (n < 0) {
            rc = -errno;
            break;
        }
        /* FNV-1a over 64-bit words (then the tail bytes): 8x fewer
         * multiplications than bytewise, and as good for telling files apart. */
        ssize_t i = 0;
        for (; i + 8 <= n; i += 8) {
            uint64_t word;
            memcpy(&word, buf + i, 8);
            h ^= word;
            h *= 1099511628211ULL;
            h ^= h >> 29;
        }
        for (; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ULL;
        }
    }
    free(buf);
    close(fd);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return rc;
}

static void report_failure(cl_scan_report *r, const char *path, const char *reason)
{
    if (r->failure_count == r->failure_cap) {
        r->failure_cap = r->failure_cap ? r->failure_cap * 2 : 16;
        r->failures = cu_xreallocarray(r->failures, r->failure_cap, sizeof *r->failures);
    }
    r->failures[r->failure_count].path = cu_xstrdup(path);
    r->failures[r->failure_count].reason = cu_xstrdup(reason);
    r->failure_count++;
}

static void progress(scan *s, const char *phase, const char *current)
{
    if (!s->opt->progress)
        return;
    cl_scan_progress p = {
        .phase = phase,
        .found = s->report->files + s->walk.file_count,
        .probed = s->probed,
        .to_probe = 0,
        .current = current,
    };
    for (size_t i = 0; s->states && i < s->walk.file_count; i++)
        if (s->states[i] == FILE_NEW || s->states[i] == FILE_CHANGED)
            p.to_probe++;
    s->opt->progress(&p, s->opt->user);
}

static void walk_progress(size_t found, const char *dir, void *user)
{
    scan *s = user;
    (void)found;
    progress(s, "walking", dir);
}

static bool canceled(const scan *s)
{
    return s->opt->cancel && *s->opt->cancel;
}

static int remember_known(const cc_known_file *f, void *user)
{
    scan *s = user;
    known *k = cu_xcalloc(1, sizeof *k);
    k->id = f->id;
    k->size = f->size;
    k->mtime_ns = f->mtime_ns;
    k->film_id = f->film_id;
    k->path = cu_xstrdup(f->path);
    k->fingerprint = f->fingerprint ? cu_xstrdup(f->fingerprint) : NULL;
    k->version = f->version ? cu_xstrdup(f->version) : NULL;
    k->failed = f->failed;
    k->is_extra = f->is_extra;
    k->part = f->part;
    cu_map_put(s->known_by_path, f->path, k, NULL);
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? cu_xstrdup(s) : NULL;
}

static int remember_film(const cc_known_film *f, void *user)
{
    scan *s = user;
    known_film *k = cu_xcalloc(1, sizeof *k);
    k->id = f->id;
    k->metadata_source = dup_or_null(f->metadata_source);
    k->metadata_path = dup_or_null(f->metadata_path);
    k->metadata_mtime = f->metadata_mtime;
    k->poster = dup_or_null(f->poster);
    k->poster_generated = f->poster_generated;
    k->backdrop = dup_or_null(f->backdrop);
    cu_map_put(s->film_ids, f->key, k, NULL);
    return 0;
}

static void known_film_free(known_film *k)
{
    if (!k)
        return;
    free(k->metadata_source);
    free(k->metadata_path);
    free(k->poster);
    free(k->backdrop);
    free(k);
}

static bool under_unreadable(const scan *s, const char *path)
{
    for (size_t i = 0; i < s->walk.unreadable_count; i++)
        if (cu_path_is_within(s->walk.unreadable[i], path))
            return true;
    return false;
}

/* An unchanged disc keeps the special features saved when it was read. */
static void keep_disc_extras(scan *s, const char *disc)
{
    size_t len = strlen(disc), pos = 0;
    const char *key;
    void *value;
    while (cu_map_next(s->known_by_path, &pos, &key, &value))
        if (!strncmp(key, disc, len) && key[len] == '#')
            ((known *)value)->seen = true;
}

/* Whether a disc's film has an .nfo other than the one the catalog read
 * (new, changed or gone): its <disctitle> may choose another main title
 * (an admin's choice is written there), so the disc's index is read again
 * (index files only: cheap). */
static bool disc_nfo_changed(const scan *s, const cl_found_file *f)
{
    if (f->film >= s->walk.film_count)
        return false;
    const cl_found_film *film = &s->walk.films[f->film];
    const known_film *kf = cu_map_get(s->film_ids, film->key);
    if (!kf)
        return false;
    bool had = kf->metadata_path && kf->metadata_source && !strcmp(kf->metadata_source, "nfo");
    if (!film->nfo_path)
        return had;
    return !had || strcmp(kf->metadata_path, film->nfo_path) != 0 ||
           kf->metadata_mtime != film->nfo_mtime_ns;
}

/* Decides for each found file whether it is unchanged, changed, new or a
 * known file that moved here. */
static void classify(scan *s)
{
    size_t n = s->walk.file_count;
    s->states = cu_xcalloc(n + 1, sizeof *s->states);
    s->matches = cu_xcalloc(n + 1, sizeof *s->matches);
    s->file_ids = cu_xcalloc(n + 1, sizeof *s->file_ids);
    s->disc_titles = cu_xcalloc(n + 1, sizeof *s->disc_titles);
    s->disc_extras = cu_xcalloc(n + 1, sizeof *s->disc_extras);
    for (size_t i = 0; i < n; i++) {
        cl_found_file *f = &s->walk.files[i];
        known *k = cu_map_get(s->known_by_path, f->path);
        if (!k) {
            s->states[i] = FILE_NEW;
            continue;
        }
        k->seen = true;
        s->matches[i] = k;
        s->states[i] =
            k->size == f->size && k->mtime_ns == f->mtime_ns ? FILE_UNCHANGED : FILE_CHANGED;
        if (s->states[i] == FILE_UNCHANGED && f->disc != CL_DISC_NONE && disc_nfo_changed(s, f))
            s->states[i] = FILE_CHANGED;
        if (s->states[i] == FILE_UNCHANGED && f->disc != CL_DISC_NONE)
            keep_disc_extras(s, f->path);
    }
    /* Known files the walk did not see may have moved. */
    size_t pos = 0;
    const char *key;
    void *value;
    char buf[64];
    while (cu_map_next(s->known_by_path, &pos, &key, &value)) {
        known *k = value;
        if (k->seen || !k->fingerprint || under_unreadable(s, k->path))
            continue;
        snprintf(buf, sizeof buf, "%lld:%s", (long long)k->size, k->fingerprint);
        k->same_print = cu_map_get(s->missing_by_print, buf);
        cu_map_put(s->missing_by_print, buf, k, NULL);
        snprintf(buf, sizeof buf, "%lld", (long long)k->size);
        cu_map_put(s->missing_sizes, buf, k, NULL);
    }
    if (cu_map_count(s->missing_by_print) == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        cl_found_file *f = &s->walk.files[i];
        if (s->states[i] != FILE_NEW)
            continue;
        snprintf(buf, sizeof buf, "%lld", (long long)f->size);
        if (!cu_map_has(s->missing_sizes, buf))
            continue;
        char print[17];
        if (cl_scan_fingerprint(f->path, f->size, print) < 0)
            continue;
        snprintf(buf, sizeof buf, "%lld:%s", (long long)f->size, print);
        known *head = cu_map_get(s->missing_by_print, buf);
        if (!head)
            continue;
        /* Copies of one file share a fingerprint: prefer the one that kept
         * its name, else take the first. */
        known **link = NULL, *k = NULL;
        for (known **l = &head; *l; l = &(*l)->same_print) {
            if (!strcmp(cu_path_basename((*l)->path), cu_path_basename(f->path))) {
                link = l;
                break;
            }
        }
        if (!link)
            link = &head;
        k = *link;
        *link = k->same_print;
        if (head)
            cu_map_put(s->missing_by_print, buf, head, NULL);
        else
            cu_map_remove(s->missing_by_print, buf);
        k->moved_away = true;
        s->states[i] = FILE_MOVED;
        s->matches[i] = k;
    }
}

/* A disc is read for its index only: its main title stands for the file
 * (duration, chapters, tracks). An image keeps a fingerprint (it can move
 * like any file); a folder cannot have one. */
static void probe_disc(const cl_found_file *f, probe_job *job)
{
    if (f->disc == CL_DISC_IMAGE) {
        int rc = cl_scan_fingerprint(f->path, f->size, job->fingerprint);
        if (rc < 0) {
            cu_err_set(&job->err, rc, "cannot read: %s", strerror(-rc));
            return;
        }
    }
    cm_disc *disc = NULL;
    if (cm_disc_open(f->path, &disc, &job->err) < 0)
        return;
    /* The film's .nfo may say which title is the film (<disctitle>). */
    int chosen = job->chosen_title;
    bool chosen_missing = chosen > 0 && cm_disc_set_main(disc, chosen) < 0;
    job->disc_kind = disc->kind;
    job->disc_title = disc->titles[disc->main_title].number;
    cu_strlcpy(job->disc_warnings, disc->warnings, sizeof job->disc_warnings);
    if (chosen_missing) {
        size_t used = strlen(job->disc_warnings);
        snprintf(job->disc_warnings + used, sizeof job->disc_warnings - used,
                 "%s<disctitle>%d</disctitle> in the .nfo: the disc has no such title",
                 used ? "\n" : "", chosen);
    }
    if (cm_disc_title_info(disc, disc->main_title, &job->info) < 0)
        cu_err_set(&job->err, CU_EMEDIA, "disc title unreadable");
    job->extra_numbers = cu_xcalloc(disc->title_count + 1, sizeof *job->extra_numbers);
    job->extra_infos = cu_xcalloc(disc->title_count + 1, sizeof *job->extra_infos);
    for (size_t i = 0; i < disc->title_count; i++) {
        if (disc->titles[i].role != CM_DISC_TITLE_EXTRA)
            continue;
        if (cm_disc_title_info(disc, i, &job->extra_infos[job->extra_count]) == 0)
            job->extra_numbers[job->extra_count++] = disc->titles[i].number;
    }
    cm_disc_free(disc);
}

static void probe_worker(void *arg)
{
    probe_job *job = arg;
    scan *s = job->scan;
    cl_found_file *f = &s->walk.files[job->file];
    if (canceled(s)) {
        cu_err_set(&job->err, CU_EBUSY, "scan canceled");
    } else if (f->disc != CL_DISC_NONE) {
        probe_disc(f, job);
    } else {
        int rc = cl_scan_fingerprint(f->path, f->size, job->fingerprint);
        if (rc < 0)
            cu_err_set(&job->err, rc, "cannot read: %s", strerror(-rc));
        else
            cm_media_probe(f->path, &job->info, &job->err);
    }
    pthread_mutex_lock(&s->lock);
    job->next = s->done_head;
    s->done_head = job;
    pthread_cond_signal(&s->done_cond);
    pthread_mutex_unlock(&s->lock);
}

static cc_file_place place_of(const scan *s, size_t i)
{
    const cl_found_file *f = &s->walk.files[i];
    return (cc_file_place){
        .path = f->path,
        .root = s->root,
        .film_id = s->film_id_of[f->film],
        .is_extra = f->is_extra,
        .part = f->part,
        .version = f->version,
        .extra_type = f->extra_type,
        .extra_title = f->extra_title,
    };
}

static bool same_place(const known *k, const cc_file_place *p)
{
    bool same_version = (!k->version && !p->version) ||
                        (k->version && p->version && !strcmp(k->version, p->version));
    return k->film_id == p->film_id && k->is_extra == p->is_extra && k->part == p->part &&
           same_version && !strcmp(k->path, p->path);
}

/* Gives every found film its catalog id, creating or renaming as needed. */
static int save_films(scan *s, cu_err *err)
{
    size_t nf = s->walk.film_count;
    s->film_id_of = cu_xcalloc(nf + 1, sizeof *s->film_id_of);
    s->film_touched = cu_xcalloc(nf + 1, sizeof *s->film_touched);
    s->film_tags = cu_xcalloc(nf + 1, sizeof *s->film_tags);
    bool *needs_update = cu_xcalloc(nf + 1, sizeof *needs_update);
    cu_map *found_keys = cu_map_new();
    for (size_t i = 0; i < nf; i++)
        cu_map_put(found_keys, s->walk.films[i].key, NULL, NULL);
    for (size_t i = 0; i < s->walk.file_count; i++)
        if (s->states[i] != FILE_UNCHANGED)
            needs_update[s->walk.files[i].film] = true;

    int rc = cc_writer_begin(s->writer, err);
    if (rc < 0)
        goto done;
    for (size_t i = 0; i < nf && rc == 0; i++) {
        cl_found_film *film = &s->walk.films[i];
        known_film *kf = cu_map_get(s->film_ids, film->key);
        int64_t id = kf ? kf->id : 0;
        if (!id) {
            /* A film whose files moved to a new folder keeps its identity:
             * take over the old film if its key is gone from the tree. */
            for (size_t j = 0; j < s->walk.file_count && !id; j++) {
                known *k = s->matches[j];
                if (s->walk.files[j].film != i || s->states[j] != FILE_MOVED || !k || !k->film_id)
                    continue;
                size_t pos = 0;
                const char *key;
                void *value;
                while (cu_map_next(s->film_ids, &pos, &key, &value)) {
                    known_film *old = value;
                    if (old->id == k->film_id && !cu_map_has(found_keys, key)) {
                        char *old_key = cu_xstrdup(key);
                        rc = cc_film_rekey(s->db, k->film_id, film->key, err);
                        cu_map_remove(s->film_ids, old_key);
                        free(old_key);
                        cu_map_put(s->film_ids, film->key, old, NULL);
                        id = old->id;
                        needs_update[i] = true;
                        break;
                    }
                }
            }
        }
        if (rc == 0 && (!id || needs_update[i])) {
            cc_film_names names = {
                .title = film->name.title,
                .year = film->name.year,
                .tmdb_id = film->name.tmdb_id,
                .imdb_id = film->name.imdb_id,
            };
            rc = cc_film_ensure(s->db, film->key, &names, &id, err);
        }
        s->film_id_of[i] = id;
        s->film_touched[i] = needs_update[i] || !kf;
    }
    /* Unchanged and moved files: only their place may differ. */
    for (size_t i = 0; i < s->walk.file_count && rc == 0; i++) {
        known *k = s->matches[i];
        if (s->states[i] != FILE_UNCHANGED && s->states[i] != FILE_MOVED)
            continue;
        cc_file_place place = place_of(s, i);
        if (!same_place(k, &place))
            rc = cc_file_place_update(s->db, k->id, &place, err);
        if (rc == 0 && s->states[i] == FILE_MOVED &&
            (k->mtime_ns != s->walk.files[i].mtime_ns || k->size != s->walk.files[i].size))
            rc = cc_file_touch(s->db, k->id, s->walk.files[i].size, s->walk.files[i].mtime_ns, err);
    }
    if (rc == 0)
        rc = cc_writer_commit(s->writer, err);
    if (rc < 0)
        cc_writer_rollback(s->writer);
done:
    cu_map_free(found_keys);
    free(needs_update);
    return rc;
}

/* A disc title other than the main one is a catalog file of its own,
 * named by the disc's path and the title's number. */
static char *disc_title_path(const char *disc, int number)
{
    return cu_xasprintf("%s#%05d", disc, number);
}

/* Special features of a disc read in this scan: saved as extras of its
 * film (typed "other"), remembered for its version. */
static int save_disc_extras(scan *s, probe_job *job, cu_err *err)
{
    cl_found_file *f = &s->walk.files[job->file];
    disc_extras *x = &s->disc_extras[job->file];
    x->ids = cu_xcalloc(job->extra_count + 1, sizeof *x->ids);
    x->numbers = cu_xcalloc(job->extra_count + 1, sizeof *x->numbers);
    int rc = 0;
    for (size_t i = 0; i < job->extra_count && rc == 0; i++) {
        char *path = disc_title_path(f->path, job->extra_numbers[i]);
        char title[64];
        snprintf(title, sizeof title, "%s %d", job->disc_kind == CM_DISC_DVD ? "Title" : "Playlist",
                 job->extra_numbers[i]);
        cc_file_place place = {
            .path = path,
            .root = s->root,
            .film_id = s->film_id_of[f->film],
            .is_extra = true,
            .part = 1,
            .extra_type = "other",
            .extra_title = title,
        };
        cc_file_facts facts;
        rc = cc_file_put(s->db, &place, 0, f->mtime_ns, NULL,
                         cl_facts_from_probe(job->extra_infos[i], &facts), NULL, &x->ids[x->count],
                         err);
        cl_facts_clear(&facts);
        if (rc == 0) {
            x->numbers[x->count++] = job->extra_numbers[i];
            known *k = cu_map_get(s->known_by_path, path);
            if (k)
                k->seen = true; /* saved again: not missing */
        }
        free(path);
    }
    return rc;
}

static int save_probe(scan *s, probe_job *job, cu_err *err)
{
    cl_found_file *f = &s->walk.files[job->file];
    cc_file_place place = place_of(s, job->file);
    const char *reason = job->info ? NULL : job->err.msg[0] ? job->err.msg : "unreadable";
    cc_file_facts facts;
    int rc = cc_file_put(
        s->db, &place, f->size, f->mtime_ns, job->fingerprint[0] ? job->fingerprint : NULL,
        cl_facts_from_probe(job->info, &facts), reason, &s->file_ids[job->file], err);
    cl_facts_clear(&facts);
    if (rc == 0 && job->info && job->disc_warnings[0]) {
        /* A damaged disc that could still be read: told, not failed. */
        rc = cc_scan_error_put(s->db, f->path, s->root, "disc", job->disc_warnings, err);
        report_failure(s->report, f->path, job->disc_warnings);
    } else if (rc == 0) {
        rc = job->info ? cc_scan_error_clear(s->db, f->path, err)
                       : cc_scan_error_put(s->db, f->path, s->root, "probe", reason, err);
    }
    if (rc == 0 && f->disc != CL_DISC_NONE) {
        s->disc_titles[job->file] = job->info ? job->disc_title : 0;
        if (job->info)
            rc = save_disc_extras(s, job, err);
    }
    if (rc == 0 && job->info && !f->is_extra && f->part == 1 && !f->version) {
        cl_meta_tags *t = &s->film_tags[f->film];
        cl_meta_tags_clear(t);
        t->title = dup_or_null(job->info->tag_title);
        t->date = dup_or_null(job->info->tag_date);
        t->description = dup_or_null(job->info->tag_description ? job->info->tag_description
                                                                : job->info->tag_comment);
    }
    if (rc == 0) {
        if (s->states[job->file] == FILE_NEW)
            s->report->added++;
        else
            s->report->changed++;
        if (!job->info) {
            s->report->failed++;
            report_failure(s->report, f->path, reason);
        }
    }
    return rc;
}

static void free_jobs(probe_job *j)
{
    while (j) {
        probe_job *next = j->next;
        cm_media_info_free(j->info);
        for (size_t i = 0; i < j->extra_count; i++)
            cm_media_info_free(j->extra_infos[i]);
        free(j->extra_infos);
        free(j->extra_numbers);
        free(j);
        j = next;
    }
}

/* Hands file i to the pool. */
static void submit_probe(scan *s, cu_pool *pool, size_t i)
{
    probe_job *job = cu_xcalloc(1, sizeof *job);
    job->scan = s;
    job->file = i;
    /* A disc's .nfo is read here, not on a worker: libxml2 keeps
     * per-thread state that the pool's threads would not give back. */
    const cl_found_file *f = &s->walk.files[i];
    const char *nfo_path = f->disc != CL_DISC_NONE && f->film < s->walk.film_count
                               ? s->walk.films[f->film].nfo_path
                               : NULL;
    cl_nfo *nfo = NULL;
    cu_err nfo_err = {0};
    if (nfo_path && cl_nfo_read(nfo_path, &nfo, &nfo_err) == 0)
        job->chosen_title = nfo->disc_title;
    cl_nfo_free(nfo);
    cu_pool_submit(pool, probe_worker, job);
}

/* Probes new and changed files on the pool; saves results as they come.
 * At most PROBES_IN_FLIGHT jobs exist at a time, refilled as results are
 * saved. */
static int probe_and_save(scan *s, cu_err *err)
{
    size_t total = 0;
    for (size_t i = 0; i < s->walk.file_count; i++)
        if (s->states[i] == FILE_NEW || s->states[i] == FILE_CHANGED)
            total++;
    if (total == 0)
        return 0;
    cu_pool *pool = cu_pool_new(s->opt->threads);
    int rc = 0;
    size_t next = 0, submitted = 0, received = 0;
    for (;;) {
        /* Nothing more is started once the scan is canceled or a save
         * failed: what is in flight is received and dropped. */
        while (submitted - received < PROBES_IN_FLIGHT && next < s->walk.file_count && rc == 0 &&
               !canceled(s)) {
            size_t i = next++;
            if (s->states[i] != FILE_NEW && s->states[i] != FILE_CHANGED)
                continue;
            submit_probe(s, pool, i);
            submitted++;
        }
        if (received == submitted)
            break;
        pthread_mutex_lock(&s->lock);
        while (!s->done_head)
            pthread_cond_wait(&s->done_cond, &s->lock);
        probe_job *batch = s->done_head;
        s->done_head = NULL;
        pthread_mutex_unlock(&s->lock);

        size_t in_batch = 0;
        for (probe_job *j = batch; j; j = j->next)
            in_batch++;
        received += in_batch;
        if (rc == 0 && !canceled(s)) {
            /* The writer commits every SAVE_BATCH files; what came in
             * this batch is committed before waiting for the next. */
            rc = cc_writer_begin(s->writer, err);
            for (probe_job *j = batch; j && rc == 0; j = j->next) {
                rc = save_probe(s, j, err);
                s->probed++;
                if (rc == 0)
                    rc = cc_writer_step(s->writer, err);
            }
            if (rc == 0)
                rc = cc_writer_commit(s->writer, err);
            if (rc < 0)
                cc_writer_rollback(s->writer);
            progress(s, "probing", s->walk.files[batch->file].path);
        }
        free_jobs(batch);
    }
    cu_pool_free(pool);
    return rc;
}

/* Re-reads the film's .nfo when it is new or changed; falls back to the
 * names (and tags) when it is gone or broken. */
static int save_film_nfo(scan *s, size_t i, known_film *kf, cu_err *err)
{
    cl_found_film *film = &s->walk.films[i];
    int64_t id = s->film_id_of[i];
    bool had_nfo = kf && kf->metadata_source && !strcmp(kf->metadata_source, "nfo");
    int rc = 0;
    if (film->nfo_path) {
        if (kf && kf->metadata_path && !strcmp(kf->metadata_path, film->nfo_path) &&
            kf->metadata_mtime == film->nfo_mtime_ns && !s->film_touched[i])
            return 0;
        cl_nfo *nfo = NULL;
        cu_err nfo_err = {0};
        s->report->metadata_read++;
        if (cl_nfo_read(film->nfo_path, &nfo, &nfo_err) == 0) {
            rc = cl_meta_apply_nfo(s->db, id, nfo, err);
            if (rc == 0 && nfo->warnings)
                rc = cc_scan_error_put(s->db, film->nfo_path, s->root, "nfo", nfo->warnings, err);
            else if (rc == 0)
                rc = cc_scan_error_clear(s->db, film->nfo_path, err);
            cl_nfo_free(nfo);
        } else {
            char reason[700];
            snprintf(reason, sizeof reason, "unreadable .nfo, names used instead: %s", nfo_err.msg);
            report_failure(s->report, film->nfo_path, reason);
            rc = cc_scan_error_put(s->db, film->nfo_path, s->root, "nfo", reason, err);
            if (rc == 0 && had_nfo)
                rc = cc_film_clear_meta(s->db, id, err);
            had_nfo = false;
        }
        if (rc == 0)
            rc = cc_film_set_meta_file(s->db, id, film->nfo_path, film->nfo_mtime_ns, err);
        if (had_nfo || rc < 0 ||
            (kf && kf->metadata_path && !strcmp(kf->metadata_path, film->nfo_path)))
            return rc;
    } else if (kf && kf->metadata_path) {
        rc = cc_film_set_meta_file(s->db, id, NULL, 0, err);
        if (rc == 0 && had_nfo)
            rc = cc_film_clear_meta(s->db, id, err);
    } else if (had_nfo) {
        return 0;
    }
    if (rc < 0)
        return rc;
    /* No usable .nfo: tags of a freshly probed main file, else the names. */
    int applied = 0;
    if (!film->nfo_path || !had_nfo)
        rc = cl_meta_apply_tags(s->db, id, &s->film_tags[i], &applied, err);
    if (rc == 0 && !applied && (film->nfo_path || (kf && kf->metadata_path))) {
        cc_film_names names = {film->name.title, film->name.year, film->name.tmdb_id,
                               film->name.imdb_id};
        rc = cc_film_ensure(s->db, film->key, &names, &id, err);
    }
    return rc;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Whether the artwork at path can be shown: its header names a size
 * within the pixel limit (read before anything decodes it; the server
 * checks again on every request). When not, the reason is recorded as a
 * scan problem and the film is treated as having no such artwork. */
static int artwork_usable(scan *s, const char *path, bool *usable, cu_err *err)
{
    *usable = false;
    cu_err why = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        cu_err_set(&why, -errno, "cannot open: %s", strerror(errno));
    } else {
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
            cu_err_set(&why, CU_EPARSE, "not a regular file");
        else if (cm_image_check_size(fd, NULL, NULL, &why) == 0)
            *usable = true;
        close(fd);
    }
    if (*usable)
        return 0;
    char *msg = cu_xasprintf("artwork not used: %s", why.msg);
    int rc = cc_scan_error_put(s->db, path, s->root, "artwork", msg, err);
    free(msg);
    return rc;
}

/* Records found artwork. A film left without a poster gets one cut from
 * it by the background pass (cl_background), after the catalog is written:
 * a generated poster whose file is gone is forgotten so that pass makes it
 * again. */
static int save_film_artwork(scan *s, size_t i, known_film *kf, cu_err *err)
{
    cl_found_film *film = &s->walk.films[i];
    int64_t id = s->film_id_of[i];
    int rc = 0;
    bool usable = true;
    if (film->poster && (rc = artwork_usable(s, film->poster, &usable, err)) == 0 && !usable) {
        free(film->poster);
        film->poster = NULL;
    }
    if (rc == 0 && film->backdrop && (rc = artwork_usable(s, film->backdrop, &usable, err)) == 0 &&
        !usable) {
        free(film->backdrop);
        film->backdrop = NULL;
    }
    if (rc < 0)
        return rc;
    if (film->poster) {
        if (!kf || !same_str(kf->poster, film->poster) || kf->poster_generated)
            rc = cc_artwork_set(s->db, id, "poster", film->poster, 0, err);
    } else if (kf && kf->poster && (!kf->poster_generated || access(kf->poster, R_OK) != 0)) {
        rc = cc_artwork_clear(s->db, id, "poster", err);
    }
    if (rc == 0 && !same_str(kf ? kf->backdrop : NULL, film->backdrop))
        rc = film->backdrop ? cc_artwork_set(s->db, id, "backdrop", film->backdrop, 0, err)
                            : cc_artwork_clear(s->db, id, "backdrop", err);
    return rc;
}

/* Metadata and artwork of every found film, in one pass after the files. */
static int save_metadata(scan *s, cu_err *err)
{
    int rc = cc_writer_begin(s->writer, err);
    for (size_t i = 0; i < s->walk.film_count && rc == 0; i++) {
        known_film *kf = cu_map_get(s->film_ids, s->walk.films[i].key);
        rc = save_film_nfo(s, i, kf, err);
        if (rc == 0)
            rc = save_film_artwork(s, i, kf, err);
    }
    /* Extras' own .nfo: their title and plot. */
    for (size_t j = 0; j < s->walk.file_count && rc == 0; j++) {
        const cl_found_file *f = &s->walk.files[j];
        if (!f->is_extra || !f->nfo_path)
            continue;
        cl_nfo *nfo = NULL;
        cu_err nfo_err = {0};
        int64_t file_id = s->file_ids[j] ? s->file_ids[j] : s->matches[j] ? s->matches[j]->id : 0;
        if (!file_id)
            continue; /* its save failed; reported already */
        if (cl_nfo_read(f->nfo_path, &nfo, &nfo_err) == 0) {
            rc = cc_extra_set_info(s->db, file_id, nfo->film->title,
                                   nfo->film->plot ? nfo->film->plot : nfo->film->outline, err);
            cl_nfo_free(nfo);
        } else {
            rc = cc_scan_error_put(s->db, f->nfo_path, s->root, "nfo", nfo_err.msg, err);
        }
    }
    if (rc == 0)
        rc = cc_writer_commit(s->writer, err);
    else
        cc_writer_rollback(s->writer);
    return rc;
}

/* Sidecar subtitles kept per video file, at most. */
#define SIDECARS_MAX 64

/* The subtitle-looking names of one folder (read once for all the video
 * files in it: the walk lists a folder's files together). */
typedef struct folder_names {
    char *dir;
    char **names;
    size_t count;
} folder_names;

static void folder_names_clear(folder_names *f)
{
    for (size_t i = 0; i < f->count; i++)
        free(f->names[i]);
    free(f->names);
    free(f->dir);
    memset(f, 0, sizeof *f);
}

static void folder_names_read(folder_names *f, const char *dir)
{
    folder_names_clear(f);
    f->dir = cu_xstrdup(dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    size_t seen = 0;
    static const char *const exts[] = {".srt", ".ass", ".ssa", ".vtt", ".sup", ".sub"};
    while ((de = readdir(d)) && seen++ < 100000) {
        if (de->d_name[0] == '.')
            continue;
        bool sub = false;
        for (size_t k = 0; k < sizeof exts / sizeof *exts && !sub; k++)
            sub = cu_str_has_suffix_ci(de->d_name, exts[k]);
        if (!sub)
            continue;
        f->names = cu_xreallocarray(f->names, f->count + 1, sizeof *f->names);
        f->names[f->count++] = cu_xstrdup(de->d_name);
    }
    closedir(d);
}

/* Every found video file's sidecar subtitles, as they are now: only
 * regular files whose real path lies inside the root (a link out of the
 * library is not ours). The server reads them from the catalog and never
 * lists a folder. */
static int save_subtitles(scan *s, cu_err *err)
{
    folder_names folder = {0};
    int rc = cc_writer_begin(s->writer, err);
    for (size_t i = 0; i < s->walk.file_count && rc == 0 && !canceled(s); i++) {
        const cl_found_file *f = &s->walk.files[i];
        int64_t file_id = s->file_ids[i] ? s->file_ids[i] : s->matches[i] ? s->matches[i]->id : 0;
        if (!file_id)
            continue; /* its save failed; reported already */
        char *dir = cu_path_dirname(f->path);
        if (!folder.dir || strcmp(folder.dir, dir) != 0)
            folder_names_read(&folder, dir);
        cc_subtitle subs[SIDECARS_MAX];
        size_t count = 0;
        for (size_t k = 0; k < folder.count && count < SIDECARS_MAX; k++) {
            cl_sidecar_info info;
            if (!cl_sidecar_parse(f->path, folder.names[k], &info))
                continue;
            char *path = cu_path_join(dir, folder.names[k]);
            char *real = cu_path_real(path);
            struct stat sb;
            if (real && cu_path_is_within(s->root, real) && stat(real, &sb) == 0 &&
                S_ISREG(sb.st_mode)) {
                cc_subtitle *sub = &subs[count++];
                memset(sub, 0, sizeof *sub);
                sub->path = real;
                real = NULL;
                cu_strlcpy(sub->format, info.format, sizeof sub->format);
                cu_strlcpy(sub->language, info.language, sizeof sub->language);
                sub->is_forced = info.is_forced;
                sub->is_default = info.is_default;
                sub->is_hearing_impaired = info.is_sdh;
                sub->size = sb.st_size;
                sub->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
            }
            free(real);
            free(path);
        }
        rc = cc_subtitle_replace(s->db, file_id, subs, count, err);
        if (rc == 0)
            rc = cc_writer_step(s->writer, err);
        for (size_t k = 0; k < count; k++)
            free(subs[k].path);
        free(dir);
    }
    if (rc == 0)
        rc = cc_writer_commit(s->writer, err);
    else
        cc_writer_rollback(s->writer);
    folder_names_clear(&folder);
    return rc;
}

/* The version kind of a main file: a disc folder's is known from the walk,
 * an image's is read (a few directory sectors). */
static const char *version_kind(const cl_found_file *f)
{
    switch (f->disc) {
    case CL_DISC_BLURAY_FOLDER: return "bluray";
    case CL_DISC_DVD_FOLDER: return "dvd";
    case CL_DISC_IMAGE: {
        cm_disc_kind kind = cm_disc_detect(f->path);
        return kind == CM_DISC_NONE ? "file" : cm_disc_kind_name(kind);
    }
    case CL_DISC_NONE: break;
    }
    return "file";
}

/* The .nfo's <edition> of a film whose files do not name their cut. */
static char *nfo_edition(const cl_found_film *film)
{
    if (!film->nfo_path)
        return NULL;
    cl_nfo *nfo = NULL;
    cu_err nfo_err = {0};
    char *edition = NULL;
    if (cl_nfo_read(film->nfo_path, &nfo, &nfo_err) == 0 && nfo->edition) {
        cl_edition e;
        cl_edition_from_label(nfo->edition, &e);
        edition = cu_xstrdup(e.edition[0] ? e.edition : nfo->edition);
    }
    cl_nfo_free(nfo);
    return edition;
}

/* Every main file into its film's edition and version, as its name says;
 * then versions and editions left empty go. */
static int save_editions(scan *s, cu_err *err)
{
    char **nfo_editions = cu_xcalloc(s->walk.film_count + 1, sizeof *nfo_editions);
    bool *nfo_read = cu_xcalloc(s->walk.film_count + 1, sizeof *nfo_read);
    int rc = cc_writer_begin(s->writer, err);
    for (size_t i = 0; i < s->walk.file_count && rc == 0; i++) {
        const cl_found_file *f = &s->walk.files[i];
        int64_t file_id = s->file_ids[i] ? s->file_ids[i] : s->matches[i] ? s->matches[i]->id : 0;
        if (f->is_extra || !file_id)
            continue;
        const char *edition = f->edition;
        if (!edition) {
            if (!nfo_read[f->film]) {
                nfo_editions[f->film] = nfo_edition(&s->walk.films[f->film]);
                nfo_read[f->film] = true;
            }
            edition = nfo_editions[f->film];
        }
        const char *kind = version_kind(f);
        bool disc = strcmp(kind, "file") != 0;
        rc = cc_edition_place(s->db, s->film_id_of[f->film], edition, f->version_label, kind,
                              file_id, disc ? s->disc_titles[i] : 0, disc ? "main" : NULL, err);
        /* A disc's other titles are files of the same version. */
        const disc_extras *x = &s->disc_extras[i];
        for (size_t j = 0; j < x->count && rc == 0; j++)
            rc = cc_edition_place(s->db, s->film_id_of[f->film], edition, f->version_label, kind,
                                  x->ids[j], x->numbers[j], "extra", err);
    }
    if (rc == 0)
        rc = cc_edition_prune(s->db, err);
    if (rc == 0)
        rc = cc_writer_commit(s->writer, err);
    else
        cc_writer_rollback(s->writer);
    for (size_t i = 0; i < s->walk.film_count; i++)
        free(nfo_editions[i]);
    free(nfo_editions);
    free(nfo_read);
    return rc;
}

/* Removes catalog files that are gone, then films left without files. */
static int remove_missing(scan *s, int64_t started, cu_err *err)
{
    int rc = cc_writer_begin(s->writer, err);
    size_t pos = 0;
    const char *key;
    void *value;
    while (rc == 0 && cu_map_next(s->known_by_path, &pos, &key, &value)) {
        known *k = value;
        if (k->seen || k->moved_away || under_unreadable(s, k->path))
            continue;
        rc = cc_file_remove(s->db, k->id, err);
        if (rc == 0)
            rc = cc_scan_error_clear(s->db, k->path, err);
        s->report->removed++;
    }
    for (size_t i = 0; rc == 0 && i < s->walk.problem_count; i++)
        rc = cc_scan_error_put(s->db, s->walk.problems[i].path, s->root, "walk",
                               s->walk.problems[i].message, err);
    if (rc == 0)
        rc = cc_film_prune(s->db, s->root, NULL, err);
    /* People credited only on films that are gone, or dropped from an
     * edited .nfo. */
    if (rc == 0)
        rc = cc_person_prune(s->db, err);
    if (rc == 0)
        rc = cc_scan_error_prune(s->db, s->root, started, err);
    if (rc == 0)
        rc = cc_writer_commit(s->writer, err);
    if (rc < 0)
        cc_writer_rollback(s->writer);
    return rc;
}

static void scan_clear(scan *s)
{
    size_t pos = 0;
    void *value;
    while (s->known_by_path && cu_map_next(s->known_by_path, &pos, NULL, &value)) {
        known *k = value;
        free(k->path);
        free(k->fingerprint);
        free(k->version);
        free(k);
    }
    cu_map_free(s->known_by_path);
    cu_map_free(s->missing_by_print);
    cu_map_free(s->missing_sizes);
    pos = 0;
    while (s->film_ids && cu_map_next(s->film_ids, &pos, NULL, &value))
        known_film_free(value);
    cu_map_free(s->film_ids);
    for (size_t i = 0; s->film_tags && i < s->walk.film_count; i++)
        cl_meta_tags_clear(&s->film_tags[i]);
    free(s->film_tags);
    free(s->film_touched);
    free(s->states);
    free(s->matches);
    free(s->file_ids);
    free(s->disc_titles);
    for (size_t i = 0; s->disc_extras && i < s->walk.file_count; i++) {
        free(s->disc_extras[i].ids);
        free(s->disc_extras[i].numbers);
    }
    free(s->disc_extras);
    free(s->film_id_of);
    cl_walk_result_clear(&s->walk);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->done_cond);
}

/* Whether the walk found any file the catalog knew under this root. */
static bool any_known_seen(const scan *s)
{
    for (size_t i = 0; i < s->walk.file_count; i++)
        if (cu_map_has(s->known_by_path, s->walk.files[i].path))
            return true;
    return false;
}

/* Decides whether the root is offline, walking it when it can be read.
 * Fills reason (empty: online) and device; a walk failure on a root the
 * catalog knows nothing under is an error, as before offline roots. */
static int check_and_walk(scan *s, const char *vanished, char *reason, size_t reason_size,
                          int64_t *device, cu_err *err)
{
    size_t known_count = cu_map_count(s->known_by_path);
    struct stat st;
    *reason = '\0';
    *device = 0;
    if (vanished) {
        snprintf(reason, reason_size, "not found (%s)", vanished);
        return 0;
    }
    if (stat(s->root, &st) != 0) {
        if (!known_count)
            return cu_err_set(err, -errno, "library folder %s: %s", s->root, strerror(errno));
        snprintf(reason, reason_size, "cannot be read (%s)", strerror(errno));
        return 0;
    }
    *device = (int64_t)st.st_dev;
    cu_err walk_err = {0};
    if (cl_walk_root(s->root, &s->walk, walk_progress, s, &walk_err) < 0) {
        if (!known_count) {
            *err = walk_err;
            return walk_err.code;
        }
        snprintf(reason, reason_size, "cannot be read (%.200s)", walk_err.msg);
        cl_walk_result_clear(&s->walk);
        memset(&s->walk, 0, sizeof s->walk);
        return 0;
    }
    if (!known_count)
        return 0;
    /* An unmounted disk or share leaves an empty folder behind. */
    if (s->walk.file_count == 0 && s->walk.unreadable_count == 0) {
        snprintf(reason, reason_size,
                 "empty, though the catalog knows %zu files there (not mounted?)", known_count);
        return 0;
    }
    cc_root_state state;
    if (cc_root_get(s->db, s->root, &state, err) < 0)
        return CU_EDB;
    /* Another file system under the same path: offline unless it holds
     * the files the catalog knows (a disk that came back under another
     * device number). */
    if (state.known && state.device && state.device != *device && !any_known_seen(s))
        snprintf(reason, reason_size,
                 "on another device (%#llx, was %#llx) with none of its known files",
                 (unsigned long long)*device, (unsigned long long)state.device);
    return 0;
}

static int mark_root(scan *s, const char *reason, int64_t device, cu_err *err)
{
    int rc = cc_writer_begin(s->writer, err);
    if (rc == 0)
        rc = *reason ? cc_root_set_offline(s->db, s->root, reason, cu_time_now(), err)
                     : cc_root_set_online(s->db, s->root, device, cu_time_now(), err);
    if (rc == 0)
        rc = cc_writer_commit(s->writer, err);
    if (rc < 0)
        cc_writer_rollback(s->writer);
    return rc;
}

/* vanished: the reason the root could not be resolved, NULL when it was. */
static int scan_root(cc_db *db, const cl_scan_options *opt, const char *root, const char *vanished,
                     cl_scan_report *report, cu_err *err)
{
    scan s = {.db = db, .opt = opt, .report = report, .root = root};
    s.writer = cc_writer_new(db, SAVE_BATCH);
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.done_cond, NULL);
    s.known_by_path = cu_map_new();
    s.missing_by_print = cu_map_new();
    s.missing_sizes = cu_map_new();
    s.film_ids = cu_map_new();
    int64_t started = cu_time_now();
    int64_t t0 = cu_time_mono_ms();
    char reason[256];
    int64_t device = 0;

    int rc = cc_file_each_known(db, root, remember_known, &s, err);
    if (rc == 0)
        rc = cc_film_each_key(db, root, remember_film, &s, err);
    if (rc == 0)
        rc = check_and_walk(&s, vanished, reason, sizeof reason, &device, err);
    if (rc < 0)
        goto done;
    if (*reason && !opt->purge_missing) {
        /* Nothing under it is touched: its films keep their ids and
         * everything people did with them until it comes back. */
        rc = mark_root(&s, reason, device, err);
        char *line = cu_xasprintf("library folder offline: %s; nothing was removed "
                                  "(scan --purge-missing removes what is gone)",
                                  reason);
        report_failure(report, root, line);
        free(line);
        report->offline++;
        cu_log(CU_LOG_WARN, "%s: offline: %s", root, reason);
        goto done;
    }
    if (!vanished && (rc = mark_root(&s, "", device, err)) < 0)
        goto done;
    int64_t t = cu_time_mono_ms();
    cu_log(CU_LOG_DEBUG, "%s: walked %zu files in %lld ms", root, s.walk.file_count,
           (long long)(t - t0));
    classify(&s);
    rc = save_films(&s, err);
    cu_log(CU_LOG_DEBUG, "classified and saved films in %lld ms",
           (long long)(cu_time_mono_ms() - t));
    t = cu_time_mono_ms();
    if (rc == 0)
        rc = probe_and_save(&s, err);
    cu_log(CU_LOG_DEBUG, "probed %zu files in %lld ms", s.probed,
           (long long)(cu_time_mono_ms() - t));
    t = cu_time_mono_ms();
    if (rc == 0 && !canceled(&s))
        rc = save_editions(&s, err);
    if (rc == 0 && !canceled(&s))
        rc = save_metadata(&s, err);
    if (rc == 0 && !canceled(&s))
        rc = save_subtitles(&s, err);
    cu_log(CU_LOG_DEBUG, "metadata in %lld ms", (long long)(cu_time_mono_ms() - t));
    t = cu_time_mono_ms();
    if (rc == 0 && !canceled(&s))
        rc = remove_missing(&s, started, err);
    cu_log(CU_LOG_DEBUG, "removals in %lld ms", (long long)(cu_time_mono_ms() - t));

    for (size_t i = 0; i < s.walk.file_count; i++) {
        if (s.walk.files[i].is_extra)
            report->extras++;
        if (s.states[i] == FILE_UNCHANGED) {
            report->unchanged++;
            if (s.matches[i]->failed)
                report->still_failing++;
        } else if (s.states[i] == FILE_MOVED) {
            report->moved++;
        }
    }
    for (size_t i = 0; i < s.walk.problem_count; i++)
        report_failure(report, s.walk.problems[i].path, s.walk.problems[i].message);
    report->films += s.walk.film_count;
    report->files += s.walk.file_count;
done:
    cc_writer_free(s.writer);
    scan_clear(&s);
    return rc;
}

int cl_scan_run(cc_db *db, const cl_scan_options *opt, cl_scan_report *report, cu_err *err)
{
    memset(report, 0, sizeof *report);
    int64_t t0 = cu_time_mono_ms();
    char **roots = cu_xcalloc(opt->root_count + 1, sizeof *roots);
    char **vanished = NULL;
    int rc = 0;
    /* Every root is checked before anything is written. One that cannot
     * be resolved is offline when the catalog knows files under it (by
     * the absolute path it was given), else an error. */
    vanished = cu_xcalloc(opt->root_count + 1, sizeof *vanished);
    for (size_t i = 0; i < opt->root_count; i++) {
        roots[i] = cu_path_real(opt->roots[i]);
        if (roots[i])
            continue;
        int e = errno;
        int64_t known = 0;
        roots[i] = cu_path_absolute(opt->roots[i]);
        if (!roots[i] || cc_root_file_count(db, roots[i], &known, NULL) < 0 || known == 0) {
            rc = cu_err_set(err, -e, "library folder %s: %s", opt->roots[i], strerror(e));
            goto done;
        }
        vanished[i] = cu_xstrdup(strerror(e));
    }
    for (size_t i = 0; i < opt->root_count && rc == 0; i++) {
        bool nested = false;
        for (size_t j = 0; j < opt->root_count; j++)
            if (j != i && strcmp(roots[i], roots[j]) != 0 && cu_path_is_within(roots[j], roots[i]))
                nested = true;
        for (size_t j = 0; j < i; j++)
            if (strcmp(roots[i], roots[j]) == 0)
                nested = true; /* the same root given twice */
        if (!nested)
            rc = scan_root(db, opt, roots[i], vanished[i], report, err);
        if (opt->cancel && *opt->cancel) {
            report->canceled = 1;
            break;
        }
    }
done:
    for (size_t i = 0; i < opt->root_count; i++) {
        free(roots[i]);
        free(vanished ? vanished[i] : NULL);
    }
    free(roots);
    free(vanished);
    report->elapsed_ms = cu_time_mono_ms() - t0;
    return rc;
}

void cl_scan_report_clear(cl_scan_report *r)
{
    for (size_t i = 0; i < r->failure_count; i++) {
        free(r->failures[i].path);
        free(r->failures[i].reason);
    }
    free(r->failures);
    memset(r, 0, sizeof *r);
}
