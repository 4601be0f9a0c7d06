/* hash.c — sizing, allocating and growing hash indexes (hash.h). */
#include "hash.h"

#include <string.h>

uint32_t hash_capacity(uint32_t n)
{
    uint64_t cap = 8;
    while (cap < 2 * (uint64_t)n)
        cap *= 2;
    return cap > (1u << 31) ? 0 : (uint32_t)cap;
}

void hash_index_over(hash_index *ix, uint32_t *slots, uint32_t capacity)
{
    ix->slots = slots;
    ix->mask = capacity - 1;
    ix->count = 0;
}

bool hash_index_alloc(hash_index *ix, uint32_t n, const rubric_allocator *alloc)
{
    memset(ix, 0, sizeof *ix);
    uint32_t cap = hash_capacity(n);
    uint32_t *slots = cap ? mem_calloc(alloc, cap, sizeof *slots) : NULL;
    if (!slots)
        return false;
    hash_index_over(ix, slots, cap);
    return true;
}

void hash_index_free(hash_index *ix, const rubric_allocator *alloc)
{
    if (ix->slots)
        mem_free(alloc, ix->slots, ((size_t)ix->mask + 1) * sizeof *ix->slots);
    memset(ix, 0, sizeof *ix);
}

bool hash_index_grow(hash_index *ix, const rubric_allocator *alloc,
                     uint32_t (*hash_of)(const void *ctx, uint32_t entry), const void *ctx)
{
    hash_index bigger;
    uint32_t want = ix->slots ? ix->mask + 1 : 4; /* entries: half the new slots */
    if (!hash_index_alloc(&bigger, want, alloc))
        return false;
    for (uint32_t i = 0; ix->slots && i <= ix->mask; i++)
        if (ix->slots[i])
            hash_index_put(&bigger, hash_of(ctx, ix->slots[i] - 1), ix->slots[i] - 1);
    hash_index_free(ix, alloc);
    *ix = bigger;
    return true;
}
