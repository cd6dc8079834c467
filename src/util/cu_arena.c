/* cu_arena: blocks of growing size, bump allocation inside each; an
 * allocation too big for a block gets a block of its own. */
#include "util/cu_arena.h"
#include "util/cu_str.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_BLOCK 2048
#define MAX_BLOCK (64 * 1024)

typedef struct block {
    struct block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} block;

struct cu_arena {
    block *head;
    size_t next_size, handed_out;
};

cu_arena *cu_arena_new(void)
{
    cu_arena *a = cu_xcalloc(1, sizeof *a);
    a->next_size = FIRST_BLOCK;
    return a;
}

void cu_arena_free(cu_arena *a)
{
    if (!a)
        return;
    block *b = a->head;
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

static block *new_block(cu_arena *a, size_t min)
{
    size_t size = a->next_size;
    if (size < min)
        size = min;
    if (size > SIZE_MAX - sizeof(block))
        abort();
    block *b = cu_xmalloc(sizeof(block) + size);
    b->size = size;
    b->used = 0;
    if (a->next_size < MAX_BLOCK)
        a->next_size *= 2;
    return b;
}

void *cu_arena_alloc(cu_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - align)
        abort();
    size_t rounded = (size + align - 1) & ~(align - 1);
    block *b = a->head;
    if (!b || b->size - b->used < rounded) {
        block *fresh = new_block(a, rounded);
        if (b && rounded > MAX_BLOCK / 4) {
            /* A big allocation gets its own block behind the current one,
             * which keeps serving small ones. */
            fresh->next = b->next;
            b->next = fresh;
        } else {
            fresh->next = b;
            a->head = fresh;
        }
        b = fresh;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    a->handed_out += size;
    memset(p, 0, size);
    return p;
}

void *cu_arena_array(cu_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        abort();
    return cu_arena_alloc(a, count * size);
}

void *cu_arena_grow(cu_arena *a, const void *old, size_t old_count, size_t new_count, size_t size)
{
    void *p = cu_arena_array(a, new_count, size);
    if (old && old_count)
        memcpy(p, old, (old_count < new_count ? old_count : new_count) * size);
    return p;
}

char *cu_arena_strndup(cu_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    char *p = cu_arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *cu_arena_strdup(cu_arena *a, const char *s)
{
    return s ? cu_arena_strndup(a, s, strlen(s)) : NULL;
}

size_t cu_arena_used(const cu_arena *a)
{
    return a->handed_out;
}
