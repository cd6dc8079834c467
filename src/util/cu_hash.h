/* cu_hash: FNV-1a, for spreading keys, naming files after what they hold
 * and check values; not for anything an attacker must not forge. Both
 * take the hash so far (start from the _INIT value), so several pieces
 * hash as one run of bytes. */
#ifndef CU_HASH_H
#define CU_HASH_H

#include <stddef.h>
#include <stdint.h>

#define CU_HASH32_INIT 2166136261u
#define CU_HASH64_INIT 0xcbf29ce484222325ULL

uint32_t cu_hash32(uint32_t h, const void *data, size_t len);
uint64_t cu_hash64(uint64_t h, const void *data, size_t len);
/* The same job for n 64-bit integers, a word at a time (FNV a byte at a
 * time took most of a millisecond for 100,000 film ids): not FNV, so not
 * interchangeable with cu_hash64 over the same bytes. */
uint64_t cu_hash64_i64(uint64_t h, const int64_t *v, size_t n);

#endif
