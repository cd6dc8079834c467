/* fuzz_criteria: ContentDirectory SearchCriteria (dl_criteria_parse).
 * Beyond memory errors: a parsed tree has a root inside the node table,
 * children that point backwards (no cycles), and values inside the
 * struct's own text. */
#include "dlna/dl_criteria.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dl_criteria *c = malloc(sizeof *c);
    if (!c)
        return 0;
    cu_err err = {0};
    if (dl_criteria_parse((const char *)data, size, c, &err) == 0) {
        CHECK(c->root >= 0 && c->root < c->count && c->count <= DL_CRITERIA_NODES);
        for (int i = 0; i < c->count; i++) {
            const dl_crit_node *n = &c->nodes[i];
            if (n->kind == DL_CRIT_AND || n->kind == DL_CRIT_OR)
                CHECK(n->a >= 0 && n->a < i && n->b >= 0 && n->b < i);
            if (n->kind == DL_CRIT_REL && n->op != DL_OP_EXISTS)
                CHECK(n->value >= c->text && n->value < c->text + sizeof c->text);
        }
    }
    free(c);
    return 0;
}
