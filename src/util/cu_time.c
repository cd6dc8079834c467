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
