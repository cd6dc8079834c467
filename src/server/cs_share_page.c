/* cs_share_page: see cs_share_page.h. */
#include "server/cs_share_page.h"
#include "util/cu_buf.h"
#include "util/cu_when.h"

#include <stdio.h>
#include <string.h>

void cs_share_html_escape(cu_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': cu_buf_puts(b, "&amp;"); break;
        case '<': cu_buf_puts(b, "&lt;"); break;
        case '>': cu_buf_puts(b, "&gt;"); break;
        case '"': cu_buf_puts(b, "&quot;"); break;
        case '\'': cu_buf_puts(b, "&#39;"); break;
        default: cu_buf_putc(b, *s);
        }
    }
}

static void meta(cu_buf *b, const char *attr, const char *name, const char *content)
{
    cu_buf_printf(b, "<meta %s=\"%s\" content=\"", attr, name);
    cs_share_html_escape(b, content);
    cu_buf_puts(b, "\">\n");
}

static void head(cu_buf *b, const char *title)
{
    cu_buf_puts(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"robots\" content=\"noindex\">\n"
                   "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    cs_share_html_escape(b, title);
    cu_buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"/share.css\">\n");
}

char *cs_share_page_plain(const char *heading, const char *text)
{
    cu_buf b = CU_BUF_INIT;
    head(&b, heading);
    cu_buf_puts(&b, "</head>\n<body class=\"share-page share-plain\">\n<main>\n<h1>");
    cs_share_html_escape(&b, heading);
    cu_buf_puts(&b, "</h1>\n<p>");
    cs_share_html_escape(&b, text);
    cu_buf_puts(&b, "</p>\n</main>\n</body>\n</html>\n");
    return cu_buf_take(&b);
}

char *cs_share_page(const cs_share_page_facts *f)
{
    cu_buf b = CU_BUF_INIT;
    const char *title = f->title ? f->title : f->film_title ? f->film_title : "A shared film";
    char film_line[600] = "";
    if (f->film_title) {
        int n = snprintf(film_line, sizeof film_line, "%s", f->film_title);
        if (f->year > 0 && n > 0 && (size_t)n < sizeof film_line)
            n += snprintf(film_line + n, sizeof film_line - (size_t)n, " (%lld)",
                          (long long)f->year);
        if (f->director && n > 0 && (size_t)n < sizeof film_line)
            snprintf(film_line + n, sizeof film_line - (size_t)n, ", directed by %s", f->director);
    }
    const char *description = f->note ? f->note : film_line;
    bool live = !strcmp(f->state, "live") && f->available;
    head(&b, title);
    /* Link previews in chat apps: title, description, the poster while live. */
    meta(&b, "property", "og:type", "video.other");
    meta(&b, "property", "og:title", title);
    meta(&b, "property", "og:description", description);
    meta(&b, "name", "description", description);
    meta(&b, "name", "twitter:card", live ? "summary_large_image" : "summary");
    meta(&b, "name", "twitter:title", title);
    meta(&b, "name", "twitter:description", description);
    if (f->origin && *f->origin) {
        char url[400];
        snprintf(url, sizeof url, "%s/s/%s", f->origin, f->token);
        meta(&b, "property", "og:url", url);
        if (live) {
            snprintf(url, sizeof url, "%s/s/%s/poster.jpg", f->origin, f->token);
            meta(&b, "property", "og:image", url);
            meta(&b, "name", "twitter:image", url);
        }
    }
    cu_buf_puts(&b, "<script src=\"/vendor/hls.min.js\" defer></script>\n"
                    "<script type=\"module\" src=\"/share-page.js\"></script>\n</head>\n");
    cu_buf_printf(&b, "<body class=\"share-page%s\" data-token=\"", f->embed ? " share-embed" : "");
    cs_share_html_escape(&b, f->token);
    char opens[32];
    cu_when_format(f->opens_at, opens, sizeof opens);
    cu_buf_printf(&b, "\" data-opens=\"%s\" data-available=\"%s\">\n<main>\n", opens,
                  f->available ? "yes" : "no");
    if (!f->embed) {
        cu_buf_puts(&b, "<h1 id=\"share-title\">");
        cs_share_html_escape(&b, title);
        cu_buf_puts(&b, "</h1>\n");
        if (*film_line) {
            cu_buf_puts(&b, "<p class=\"share-film\">");
            cs_share_html_escape(&b, film_line);
            cu_buf_puts(&b, "</p>\n");
        }
    }
    cu_buf_puts(&b, "<div id=\"share-player\" class=\"share-player\"></div>\n"
                    "<p id=\"share-status\" class=\"share-status\" role=\"status\">");
    if (!f->available)
        cu_buf_puts(&b, "This film is no longer available.");
    cu_buf_puts(&b, "</p>\n");
    if (!f->embed && f->note) {
        cu_buf_puts(&b, "<p id=\"share-note\" class=\"share-note\">");
        cs_share_html_escape(&b, f->note);
        cu_buf_puts(&b, "</p>\n");
    }
    cu_buf_puts(&b, "</main>\n</body>\n</html>\n");
    return cu_buf_take(&b);
}
