/* cl_walk: turning a folder tree into films, parts, versions and extras.
 *
 * Per folder D (name B): video files whose names carry an extras suffix
 * and files in extras subfolders are special features; the other files are
 * grouped — "B" and "B - label" are versions of the folder's film, "X cd1",
 * "X cd2" are parts of X, anything else is its own group. A folder that is
 * not a library root and holds one group (or groups that all name the same
 * title and year) is one film keyed by the folder; otherwise each group is a
 * film keyed by D/group. */
#include "library/cl_walk.h"
#include "library/cl_edition.h"
#include "library/cl_extras.h"
#include "util/cu_map.h"
#include "util/cu_path.h"
#include "util/cu_str.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct walker {
    const char *root;
    cl_walk_result *r;
    cl_walk_progress_fn progress;
    void *user;
    cu_map *visited; /* "dev:ino" of folders entered so far: guards against symlink loops */
} walker;

typedef struct entry {
    char *name;
    char *path;
    int64_t size, mtime_ns;
    cl_disc disc;
} entry;

typedef struct entry_list {
    entry *items;
    size_t count, cap;
} entry_list;

#define GROW(arr, count, cap)                                                                      \
    do {                                                                                           \
        if ((count) == (cap)) {                                                                    \
            (cap) = (cap) ? (cap)*2 : 16;                                                          \
            (arr) = cu_xreallocarray((arr), (cap), sizeof *(arr));                                 \
        }                                                                                          \
    } while (0)

static void add_problem(walker *w, const char *path, const char *message)
{
    cl_walk_result *r = w->r;
    GROW(r->problems, r->problem_count, r->problem_cap);
    r->problems[r->problem_count].path = cu_xstrdup(path);
    r->problems[r->problem_count].message = cu_xstrdup(message);
    r->problem_count++;
}

static void add_unreadable(walker *w, const char *path, int errnum)
{
    cl_walk_result *r = w->r;
    GROW(r->unreadable, r->unreadable_count, r->unreadable_cap);
    r->unreadable[r->unreadable_count++] = cu_xstrdup(path);
    char msg[256];
    snprintf(msg, sizeof msg, "cannot read folder: %s", strerror(errnum));
    add_problem(w, path, msg);
}

static void entry_list_add(entry_list *l, const char *name, const char *path, const struct stat *st)
{
    GROW(l->items, l->count, l->cap);
    entry *e = &l->items[l->count++];
    e->name = cu_xstrdup(name);
    e->path = cu_xstrdup(path);
    e->size = st->st_size;
    e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    e->disc = CL_DISC_NONE;
}

static void entry_list_clear(entry_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].name);
        free(l->items[i].path);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static bool seen_before(walker *w, const struct stat *st)
{
    char key[64];
    snprintf(key, sizeof key, "%llx:%llx", (unsigned long long)st->st_dev,
             (unsigned long long)st->st_ino);
    if (cu_map_has(w->visited, key))
        return true;
    cu_map_put(w->visited, key, NULL, NULL);
    return false;
}

/* Lists dir into video files and subfolders. Symlinks are followed only
 * while they stay inside the root. Returns false when dir is unreadable. */
static bool is_side_file(const char *name)
{
    static const char *const exts[] = {"nfo", "jpg", "jpeg", "png", "webp"};
    const char *ext = cu_path_ext(name);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (!strcasecmp(ext, exts[i]))
            return true;
    return false;
}

