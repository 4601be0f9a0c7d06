/*
 * hash.h — the one hash function and the one hash table of the project.
 *
 * hash_bytes is 32-bit FNV-1a; hash_mix spreads an integer key (or a
 * weak hash) over all bits.
 *
 * hash_index is an open-addressing table of entry numbers: the caller keeps
 * its entries (names, values, chunks) in an array of its own and the table
 * maps a hash to the candidates, which the caller compares.  One slot per
 * entry plus at least as many empty ones; linear probing; no deletion.
 * Its slots come from an allocator (hash_index_alloc) or from memory the
 * caller owns, zeroed (hash_index_over: an arena, a carved block).
 *
 *     for (uint32_t i = hash_first(ix, h); ix->slots[i]; i = hash_next(ix, i))
 *         if (matches(entries[ix->slots[i] - 1]))
 *             return ix->slots[i] - 1;
 */
#ifndef RUBRIC_HASH_H
#define RUBRIC_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

/* FNV-1a of len bytes. */
static inline uint32_t hash_bytes(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

/* FNV-1a of a NUL-terminated string. */
static inline uint32_t hash_string(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Feed one more word into an FNV-1a hash (for keys made of numbers). */
static inline uint32_t hash_step(uint32_t h, uint32_t word)
{
    return (h ^ word) * 16777619u;
}

/* A 64-bit finalizer (MurmurHash3's): every input bit reaches the low bits
 * that pick a slot. */
static inline uint64_t hash_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

typedef struct hash_index {
    uint32_t *slots; /* entry + 1; 0 = empty */
    uint32_t mask;   /* slots - 1 (a power of two minus one) */
    uint32_t count;  /* entries put */
} hash_index;

/* Slots for n entries: a power of two at least twice n, at least 8.  0 when
 * n is too large for 32-bit slots. */
uint32_t hash_capacity(uint32_t n);

/* Room for n entries from alloc; false when out of memory or too large. */
bool hash_index_alloc(hash_index *ix, uint32_t n, const rubric_allocator *alloc);
void hash_index_free(hash_index *ix, const rubric_allocator *alloc);

/* Use `capacity` zeroed slots the caller owns (capacity from hash_capacity). */
void hash_index_over(hash_index *ix, uint32_t *slots, uint32_t capacity);

/* Whether one more entry keeps at least half the slots empty. */
static inline bool hash_index_has_room(const hash_index *ix)
{
    return ix->slots && (uint64_t)(ix->count + 1) * 2 <= (uint64_t)ix->mask + 1;
}

/* Double the slots (from alloc), putting the entries back by their hashes:
 * hash_of(ctx, entry).  False when out of memory (the index is unchanged). */
bool hash_index_grow(hash_index *ix, const rubric_allocator *alloc,
                     uint32_t (*hash_of)(const void *ctx, uint32_t entry), const void *ctx);

static inline uint32_t hash_first(const hash_index *ix, uint32_t h)
{
    return h & ix->mask;
}

static inline uint32_t hash_next(const hash_index *ix, uint32_t i)
{
    return (i + 1) & ix->mask;
}

/* Put entry under hash h (the caller has checked it is not there, and that
 * there is room). */
static inline void hash_index_put(hash_index *ix, uint32_t h, uint32_t entry)
{
    uint32_t i = hash_first(ix, h);
    while (ix->slots[i])
        i = hash_next(ix, i);
    ix->slots[i] = entry + 1;
    ix->count++;
}

#endif /* RUBRIC_HASH_H */
