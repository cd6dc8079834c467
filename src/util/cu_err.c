/* cu_err: error codes and messages returned by every module. */
#include "util/cu_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cu_err_set(cu_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void cu_err_clear(cu_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

const char *cu_err_name(int code)
{
    switch (code) {
    case CU_OK: return "ok";
    case CU_EPARSE: return "parse error";
    case CU_EMEDIA: return "media error";
    case CU_EDB: return "database error";
    case CU_ELIMIT: return "limit exceeded";
    case CU_EINVAL: return "invalid argument";
    case CU_ENOTFOUND: return "not found";
    case CU_EBUSY: return "busy";
    case CU_EPENDING: return "pending";
    default: return code < 0 && code > -4096 ? strerror(-code) : "unknown error";
    }
}
