/*
 * ld.h - what the log-dirty tests share: the target's mailbox commands
 * and the pseudo-random choice of pages, so that the controller knows
 * exactly which pages the target wrote from the seed alone.
 *
 * Not a test (this directory has no test.cfg): logdirty-target, the
 * logdirty-* controllers and bench-logdirty include it.
 */
#ifndef LD_H
#define LD_H

#include <xtf/types.h>
#include <xtf/p2m.h>

/* The target writes only frames in [LD_DATA_FIRST, end of its RAM): its
 * image, stacks and the mailbox live below 2 MiB. */
#define LD_DATA_FIRST XTF_GFN(0x200)

/* Mailbox commands (include/xtf/mailbox.h's protocol, our own numbers;
 * XTF_MB_NOP and XTF_MB_EXIT keep their meaning). out[1] counts the
 * target's yields, ever (see logdirty-target). */
#define LD_MB_YIELDS 1 /* index in out[] */
#define LD_MB_WRITE_SET \
    0x100 /* arg0 seed, arg1 count, arg2 delay: both vCPUs
                                   write the pages ld_pick(seed, k), k < count;
                                   out[0]: picks done so far (about) */
#define LD_MB_STREAM \
    0x101                    /* arg0 first gfn, arg1 nr, arg2 passes: vCPU 0
                                   streams the lower half, vCPU 1 the upper */
#define LD_MB_READ_ALL 0x102 /* read every data page (both vCPUs) */
#define LD_MB_SHADOW_OP \
    0x103 /* the target issues shadow_op arg1 on domain
                                   arg0 itself; result = its return code */
#define LD_MB_HV_WRITES \
    0x104 /* arg0 seed, arg1 count: the target asks the
                                   hypervisor to write into the pages
                                   ld_pick(seed, k) (XENVER_extraversion's
                                   output), never storing there itself;
                                   result = calls that failed */
#define LD_MB_DIRTY_RING \
    0x105 /* the target issues XEN_DOMCTL_wren_dirty_ring STATUS of ring
             arg1 on domain arg0 itself; result = its return code */

/* splitmix64: cheap, and the same on both sides. */
static inline uint64_t ld_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* The k-th page of a write set over [first, first + nr). */
static inline uint64_t ld_pick(uint64_t seed, uint64_t k, uint64_t first, uint64_t nr)
{
    return first + ld_mix(seed * 0x100000001b3ULL + k) % nr;
}

/* Where in the page, and what: any 8-byte slot, so a write at the end of
 * a page counts as much as one at its start. */
static inline unsigned int ld_offset(uint64_t seed, uint64_t k)
{
    return (unsigned int)(ld_mix(seed ^ k) % (PAGE_SIZE / 8)) * 8;
}

static inline uint64_t ld_value(uint64_t seed, uint64_t k)
{
    return (seed << 32) ^ k;
}

#endif /* LD_H */
