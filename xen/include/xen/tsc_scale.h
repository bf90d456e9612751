/*
 * tsc_scale.h - a guest's TSC at another rate than the host's: the ratio
 * of the two rates as a 32.32 fixed-point number, and the host count
 * multiplied by it with a 128-bit product, so no host TSC value, however
 * large, overflows on the way (the result wraps as a 64-bit TSC does).
 * At ratio 1 (TSC_RATIO_ONE) the result is the host count, exactly.
 *
 * Pure arithmetic, no state: may not touch hardware, domains or locks
 * (the host unit tests build it).
 */
#ifndef XEN_TSC_SCALE_H
#define XEN_TSC_SCALE_H

#include <xen/types.h>

#define TSC_RATIO_ONE (1ULL << 32)

/* guest_hz / host_hz in 32.32, rounded to nearest: the whole part, then
 * 32 bits of fraction by long division (no 128-bit divide, which the
 * hypervisor has no helper for). 0 when host_hz is 0 or the whole part
 * does not fit 32 bits (callers bound the rates first). */
static inline uint64_t tsc_ratio(uint64_t guest_hz, uint64_t host_hz)
{
    uint64_t q, r;

    if ( !host_hz || guest_hz / host_hz >> 32 || host_hz >> 62 )
        return 0;
    q = guest_hz / host_hz;
    r = guest_hz % host_hz;
    for ( int i = 0; i < 32; i++ )
    {
        r <<= 1;
        q <<= 1;
        if ( r >= host_hz )
        {
            r -= host_hz;
            q |= 1;
        }
    }
    return 2 * r >= host_hz ? q + 1 : q;
}

/* host_count * ratio, truncated to 64 bits like the counter itself. */
static inline uint64_t tsc_scale(uint64_t host_count, uint64_t ratio)
{
    return (uint64_t)(((unsigned __int128)host_count * ratio) >> 32);
}

/* The rate, in Hz, a counter has when it is host_hz scaled by ratio. */
static inline uint64_t tsc_scaled_hz(uint64_t host_hz, uint64_t ratio)
{
    return tsc_scale(host_hz, ratio);
}

#endif /* XEN_TSC_SCALE_H */
