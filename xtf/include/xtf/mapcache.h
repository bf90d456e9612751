/*
 * mapcache.h - a controller's small mapcache of a target domain's frames,
 * as a device model keeps one (QEMU's mapcache), and the toy DMA device
 * the mapcache invalidation tests (tests/ioreq-inval-*) serve with it.
 *
 * The cache maps a target gfn at one of nr local gfns of the controller
 * (XENMAPSPACE_gmfn_foreign) the first time it is read, and reads
 * through that mapping afterwards without asking the hypervisor again:
 * if the target's gfn has meanwhile been given another frame, a cached
 * mapping still shows the old one. xtf_mapcache_invalidate unmaps every
 * entry, as a device model must on IOREQ_TYPE_INVALIDATE.
 *
 * May not touch: anything of the target but the frames it maps.
 */
#ifndef XTF_MAPCACHE_H
#define XTF_MAPCACHE_H

#include <xtf/types.h>
#include <public/xen.h>
#include <public/hvm/dm_op.h>
#include <public/hvm/ioreq.h>

#define XTF_MAPCACHE_MAX 16

struct xtf_mapcache
{
    domid_t domid;
    uint64_t local_gfn; /* first of nr local gfns the entries use */
    unsigned int nr, next;
    uint64_t gfn[XTF_MAPCACHE_MAX]; /* ~0: entry unused */
    uint64_t hits, misses, invalidations;
};

void xtf_mapcache_init(struct xtf_mapcache *mc, domid_t domid, uint64_t local_gfn, unsigned int nr);
/* The u64 at the start of the target's frame gfn, read through the cache
 * (mapping it first if needed, evicting round-robin). 0 and *ok false if
 * it cannot be mapped. */
uint64_t xtf_mapcache_read(struct xtf_mapcache *mc, uint64_t gfn, bool *ok);
/* Drop every mapping. 0, or the first unmap's error. */
long xtf_mapcache_invalidate(struct xtf_mapcache *mc);

/*
 * The DMA device (four 4-byte registers), served by the controller:
 *   ADDR  write: the target gfn the next DATA read reads
 *   DATA  read:  the low 32 bits of the u64 at the start of that frame,
 *                read through the server's mapcache
 *   MARK  write: a step of the target's script (the controller notes
 *                how many invalidations it had taken by then)
 *   COUNT read:  the invalidations the server has taken so far
 * On x86 they are ports from 0x5100 (IOREQ_TYPE_PIO); Arm has no port
 * I/O, so there they are MMIO from 0xe0100000, a hole of every Arm
 * guest (IOREQ_TYPE_COPY). The target reaches them with
 * xtf_dmadev_read/write, the server claims XTF_DMADEV_RANGE.
 */
#if defined(__aarch64__)
#define XTF_DMADEV_PORT  0xe0100000UL
#define XTF_DMADEV_RANGE XEN_DMOP_IO_RANGE_MEMORY
#define XTF_DMADEV_TYPE  IOREQ_TYPE_COPY
#else
#define XTF_DMADEV_PORT  0x5100
#define XTF_DMADEV_RANGE XEN_DMOP_IO_RANGE_PORT
#define XTF_DMADEV_TYPE  IOREQ_TYPE_PIO
#endif
#define XTF_DMADEV_ADDR  (XTF_DMADEV_PORT + 0)
#define XTF_DMADEV_DATA  (XTF_DMADEV_PORT + 4)
#define XTF_DMADEV_MARK  (XTF_DMADEV_PORT + 8)
#define XTF_DMADEV_COUNT (XTF_DMADEV_PORT + 12)
#define XTF_DMADEV_LAST  (XTF_DMADEV_PORT + 15)

#if defined(__aarch64__)
static inline uint32_t xtf_dmadev_read(unsigned long reg)
{
    uint32_t v;

    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(reg) : "memory");
    return v;
}
static inline void xtf_dmadev_write(unsigned long reg, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(reg) : "memory");
}
#else
static inline uint32_t xtf_dmadev_read(unsigned long reg)
{
    uint32_t v;

    __asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"((uint16_t)reg));
    return v;
}
static inline void xtf_dmadev_write(unsigned long reg, uint32_t v)
{
    __asm__ volatile("outl %0, %w1" ::"a"(v), "Nd"((uint16_t)reg));
}
#endif

#endif /* XTF_MAPCACHE_H */