static bool list_dir(walker *w, const char *dir, entry_list *files, entry_list *dirs,
                     entry_list *side)
{
    DIR *d = opendir(dir);
    if (!d) {
        add_unreadable(w, dir, errno);
        return false;
    }
    struct dirent *de;
    size_t n = 0;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, "..") || cl_name_is_hidden(name))
            continue;
        if (++n > CL_WALK_MAX_ENTRIES_PER_DIR) {
            add_problem(w, dir, "too many entries; the rest of this folder was skipped");
            break;
        }
        char *path = cu_path_join(dir, name);
        struct stat st;
        if (lstat(path, &st) != 0) { /* vanished since readdir */
            free(path);
            continue;
        }
        if (S_ISLNK(st.st_mode)) {
            char *target = cu_path_real(path);
            if (!target || stat(target, &st) != 0) {
                free(target);
                free(path);
                continue; /* dangling */
            }
            bool inside = cu_path_is_within(w->root, target);
            free(target);
            if (!inside) {
                add_problem(w, path, "symbolic link leads outside the library; not followed");
                free(path);
                continue;
            }
        }
        if (S_ISDIR(st.st_mode)) {
            if (!cl_name_is_ignored_dir(name))
                entry_list_add(dirs, name, path, &st);
        } else if (S_ISREG(st.st_mode) && cl_name_is_video(name)) {
            entry_list_add(files, name, path, &st);
        } else if (S_ISREG(st.st_mode) && cu_str_has_suffix_ci(name, ".iso")) {
            entry_list_add(files, name, path, &st);
            files->items[files->count - 1].disc = CL_DISC_IMAGE;
        } else if (S_ISREG(st.st_mode) && side && is_side_file(name)) {
            entry_list_add(side, name, path, &st);
        }
        free(path);
    }
    closedir(d);
    /* qsort() may not be given NULL, even for nothing to sort. */
    if (files->count > 1)
        qsort(files->items, files->count, sizeof(entry), by_name);
    if (dirs->count > 1)
        qsort(dirs->items, dirs->count, sizeof(entry), by_name);
    return true;
}

/* Every video file beneath an extras folder, to a bounded depth. */
static void collect_extras_dir(walker *w, const char *dir, int depth, entry_list *out)
{
    entry_list files = {0}, dirs = {0};
    struct stat st;
    if (depth > 4 || stat(dir, &st) != 0 || seen_before(w, &st))
        return;
    if (list_dir(w, dir, &files, &dirs, NULL)) {
        for (size_t i = 0; i < files.count; i++) {
            GROW(out->items, out->count, out->cap);
            out->items[out->count++] = files.items[i];
        }
        free(files.items);
        files.items = NULL;
        files.count = 0;
        for (size_t i = 0; i < dirs.count; i++)
            collect_extras_dir(w, dirs.items[i].path, depth + 1, out);
    }
    entry_list_clear(&files);
    entry_list_clear(&dirs);
}

typedef struct main_file {
    entry *e;
    char *stem;
    char *group; /* NULL: the folder's own film ("B" or "B - label") */
    int part;
    char *version;
} main_file;

typedef struct extra_file {
    entry *e;
    const char *type;
    char *base; /* stem before the suffix; "" when the folder or exact name says it */
} extra_file;

static bool same_title_year(const cl_name *a, const cl_name *b)
{
    return a->title[0] && a->year == b->year && strcasecmp(a->title, b->title) == 0;
}

static size_t add_film(walker *w, const char *key, const char *dir, const cl_name *name)
{
    cl_walk_result *r = w->r;
    GROW(r->films, r->film_count, r->film_cap);
    cl_found_film *f = &r->films[r->film_count];
    memset(f, 0, sizeof *f);
    f->key = cu_xstrdup(key);
    f->dir = cu_xstrdup(dir);
    f->name = *name;
    return r->film_count++;
}

static void add_file(walker *w, const entry *e, size_t film, bool is_extra, int part,
                     const char *version, const char *extra_type, const char *extra_title,
                     const cl_edition *edition)
{
    cl_walk_result *r = w->r;
    GROW(r->files, r->file_count, r->file_cap);
    cl_found_file *f = &r->files[r->file_count++];
    f->path = cu_xstrdup(e->path);
    f->size = e->size;
    f->mtime_ns = e->mtime_ns;
    f->film = film;
    f->is_extra = is_extra;
    f->part = part > 0 ? part : 1;
    f->version = version ? cu_xstrdup(version) : NULL;
    f->extra_type = extra_type;
    f->extra_title = extra_title ? cu_xstrdup(extra_title) : NULL;
    f->nfo_path = NULL;
    f->disc = e->disc;
    f->edition = edition && edition->edition[0] ? cu_xstrdup(edition->edition) : NULL;
    f->version_label = edition && edition->version[0] ? cu_xstrdup(edition->version) : NULL;
}

/* Fills in a film name's missing year and ids from another parse. */
static void complete_name(cl_name *name, const cl_name *from)
{
    if (!name->title[0])
        cu_strlcpy(name->title, from->title, sizeof name->title);
    if (!name->year)
        name->year = from->year;
    if (!name->tmdb_id[0])
        cu_strlcpy(name->tmdb_id, from->tmdb_id, sizeof name->tmdb_id);
    if (!name->imdb_id[0])
        cu_strlcpy(name->imdb_id, from->imdb_id, sizeof name->imdb_id);
}

