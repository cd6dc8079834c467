/* cu_year: film years and dates (cu_year.h). */
#include "util/cu_year.h"

#include <string.h>

/* The n digits at s as a number; -1 when one is not a digit. */
static int number(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int cu_year_leading(const char *s)
{
    int year = s && strnlen(s, 4) == 4 ? number(s, 4) : -1;
    return year < 0 ? 0 : year;
}

bool cu_date_valid(const char *s)
{
    size_t len = strlen(s);
    if (len != 4 && len != 7 && len != 10)
        return false;
    int year = number(s, 4);
    if (year < CU_YEAR_MIN || year > CU_YEAR_MAX)
        return false;
    if (len >= 7) {
        int month = s[4] == '-' ? number(s + 5, 2) : -1;
        if (month < 1 || month > 12)
            return false;
    }
    if (len == 10) {
        int day = s[7] == '-' ? number(s + 8, 2) : -1;
        if (day < 1 || day > 31)
            return false;
    }
    return true;
}
