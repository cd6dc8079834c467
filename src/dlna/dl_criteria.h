/* dl_criteria: the SearchCriteria grammar of ContentDirectory:1 (section
 * 2.5.5) parsed into a small tree:
 *   searchCrit := '*' | searchExp
 *   searchExp  := relExp | searchExp ('and'|'or') searchExp | '(' searchExp ')'
 *   relExp     := property binOp quotedVal | property 'exists' ('true'|'false')
 *   binOp      := '=' '!=' '<' '<=' '>' '>=' 'contains' 'doesNotContain' 'derivedfrom'
 * 'and' binds tighter than 'or'; quoted values escape '"' and '\' with '\'.
 * Pure and allocation-free (everything lives in the dl_criteria struct),
 * bounded, fuzzed (tests/fuzz/fuzz_criteria.c). The tree never becomes SQL
 * text: dl_search maps it to catalog conditions whose values are bound. */
#ifndef DL_CRITERIA_H
#define DL_CRITERIA_H

#include <stddef.h>

#include "util/cu_err.h"

#define DL_CRITERIA_MAX 4096 /* bytes of criteria text */
#define DL_CRITERIA_NODES 128
#define DL_CRITERIA_DEPTH 32 /* nested parentheses */
#define DL_CRITERIA_PROP 64  /* longest property name */

typedef enum { DL_CRIT_ALL, DL_CRIT_AND, DL_CRIT_OR, DL_CRIT_REL } dl_crit_kind;

typedef enum {
    DL_OP_EQ,
    DL_OP_NE,
    DL_OP_LT,
    DL_OP_LE,
    DL_OP_GT,
    DL_OP_GE,
    DL_OP_CONTAINS,
    DL_OP_NOT_CONTAINS,
    DL_OP_DERIVED_FROM,
    DL_OP_EXISTS,
} dl_crit_op;

typedef struct dl_crit_node {
    dl_crit_kind kind;
    dl_crit_op op;               /* REL */
    char prop[DL_CRITERIA_PROP]; /* REL: "dc:title", "upnp:class", "@refID" */
    const char *value;           /* REL: unescaped, in the struct's text; EXISTS: "true"/"false" */
    int a, b;                    /* AND, OR: node indexes */
} dl_crit_node;

typedef struct dl_criteria {
    dl_crit_node nodes[DL_CRITERIA_NODES];
    int count;
    int root;
    char text[DL_CRITERIA_MAX + 8]; /* unescaped values, NUL-separated */
    size_t text_used;
} dl_criteria;

/* 0, or CU_EPARSE (malformed) / CU_ELIMIT (too long, deep or large), with
 * a message in err. */
int dl_criteria_parse(const char *s, size_t len, dl_criteria *out, cu_err *err);

#endif