/* The side file called "<base>.<ext>" for one of exts, or NULL. */
static const entry *find_side(const entry_list *side, const char *base, const char *suffix)
{
    static const char *const image_exts[] = {"jpg", "jpeg", "png", "webp"};
    static const char *const nfo_exts[] = {"nfo"};
    bool nfo = !strcmp(suffix, ".nfo");
    const char *const *exts = nfo ? nfo_exts : image_exts;
    size_t ext_count = nfo ? 1 : 4;
    size_t base_len = strlen(base), suffix_len = nfo ? 0 : strlen(suffix);
    for (size_t e = 0; e < ext_count; e++) {
        for (size_t i = 0; i < side->count; i++) {
            const char *name = side->items[i].name;
            size_t len = strlen(name);
            size_t ext_len = strlen(exts[e]);
            if (len != base_len + suffix_len + 1 + ext_len)
                continue;
            if (strncasecmp(name, base, base_len) != 0 ||
                strncasecmp(name + base_len, suffix, suffix_len) != 0 ||
                name[base_len + suffix_len] != '.' ||
                strcasecmp(name + base_len + suffix_len + 1, exts[e]) != 0)
                continue;
            return &side->items[i];
        }
    }
    return NULL;
}

/* Side files of a film: fixed names count only for a film that has its
 * folder to itself; "<video>-poster" style names count for any film. */
static void find_film_side_files(cl_found_film *film, const entry_list *side, bool own_folder,
                                 const char *const *stems, size_t stem_count)
{
    static const char *const poster_names[] = {"poster", "folder", "cover"};
    static const char *const backdrop_names[] = {"fanart", "backdrop", "background"};
    const entry *nfo = NULL, *poster = NULL, *backdrop = NULL;
    if (own_folder) {
        nfo = find_side(side, "movie", ".nfo");
        for (size_t i = 0; i < 3 && !poster; i++)
            poster = find_side(side, poster_names[i], "");
        for (size_t i = 0; i < 3 && !backdrop; i++)
            backdrop = find_side(side, backdrop_names[i], "");
    }
    for (size_t i = 0; i < stem_count; i++) {
        if (!nfo)
            nfo = find_side(side, stems[i], ".nfo");
        if (!poster)
            poster = find_side(side, stems[i], "-poster");
        if (!backdrop)
            backdrop = find_side(side, stems[i], "-fanart");
    }
    if (nfo) {
        film->nfo_path = cu_xstrdup(nfo->path);
        film->nfo_mtime_ns = nfo->mtime_ns;
    }
    film->poster = poster ? cu_xstrdup(poster->path) : NULL;
    film->backdrop = backdrop ? cu_xstrdup(backdrop->path) : NULL;
}

