/* SPDX-License-Identifier: MIT */
/*
 * xc_memshr_fork.c - libxenctrl's VM fork calls, with Xen's names and
 * arguments: xc_memshr_fork (XENMEM_sharing_op_fork) and
 * xc_memshr_fork_reset (XENMEM_sharing_op_fork_reset).
 * docs/designs/altp2m-sharing.md, "Part fork".
 *
 * May not touch: the other sharing ops (xc_memshr.c's, the sharing
 * part's); the op is bounced through a hypercall buffer.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

/* One fork op on domid; -1 with errno on failure. A preempted op is
 * continued by the hypervisor itself, so one call does it all. */
static int fork_memop(xc_interface *xch, uint8_t op, uint32_t domid, uint32_t parent,
                      uint16_t flags)
{
    struct xen_mem_sharing_op *mso;
    int rc = -1;

    if ( domid > UINT16_MAX || parent > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    mso = xc_bounce_in(xch, NULL, sizeof(*mso));
    if ( !mso )
        return -1;
    mso->op = op;
    mso->domain = (domid_t)domid;
    mso->u.fork.parent_domain = (domid_t)parent;
    mso->u.fork.flags = flags;
    rc = xc__hypercall_memory_op(xch, XENMEM_sharing_op, mso);
    xc_bounce_out(xch, mso, NULL, 0);
    return rc < 0 ? -1 : 0;
}

int xc_memshr_fork(xc_interface *xch, uint32_t pdomid, uint32_t domid, bool allow_with_iommu,
                   bool block_interrupts)
{
    uint16_t flags = (allow_with_iommu ? XENMEM_FORK_WITH_IOMMU_ALLOWED : 0) |
                     (block_interrupts ? XENMEM_FORK_BLOCK_INTERRUPTS : 0);

    return fork_memop(xch, XENMEM_sharing_op_fork, domid, pdomid, flags);
}

int xc_memshr_fork_reset(xc_interface *xch, uint32_t domid, bool reset_state, bool reset_memory)
{
    uint16_t flags =
        (reset_state ? XENMEM_FORK_RESET_STATE : 0) | (reset_memory ? XENMEM_FORK_RESET_MEMORY : 0);

    return fork_memop(xch, XENMEM_sharing_op_fork_reset, domid, 0, flags);
}
