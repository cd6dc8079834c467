/* cl_nfo: Kodi-style .nfo files, read with libxml2 as hostile input.
 *
 * Safety: the parser never loads a DTD, never touches the network and never
 * substitutes entities (no XML_PARSE_NOENT, no XML_PARSE_DTDLOAD); text is
 * gathered from text and CDATA nodes only, so an entity reference (a
 * "billion laughs" chain, or one naming /etc/passwd) contributes nothing.
 * Input is capped at CL_NFO_MAX_BYTES, every string and every list is
 * bounded, and invalid UTF-8 is repaired (with a warning) before parsing. */
#include "library/cl_nfo.h"
#include "util/cu_arena.h"
#include "util/cu_buf.h"
#include "util/cu_str.h"
#include "util/cu_year.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TEXT (64 * 1024) /* one element's text (a long plot fits) */
#define MAX_LIST 200         /* genres, countries, studios, tags */
#define MAX_CREDITS 2000
#define MAX_RELEASES 500
#define MAX_RATINGS 50
#define MAX_WARNINGS 50

/* Every string the reader keeps is allocated from the film's arena: no
 * string needs freeing on any path, and the record goes with cc_film_free. */
typedef struct reader {
    cc_film *nfo;
    char *edition;
    int disc_title;
    cu_buf warnings;
    int warning_count;
    int actor_position, other_position;
    bool credits_full, releases_full;
    unsigned lists_full;
} reader;

static void warn(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(reader *r, const char *fmt, ...)
{
    if (r->warning_count++ >= MAX_WARNINGS)
        return;
    if (r->warnings.len)
        cu_buf_putc(&r->warnings, '\n');
    char line[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* Element names quoted from the file may be cut mid-character. */
    char *safe = cu_utf8_repair(line, strlen(line));
    cu_buf_puts(&r->warnings, safe);
    free(safe);
}

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, name);
}

/* The element's own text (text and CDATA children, entity references
 * skipped), trimmed; NULL when empty. Bounded by MAX_TEXT. */
static char *text_of(reader *r, const xmlNode *n)
{
    cu_buf b = {0};
    bool cut = false;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            continue;
        if (!c->content)
            continue;
        size_t len = strlen((const char *)c->content);
        if (b.len + len > MAX_TEXT) {
            len = MAX_TEXT - b.len;
            cut = true;
        }
        cu_buf_append(&b, c->content, len);
        if (cut)
            break;
    }
    if (!b.len) {
        cu_buf_free(&b);
        return NULL;
    }
    if (cut)
        warn(r, "<%s> longer than %d bytes, cut", (const char *)n->name, MAX_TEXT);
    /* A cut may split a character; repairing also drops stray NULs. */
    char *fixed = cu_utf8_repair(b.data, b.len);
    cu_buf_free(&b);
    cu_str_trim(fixed);
    char *kept = fixed[0] ? cu_arena_strdup(r->nfo->arena, fixed) : NULL;
    free(fixed);
    return kept;
}

