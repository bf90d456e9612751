/* SPDX-License-Identifier: MIT */
/*
 * xc_memshr.c - libxenctrl's memory sharing wrappers, with Xen's names:
 * XEN_DOMCTL_mem_sharing_op (enable), XENMEM_sharing_op (nominate,
 * share, add_to_physmap, range_share, debug, audit, and Wren's explicit
 * unshare) and the host counters XENMEM_get_sharing_{freed,shared}_pages.
 *
 * Every op's struct travels in a hypercall buffer; nothing here keeps
 * state. A handle-mismatch answer comes back as -1 with errno 10 (source)
 * or 9 (client), Xen's XENMEM_SHARING_OP_[SC]_HANDLE_INVALID negated.
 */
#include <errno.h>
#include <string.h>
#include <xen/wren.h>

#include "xc_private.h"

int xc_memshr_control(xc_interface *xch, uint32_t domid, int enable)
{
    struct xen_domctl d = { 0 };

    d.u.mem_sharing_op.op = XEN_DOMCTL_MEM_SHARING_CONTROL;
    d.u.mem_sharing_op.u.enable = enable ? 1 : 0;
    return xc_domctl(xch, XEN_DOMCTL_mem_sharing_op, domid, &d);
}

/* One XENMEM_sharing_op on domid; mso is copied back whatever happens. */
static int memshr_op(xc_interface *xch, uint32_t domid, struct xen_mem_sharing_op *mso)
{
    struct xen_mem_sharing_op *buf;
    int rc;

    if ( domid > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    mso->domain = (domid_t)domid;
    buf = xc_bounce_in(xch, mso, sizeof(*mso));
    if ( !buf )
        return -1;
    rc = xc__hypercall_memory_op(xch, XENMEM_sharing_op, buf);
    xc_bounce_out(xch, buf, mso, sizeof(*mso));
    return rc;
}

int xc_memshr_nominate_gfn(xc_interface *xch, uint32_t domid, unsigned long gfn, uint64_t *handle)
{
    struct xen_mem_sharing_op mso = { .op = XENMEM_sharing_op_nominate_gfn };
    int rc;

    mso.u.nominate.u.gfn = gfn;
    rc = memshr_op(xch, domid, &mso);
    if ( !rc && handle )
        *handle = mso.u.nominate.handle;
    return rc;
}

static int memshr_share_op(xc_interface *xch, uint8_t op, uint32_t source_domain,
                           unsigned long source_gfn, uint64_t source_handle, uint32_t client_domain,
                           unsigned long client_gfn, uint64_t client_handle)
{
    struct xen_mem_sharing_op mso = { .op = op };

    if ( client_domain > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    mso.u.share.source_gfn = source_gfn;
    mso.u.share.source_handle = source_handle;
    mso.u.share.client_gfn = client_gfn;
    mso.u.share.client_handle = client_handle;
    mso.u.share.client_domain = (domid_t)client_domain;
    return memshr_op(xch, source_domain, &mso);
}

int xc_memshr_share_gfns(xc_interface *xch, uint32_t source_domain, unsigned long source_gfn,
                         uint64_t source_handle, uint32_t client_domain, unsigned long client_gfn,
                         uint64_t client_handle)
{
    return memshr_share_op(xch, XENMEM_sharing_op_share, source_domain, source_gfn, source_handle,
                           client_domain, client_gfn, client_handle);
}

int xc_memshr_add_to_physmap(xc_interface *xch, uint32_t source_domain, unsigned long source_gfn,
                             uint64_t source_handle, uint32_t client_domain,
                             unsigned long client_gfn)
{
    return memshr_share_op(xch, XENMEM_sharing_op_add_physmap, source_domain, source_gfn,
                           source_handle, client_domain, client_gfn, 0);
}

int xc_memshr_range_share(xc_interface *xch, uint32_t source_domain, uint32_t client_domain,
                          uint64_t first_gfn, uint64_t last_gfn)
{
    struct xen_mem_sharing_op mso = { .op = XENMEM_sharing_op_range_share };

    if ( client_domain > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    mso.u.range.first_gfn = first_gfn;
    mso.u.range.last_gfn = last_gfn;
    mso.u.range.client_domain = (domid_t)client_domain;
    return memshr_op(xch, source_domain, &mso);
}

int xc_memshr_debug_gfn(xc_interface *xch, uint32_t domid, unsigned long gfn)
{
    struct xen_mem_sharing_op mso = { .op = XENMEM_sharing_op_debug_gfn };

    mso.u.debug.u.gfn = gfn;
    return memshr_op(xch, domid, &mso);
}

int xc_memshr_unshare_gfn(xc_interface *xch, uint32_t domid, unsigned long gfn)
{
    struct xen_mem_sharing_op mso = { .op = WREN_SHARING_OP_unshare };

    mso.u.nominate.u.gfn = gfn;
    return memshr_op(xch, domid, &mso);
}

int xc_memshr_audit(xc_interface *xch)
{
    struct xen_mem_sharing_op mso = { .op = XENMEM_sharing_op_audit };

    return memshr_op(xch, 0, &mso);
}

long xc_sharing_freed_pages(xc_interface *xch)
{
    return xc__hypercall_memory_op(xch, XENMEM_get_sharing_freed_pages, NULL);
}

long xc_sharing_used_frames(xc_interface *xch)
{
    return xc__hypercall_memory_op(xch, XENMEM_get_sharing_shared_pages, NULL);
}
