/* cu_err: how every module reports a failure without printing it.
 * Functions return 0 or a negative code; the detail goes into a cu_err the
 * caller owns and may log. */
#ifndef CU_ERR_H
#define CU_ERR_H

#include <stddef.h>

enum {
    CU_OK = 0,
    /* Negative errno values (-ENOENT, -ENOMEM, ...) are used as they are. */
    CU_EPARSE = -1000, /* input did not parse */
    CU_EMEDIA = -1001, /* libav* could not read or decode the file */
    CU_EDB = -1002,    /* SQLite reported an error */
    CU_ELIMIT = -1003, /* a bound (size, count, time) was exceeded */
    CU_EINVAL = -1004, /* caller passed something invalid */
    CU_ENOTFOUND = -1005,
    CU_EBUSY = -1006,
    CU_EPENDING = -1010, /* being made in the background: ask again (or wait) */
};

typedef struct cu_err {
    int code;
    char msg[512];
} cu_err;

/* Records code and a printf-style message; returns code so callers can
 * write `return cu_err_set(err, CU_EPARSE, "...")`. err may be NULL. */
int cu_err_set(cu_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cu_err_clear(cu_err *err);
/* A short name for a code ("parse error", "No such file or directory"). */
const char *cu_err_name(int code);

#endif