static void group_folder(walker *w, const char *dir, bool is_root, entry_list *files,
                         entry_list *extras_in_subdirs, const char **extras_subdir_types,
                         const entry_list *side)
{
    const char *folder = cu_path_basename(dir);
    main_file *mains = cu_xcalloc(files->count + 1, sizeof *mains);
    extra_file *extras = cu_xcalloc(files->count + extras_in_subdirs->count + 1, sizeof *extras);
    size_t main_count = 0, extra_count = 0;
    char buf[CL_NAME_MAX];

    for (size_t i = 0; i < files->count; i++) {
        entry *e = &files->items[i];
        char *stem = cu_path_stem(e->name);
        const char *type = cl_extras_suffix_type(stem, buf, sizeof buf);
        if (type) {
            extras[extra_count++] = (extra_file){e, type, cu_xstrdup(buf)};
        } else {
            main_file *m = &mains[main_count++];
            m->e = e;
            m->stem = cu_xstrdup(stem);
            m->part = 1;
            if (!is_root && strcmp(stem, folder) == 0) {
                m->group = NULL;
            } else if (!is_root && cl_name_version(folder, stem, buf, sizeof buf)) {
                m->group = NULL;
                m->version = cu_xstrdup(buf);
            } else if (cl_name_part(stem, &m->part, buf, sizeof buf)) {
                m->group = cu_xstrdup(buf);
            } else {
                m->group = cu_xstrdup(stem);
            }
        }
        free(stem);
    }
    for (size_t i = 0; i < extras_in_subdirs->count; i++)
        extras[extra_count++] =
            (extra_file){&extras_in_subdirs->items[i], extras_subdir_types[i], cu_xstrdup("")};

    /* A part token on a lone file is part of its title ("... Part 2"),
     * unless it is part 1 of a set whose other parts are missing. */
    for (size_t i = 0; i < main_count; i++) {
        if (!mains[i].group || mains[i].part <= 1)
            continue;
        bool sibling = false;
        for (size_t j = 0; j < main_count && !sibling; j++)
            sibling = j != i && mains[j].group && !strcmp(mains[j].group, mains[i].group);
        if (!sibling) {
            free(mains[i].group);
            mains[i].group = cu_xstrdup(mains[i].stem);
            mains[i].part = 1;
        }
    }

    /* Distinct groups, in file-name order; NULL stands for the folder's film. */
    size_t group_count = 0;
    const char **groups = cu_xcalloc(main_count + 1, sizeof *groups);
    bool *group_is_folder = cu_xcalloc(main_count + 1, sizeof *group_is_folder);
    for (size_t i = 0; i < main_count; i++) {
        size_t g;
        for (g = 0; g < group_count; g++) {
            if (group_is_folder[g] ? mains[i].group == NULL
                                   : (mains[i].group && !strcmp(groups[g], mains[i].group)))
                break;
        }
        if (g == group_count) {
            groups[g] = mains[i].group;
            group_is_folder[g] = mains[i].group == NULL;
            group_count++;
        }
    }
    cl_name *names = cu_xcalloc(group_count + 1, sizeof *names);
    for (size_t g = 0; g < group_count; g++)
        cl_name_parse(group_is_folder[g] ? folder : groups[g], &names[g]);

    bool one_film = !is_root && group_count >= 1;
    for (size_t g = 1; one_film && g < group_count; g++)
        one_film = same_title_year(&names[0], &names[g]);

    size_t *film_of_group = cu_xcalloc(group_count + 1, sizeof *film_of_group);
    size_t films_here = 0, first_film = w->r->film_count;
    if (one_film) {
        cl_name name;
        cl_name_parse(folder, &name);
        for (size_t g = 0; g < group_count; g++)
            complete_name(&name, &names[g]);
        size_t film = add_film(w, dir, dir, &name);
        for (size_t g = 0; g < group_count; g++)
            film_of_group[g] = film;
        films_here = 1;
    } else {
        for (size_t g = 0; g < group_count; g++) {
            char *key = group_is_folder[g] ? cu_xstrdup(dir) : cu_path_join(dir, groups[g]);
            film_of_group[g] = add_film(w, key, dir, &names[g]);
            free(key);
        }
        films_here = group_count;
    }

    for (size_t i = 0; i < main_count; i++) {
        size_t g;
        for (g = 0; g < group_count; g++)
            if (group_is_folder[g] ? mains[i].group == NULL
                                   : (mains[i].group && !strcmp(groups[g], mains[i].group)))
                break;
        const char *version = mains[i].version;
        /* Several differently named files of one film: name each version. */
        if (one_film && group_count > 1 && !version && !group_is_folder[g])
            version = groups[g];
        /* The cut and copy come from the file's own name (and its
         * folder's {edition-...}); a name the walk gave as a version label
         * (differently named files of one film) is read as a label. */
        cl_edition edition;
        cl_edition_from_name(folder, mains[i].stem, &edition);
        if (!edition.version[0] && !edition.edition[0] && version && version != mains[i].version)
            cl_edition_from_label(version, &edition);
        /* "Film - Director's Cut - Part 2": the walk took the whole label
         * as a version; the part is the label's. */
        int part = mains[i].part == 1 && edition.part > 0 ? edition.part : mains[i].part;
        add_file(w, mains[i].e, film_of_group[g], false, part, version, NULL, NULL, &edition);
    }

    /* Side files (.nfo, artwork) of each film made here: looked up by the
     * group name and by every main file's stem. */
    {
        const char **stems = cu_xcalloc(main_count + 2, sizeof *stems);
        for (size_t g = 0; g < group_count; g++) {
            size_t film = film_of_group[g];
            if (one_film && g > 0)
                break; /* one film: handled once with every stem */
            size_t n = 0;
            if (!group_is_folder[g] && !one_film)
                stems[n++] = groups[g];
            for (size_t i = 0; i < main_count; i++) {
                bool mine =
                    one_film ||
                    (group_is_folder[g] ? mains[i].group == NULL
                                        : (mains[i].group && !strcmp(groups[g], mains[i].group)));
                if (mine)
                    stems[n++] = mains[i].stem;
            }
            find_film_side_files(&w->r->films[film], side, one_film || group_is_folder[g], stems,
                                 n);
        }
        free(stems);
    }

    for (size_t i = 0; i < extra_count; i++) {
        extra_file *x = &extras[i];
        size_t film = (size_t)-1;
        if (films_here == 1) {
            film = first_film;
        } else if (x->base[0]) {
            cl_name base_name;
            cl_name_parse(x->base, &base_name);
            for (size_t g = 0; g < group_count && film == (size_t)-1; g++)
                if ((!group_is_folder[g] && strcasecmp(groups[g], x->base) == 0) ||
                    same_title_year(&names[g], &base_name))
                    film = film_of_group[g];
        }
        if (film == (size_t)-1) {
            add_problem(w, x->e->path, "special feature with no film beside it; skipped");
            continue;
        }
        char *stem = cu_path_stem(x->e->name);
        char title[CL_NAME_MAX];
        cl_extras_title(stem, title, sizeof title);
        free(stem);
        add_file(w, x->e, film, true, 1, NULL, x->type, title[0] ? title : x->type, NULL);
        char *dot = strrchr(x->e->path, '.');
        char *nfo = cu_xasprintf("%.*s.nfo", (int)(dot - x->e->path), x->e->path);
        struct stat nst;
        if (stat(nfo, &nst) == 0 && S_ISREG(nst.st_mode))
            w->r->files[w->r->file_count - 1].nfo_path = nfo;
        else
            free(nfo);
    }

    for (size_t i = 0; i < main_count; i++) {
        free(mains[i].group);
        free(mains[i].version);
        free(mains[i].stem);
    }
    for (size_t i = 0; i < extra_count; i++)
        free(extras[i].base);
    free(mains);
    free(extras);
    free(groups);
    free(group_is_folder);
    free(names);
    free(film_of_group);
}