static char *attr_of(reader *r, const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    size_t len = strlen((const char *)v);
    if (len > 1024)
        len = 1024;
    char *s = cu_utf8_repair((const char *)v, len);
    xmlFree(v);
    cu_str_trim(s);
    char *kept = s[0] ? cu_arena_strdup(r->nfo->arena, s) : NULL;
    free(s);
    return kept;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

static char *child_text(reader *r, const xmlNode *n, const char *name)
{
    const xmlNode *c = child(n, name);
    return c ? text_of(r, c) : NULL;
}

/* Sets *slot (first occurrence wins; later ones are ignored). */
static void set_once(char **slot, char *value)
{
    if (!*slot)
        *slot = value;
}

static bool parse_int(const char *s, long lo, long hi, int *out)
{
    if (!s)
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_double(const char *s, double *out)
{
    if (!s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v != v || v < 0 || v > 1e9)
        return false;
    *out = v;
    return true;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void list_add(reader *r, cc_term_list *list, const char *what, char *value)
{
    if (!value)
        return;
    /* Kodi writers sometimes pack "Drama / Comedy" into one element. */
    for (size_t i = 0; i < list->count; i++)
        if (!strcmp(list->items[i], value))
            return;
    if (list->count >= MAX_LIST) {
        /* Warned once per list: bit i stands for the film's i-th list. */
        unsigned bit = list == &r->nfo->genres      ? 1u
                       : list == &r->nfo->countries ? 2u
                       : list == &r->nfo->studios   ? 4u
                                                    : 8u;
        if (!(r->lists_full & bit))
            warn(r, "more than %d <%s>, the rest ignored", MAX_LIST, what);
        r->lists_full |= bit;
        return;
    }
    cc_film_add_term(r->nfo, list, value);
}

static void list_add_split(reader *r, cc_term_list *list, const char *what, char *value)
{
    if (!value)
        return;
    if (!strstr(value, " / ")) {
        list_add(r, list, what, value);
        return;
    }
    char *save = NULL;
    for (char *tok = strtok_r(value, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        char *t = cu_str_trim(tok);
        if (*t)
            list_add(r, list, what, t);
    }
}

/* The film's own language (Jellyfin and tinyMediaManager write one of
 * these; a list such as "Spanish, English" names the original first): the
 * first one given is kept, and the shelf drops its title's articles. */
static void read_language(reader *r, const xmlNode *n)
{
    char *value = text_of(r, n);
    if (!value || r->nfo->languages.count)
        return;
    value[strcspn(value, ",/|;")] = '\0';
    char *t = cu_str_trim(value);
    if (*t && strlen(t) <= 64)
        list_add(r, &r->nfo->languages, "language", t);
}

/* The catalog keeps the ids it can link to (tmdb, imdb); the first of
 * each type wins, others are ignored. */
static void add_id(reader *r, const char *type, char *value)
{
    if (!value)
        return;
    if (!strcasecmp(type, "tmdb"))
        set_once(&r->nfo->tmdb_id, value);
    else if (!strcasecmp(type, "imdb"))
        set_once(&r->nfo->imdb_id, value);
}

static cc_credit *add_credit(reader *r, char *name, const char *job)
{
    cc_film *nfo = r->nfo;
    if (!name)
        return NULL;
    if (nfo->credit_count >= MAX_CREDITS) {
        if (nfo->credit_count == MAX_CREDITS && !r->credits_full) {
            warn(r, "more than %d credits, the rest ignored", MAX_CREDITS);
            r->credits_full = true;
        }
        return NULL;
    }
    cc_credit *c = cc_film_add_credit(nfo);
    c->name = name;
    c->job = cc_film_strdup(nfo, job);
    for (char *p = c->job; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return c;
}

static void read_actor(reader *r, const xmlNode *n)
{
    char *name = child_text(r, n, "name");
    if (!name) {
        warn(r, "<actor> without <name>, ignored");
        return;
    }
    int position = r->actor_position++;
    cc_credit *c = add_credit(r, name, "actor");
    if (!c)
        return;
    c->character = child_text(r, n, "role");
    c->thumb = child_text(r, n, "thumb");
    char *order = child_text(r, n, "order");
    if (!order || !parse_int(order, 0, 100000, &c->billing)) {
        if (order)
            warn(r, "bad <order> '%.40s' for %.80s", order, name);
        c->billing = position;
    }
}

static void read_crew(reader *r, const xmlNode *n)
{
    char *role = attr_of(r, n, "role");
    char *name = text_of(r, n);
    if (!role) {
        if (name)
            warn(r, "<crew> without role for %.80s, ignored", name);
        return;
    }
    if (strlen(role) > 64) {
        warn(r, "<crew> role too long, ignored");
        return;
    }
    cc_credit *c = add_credit(r, name, role);
    if (c)
        c->billing = r->other_position++;
}

static const char *const release_types[] = {
    "premiere", "festival", "theatrical_limited", "theatrical", "digital", "physical", "tv",
};

static void read_release(reader *r, const xmlNode *n)
{
    cc_film *nfo = r->nfo;
    char *type = attr_of(r, n, "type");
    const char *known = NULL;
    if (type) {
        for (size_t i = 0; i < sizeof release_types / sizeof *release_types; i++)
            if (!strcasecmp(type, release_types[i]))
                known = release_types[i];
    }
    if (!known) {
        warn(r, "<release> with unknown type '%.40s', ignored", type ? type : "");
        return;
    }
    if (nfo->release_count >= MAX_RELEASES) {
        if (nfo->release_count == MAX_RELEASES && !r->releases_full) {
            warn(r, "more than %d releases, the rest ignored", MAX_RELEASES);
            r->releases_full = true;
        }
        return;
    }
    cc_release rel = {
        .type = cc_film_strdup(nfo, known),
        .date = attr_of(r, n, "date"),
        .country = attr_of(r, n, "country"),
        .event = attr_of(r, n, "event"),
        .section = attr_of(r, n, "section"),
        .distributor = attr_of(r, n, "distributor"),
        .format = attr_of(r, n, "format"),
        .note = text_of(r, n),
    };
    if (rel.date && !cu_date_valid(rel.date)) {
        warn(r, "<release> date '%.40s' is not YYYY-MM-DD, dropped", rel.date);
        rel.date = NULL;
    }
    if (rel.country) {
        for (char *p = rel.country; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
    }
    *cc_film_add_release(nfo) = rel;
}

static void add_rating(reader *r, char *source, const char *value, const char *votes,
                       const char *max)
{
    cc_film *nfo = r->nfo;
    cc_rating rating = {.source = source, .max = 10};
    if (!parse_double(value, &rating.value)) {
        if (value)
            warn(r, "bad rating value '%.40s', ignored", value);
        return;
    }
    if (votes) {
        /* "12,345" is common. */
        char clean[32];
        size_t o = 0;
        for (const char *p = votes; *p && o + 1 < sizeof clean; p++)
            if (*p != ',' && *p != '.')
                clean[o++] = *p;
        clean[o] = '\0';
        if (!parse_int(clean, 0, 2000000000, &rating.votes))
            warn(r, "bad rating votes '%.40s'", votes);
    }
    if (max && (!parse_double(max, &rating.max) || rating.max <= 0)) {
        warn(r, "bad rating max '%.40s'", max);
        rating.max = 10;
    }
    if (nfo->rating_count >= MAX_RATINGS)
        return;
    *cc_film_add_rating(nfo) = rating;
}

static void read_ratings(reader *r, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!named(c, "rating"))
            continue;
        char *value = child_text(r, c, "value");
        char *votes = child_text(r, c, "votes");
        char *max = attr_of(r, c, "max");
        char *source = attr_of(r, c, "name");
        add_rating(r, source ? source : cc_film_strdup(r->nfo, "default"), value, votes, max);
    }
}

static void read_set(reader *r, const xmlNode *n)
{
    cc_film *nfo = r->nfo;
    if (child(n, "name")) {
        set_once(&nfo->set_name, child_text(r, n, "name"));
        set_once(&nfo->set_overview, child_text(r, n, "overview"));
    } else {
        set_once(&nfo->set_name, text_of(r, n)); /* the older <set>Name</set> */
    }
}

static void read_int_field(reader *r, const xmlNode *n, int lo, int hi, int *slot)
{
    char *s = text_of(r, n);
    if (!s)
        return;
    int v;
    if (parse_int(s, lo, hi, &v)) {
        if (!*slot)
            *slot = v;
    } else {
        warn(r, "bad <%s> '%.40s', ignored", (const char *)n->name, s);
    }
}

static void read_movie(reader *r, const xmlNode *root)
{
    cc_film *nfo = r->nfo;
    char *legacy_rating = NULL, *legacy_votes = NULL;
    for (const xmlNode *n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (named(n, "title"))
            set_once(&nfo->title, text_of(r, n));
        else if (named(n, "originaltitle"))
            set_once(&nfo->original_title, text_of(r, n));
        else if (named(n, "sorttitle"))
            set_once(&nfo->sort_title, text_of(r, n));
        else if (named(n, "edition"))
            set_once(&r->edition, text_of(r, n));
        else if (named(n, "disctitle"))
            read_int_field(r, n, 1, 99999, &r->disc_title);
        else if (named(n, "year"))
            read_int_field(r, n, CU_YEAR_MIN, CU_YEAR_MAX, &nfo->year);
        else if (named(n, "runtime"))
            read_int_field(r, n, 1, 100000, &nfo->runtime);
        else if (named(n, "plot"))
            set_once(&nfo->plot, text_of(r, n));
        else if (named(n, "outline"))
            set_once(&nfo->outline, text_of(r, n));
        else if (named(n, "tagline"))
            set_once(&nfo->tagline, text_of(r, n));
        else if (named(n, "premiered") || named(n, "releasedate")) {
            char *d = text_of(r, n);
            if (d && !cu_date_valid(d)) {
                warn(r, "bad <%s> '%.40s', ignored", (const char *)n->name, d);
                d = NULL;
            }
            set_once(&nfo->premiered, d);
        } else if (named(n, "mpaa") || named(n, "certification"))
            /* Kodi writes <mpaa>; some tools <certification>: the first
             * one given is the film's rating (accounts limit by it). */
            set_once(&nfo->mpaa, text_of(r, n));
        else if (named(n, "genre"))
            list_add_split(r, &nfo->genres, "genre", text_of(r, n));
        else if (named(n, "country"))
            list_add_split(r, &nfo->countries, "country", text_of(r, n));
        else if (named(n, "studio"))
            list_add_split(r, &nfo->studios, "studio", text_of(r, n));
        else if (named(n, "tag"))
            list_add(r, &nfo->tags, "tag", text_of(r, n));
        else if (named(n, "language") || named(n, "languages") || named(n, "original_language") ||
                 named(n, "originallanguage"))
            read_language(r, n);
        else if (named(n, "set"))
            read_set(r, n);
        else if (named(n, "uniqueid")) {
            char *type = attr_of(r, n, "type");
            add_id(r, type ? type : "unknown", text_of(r, n));
        } else if (named(n, "tmdbid"))
            add_id(r, "tmdb", text_of(r, n));
        else if (named(n, "imdbid"))
            add_id(r, "imdb", text_of(r, n));
        else if (named(n, "id")) {
            char *v = text_of(r, n);
            if (v && !strncmp(v, "tt", 2))
                add_id(r, "imdb", v);
            else if (v && digits(v, strlen(v)))
                add_id(r, "tmdb", v);
        } else if (named(n, "director")) {
            cc_credit *c = add_credit(r, text_of(r, n), "director");
            if (c)
                c->billing = r->other_position++;
        } else if (named(n, "credits")) {
            cc_credit *c = add_credit(r, text_of(r, n), "writer");
            if (c)
                c->billing = r->other_position++;
        } else if (named(n, "actor"))
            read_actor(r, n);
        else if (named(n, "crew"))
            read_crew(r, n);
        else if (named(n, "release"))
            read_release(r, n);
        else if (named(n, "releases")) {
            for (const xmlNode *c = n->children; c; c = c->next)
                if (named(c, "release"))
                    read_release(r, c);
        } else if (named(n, "ratings"))
            read_ratings(r, n);
        else if (named(n, "rating"))
            set_once(&legacy_rating, text_of(r, n));
        else if (named(n, "votes"))
            set_once(&legacy_votes, text_of(r, n));
        /* Anything else (fileinfo, thumb, fanart, playcount...) is Kodi's. */
    }
    if (legacy_rating && !nfo->rating_count)
        add_rating(r, cc_film_strdup(nfo, "default"), legacy_rating, legacy_votes, NULL);
}

/* Kodi accepts an .nfo whose XML is followed by a scraper URL; keep the
 * document up to its root's closing tag. */
static size_t document_end(const char *data, size_t len)
{
    static const char *const closers[] = {"</movie>", "</video>"};
    size_t best = 0;
    for (size_t k = 0; k < 2; k++) {
        size_t cl = strlen(closers[k]);
        for (size_t i = len; i >= cl; i--) {
            if (!strncasecmp(data + i - cl, closers[k], cl)) {
                if (i > best)
                    best = i;
                break;
            }
        }
    }
    return best ? best : len;
}

/* The encoding named in the XML declaration, if any. */
static bool declares_other_encoding(const char *data, size_t len)
{
    if (len < 5 || strncmp(data, "<?xml", 5) != 0)
        return false;
    const char *end = memchr(data, '>', len < 200 ? len : 200);
    if (!end)
        return false;
    const char *enc = memmem(data, (size_t)(end - data), "encoding", 8);
    if (!enc)
        return false;
    const char *q = enc + 8;
    while (q < end && (*q == ' ' || *q == '=' || *q == '"' || *q == '\''))
        q++;
    return !(end - q >= 5 && !strncasecmp(q, "utf-8", 5)) &&
           !(end - q >= 4 && !strncasecmp(q, "utf8", 4));
}

/* libxml2 reports some errors (encoding conversions) through its global
 * handlers even with XML_PARSE_NOERROR; they go nowhere, the parse result
 * says what went wrong. The handlers are per thread. */
static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr error)
{
    (void)ctx;
    (void)error;
}

static void init_libxml(void)
{
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    static bool done;
    if (!done) {
        xmlInitParser();
        done = true;
    }
}

int cl_nfo_parse(const char *data, size_t len, cl_nfo **out, cu_err *err)
{
    *out = NULL;
    if (len > CL_NFO_MAX_BYTES)
        return cu_err_set(err, CU_ELIMIT, "file larger than %d bytes", CL_NFO_MAX_BYTES);
    if (len == 0)
        return cu_err_set(err, CU_EPARSE, "empty file");
    init_libxml();

    reader r = {.nfo = cc_film_new()};
    r.nfo->metadata_source = cc_film_strdup(r.nfo, "nfo");
    len = document_end(data, len);
    char *repaired = NULL;
    if (!declares_other_encoding(data, len) && !cu_utf8_valid(data, len)) {
        repaired = cu_utf8_repair(data, len);
        data = repaired;
        len = strlen(repaired);
        warn(&r, "invalid UTF-8 replaced");
    }

    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx) {
        free(repaired);
        cc_film_free(r.nfo);
        cu_buf_free(&r.warnings);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    /* No NOENT (entities stay references), no DTDLOAD/DTDATTR, NONET, and
     * no HUGE: libxml2's own limits on depth and expansion stay on. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
    xmlDocPtr doc =
        xmlCtxtReadMemory(ctx, data, (int)len, "movie.nfo", repaired ? "UTF-8" : NULL, options);
    int rc = 0;
    if (!doc) {
        const xmlError *xe = xmlCtxtGetLastError(ctx);
        char reason[200] = "not well-formed XML";
        if (xe && xe->message) {
            snprintf(reason, sizeof reason, "%s", xe->message);
            cu_str_trim(reason);
        }
        rc = cu_err_set(err, CU_EPARSE, "not a readable .nfo (line %d: %s)", xe ? xe->line : 0,
                        reason);
    } else {
        const xmlNode *root = xmlDocGetRootElement(doc);
        if (!root || !(named(root, "movie") || named(root, "video")))
            rc = cu_err_set(err, CU_EPARSE, "no <movie> element (root is <%.40s>)",
                            root ? (const char *)root->name : "nothing");
        else
            read_movie(&r, root);
        xmlFreeDoc(doc);
    }
    xmlFreeParserCtxt(ctx);
    free(repaired);
    if (rc < 0) {
        cc_film_free(r.nfo);
        cu_buf_free(&r.warnings);
        return rc;
    }
    cl_nfo *nfo = cu_xcalloc(1, sizeof *nfo);
    nfo->film = r.nfo;
    nfo->edition = r.edition;
    nfo->disc_title = r.disc_title;
    if (r.warnings.len)
        nfo->warnings = cc_film_strdup(r.nfo, cu_buf_str(&r.warnings));
    cu_buf_free(&r.warnings);
    *out = nfo;
    return 0;
}

int cl_nfo_read(const char *path, cl_nfo **out, cu_err *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return cu_err_set(err, -errno, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cu_err_set(err, CU_EPARSE, "not a regular file");
    }
    if (st.st_size > CL_NFO_MAX_BYTES) {
        close(fd);
        return cu_err_set(err, CU_ELIMIT, "file larger than %d bytes", CL_NFO_MAX_BYTES);
    }
    /* Read to the end (the size may change under us), still bounded. */
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *data = cu_xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap > CL_NFO_MAX_BYTES) {
                free(data);
                close(fd);
                return cu_err_set(err, CU_ELIMIT, "file larger than %d bytes", CL_NFO_MAX_BYTES);
            }
            cap *= 2;
            data = cu_xrealloc(data, cap);
        }
        ssize_t n = read(fd, data + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(data);
            close(fd);
            return cu_err_set(err, -e, "%s", strerror(e));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    int rc = cl_nfo_parse(data, len, out, err);
    free(data);
    return rc;
}

void cl_nfo_free(cl_nfo *nfo)
{
    if (!nfo)
        return;
    cc_film_free(nfo->film);
    free(nfo);
}
