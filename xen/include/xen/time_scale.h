/*
 * time_scale.h - turning a count of cycles (TSC ticks) into nanoseconds
 * the way a pvclock guest does: shift the count, then multiply by a 32.32
 * fixed-point fraction. The hypervisor's NOW() and every vcpu_time_info
 * use the same scale, so a guest reading its TSC computes exactly NOW().
 *
 * Pure arithmetic, no state: may not touch hardware or locks (the host
 * unit tests build it).
 */
#ifndef XEN_TIME_SCALE_H
#define XEN_TIME_SCALE_H

#include <xen/types.h>

#define NSEC_PER_SEC 1000000000ULL

struct time_scale
{
    uint32_t mul; /* 32.32 fraction, at least 2^31 once set */
    int8_t shift; /* applied to the count before the multiply */
};

/* The scale for a counter of hz ticks a second (hz > 0): the shift puts
 * hz * 2^shift in (1e9, 2e9] so mul = 1e9 * 2^32 / that fits 32 bits
 * with its top bit set (full precision). */
static inline struct time_scale time_scale_for_hz(uint64_t hz)
{
    struct time_scale s = { 0, 0 };
    uint64_t scaled = hz;

    while ( scaled <= NSEC_PER_SEC )
    {
        scaled <<= 1;
        s.shift++;
    }
    while ( scaled > 2 * NSEC_PER_SEC )
    {
        scaled >>= 1;
        s.shift--;
    }
    s.mul = (uint32_t)((NSEC_PER_SEC << 32) / scaled);
    return s;
}

static inline uint64_t time_scale_apply(struct time_scale s, uint64_t count)
{
    if ( s.shift >= 0 )
        count <<= s.shift;
    else
        count >>= -s.shift;
    return (uint64_t)(((unsigned __int128)count * s.mul) >> 32);
}

/* Counts that are multiples of this scale exactly (no rounding): shifted,
 * they are multiples of 2^32. A pvclock record whose tsc_timestamp is a
 * multiple of it (from the same origin) makes the guest's sum exact. */
static inline uint64_t time_scale_exact_step(struct time_scale s)
{
    return 1ULL << (32 - s.shift);
}

#endif /* XEN_TIME_SCALE_H */
