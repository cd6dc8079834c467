/* dl_search: Search. The parsed SearchCriteria (dl_criteria) becomes a
 * catalog condition tree (cc_crit): properties map to catalog fields,
 * upnp:class and @refID are decided here (every searchable object is an
 * object.item.videoItem.movie, none is a reference), and values stay
 * values: the catalog binds them. */
#include "catalog/cc_facet.h"
#include "dlna/dl_criteria.h"
#include "dlna/dl_didl.h"
#include "dlna/dl_internal.h"
#include "util/cu_str.h"

#include <stdlib.h>
#include <string.h>

#define ITEM_CLASS "object.item.videoItem.movie"

typedef struct mapper {
    const dl_criteria *in;
    cc_crit nodes[2 * DL_CRITERIA_NODES + 2];
    int used;
} mapper;

static cc_crit *node(mapper *m, cc_crit_kind kind)
{
    if (m->used == (int)(sizeof m->nodes / sizeof *m->nodes))
        return NULL;
    cc_crit *c = &m->nodes[m->used++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    return c;
}

static cc_crit *constant(mapper *m, bool v)
{
    return node(m, v ? CC_CRIT_TRUE : CC_CRIT_FALSE);
}

static cc_crit *negate(mapper *m, cc_crit *a)
{
    if (!a)
        return NULL;
    cc_crit *c = node(m, CC_CRIT_NOT);
    if (c)
        c->a = a;
    return c;
}

static bool field_of(const char *prop, cc_crit_field *f)
{
    static const struct {
        const char *prop;
        cc_crit_field field;
    } map[] = {
        {"dc:title", CC_FIELD_TITLE},
        {"upnp:genre", CC_FIELD_GENRE},
        {"upnp:director", CC_FIELD_DIRECTOR},
        {"upnp:actor", CC_FIELD_ACTOR},
        {"dc:creator", CC_FIELD_PERSON},
        {"upnp:artist", CC_FIELD_PERSON},
        {"upnp:author", CC_FIELD_PERSON},
        {"dc:date", CC_FIELD_DATE},
        {"dc:description", CC_FIELD_DESCRIPTION},
        {"upnp:longDescription", CC_FIELD_DESCRIPTION},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(prop, map[i].prop)) {
            *f = map[i].field;
            return true;
        }
    return false;
}

static cc_crit *class_test(mapper *m, const dl_crit_node *n)
{
    switch (n->op) {
    case DL_OP_DERIVED_FROM: /* our class is derived from every prefix of it */
        return constant(
            m, !strncmp(ITEM_CLASS, n->value, strlen(n->value)) &&
                   (ITEM_CLASS[strlen(n->value)] == '\0' || ITEM_CLASS[strlen(n->value)] == '.'));
    case DL_OP_EQ: return constant(m, !strcmp(n->value, ITEM_CLASS));
    case DL_OP_NE: return constant(m, strcmp(n->value, ITEM_CLASS) != 0);
    case DL_OP_CONTAINS: return constant(m, strstr(ITEM_CLASS, n->value) != NULL);
    case DL_OP_NOT_CONTAINS: return constant(m, strstr(ITEM_CLASS, n->value) == NULL);
    case DL_OP_EXISTS: return constant(m, !strcmp(n->value, "true"));
    default: return constant(m, false);
    }
}

static cc_crit *map_node(mapper *m, int index)
{
    if (index < 0 || index >= m->in->count)
        return NULL;
    const dl_crit_node *n = &m->in->nodes[index];
    switch (n->kind) {
    case DL_CRIT_ALL: return constant(m, true);
    case DL_CRIT_AND:
    case DL_CRIT_OR: {
        cc_crit *a = map_node(m, n->a), *b = map_node(m, n->b);
        cc_crit *c = a && b ? node(m, n->kind == DL_CRIT_AND ? CC_CRIT_AND : CC_CRIT_OR) : NULL;
        if (c) {
            c->a = a;
            c->b = b;
        }
        return c;
    }
    case DL_CRIT_REL: break;
    }
    if (!strcmp(n->prop, "upnp:class"))
        return class_test(m, n);
    cc_crit_field field;
    if (!field_of(n->prop, &field)) {
        /* Properties we do not have (@refID, res@..., upnp:album): no
         * object has them. */
        return constant(m, n->op == DL_OP_EXISTS && !strcmp(n->value, "false"));
    }
    cc_crit *c = node(m, CC_CRIT_MATCH);
    if (!c)
        return NULL;
    c->field = field;
    c->value = n->value;
    switch (n->op) {
    case DL_OP_EQ: c->op = CC_OP_EQ; return c;
    case DL_OP_LT: c->op = CC_OP_LT; return c;
    case DL_OP_LE: c->op = CC_OP_LE; return c;
    case DL_OP_GT: c->op = CC_OP_GT; return c;
    case DL_OP_GE: c->op = CC_OP_GE; return c;
    case DL_OP_CONTAINS: c->op = CC_OP_CONTAINS; return c;
    case DL_OP_NE: c->op = CC_OP_EQ; return negate(m, c);
    case DL_OP_NOT_CONTAINS: c->op = CC_OP_CONTAINS; return negate(m, c);
    case DL_OP_EXISTS: c->op = CC_OP_EXISTS; return !strcmp(n->value, "true") ? c : negate(m, c);
    case DL_OP_DERIVED_FROM: m->used--; return constant(m, false);
    }
    return NULL;
}

int dl_search(dl_ctx *ctx, const char *container, const char *criteria, const dl_page *page,
              cu_buf *didl, int64_t *returned, int64_t *total)
{
    *returned = *total = 0;
    int rc = 708;
    cu_err err = {0};
    dl_criteria *parsed = cu_xmalloc(sizeof *parsed);
    mapper *m = cu_xcalloc(1, sizeof *m);
    cc_facet_hits hits = {0};
    cc_film *film = NULL;
    int64_t *ids = NULL;
    size_t id_count = 0;
    bool all = true;
    cc_facet_where where = {.sort = CC_SORT_TITLE};
    int descending = 0;
    if ((rc = dl_tree_parse_sort(page->sort, &where.sort, &descending)) != 0)
        goto done;
    if (where.sort != CC_SORT_TITLE && where.sort != CC_SORT_YEAR) {
        rc = 709;
        goto done;
    }
    where.descending = descending;
    if ((rc = dl_tree_container_films(ctx, container, &ids, &id_count, &all)) != 0)
        goto done;
    if (!all) {
        where.ids = ids;
        where.id_count = id_count;
    } else if (ctx->limited) {
        where.ids = ctx->visible;
        where.id_count = ctx->visible_count;
    }
    rc = 708;
    if (dl_criteria_parse(criteria, strlen(criteria), parsed, &err) < 0)
        goto done;
    m->in = parsed;
    cc_crit *root = map_node(m, parsed->root);
    if (!root)
        goto done;
    int64_t count = page->count <= 0 || page->count > DL_PAGE_MAX ? DL_PAGE_MAX : page->count;
    if (cc_facet_search_where(ctx->db, root, &where, page->start, count, &hits, &err) < 0) {
        rc = err.code == CU_EINVAL ? 708 : 501;
        goto done;
    }
    for (size_t i = 0; i < hits.count; i++) {
        if (!film || film->id != hits.items[i].film_id) {
            cc_film_free(film);
            film = NULL;
            if (cc_film_get(ctx->db, hits.items[i].film_id, &film, &err) < 0)
                continue; /* removed since the search: skipped */
        }
        for (size_t f = 0; f < film->file_count; f++)
            if (film->files[f].id == hits.items[i].file_id) {
                dl_tree_film_file_item(ctx, film, f, didl);
                (*returned)++;
            }
    }
    *total = hits.total;
    rc = 0;
done:
    free(ids);
    cc_film_free(film);
    cc_facet_hits_clear(&hits);
    free(m);
    free(parsed);
    return rc;
}
