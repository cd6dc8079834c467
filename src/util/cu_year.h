/* cu_year: the years a film may have and the dates written with them, in
 * one place for the scanner, the .nfo reader and the editor. */
#ifndef CU_YEAR_H
#define CU_YEAR_H

#include <stdbool.h>

/* A film's year: from the first moving pictures to a bound that keeps
 * typos ("20222") out. Plain literals: messages name them (CU_YEAR_TEXT). */
#define CU_YEAR_MIN 1870
#define CU_YEAR_MAX 2200
/* A year read from a file name or a tag: a four-digit number past this is
 * more likely part of the title ("2150 A.D."). */
#define CU_YEAR_NAME_MAX 2100

#define CU_YEAR_TEXT_(x) #x
#define CU_YEAR_TEXT(x) CU_YEAR_TEXT_(x)

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD": digits and dashes only, the year
 * from CU_YEAR_MIN to CU_YEAR_MAX, month 1-12, day 1-31. */
bool cu_date_valid(const char *s);
/* The year s starts with ("1999-05-01", "1999"): its first four
 * characters when they are digits, else 0. No bounds checked. */
int cu_year_leading(const char *s);

#endif
