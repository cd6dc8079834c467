/* cs_view: what a viewer is shown of records an admin sees whole. */
#include "server/cs_internal.h"

#include <string.h>

/* Walks value: every "path" member goes (absolute paths tell where the
 * library lives), and a file's probe error text (it quotes paths and
 * library internals) becomes a plain sentence. */
static void strip(json_t *v, int depth)
{
    if (depth > 16)
        return;
    if (json_is_object(v)) {
        json_object_del(v, "path");
        json_t *error = json_object_get(v, "error");
        if (error && json_is_string(error) && json_object_get(v, "id"))
            json_object_set_new(v, "error", json_string("the file could not be read"));
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member) strip(member, depth + 1);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) strip(item, depth + 1);
    }
}

void cs_json_strip_private(json_t *value)
{
    strip(value, 0);
}
