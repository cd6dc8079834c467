/* cu_arena: a region allocator. Everything allocated from an arena is freed
 * at once with it, so a record with many strings and arrays (a film with its
 * credits, releases and files) has one owner and one free, not a mirror
 * free function per struct. Allocation failure aborts, as cu_xmalloc does.
 * Not thread-safe: one arena belongs to one record or one request. */
#ifndef CU_ARENA_H
#define CU_ARENA_H

#include <stddef.h>

typedef struct cu_arena cu_arena;

cu_arena *cu_arena_new(void);
/* Frees the arena and everything allocated from it; NULL is fine. */
void cu_arena_free(cu_arena *arena);

/* size bytes, zeroed, aligned for any type. */
void *cu_arena_alloc(cu_arena *arena, size_t size);
/* count * size bytes, zeroed; aborts on overflow. */
void *cu_arena_array(cu_arena *arena, size_t count, size_t size);
/* A copy of old's first old_count elements in a zeroed array of new_count
 * (the old array stays allocated until the arena goes). For arrays that
 * grow by doubling, the total waste is at most the final size. */
void *cu_arena_grow(cu_arena *arena, const void *old, size_t old_count, size_t new_count,
                    size_t size);
/* Copies of strings; NULL gives NULL. */
char *cu_arena_strdup(cu_arena *arena, const char *s);
char *cu_arena_strndup(cu_arena *arena, const char *s, size_t n);
/* Bytes handed out so far (for tests and statistics). */
size_t cu_arena_used(const cu_arena *arena);

#endif
