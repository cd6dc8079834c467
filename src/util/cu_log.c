/* cu_log: one line per message, whole lines written atomically. */
#include "util/cu_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static cu_log_level current_level = CU_LOG_WARN;

void cu_log_set_level(cu_log_level level)
{
    current_level = level;
}

cu_log_level cu_log_get_level(void)
{
    return current_level;
}

void cu_log(cu_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (level > current_level)
        return;
    char line[2048];
    int n = snprintf(line, sizeof line, "cinemateca: %s: ", names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    /* One write() per line keeps lines from threads whole. */
    ssize_t ignored = write(STDERR_FILENO, line, len);
    (void)ignored;
}
