/* cu_tmp: temporaries left behind. Files are written as NAME.tmp.PID[.N]
 * and renamed into place; a process killed mid-write (kill -9, power
 * loss) leaves its temporary forever unless someone sweeps it. */
#ifndef CU_TMP_H
#define CU_TMP_H

#include <stddef.h>

/* A temporary counts as stale when no process PID is running, or when it
 * is older than this (a live process writes one in seconds; a PID reused
 * by a later process must not keep it forever). */
#define CU_TMP_STALE_SECONDS 3600

/* Removes the stale temporaries (regular files named *.tmp.PID or
 * *.tmp.PID.N) directly in dir; other files are left alone. Returns how
 * many were removed (0 when dir is missing). */
size_t cu_tmp_sweep(const char *dir);

#endif
