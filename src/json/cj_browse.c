/* cj_browse: counted lists (festivals, genres) as JSON. */
#include "json/cj_browse.h"
#include "json/cj_text.h"

json_t *cj_count_list(const cc_count_list *list)
{
    json_t *items = json_array();
    for (size_t i = 0; i < list->count; i++)
        json_array_append_new(items, json_pack("{s:o, s:I}", "name", cj_text(list->items[i].name),
                                               "count", (json_int_t)list->items[i].count));
    return json_pack("{s:o}", "items", items);
}
