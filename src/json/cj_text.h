/* cj_text: the JSON module's small pieces (jansson). The json/ module
 * writes the JSON form of every catalog record once, for the CLI and every
 * front door of the server. */
#ifndef CJ_TEXT_H
#define CJ_TEXT_H

#include <jansson.h>
#include <stdint.h>

/* A string that is valid UTF-8 (odd bytes shown as U+FFFD; NULL as ""). */
json_t *cj_text(const char *s);
/* cj_text, or null for NULL and "". */
json_t *cj_text_or_null(const char *s);
/* fmt with id (one %lld) when present, else null. URLs name catalog ids
 * only; a client never sees a way to name a path. */
json_t *cj_url(int present, const char *fmt, int64_t id);
/* {"error":{"code":code,"message":message}} */
json_t *cj_error(const char *code, const char *message);

#endif
