/*
 * tsc.h (x86) - rdtsc(), the count the pvclock's tsc_timestamp is in.
 * arch/arm64/include/xtf/tsc.h shadows it on the arm64 include path.
 * Defines only; touches no state.
 */
#ifndef XTF_TSC_H
#define XTF_TSC_H

#include <xtf/types.h>

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

#endif /* XTF_TSC_H */
