/* cj_user: the JSON form of what the catalog keeps about people who use
 * the server: users, their sessions and API tokens, and watch state. */
#ifndef CJ_USER_H
#define CJ_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "catalog/cc_session.h"
#include "catalog/cc_user.h"
#include "catalog/cc_watch.h"
#include "util/cu_buf.h"

/* "2026-11-30T02:51:05Z" (UTC), or null for t <= 0. */
json_t *cj_time(int64_t t);
void cj_time_write(cu_buf *b, int64_t t);
/* {"id","name","admin"}, and with full the rest an admin sees (disabled,
 * roots or null for all, max_certification, created_at). */
json_t *cj_user(const cc_user *user, bool full);
/* One session or API token; current is the id of the asking session (a
 * browser session says whether it is that one). */
json_t *cj_session(const cc_session *session, int64_t current);
/* {"position","watched","play_count","last_played"}: written as text (the
 * films list's rows carry it), or as the same object through jansson. */
void cj_watch_write(cu_buf *b, const cc_watch *watch);
json_t *cj_watch(const cc_watch *watch);

#endif