/* A folder holding a disc's BDMV or VIDEO_TS is one version of its film:
 * the folder itself becomes one entry (named after the folder, so it is
 * the folder's film; size and time of the disc's index file), and the
 * disc's own folders are never walked (no pile of .m2ts or .vob files). */
static void take_disc(walker *w, const char *dir, entry_list *files, entry_list *dirs)
{
    static const struct {
        const char *folder, *index;
        cl_disc kind;
    } discs[] = {
        {"BDMV", "index.bdmv", CL_DISC_BLURAY_FOLDER},
        {"VIDEO_TS", "VIDEO_TS.IFO", CL_DISC_DVD_FOLDER},
    };
    bool found = false;
    for (size_t i = 0; i < dirs->count; i++) {
        for (size_t d = 0; d < sizeof discs / sizeof *discs; d++) {
            if (strcmp(dirs->items[i].name, discs[d].folder))
                continue;
            char *index = cu_path_join(dirs->items[i].path, discs[d].index);
            struct stat st;
            if (found) {
                /* both a BDMV and a VIDEO_TS: the first (BDMV) is read */
            } else if (stat(index, &st) == 0 && S_ISREG(st.st_mode)) {
                char *name = cu_xasprintf("%s.disc", cu_path_basename(dir));
                entry_list_add(files, name, dir, &st);
                files->items[files->count - 1].disc = discs[d].kind;
                free(name);
                found = true;
            } else {
                char *msg = cu_xasprintf("%s folder without %s: not a readable disc; skipped",
                                         discs[d].folder, discs[d].index);
                add_problem(w, dirs->items[i].path, msg);
                free(msg);
            }
            free(index);
            /* Dropped from the folders to walk. */
            free(dirs->items[i].name);
            free(dirs->items[i].path);
            dirs->items[i--] = dirs->items[--dirs->count];
            break;
        }
    }
    if (found && files->count > 1)
        qsort(files->items, files->count, sizeof(entry), by_name);
    if (dirs->count > 1)
        qsort(dirs->items, dirs->count, sizeof(entry), by_name);
}

