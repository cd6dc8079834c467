/* fuzz_cursor: the films list's ?after= tokens (cc_cursor). Whatever a
 * token says, decoding it either refuses it or gives a key that encodes
 * back to the same token (so nothing is read that the check did not
 * cover), within the key's bounds. */
#include "fuzz.h"
#include "catalog/cc_cursor.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *token = malloc(size + 1);
    if (!token)
        return 0;
    memcpy(token, data, size);
    token[size] = '\0';
    cc_film_key key;
    cu_err err = {0};
    if (cc_cursor_decode(token, &key, &err) == 0) {
        CHECK(key.count > 0 && key.count <= CC_KEY_TERMS);
        for (int i = 0; i < key.count; i++)
            if (key.values[i].type == CC_KEY_TEXT)
                CHECK(strlen(key.values[i].text) <= CC_KEY_TEXT_MAX);
        char *again = cc_cursor_encode(&key);
        CHECK(!strcmp(again, token));
        free(again);
        cc_film_key_clear(&key);
    } else {
        CHECK(err.code == CU_EINVAL && err.msg[0]);
    }
    free(token);
    return 0;
}
