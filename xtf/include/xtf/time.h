/*
 * time.h - guest time for the time tests: shared_info mapped at a fixed
 * frame, the pvclock read by its version protocol, the TSC.
 */
#ifndef XTF_TIME_H
#define XTF_TIME_H

#include <xtf/types.h>
#include <public/xen.h>

/* Where xtf_map_shared_info() puts shared_info (48 MiB: inside every
 * test domain's RAM, far above the image). */
#define XTF_SHINFO_GFN 0x3000UL

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* XENMEM_add_to_physmap(XENMAPSPACE_shared_info); NULL on failure. */
volatile struct shared_info *xtf_map_shared_info(void);

/* Scale a TSC delta the pvclock way (128-bit product, no overflow). */
uint64_t xtf_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);

/* System time from this record and the TSC now. *version (if not NULL)
 * gets the even version the values were read under, *tsc (if not NULL)
 * the TSC value the time was computed from. */
uint64_t xtf_pvclock_read(const volatile struct vcpu_time_info *t, uint32_t *version,
                          uint64_t *tsc);

/* This vCPU's record in shared_info. */
const volatile struct vcpu_time_info *xtf_pvclock_of(volatile struct shared_info *s,
                                                     unsigned int vcpu);

#endif /* XTF_TIME_H */
