/* fuzz_body: request bodies (cs_body: JSON objects only, size-capped,
 * UTF-8) and the members the API reads from them; the signed-URL parser
 * (cs_sign) on the same bytes, and the playlist rewriter. */
#include "fuzz.h"
#include "server/cs_body.h"
#include "server/cs_sign.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *body = NULL;
    cu_err err = {0};
    if (cs_body_json("application/json", (const char *)data, size, &body, &err) == 0) {
        CHECK(json_is_object(body));
        const char *name = NULL;
        bool admin = false;
        if (cs_body_string(body, "name", 64, &name, &err) == 1)
            CHECK(name && strlen(name) <= 64);
        cs_body_bool(body, "admin", &admin, &err);
        json_decref(body);
    } else {
        CHECK(body == NULL);
    }
    /* Not JSON by its type: refused whatever the bytes. */
    if (size)
        CHECK(cs_body_json("text/plain", (const char *)data, size, &body, &err) < 0);

    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static const unsigned char key[CS_SIGN_KEY_BYTES] = {1, 2, 3};
    int64_t user, generation;
    if (cs_sign_check(key, 7, text, 0, &user, &generation) == 0) {
        /* Only a signature made with the key passes: remake and compare. */
        char again[CS_SIG_MAX];
        const char *dot = strchr(text, '.');
        CHECK(dot != NULL);
        cs_sign_make(key, 7, user, strtoll(dot + 1, NULL, 10), generation, again);
        CHECK(!strcmp(again, text));
    }
    char *rewritten = cs_sign_playlist(text, "1.2.3.abc");
    if (rewritten) {
        CHECK(strlen(rewritten) >= strlen(text));
        free(rewritten);
    }
    free(text);
    return 0;
}
