/* dl_npt: the TimeSeekRange.dlna.org request header (DLNA 7.4.40: a
 * normal play time range), as a TV sends it to seek a transcoded stream by
 * time: "npt=2-", "npt=2.5-10", "npt=0:00:02.000-0:01:00.5", with an
 * optional "/duration" that is the server's to say and is ignored.
 * "npt=now-" (live streams) and byte ranges are not ours. Pure, no
 * allocation; fuzzed by tests/fuzz/fuzz_npt.c. */
#ifndef DL_NPT_H
#define DL_NPT_H

#include <stdbool.h>

/* Seconds into *from and *to (-1: to the end); false for anything else
 * (also an end not after the start). Numbers have at most 9 digits each
 * side of the point; H:MM:SS has minutes and seconds below 60. */
bool dl_npt_parse(const char *s, double *from, double *to);

#endif
