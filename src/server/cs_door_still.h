/* cs_door_still: a still of a video file (one tile of its trickplay
 * sheets, cut out once into the cache) for a front door's items that have
 * no artwork of their own, such as a film's extras (cs_door_still.c). */
#ifndef CS_DOOR_STILL_H
#define CS_DOOR_STILL_H

#include <stdbool.h>
#include <stdint.h>

#include "server/cs_door.h"

/* Whether the file has a still (its trickplay sheets are made), and its
 * tag: 16 hex digits that change when the file does. The caller has
 * checked that the user may see the file. */
bool cs_door_still_tag(cs_request *req, int64_t file_id, char out[17]);
/* The still as image/jpeg (cut out on first use), or a 404 when the file
 * has none (yet). The caller has checked that the user may see the file. */
int cs_door_send_still(cs_request *req, int64_t file_id);

#endif
