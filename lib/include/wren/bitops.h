/*
 * wren/bitops.h - bit operations on 64-bit words and on bitmaps made of
 * them, for the hypervisor, the XTF guests and dom0.
 *
 * Plain C and compiler builtins that need no run-time library (no
 * __builtin_popcount: without SSE it becomes a libgcc call the
 * freestanding links do not have). Nothing here is atomic: callers that
 * share a bitmap between CPUs lock it or use their own atomics.
 */
#ifndef WREN_BITOPS_H
#define WREN_BITOPS_H

#include <wren/types.h>

#define BITS_PER_WORD 64 /* bitmaps are arrays of uint64_t */

/* Words a bitmap of nr_bits needs. */
static inline uint64_t bitmap_words(uint64_t nr_bits)
{
    return (nr_bits + BITS_PER_WORD - 1) / BITS_PER_WORD;
}

/* The bit of its word that bit nr of a bitmap is. */
static inline uint64_t bitmap_mask(uint64_t nr)
{
    return 1ULL << (nr % BITS_PER_WORD);
}

static inline bool bitmap_test(const uint64_t *bm, uint64_t nr)
{
    return bm[nr / BITS_PER_WORD] & bitmap_mask(nr);
}

static inline void bitmap_set(uint64_t *bm, uint64_t nr)
{
    bm[nr / BITS_PER_WORD] |= bitmap_mask(nr);
}

static inline void bitmap_clear(uint64_t *bm, uint64_t nr)
{
    bm[nr / BITS_PER_WORD] &= ~bitmap_mask(nr);
}

/* How many bits of x are set. */
static inline unsigned int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
    return (unsigned int)((x * 0x0101010101010101ULL) >> 56);
}

/* The index of the lowest set bit of x; x must not be 0. */
static inline unsigned int first_set_bit64(uint64_t x)
{
    return (unsigned int)__builtin_ctzll(x);
}

/* The index of the highest set bit of x; x must not be 0. */
static inline unsigned int last_set_bit64(uint64_t x)
{
    return 63 - (unsigned int)__builtin_clzll(x);
}

#endif /* WREN_BITOPS_H */
