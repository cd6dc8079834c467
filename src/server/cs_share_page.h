/* cs_share_page: the HTML of a share's public page, its embed page and
 * its plain pages (404, 410). Every text that comes from the catalog or
 * the share (title, note, the film's facts) is escaped for HTML text and
 * attributes here, once; the page carries no inline script or style (the
 * share CSP forbids both): its behaviour is web/share-page.js, reading
 * info.json. Pure: strings in, a malloc'd page out. */
#ifndef CS_SHARE_PAGE_H
#define CS_SHARE_PAGE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct cs_share_page_facts {
    const char *token;
    const char *title, *note;          /* the share's; NULL: none */
    const char *film_title, *director; /* NULL: unknown */
    int64_t year;                      /* 0: unknown */
    int64_t opens_at;
    const char *state;  /* "scheduled" | "live" */
    bool available;     /* the file is in the catalog */
    const char *origin; /* "http://host:port" for Open Graph; "" none */
    bool embed;         /* the player alone */
} cs_share_page_facts;

char *cs_share_page(const cs_share_page_facts *f);
char *cs_share_page_plain(const char *heading, const char *text);
/* Appends s escaped for HTML text and double-quoted attributes. */
struct cu_buf;
void cs_share_html_escape(struct cu_buf *b, const char *s);

#endif
