/* cl_nfo_write: the .nfo as cl_nfo reads it, written with libxml2's text
 * writer (which escapes text and attributes), marked as ours. */
#include "library/cl_nfo_write.h"
#include "library/cl_nfo.h"
#include "util/cu_hash.h"
#include "util/cu_buf.h"
#include "util/cu_file.h"
#include "util/cu_str.h"

#include <errno.h>
#include <inttypes.h>
#include <libxml/xmlwriter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DECLARATION "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
/* The first comment of a file we wrote; the check covers every byte after
 * the comment's line. Not a secret: a person who copies it along with a
 * change still changed the rest, which no longer matches. */
#define MARK_HEAD                                                                                  \
    "<!-- written by cinemateca's editor; if you change this file, cinemateca asks before replacing it. check "
#define MARK_TAIL " -->\n"

int cl_nfo_owner_of(const char *path, cl_nfo_owner *owner, cu_err *err)
{
    *owner = CL_NFO_ABSENT;
    char *data = NULL;
    size_t len = 0;
    cu_err read_err = {0};
    int rc = cu_file_read(path, CL_NFO_MAX_BYTES, &data, &len, &read_err);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0 && rc != CU_ELIMIT)
        return cu_err_set(err, rc, "%s", read_err.msg);
    *owner = CL_NFO_PERSONS;
    size_t decl = strlen(DECLARATION), head = strlen(MARK_HEAD), tail = strlen(MARK_TAIL);
    size_t body = decl + head + 16 + tail;
    if (rc == 0 && len >= body && !memcmp(data, DECLARATION, decl) &&
        !memcmp(data + decl, MARK_HEAD, head) &&
        !memcmp(data + decl + head + 16, MARK_TAIL, tail)) {
        char want[17];
        snprintf(want, sizeof want, "%016" PRIx64,
                 cu_hash64(CU_HASH64_INIT, data + body, len - body));
        if (!memcmp(data + decl + head, want, 16))
            *owner = CL_NFO_OURS;
    }
    free(data);
    return 0;
}

/* Text as XML may hold it: valid UTF-8 without the control characters
 * XML 1.0 forbids (all below 0x20 but tab, newline and carriage return). */
static char *xml_text(const char *s)
{
    char *t = cu_utf8_repair(s, strlen(s));
    size_t o = 0;
    for (size_t i = 0; t[i]; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            continue;
        t[o++] = t[i];
    }
    t[o] = '\0';
    return t;
}

static int element(xmlTextWriterPtr w, const char *name, const char *value)
{
    if (!value || !value[0])
        return 0;
    char *t = xml_text(value);
    int rc = xmlTextWriterWriteElement(w, (const xmlChar *)name, (const xmlChar *)t);
    free(t);
    return rc < 0 ? -1 : 0;
}

static int element_int(xmlTextWriterPtr w, const char *name, int value)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%d", value);
    return element(w, name, buf);
}

static int attribute(xmlTextWriterPtr w, const char *name, const char *value)
{
    if (!value || !value[0])
        return 0;
    char *t = xml_text(value);
    int rc = xmlTextWriterWriteAttribute(w, (const xmlChar *)name, (const xmlChar *)t);
    free(t);
    return rc < 0 ? -1 : 0;
}

static int start(xmlTextWriterPtr w, const char *name)
{
    return xmlTextWriterStartElement(w, (const xmlChar *)name) < 0 ? -1 : 0;
}

