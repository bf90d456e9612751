/*
 * link.c - the two-machine link's shared memory, given to the control
 * domain and to no one else (docs/designs/live-migration.md, "Two
 * machines").
 *
 * At boot the architecture reports the link device's memory
 * (arch_link_find: QEMU's ivshmem BAR2); this file checks it and maps it
 * into dom0's p2m as mmio_direct at gfn == mfn, as Xen maps a PVH dom0's
 * MMIO one to one, before dom0 runs. XEN_SYSCTL_wren_link tells dom0
 * where it is. The frames are not RAM: they are never in the allocator
 * (a frame the allocator manages refuses the mapping), so they have no
 * frame-table record and no reference to hold, like any mmio_direct
 * frame; get_page() refuses them, so no foreign map or grant can hand
 * them to a domU.
 *
 * May not touch: the device (the arch found it), the frames' contents
 * (dom0's protocol), any domain but dom0.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/p2m.h>
#include <xen/arch.h>
#include <xen/domain_build.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/sysctl.h>

/* dom0's runtime reaches guest-physical memory below its foreign-mapping
 * window at 4 GiB (docs/designs/toolstack.md, "dom0 runtime"). */
#define LINK_GFN_LIMIT (0x100000000ULL >> PAGE_SHIFT)
#define LINK_MIN_BYTES (64ULL << 10)
#define LINK_MAX_BYTES (1ULL << 30)

static struct
{
    bool mapped;
    uint64_t mfn, nr;
    uint16_t bdf;
} link;

/* Why [maddr, maddr + size) cannot be dom0's link, or NULL. */
static const char *link_refusal(struct domain *d, uint64_t maddr, uint64_t size)
{
    uint64_t mfn = maddr >> PAGE_SHIFT, nr = size >> PAGE_SHIFT;

    if ( size < LINK_MIN_BYTES || size > LINK_MAX_BYTES || (size & (size - 1)) )
        return "size is not a power of two from 64 KiB to 1 GiB";
    if ( maddr & (size - 1) )
        return "BAR not aligned to its size";
    if ( mfn + nr > LINK_GFN_LIMIT )
        return "BAR above 4 GiB, out of dom0's reach";
    if ( mfn < d->ram_end_gfn || !domain_gfn_ok(d, mfn + nr - 1) )
        return "BAR overlaps dom0's RAM or exceeds its address width";
    for ( uint64_t i = 0; i < nr; i++ )
        if ( mfn_to_page(_mfn(mfn + i)) )
            return "BAR overlaps memory the allocator manages";
    for ( uint64_t i = 0; i < nr; i++ )
        if ( mfn_valid_raw(p2m_lookup(&d->p2m, _gfn(mfn + i), NULL, NULL, NULL)) )
            return "dom0 already maps something there";
    return NULL;
}

void link_map_dom0(struct domain *d)
{
    uint64_t maddr, size;
    uint16_t bdf;
    const char *why;
    int rc;

    if ( !arch_link_find(&maddr, &size, &bdf) )
        return;
    why = link_refusal(d, maddr, size);
    if ( why )
    {
        printk(XENLOG_ERR "link: ivshmem at 00:%02x.%u, BAR2 [%#lx, +%#lx): %s; not mapped\n",
               bdf >> 3, bdf & 7, maddr, size, why);
        return;
    }
    rc = p2m_set_range(&d->p2m, _gfn(maddr >> PAGE_SHIFT), _mfn(maddr >> PAGE_SHIFT),
                       size >> PAGE_SHIFT, p2m_mmio_direct, p2m_access_rw);
    if ( rc )
    {
        /* -ENOMEM maps a prefix: take it away again, so nothing half-made stays. */
        p2m_set_range(&d->p2m, _gfn(maddr >> PAGE_SHIFT), INVALID_MFN, size >> PAGE_SHIFT,
                      p2m_invalid, p2m_access_n);
        printk(XENLOG_ERR "link: mapping %lu KiB into d%u failed (%d)\n", size >> 10, d->domain_id,
               rc);
        return;
    }
    link.mfn = maddr >> PAGE_SHIFT;
    link.nr = size >> PAGE_SHIFT;
    link.bdf = bdf;
    link.mapped = true;
    printk("link: ivshmem at 00:%02x.%u, %lu KiB at %#lx, mapped into d%u at the same address\n",
           bdf >> 3, bdf & 7, size >> 10, maddr, d->domain_id);
}

long sysctl_wren_link(struct xen_sysctl *op, uint64_t arg)
{
    struct xen_sysctl_wren_link *l = &op->u.wren_link;

    if ( l->pad[0] || l->pad[1] || l->pad[2] )
        return -EINVAL;
    if ( !link.mapped )
        return -ENODEV;
    l->gfn = link.mfn;
    l->mfn = link.mfn;
    l->nr_frames = link.nr;
    l->bdf = link.bdf;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}
