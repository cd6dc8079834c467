/* cu_time: monotonic and wall clocks. */
#include "util/cu_time.h"

#include <time.h>

int64_t cu_time_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t cu_time_now(void)
{
    return (int64_t)time(NULL);
}

void cu_time_deadline(clockid_t clock, int64_t ms, struct timespec *out)
{
    clock_gettime(clock, out);
    if (ms < 0)
        ms = 0;
    out->tv_sec += (time_t)(ms / 1000);
    out->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (out->tv_nsec >= 1000000000L) {
        out->tv_sec++;
        out->tv_nsec -= 1000000000L;
    }
}
