/* dl_npt: see dl_npt.h. */
#include "dlna/dl_npt.h"

#include <string.h>

bool dl_npt_parse(const char *s, double *from, double *to)
{
    while (*s == ' ')
        s++;
    if (strncmp(s, "npt=", 4))
        return false;
    s += 4;
    double t[2] = {-1, -1};
    for (int k = 0; k < 2; k++) {
        if (k == 1 && (*s == '\0' || *s == '/' || *s == ' '))
            break; /* open end */
        double parts[3] = {0};
        int n = 0;
        for (;;) {
            if (*s < '0' || *s > '9')
                return false;
            double v = 0;
            int digits = 0;
            while (*s >= '0' && *s <= '9') {
                if (++digits > 9)
                    return false;
                v = v * 10 + (*s++ - '0');
            }
            if (*s == '.') {
                double scale = 0.1;
                s++;
                if (*s < '0' || *s > '9')
                    return false;
                for (int d = 0; *s >= '0' && *s <= '9'; s++, d++) {
                    if (d >= 9)
                        return false;
                    v += (*s - '0') * scale;
                    scale /= 10;
                }
                parts[n++] = v;
                break; /* a fraction ends the time */
            }
            parts[n++] = v;
            if (*s != ':' || n == 3)
                break;
            s++;
        }
        /* H:M:S has minutes and seconds below 60 (and the fraction on S). */
        if (n == 3 && (parts[1] >= 60 || parts[2] >= 60))
            return false;
        if (n == 2)
            return false;
        t[k] = n == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2] : parts[0];
        if (k == 0) {
            if (*s != '-')
                return false;
            s++;
        }
    }
    /* An instance duration ("/10.5") may follow; it is the server's to say. */
    if (*s == '/') {
        s++;
        while ((*s >= '0' && *s <= '9') || *s == '.' || *s == ':' || *s == '*')
            s++;
    }
    while (*s == ' ')
        s++;
    if (*s || (t[1] >= 0 && t[1] <= t[0]))
        return false;
    *from = t[0];
    *to = t[1];
    return true;
}
