/* cu_when: the times people type for a share's opening and closing, and
 * the clip times of a film.
 *   "now", "+1h", "+30m", "+45s", "+2d", "-10m"      relative to now
 *   "2026-11-30T18:00:00+01:00", "...Z", "...+0100"  ISO 8601 with an offset
 *   "2026-11-30T18:00+01:00"                         seconds may be left out
 * A time without an offset is refused: it would mean a different moment
 * on the server and on the viewer's side. Pure; no allocation. */
#ifndef CU_WHEN_H
#define CU_WHEN_H

#include <stddef.h>
#include <stdint.h>

/* Parses s into epoch seconds. 0, or CU_EPARSE for anything else (out
 * untouched). Years 1970 to 9999; offsets within +-18:00. */
int cu_when_parse(const char *s, int64_t now, int64_t *out);

/* "HH:MM:SS", "MM:SS", "SS", each with an optional ".mmm" (at most three
 * digits), into milliseconds. Minutes and seconds below 60 after the first
 * field; at most 999 hours. CU_EPARSE otherwise. */
int cu_when_clock_ms(const char *s, int64_t *ms);

/* "2026-11-30T17:00:00Z" (UTC) into out (at least 21 bytes). */
void cu_when_format(int64_t t, char *out, size_t size);
/* "00:12:30" or "00:12:30.250" into out (at least 16 bytes). */
void cu_when_format_clock(int64_t ms, char *out, size_t size);

#endif
