/* cc_setting: the server's own settings that outlive a restart, as named
 * text values (the admin's DLNA switch). Names are the callers' constants,
 * values at most CC_SETTING_VALUE_MAX bytes. */
#ifndef CC_SETTING_H
#define CC_SETTING_H

#include <stddef.h>

#include "catalog/cc_db.h"

#define CC_SETTING_VALUE_MAX 1024

/* The admin's DLNA switch (PUT /api/v1/dlna): "on" or "off". */
#define CC_SETTING_DLNA "dlna.enabled"

/* The value into out; CU_ENOTFOUND when never set (or the catalog predates
 * settings: an old file opened read-only). */
int cc_setting_get(cc_db *db, const char *name, char *out, size_t size, cu_err *err);
/* Sets it (a write: inside cc_writer_run). */
int cc_setting_set(cc_db *db, const char *name, const char *value, cu_err *err);

#endif
