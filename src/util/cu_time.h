/* cu_time: clocks. */
#ifndef CU_TIME_H
#define CU_TIME_H

#include <stdint.h>

/* Monotonic milliseconds, for durations and deadlines. */
int64_t cu_time_mono_ms(void);
/* Wall clock, seconds since the epoch. */
int64_t cu_time_now(void);

#endif