static int end(xmlTextWriterPtr w)
{
    return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

static int text(xmlTextWriterPtr w, const char *value)
{
    if (!value || !value[0])
        return 0;
    char *t = xml_text(value);
    int rc = xmlTextWriterWriteString(w, (const xmlChar *)t);
    free(t);
    return rc < 0 ? -1 : 0;
}

static int terms(xmlTextWriterPtr w, const char *name, const cc_term_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        if (element(w, name, list->items[i]) < 0)
            return -1;
    return 0;
}

static int write_credits(xmlTextWriterPtr w, const cc_film *film)
{
    /* Crew in the order given (the reader numbers them as met), then the
     * cast with their billing as <order>. */
    for (size_t i = 0; i < film->credit_count; i++) {
        const cc_credit *c = &film->credits[i];
        if (!c->name || !c->name[0] || !c->job || !strcmp(c->job, "actor"))
            continue;
        if (!strcmp(c->job, "director")) {
            if (element(w, "director", c->name) < 0)
                return -1;
        } else if (!strcmp(c->job, "writer")) {
            if (element(w, "credits", c->name) < 0)
                return -1;
        } else if (start(w, "crew") < 0 || attribute(w, "role", c->job) < 0 ||
                   text(w, c->name) < 0 || end(w) < 0) {
            return -1;
        }
    }
    for (size_t i = 0; i < film->credit_count; i++) {
        const cc_credit *c = &film->credits[i];
        if (!c->name || !c->name[0] || !c->job || strcmp(c->job, "actor") != 0)
            continue;
        if (start(w, "actor") < 0 || element(w, "name", c->name) < 0 ||
            element(w, "role", c->character) < 0 || element_int(w, "order", c->billing) < 0 ||
            element(w, "thumb", c->thumb) < 0 || end(w) < 0)
            return -1;
    }
    return 0;
}

static int write_releases(xmlTextWriterPtr w, const cc_film *film)
{
    if (!film->release_count)
        return 0;
    if (start(w, "releases") < 0)
        return -1;
    for (size_t i = 0; i < film->release_count; i++) {
        const cc_release *r = &film->releases[i];
        if (start(w, "release") < 0 || attribute(w, "type", r->type) < 0 ||
            attribute(w, "date", r->date) < 0 || attribute(w, "country", r->country) < 0 ||
            attribute(w, "event", r->event) < 0 || attribute(w, "section", r->section) < 0 ||
            attribute(w, "distributor", r->distributor) < 0 ||
            attribute(w, "format", r->format) < 0 || text(w, r->note) < 0 || end(w) < 0)
            return -1;
    }
    return end(w);
}

static int write_ratings(xmlTextWriterPtr w, const cc_film *film)
{
    if (!film->rating_count)
        return 0;
    if (start(w, "ratings") < 0)
        return -1;
    for (size_t i = 0; i < film->rating_count; i++) {
        const cc_rating *r = &film->ratings[i];
        char value[40], max[40];
        snprintf(value, sizeof value, "%.17g", r->value);
        snprintf(max, sizeof max, "%.17g", r->max > 0 ? r->max : 10);
        if (start(w, "rating") < 0 || attribute(w, "name", r->source ? r->source : "default") < 0 ||
            attribute(w, "max", max) < 0 || element(w, "value", value) < 0 ||
            (r->votes > 0 && element_int(w, "votes", r->votes) < 0) || end(w) < 0)
            return -1;
    }
    return end(w);
}

static int write_movie(xmlTextWriterPtr w, const cc_film *film, const char *edition, int disc_title)
{
    if (start(w, "movie") < 0 || element(w, "title", film->title) < 0 ||
        element(w, "originaltitle", film->original_title) < 0 ||
        element(w, "sorttitle", film->sort_title) < 0 || element(w, "edition", edition) < 0 ||
        (film->year > 0 && element_int(w, "year", film->year) < 0) ||
        (film->runtime > 0 && element_int(w, "runtime", film->runtime) < 0) ||
        element(w, "plot", film->plot) < 0 || element(w, "outline", film->outline) < 0 ||
        element(w, "tagline", film->tagline) < 0 || element(w, "premiered", film->premiered) < 0 ||
        element(w, "mpaa", film->mpaa) < 0 || terms(w, "genre", &film->genres) < 0 ||
        terms(w, "country", &film->countries) < 0 || terms(w, "studio", &film->studios) < 0 ||
        terms(w, "tag", &film->tags) < 0 || terms(w, "language", &film->languages) < 0)
        return -1;
    if (film->set_name && film->set_name[0]) {
        if (start(w, "set") < 0 || element(w, "name", film->set_name) < 0 ||
            element(w, "overview", film->set_overview) < 0 || end(w) < 0)
            return -1;
    }
    if (film->tmdb_id && film->tmdb_id[0] &&
        (start(w, "uniqueid") < 0 || attribute(w, "type", "tmdb") < 0 ||
         text(w, film->tmdb_id) < 0 || end(w) < 0))
        return -1;
    if (film->imdb_id && film->imdb_id[0] &&
        (start(w, "uniqueid") < 0 || attribute(w, "type", "imdb") < 0 ||
         text(w, film->imdb_id) < 0 || end(w) < 0))
        return -1;
    if (write_credits(w, film) < 0 || write_releases(w, film) < 0 || write_ratings(w, film) < 0)
        return -1;
    if (disc_title > 0 && element_int(w, "disctitle", disc_title) < 0)
        return -1;
    return end(w);
}

static int format_nfo(const cc_film *film, const char *edition, int disc_title, char **out,
                      size_t *len, cu_err *err)
{
    *out = NULL;
    *len = 0;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (!w) {
        if (buf)
            xmlBufferFree(buf);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    xmlTextWriterSetIndent(w, 1);
    xmlTextWriterSetIndentString(w, (const xmlChar *)"  ");
    int rc = write_movie(w, film, edition, disc_title);
    if (rc == 0 && xmlTextWriterFlush(w) < 0)
        rc = -1;
    xmlFreeTextWriter(w);
    if (rc < 0) {
        xmlBufferFree(buf);
        return cu_err_set(err, CU_EINVAL, "the .nfo could not be written out");
    }
    const char *body = (const char *)xmlBufferContent(buf);
    size_t body_len = (size_t)xmlBufferLength(buf);
    if (body_len > CL_NFO_MAX_BYTES - 512) {
        xmlBufferFree(buf);
        return cu_err_set(err, CU_ELIMIT, "the .nfo would be larger than %d bytes",
                          CL_NFO_MAX_BYTES);
    }
    cu_buf doc = {0};
    cu_buf_puts(&doc, DECLARATION);
    cu_buf_puts(&doc, MARK_HEAD);
    char check[17];
    snprintf(check, sizeof check, "%016" PRIx64, cu_hash64(CU_HASH64_INIT, body, body_len));
    cu_buf_puts(&doc, check);
    cu_buf_puts(&doc, MARK_TAIL);
    cu_buf_append(&doc, body, body_len);
    xmlBufferFree(buf);
    *len = doc.len;
    *out = cu_xstrdup(cu_buf_str(&doc));
    cu_buf_free(&doc);
    return 0;
}

int cl_nfo_format(const cc_film *film, const char *edition, char **out, size_t *len, cu_err *err)
{
    return format_nfo(film, edition, 0, out, len, err);
}

int cl_nfo_write(const char *path, const cc_film *film, const char *edition, bool overwrite,
                 cu_err *err)
{
    cl_nfo_owner owner;
    int rc = cl_nfo_owner_of(path, &owner, err);
    if (rc < 0)
        return rc;
    if (owner == CL_NFO_PERSONS && !overwrite)
        return cu_err_set(err, -EEXIST,
                          "%s was not written by cinemateca; replace it only when asked to", path);
    /* A disc's main title chosen in the file (<disctitle>, which cc_film
     * does not hold) stays chosen. */
    int disc_title = 0;
    cl_nfo *old = NULL;
    cu_err ignored = {0};
    if (owner != CL_NFO_ABSENT && cl_nfo_read(path, &old, &ignored) == 0)
        disc_title = old->disc_title;
    cl_nfo_free(old);
    char *doc = NULL;
    size_t len = 0;
    if ((rc = format_nfo(film, edition, disc_title, &doc, &len, err)) < 0)
        return rc;
    char *bak = cu_xasprintf("%s.bak", path);
    rc = cu_file_replace(path, doc, len, bak, err);
    free(bak);
    free(doc);
    return rc;
}

/* ---- an admin's choice of a disc's main title ---- */

static bool is_blank_text(const xmlNode *n)
{
    return n && n->type == XML_TEXT_NODE && xmlIsBlankNode((xmlNode *)n);
}

/* Drops every <disctitle> child of root (with the indentation before it)
 * and, for number > 0, adds one at the end, indented like the first
 * child. */
static void set_disc_title_node(xmlNodePtr root, int number)
{
    for (xmlNodePtr n = root->children, next; n; n = next) {
        next = n->next;
        if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, (const xmlChar *)"disctitle"))
            continue;
        xmlNodePtr before = n->prev;
        xmlUnlinkNode(n);
        xmlFreeNode(n);
        if (is_blank_text(before) && before->prev) {
            xmlUnlinkNode(before);
            xmlFreeNode(before);
        }
    }
    if (number <= 0)
        return;
    char value[16];
    snprintf(value, sizeof value, "%d", number);
    xmlNodePtr elem = xmlNewNode(NULL, (const xmlChar *)"disctitle");
    xmlNodeAddContent(elem, (const xmlChar *)value);
    if (is_blank_text(root->last) && root->last != root->children) {
        /* Indented like its siblings: "\n  <disctitle>..</disctitle>\n</movie>". */
        const xmlChar *indent =
            is_blank_text(root->children) ? root->children->content : (const xmlChar *)"\n  ";
        /* The element first: libxml2 merges a text node added next to
         * another text node into it. */
        xmlAddPrevSibling(root->last, elem);
        xmlAddPrevSibling(elem, xmlNewText(indent));
    } else {
        xmlAddChild(root, elem);
    }
}

