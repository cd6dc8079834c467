/* dl_didl: DIDL-Lite documents (ContentDirectory:1 section 2.8): the
 * containers of the tree and the video items, every string escaped.
 * base is "http://ADDRESS:PORT" as the client reached us; resource and
 * artwork URLs are built on it. */
#ifndef DL_DIDL_H
#define DL_DIDL_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_browse.h"
#include "catalog/cc_film.h"
#include "util/cu_buf.h"

void dl_didl_begin(cu_buf *out);
void dl_didl_end(cu_buf *out);

/* A plain folder; child_count < 0: not stated. */
void dl_didl_folder(cu_buf *out, const char *id, const char *parent, const char *title,
                    int64_t child_count);
/* A film as a container (from a film list row); child_count < 0: not
 * stated. */
void dl_didl_film_container(cu_buf *out, const char *parent, const cc_film_item *film,
                            int64_t child_count, const char *base);
/* One playable file of a film: a main file (a movie) or an extra. */
/* resume: the viewer's position in seconds (0: none), given as
 * upnp:lastPlaybackPosition and Samsung's bookmark. */
void dl_didl_item(cu_buf *out, const char *id, const char *parent, const char *title, bool movie,
                  const cc_film *film, const cc_file *file, double resume, const char *base);

#endif
