/* fuzz_soap: SOAP control bodies through libxml2 (dl_soap_parse). Beyond
 * memory errors: a parsed call has a terminated action and service and at
 * most DL_SOAP_ARGS arguments, each within DL_SOAP_ARG_MAX; and the reply
 * writer escapes whatever an argument held into well-formed text. */
#include "dlna/dl_soap.h"
#include "fuzz.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dl_soap_call call;
    cu_err err = {0};
    if (dl_soap_parse((const char *)data, size, &call, &err) == 0) {
        CHECK(strlen(call.action) < sizeof call.action);
        CHECK(call.arg_count <= DL_SOAP_ARGS);
        cu_buf out = {0};
        for (size_t i = 0; i < call.arg_count; i++) {
            CHECK(strlen(call.args[i].value) <= DL_SOAP_ARG_MAX);
            cu_buf_reset(&out);
            dl_xml_escape(&out, call.args[i].value);
            /* Escaped text holds no markup characters. */
            CHECK(!out.data ||
                  (!strchr(out.data, '<') && !strchr(out.data, '>') && !strchr(out.data, '"')));
        }
        cu_buf_free(&out);
    }
    dl_soap_call_clear(&call);
    return 0;
}