int cl_nfo_set_disc_title(const char *path, const cc_film *film, int number, cu_err *err)
{
    cl_nfo_owner owner;
    int rc = cl_nfo_owner_of(path, &owner, err);
    if (rc < 0)
        return rc;
    char *data = NULL;
    size_t len = 0;
    if (owner == CL_NFO_ABSENT)
        rc = cl_nfo_format(film, NULL, &data, &len, err);
    else
        rc = cu_file_read(path, CL_NFO_MAX_BYTES, &data, &len, err);
    if (rc < 0)
        return rc;
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx) {
        free(data);
        return cu_err_set(err, -ENOMEM, "out of memory");
    }
    /* As cl_nfo reads it (no entity substitution, no DTD, no network), but
     * keeping blanks and CDATA: everything but <disctitle> stays as the
     * person wrote it. */
    cu_buf doc_text = {0};
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, data, (int)len, "movie.nfo", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(data);
    data = NULL;
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || (xmlStrcmp(root->name, (const xmlChar *)"movie") &&
                  xmlStrcmp(root->name, (const xmlChar *)"video"))) {
        rc = cu_err_set(err, CU_EPARSE,
                        "%s is not a readable .nfo: mend or remove it, then choose again", path);
        goto done;
    }
    set_disc_title_node(root, number);
    if (owner == CL_NFO_PERSONS) {
        xmlChar *out = NULL;
        int out_len = 0;
        xmlDocDumpMemoryEnc(doc, &out, &out_len, "UTF-8");
        if (!out) {
            rc = cu_err_set(err, -ENOMEM, "out of memory");
            goto done;
        }
        cu_buf_append(&doc_text, (const char *)out, (size_t)out_len);
        xmlFree(out);
    } else {
        /* Ours (or new): marked again, so the editor still knows it as ours. */
        xmlBufferPtr body = xmlBufferCreate();
        if (!body || xmlNodeDump(body, doc, root, 0, 0) < 0) {
            if (body)
                xmlBufferFree(body);
            rc = cu_err_set(err, -ENOMEM, "out of memory");
            goto done;
        }
        xmlBufferCCat(body, "\n");
        const char *b = (const char *)xmlBufferContent(body);
        size_t blen = (size_t)xmlBufferLength(body);
        char check[17];
        snprintf(check, sizeof check, "%016" PRIx64, cu_hash64(CU_HASH64_INIT, b, blen));
        cu_buf_puts(&doc_text, DECLARATION);
        cu_buf_puts(&doc_text, MARK_HEAD);
        cu_buf_puts(&doc_text, check);
        cu_buf_puts(&doc_text, MARK_TAIL);
        cu_buf_append(&doc_text, b, blen);
        xmlBufferFree(body);
    }
    if (doc_text.len > CL_NFO_MAX_BYTES) {
        rc = cu_err_set(err, CU_ELIMIT, "the .nfo would be larger than %d bytes", CL_NFO_MAX_BYTES);
    } else {
        char *bak = cu_xasprintf("%s.bak", path);
        rc = cu_file_replace(path, cu_buf_str(&doc_text), doc_text.len, bak, err);
        free(bak);
    }
done:
    cu_buf_free(&doc_text);
    if (doc)
        xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctx);
    return rc;
}
