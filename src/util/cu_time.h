/* cu_time: clocks. */
#ifndef CU_TIME_H
#define CU_TIME_H

#include <stdint.h>
#include <time.h>

/* Monotonic milliseconds, for durations and deadlines. */
int64_t cu_time_mono_ms(void);
/* Wall clock, seconds since the epoch. */
int64_t cu_time_now(void);
/* The moment ms milliseconds (0 or more) from now on clock (CLOCK_MONOTONIC
 * or CLOCK_REALTIME, the clock the condition variable waits on), as
 * pthread_cond_timedwait takes it. */
void cu_time_deadline(clockid_t clock, int64_t ms, struct timespec *out);

#endif
