/* jf_door: the Jellyfin-compatible API as a front door of the HTTP core
 * (issue 14): its paths (/System, /Users, /Items, /Videos, ...) matched
 * case-insensitively at the root, its credentials read in every form its
 * clients send, its routes translated to catalog and playback calls. */
#ifndef JF_DOOR_H
#define JF_DOOR_H

#include "server/cs_door.h"

/* The door (static, shared by every server). */
const cs_door *jf_door(void);

/* Whether a raw request target is one of the door's (exposed for tests). */
bool jf_door_match(const char *target);

#endif
