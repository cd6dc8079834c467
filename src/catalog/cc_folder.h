/* cc_folder: library folders added at run time (from the web app's admin
 * page), kept in the catalog; the server scans them besides the ones
 * given on the command line. */
#ifndef CC_FOLDER_H
#define CC_FOLDER_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/cc_db.h"

int cc_folder_add(cc_db *db, const char *path, int64_t now, cu_err *err);
/* CU_ENOTFOUND when path was not added at run time. */
int cc_folder_remove(cc_db *db, const char *path, cu_err *err);
/* Roots added at run time, by path (*paths malloc'd, each malloc'd). */
int cc_folder_list(cc_db *db, char ***paths, size_t *count, cu_err *err);
/* Roots that files in the catalog were found under. */
int cc_folder_known(cc_db *db, char ***paths, size_t *count, cu_err *err);
void cc_folder_list_free(char **paths, size_t count);

#endif
