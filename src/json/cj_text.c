/* cj_text: the pieces every JSON form is made of: text that is always
 * valid UTF-8, URLs that name catalog ids, the error object. */
#include "json/cj_text.h"
#include "util/cu_str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* JSON needs UTF-8: names that are not (odd file names) are shown with
 * U+FFFD for the bytes that do not decode. */
json_t *cj_text(const char *s)
{
    if (!s)
        s = "";
    json_t *j = json_string(s);
    if (!j) {
        char *fixed = cu_utf8_repair(s, strlen(s));
        j = json_string(fixed);
        free(fixed);
    }
    return j;
}

json_t *cj_text_or_null(const char *s)
{
    return s && *s ? cj_text(s) : json_null();
}

/* URLs name catalog ids only; a client never sees a way to name a path. */
json_t *cj_url(int present, const char *fmt, int64_t id)
{
    if (!present)
        return json_null();
    char url[96];
    snprintf(url, sizeof url, fmt, (long long)id);
    return json_string(url);
}

json_t *cj_error(const char *code, const char *message)
{
    return json_pack("{s:{s:s, s:o}}", "error", "code", code, "message",
                     cj_text(message ? message : ""));
}
