/* cu_log: leveled logging to stderr. Only cli/ and the server decide
 * the level; library code logs sparingly and returns errors instead. */
#ifndef CU_LOG_H
#define CU_LOG_H

typedef enum { CU_LOG_ERROR, CU_LOG_WARN, CU_LOG_INFO, CU_LOG_DEBUG } cu_log_level;

/* Set once by main before threads start. */
void cu_log_set_level(cu_log_level level);
cu_log_level cu_log_get_level(void);
void cu_log(cu_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
