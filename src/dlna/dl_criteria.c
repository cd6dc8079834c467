/* dl_criteria: a recursive-descent parser for SearchCriteria. */
#include "dlna/dl_criteria.h"
#include "util/cu_str.h"

#include <stdbool.h>
#include <string.h>

typedef struct parser {
    const char *p, *end;
    dl_criteria *out;
    int depth;
    cu_err *err;
} parser;

/* UPnP's wChar: space, tab, LF, VT, FF, CR. */
static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && strchr(" \t\n\v\f\r", *ps->p) && *ps->p)
        ps->p++;
}

static bool is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
           c == '@' || c == '_' || c == '-' || c == '.' || c == '#';
}

/* A bare word (property, operator word, true/false) into buf. */
static size_t word(parser *ps, char *buf, size_t size)
{
    skip_ws(ps);
    size_t n = 0;
    while (ps->p < ps->end && is_word_char(*ps->p)) {
        if (n + 1 >= size)
            return 0;
        buf[n++] = *ps->p++;
    }
    buf[n] = '\0';
    return n;
}

static int new_node(parser *ps)
{
    if (ps->out->count == DL_CRITERIA_NODES)
        return -1;
    dl_crit_node *n = &ps->out->nodes[ps->out->count];
    memset(n, 0, sizeof *n);
    return ps->out->count++;
}

static int parse_or(parser *ps);

static int parse_quoted(parser *ps, const char **value)
{
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != '"')
        return -1;
    ps->p++;
    dl_criteria *o = ps->out;
    char *dst = o->text + o->text_used;
    size_t room = sizeof o->text - o->text_used - 1;
    size_t n = 0;
    while (ps->p < ps->end && *ps->p != '"') {
        char c = *ps->p++;
        if (c == '\\') {
            if (ps->p >= ps->end || (*ps->p != '"' && *ps->p != '\\'))
                return -1;
            c = *ps->p++;
        }
        if (c == '\0' || n >= room)
            return -1;
        dst[n++] = c;
    }
    if (ps->p >= ps->end)
        return -1;
    ps->p++; /* closing quote */
    dst[n] = '\0';
    o->text_used += n + 1;
    *value = dst;
    return 0;
}

static int parse_rel(parser *ps)
{
    char prop[DL_CRITERIA_PROP];
    if (!word(ps, prop, sizeof prop))
        return -1;
    skip_ws(ps);
    dl_crit_op op;
    char opword[32];
    if (ps->p < ps->end && strchr("=!<>", *ps->p) && *ps->p) {
        char c = *ps->p++;
        bool eq = ps->p < ps->end && *ps->p == '=';
        if (eq)
            ps->p++;
        if (c == '=' && !eq)
            op = DL_OP_EQ;
        else if (c == '!' && eq)
            op = DL_OP_NE;
        else if (c == '<')
            op = eq ? DL_OP_LE : DL_OP_LT;
        else if (c == '>')
            op = eq ? DL_OP_GE : DL_OP_GT;
        else
            return -1;
    } else if (word(ps, opword, sizeof opword)) {
        if (!strcmp(opword, "contains"))
            op = DL_OP_CONTAINS;
        else if (!strcmp(opword, "doesNotContain"))
            op = DL_OP_NOT_CONTAINS;
        else if (!strcmp(opword, "derivedfrom"))
            op = DL_OP_DERIVED_FROM;
        else if (!strcmp(opword, "exists"))
            op = DL_OP_EXISTS;
        else
            return -1;
    } else {
        return -1;
    }
    const char *value;
    if (op == DL_OP_EXISTS) {
        char b[8];
        if (!word(ps, b, sizeof b))
            return -1;
        if (!strcmp(b, "true"))
            value = "true";
        else if (!strcmp(b, "false"))
            value = "false";
        else
            return -1;
    } else if (parse_quoted(ps, &value) < 0) {
        return -1;
    }
    int i = new_node(ps);
    if (i < 0)
        return -2;
    dl_crit_node *n = &ps->out->nodes[i];
    n->kind = DL_CRIT_REL;
    n->op = op;
    memcpy(n->prop, prop, sizeof prop);
    n->value = value;
    return i;
}

static int parse_primary(parser *ps)
{
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '(') {
        if (++ps->depth > DL_CRITERIA_DEPTH)
            return -2;
        ps->p++;
        int i = parse_or(ps);
        if (i < 0)
            return i;
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ')')
            return -1;
        ps->p++;
        ps->depth--;
        return i;
    }
    return parse_rel(ps);
}

/* Peeks for the word kw followed by something that is not a word char. */
static bool take_keyword(parser *ps, const char *kw)
{
    skip_ws(ps);
    size_t n = strlen(kw);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, kw, n))
        return false;
    if (ps->p + n < ps->end && is_word_char(ps->p[n]))
        return false;
    ps->p += n;
    return true;
}

static int join(parser *ps, dl_crit_kind kind, int a, int b)
{
    int i = new_node(ps);
    if (i < 0)
        return -2;
    ps->out->nodes[i].kind = kind;
    ps->out->nodes[i].a = a;
    ps->out->nodes[i].b = b;
    return i;
}

static int parse_and(parser *ps)
{
    int left = parse_primary(ps);
    while (left >= 0 && take_keyword(ps, "and")) {
        int right = parse_primary(ps);
        if (right < 0)
            return right;
        left = join(ps, DL_CRIT_AND, left, right);
    }
    return left;
}

static int parse_or(parser *ps)
{
    int left = parse_and(ps);
    while (left >= 0 && take_keyword(ps, "or")) {
        int right = parse_and(ps);
        if (right < 0)
            return right;
        left = join(ps, DL_CRIT_OR, left, right);
    }
    return left;
}

int dl_criteria_parse(const char *s, size_t len, dl_criteria *out, cu_err *err)
{
    out->count = 0;
    out->root = -1;
    out->text_used = 0;
    if (len > DL_CRITERIA_MAX)
        return cu_err_set(err, CU_ELIMIT, "SearchCriteria longer than %d bytes", DL_CRITERIA_MAX);
    parser ps = {.p = s, .end = s + len, .out = out, .err = err};
    skip_ws(&ps);
    if (ps.p < ps.end && *ps.p == '*') {
        ps.p++;
        skip_ws(&ps);
        if (ps.p != ps.end)
            return cu_err_set(err, CU_EPARSE, "SearchCriteria: text after '*'");
        int i = new_node(&ps);
        out->nodes[i].kind = DL_CRIT_ALL;
        out->root = i;
        return 0;
    }
    int root = parse_or(&ps);
    skip_ws(&ps);
    if (root == -2)
        return cu_err_set(err, CU_ELIMIT, "SearchCriteria too deep or too large");
    if (root < 0 || ps.p != ps.end)
        return cu_err_set(err, CU_EPARSE, "SearchCriteria: malformed at byte %zu",
                          (size_t)(ps.p - s));
    out->root = root;
    return 0;
}
