/*
 * tsc.h (arm64) - rdtsc(), the count the pvclock's tsc_timestamp is in:
 * on Wren-arm64 the host's physical count, which EL1 may read
 * (CNTHCTL_EL2.EL1PCTEN) as CNTPCT_EL0. The name is x86's so the time
 * library is shared. Shadows include/xtf/tsc.h; touches no state.
 */
#ifndef XTF_TSC_H
#define XTF_TSC_H

#include <xtf/types.h>

static inline uint64_t rdtsc(void)
{
    uint64_t c;

    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(c)::"memory");
    return c;
}

#endif /* XTF_TSC_H */
