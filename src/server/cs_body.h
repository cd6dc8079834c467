/* cs_body: request bodies. The server reads at most CS_BODY_MAX bytes of
 * a POST, PUT, PATCH or DELETE body (413 beyond); the API takes JSON
 * objects only, parsed with jansson (duplicate keys refused, UTF-8
 * checked). Fuzzed (tests/fuzz/fuzz_body.c). */
#ifndef CS_BODY_H
#define CS_BODY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/cu_err.h"

#define CS_BODY_MAX (64 * 1024)
/* The watch routes' bodies (a position and a duration). */
#define CS_WATCH_BODY_MAX 4096
/* How far past its cap an announced body is still read (and dropped)
 * before the 413, so the client hears the answer; beyond, the answer
 * comes at once and the connection closes. */
#define CS_BODY_DRAIN_MAX (4 * 1024 * 1024)

/* A JSON object from data (len bytes; an empty body is an empty object).
 * content_type must be application/json (parameters allowed) when there
 * is a body: a form another site posts is not JSON. *out is a new
 * reference. CU_EPARSE with a message a client can act on otherwise. */
int cs_body_json(const char *content_type, const char *data, size_t len, json_t **out, cu_err *err);

/* Reads an optional member: a string of at most max bytes, a boolean.
 * 0 when absent (out untouched), 1 when read, CU_EINVAL when present with
 * another type or too long (err says which member). */
int cs_body_string(json_t *body, const char *name, size_t max, const char **out, cu_err *err);
int cs_body_bool(json_t *body, const char *name, bool *out, cu_err *err);

#endif
