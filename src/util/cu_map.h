/* cu_map: a string-keyed hash map (open addressing, linear probing).
 * Keys are copied; values are the caller's pointers. Not thread-safe. */
#ifndef CU_MAP_H
#define CU_MAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cu_map cu_map;

cu_map *cu_map_new(void);
void cu_map_free(cu_map *map);
/* Sets key to value, replacing any value already there (returned in *old
 * when old is not NULL). */
void cu_map_put(cu_map *map, const char *key, void *value, void **old);
void *cu_map_get(const cu_map *map, const char *key);
bool cu_map_has(const cu_map *map, const char *key);
/* Removes key; returns its value or NULL. */
void *cu_map_remove(cu_map *map, const char *key);
size_t cu_map_count(const cu_map *map);
/* Iterates entries: start with *pos = 0; returns false at the end. */
bool cu_map_next(const cu_map *map, size_t *pos, const char **key, void **value);

#endif
