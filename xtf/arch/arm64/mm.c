/*
 * mm.c (arm64) - xtf_unmap_low_page (xtf/env.h) for a kernel that runs
 * with its stage 1 off, where a VA is its IPA: "unmapped" is the frame
 * given back to Xen (XENMEM_decrease_reservation), so a hypercall's copy
 * through it is -EFAULT and a guest access a stage-2 abort, as a missing
 * stage-1 page is on x86. The reservation must not change (on x86 it does
 * not), so a frame is taken back at a parking gfn far above any test's
 * RAM. Touches only that frame and its parking place.
 */
#include <xtf.h>
#include <xtf/env.h>
#include <xtf/ram-base.h>
#include <public/memory.h>

#define PARK_GFN ((XTF_RAM_BASE >> PAGE_SHIFT) + 0x3f000UL) /* RAM + 1008 MiB */

static unsigned int parked;

static long one_frame(unsigned int op, xen_pfn_t gfn)
{
    struct xen_memory_reservation r = {
        .nr_extents = 1,
        .extent_order = 0,
        .domid = DOMID_SELF,
    };
    set_xen_guest_handle(r.extent_start, &gfn);
    return hypercall_memory_op(op, &r);
}

void xtf_unmap_low_page(uint64_t va)
{
    if ( one_frame(XENMEM_decrease_reservation, va >> PAGE_SHIFT) != 1 ||
         one_frame(XENMEM_populate_physmap, PARK_GFN + parked++) != 1 )
        panic("xtf_unmap_low_page(%#lx): the frame was not moved away", (unsigned long)va);
}
