/* cu_hash: FNV-1a, 32 and 64 bits. */
#include "util/cu_hash.h"

uint32_t cu_hash32(uint32_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

uint64_t cu_hash64(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

uint64_t cu_hash64_i64(uint64_t h, const int64_t *v, size_t n)
{
    /* Each word folded in and the state mixed by the 64-bit finaliser of
     * MurmurHash3. */
    h ^= n;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint64_t)v[i];
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
    }
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}