static void walk_dir(walker *w, const char *dir, int depth)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        add_unreadable(w, dir, errno);
        return;
    }
    if (seen_before(w, &st)) {
        /* A loop is a link back up to a folder that contains it; any
         * other second visit is an alias (a link to a folder found
         * elsewhere in the library), which is no fault of the tree. */
        char *real = cu_path_real(dir), *parent = cu_path_dirname(dir);
        char *real_parent = cu_path_real(parent);
        bool loop = real && real_parent && cu_path_is_within(real, real_parent);
        char *msg = loop ? cu_xstrdup("folder reached twice (symbolic link loop); skipped")
                         : cu_xasprintf("folder reached twice (the same folder as %s, "
                                        "walked already); skipped",
                                        real ? real : "a folder");
        add_problem(w, dir, msg);
        free(msg);
        free(real);
        free(parent);
        free(real_parent);
        return;
    }
    if (depth > CL_WALK_MAX_DEPTH) {
        add_problem(w, dir, "folders nested too deep; skipped");
        return;
    }
    entry_list files = {0}, dirs = {0}, extras = {0}, side = {0};
    const char **extras_types = NULL;
    size_t extras_types_cap = 0;
    if (!list_dir(w, dir, &files, &dirs, &side))
        goto done;
    take_disc(w, dir, &files, &dirs);

    bool *is_extras_dir = cu_xcalloc(dirs.count + 1, sizeof *is_extras_dir);
    for (size_t i = 0; i < dirs.count; i++) {
        const char *type = cl_extras_folder_type(dirs.items[i].name);
        if (!type)
            continue;
        is_extras_dir[i] = true;
        size_t before = extras.count;
        collect_extras_dir(w, dirs.items[i].path, 0, &extras);
        if (extras.count > extras_types_cap) {
            extras_types_cap = extras.count * 2;
            extras_types = cu_xreallocarray(extras_types, extras_types_cap, sizeof *extras_types);
        }
        for (size_t k = before; k < extras.count; k++)
            extras_types[k] = type;
    }
    if (files.count || extras.count)
        group_folder(w, dir, depth == 0, &files, &extras, extras_types, &side);
    if (w->progress)
        w->progress(w->r->file_count, dir, w->user);
    for (size_t i = 0; i < dirs.count; i++)
        if (!is_extras_dir[i])
            walk_dir(w, dirs.items[i].path, depth + 1);
    free(is_extras_dir);
done:
    entry_list_clear(&files);
    entry_list_clear(&dirs);
    entry_list_clear(&extras);
    entry_list_clear(&side);
    free(extras_types);
}

int cl_walk_root(const char *root, cl_walk_result *result, cl_walk_progress_fn progress, void *user,
                 cu_err *err)
{
    struct stat st;
    if (stat(root, &st) != 0)
        return cu_err_set(err, -errno, "library folder %s: %s", root, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cu_err_set(err, -ENOTDIR, "library folder %s is not a folder", root);
    DIR *probe = opendir(root);
    if (!probe)
        return cu_err_set(err, -errno, "cannot read library folder %s: %s", root, strerror(errno));
    closedir(probe);
    walker w = {
        .root = root, .r = result, .progress = progress, .user = user, .visited = cu_map_new()};
    walk_dir(&w, root, 0);
    cu_map_free(w.visited);
    return 0;
}

void cl_walk_result_clear(cl_walk_result *r)
{
    for (size_t i = 0; i < r->film_count; i++) {
        free(r->films[i].key);
        free(r->films[i].dir);
        free(r->films[i].nfo_path);
        free(r->films[i].poster);
        free(r->films[i].backdrop);
    }
    for (size_t i = 0; i < r->file_count; i++) {
        free(r->files[i].path);
        free(r->files[i].version);
        free(r->files[i].edition);
        free(r->files[i].version_label);
        free(r->files[i].extra_title);
        free(r->files[i].nfo_path);
    }
    for (size_t i = 0; i < r->unreadable_count; i++)
        free(r->unreadable[i]);
    for (size_t i = 0; i < r->problem_count; i++) {
        free(r->problems[i].path);
        free(r->problems[i].message);
    }
    free(r->films);
    free(r->files);
    free(r->unreadable);
    free(r->problems);
    memset(r, 0, sizeof *r);
}
