/* SPDX-License-Identifier: MIT */
/*
 * xc_mem_access.c - libxenctrl's access rights of another domain's pages
 * (Xen's xc_set_mem_access, xc_set_mem_access_multi, xc_get_mem_access,
 * xc_domain_set_access_required) and Wren's vm_event counters.
 *
 * XENMEM_access_op needs the target's monitor ring (xc_monitor_enable)
 * first. The lists of the multi call are bounced; the caller's memory is
 * never handed to the hypervisor.
 *
 * May not touch: anything but the access rights and the flag.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "xc_private.h"
#include "xenctrl_wren.h"

/* One XENMEM_access_op; mao goes in a buffer and comes back. */
static int access_op(xc_interface *xch, struct xen_mem_access_op *mao)
{
    struct xen_mem_access_op *buf = xc_bounce_in(xch, mao, sizeof(*mao));
    int rc;

    if ( !buf )
        return -1;
    rc = xc__hypercall_memory_op(xch, XENMEM_access_op, buf);
    xc_bounce_out(xch, buf, mao, sizeof(*mao));
    return rc;
}

static bool domid_ok(uint32_t domid)
{
    if ( domid <= UINT16_MAX )
        return true;
    errno = EINVAL;
    return false;
}

int xc_set_mem_access(xc_interface *xch, uint32_t domain_id, xenmem_access_t access,
                      uint64_t first_pfn, uint32_t nr)
{
    struct xen_mem_access_op mao = {
        .op = XENMEM_access_op_set_access,
        .access = (uint8_t)access,
        .domid = (domid_t)domain_id,
        .nr = nr,
        .pfn = first_pfn,
    };

    return domid_ok(domain_id) ? access_op(xch, &mao) : -1;
}

int xc_set_mem_access_multi(xc_interface *xch, uint32_t domain_id, uint8_t *access, uint64_t *pages,
                            uint32_t nr)
{
    struct xen_mem_access_op mao = {
        .op = XENMEM_access_op_set_access_multi,
        .access = XENMEM_access_default + 1, /* unused: every entry has its own */
        .domid = (domid_t)domain_id,
        .nr = nr,
        .pfn = ~0ULL,
    };
    uint8_t *acc = NULL;
    uint64_t *pfns = NULL;
    int rc = -1;

    if ( !domid_ok(domain_id) || (nr && (!access || !pages)) )
        return errno = EINVAL, -1;
    acc = xc_bounce_in(xch, access, nr ? nr : 1);
    pfns = xc_bounce_in(xch, pages, (nr ? nr : 1) * sizeof(*pages));
    if ( acc && pfns )
    {
        set_xen_guest_handle(mao.access_list, acc);
        set_xen_guest_handle(mao.pfn_list, pfns);
        rc = access_op(xch, &mao);
    }
    xc_bounce_out(xch, pfns, NULL, 0);
    xc_bounce_out(xch, acc, NULL, 0);
    return rc;
}

int xc_get_mem_access(xc_interface *xch, uint32_t domain_id, uint64_t pfn, xenmem_access_t *access)
{
    struct xen_mem_access_op mao = {
        .op = XENMEM_access_op_get_access,
        .domid = (domid_t)domain_id,
        .pfn = pfn,
    };
    int rc;

    if ( !domid_ok(domain_id) || !access )
        return errno = EINVAL, -1;
    rc = access_op(xch, &mao);
    if ( !rc )
        *access = (xenmem_access_t)mao.access;
    return rc;
}

int xc_domain_set_access_required(xc_interface *xch, uint32_t domid, unsigned int required)
{
    struct xen_domctl d;

    memset(&d.u, 0, sizeof(d.u));
    d.u.access_required.access_required = required ? 1 : 0;
    return xc_domctl(xch, XEN_DOMCTL_set_access_required, domid, &d);
}

int xc_wren_vm_event_stats(xc_interface *xch, uint32_t domid, struct xen_domctl_wren_vm_event *s)
{
    struct xen_domctl d;
    int rc;

    memset(&d.u, 0, sizeof(d.u));
    rc = xc_domctl(xch, XEN_DOMCTL_wren_vm_event, domid, &d);
    if ( !rc && s )
        *s = d.u.wren_vm_event;
    return rc;
}
