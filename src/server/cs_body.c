/* cs_body: JSON request bodies. */
#include "server/cs_body.h"
#include "util/cu_str.h"

#include <string.h>
#include <strings.h>

static bool is_json_type(const char *type)
{
    if (!type)
        return false;
    while (*type == ' ')
        type++;
    static const char json_type[] = "application/json";
    size_t n = sizeof json_type - 1;
    if (strncasecmp(type, json_type, n))
        return false;
    return type[n] == '\0' || type[n] == ';' || type[n] == ' ';
}

int cs_body_json(const char *content_type, const char *data, size_t len, json_t **out, cu_err *err)
{
    *out = NULL;
    if (len > CS_BODY_MAX)
        return cu_err_set(err, CU_ELIMIT, "the body is larger than %d bytes", CS_BODY_MAX);
    if (len == 0 || !data) {
        *out = json_object();
        return 0;
    }
    if (!is_json_type(content_type))
        return cu_err_set(err, CU_EPARSE, "the body must be JSON (Content-Type: application/json)");
    if (!cu_utf8_valid(data, len))
        return cu_err_set(err, CU_EPARSE, "the body is not UTF-8");
    json_error_t jerr;
    json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v)
        return cu_err_set(err, CU_EPARSE, "the body is not valid JSON: %.200s", jerr.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return cu_err_set(err, CU_EPARSE, "the body must be a JSON object");
    }
    *out = v;
    return 0;
}

int cs_body_string(json_t *body, const char *name, size_t max, const char **out, cu_err *err)
{
    json_t *v = json_object_get(body, name);
    if (!v)
        return 0;
    if (!json_is_string(v))
        return cu_err_set(err, CU_EINVAL, "%s must be a string", name);
    if (json_string_length(v) > max)
        return cu_err_set(err, CU_EINVAL, "%s is longer than %zu bytes", name, max);
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v))
        return cu_err_set(err, CU_EINVAL, "%s holds a NUL character", name);
    *out = s;
    return 1;
}

int cs_body_bool(json_t *body, const char *name, bool *out, cu_err *err)
{
    json_t *v = json_object_get(body, name);
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return cu_err_set(err, CU_EINVAL, "%s must be true or false", name);
    *out = json_is_true(v);
    return 1;
}
