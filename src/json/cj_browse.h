/* cj_browse: counted lists as JSON. */
#ifndef CJ_BROWSE_H
#define CJ_BROWSE_H

#include <jansson.h>

#include "catalog/cc_browse.h"

/* {"items":[{"name":..,"count":..}]} */
json_t *cj_count_list(const cc_count_list *list);

#endif
