/* SPDX-License-Identifier: MIT */
/*
 * xc_altp2m.c - libxenctrl's wrappers for HVMOP_altp2m: a domain's
 * altp2m views (public/hvm/hvm_op.h), with Xen's xc_altp2m_* names and
 * arguments.
 *
 * Each call builds one xen_hvm_altp2m_op in a hypercall buffer (the
 * lists of the multi call in buffers of their own), issues it, copies
 * out what it returns and frees everything on every path. The
 * hypervisor checks every argument; only what cannot travel (a domid
 * past 16 bits, a NULL result pointer, a list too long) is refused here,
 * with EINVAL.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

/* A zeroed op for domid and cmd in a hypercall buffer, or NULL. */
static struct xen_hvm_altp2m_op *op_new(xc_interface *xch, uint32_t domid, uint32_t cmd)
{
    struct xen_hvm_altp2m_op *a;

    if ( domid > UINT16_MAX )
    {
        errno = EINVAL;
        return NULL;
    }
    a = xc_bounce_in(xch, NULL, sizeof(*a));
    if ( !a )
        return NULL;
    a->version = HVMOP_ALTP2M_INTERFACE_VERSION;
    a->cmd = cmd;
    a->domain = (domid_t)domid;
    return a;
}

/* Issue a, copy it back into out (if not NULL), free it. */
static int op_call(xc_interface *xch, struct xen_hvm_altp2m_op *a, struct xen_hvm_altp2m_op *out)
{
    int rc = xc__hypercall_hvm_op(xch, HVMOP_altp2m, a);

    xc_bounce_out(xch, a, rc < 0 ? NULL : out, sizeof(*a));
    return rc < 0 ? -1 : 0;
}

int xc_altp2m_get_domain_state(xc_interface *handle, uint32_t dom, bool *state)
{
    struct xen_hvm_altp2m_op out, *a;

    if ( !state )
    {
        errno = EINVAL;
        return -1;
    }
    a = op_new(handle, dom, HVMOP_altp2m_get_domain_state);
    if ( !a || op_call(handle, a, &out) )
        return -1;
    *state = out.u.domain_state.state;
    return 0;
}

int xc_altp2m_set_domain_state(xc_interface *handle, uint32_t dom, bool state)
{
    struct xen_hvm_altp2m_op *a = op_new(handle, dom, HVMOP_altp2m_set_domain_state);

    if ( !a )
        return -1;
    a->u.domain_state.state = state;
    return op_call(handle, a, NULL);
}

int xc_altp2m_set_vcpu_enable_notify(xc_interface *handle, uint32_t domid, uint32_t vcpuid,
                                     xen_pfn_t gfn)
{
    struct xen_hvm_altp2m_op *a = op_new(handle, domid, HVMOP_altp2m_vcpu_enable_notify);

    if ( !a )
        return -1;
    a->u.enable_notify.vcpu_id = vcpuid;
    a->u.enable_notify.gfn = gfn;
    return op_call(handle, a, NULL);
}

int xc_altp2m_set_vcpu_disable_notify(xc_interface *handle, uint32_t domid, uint32_t vcpuid)
{
    struct xen_hvm_altp2m_op *a = op_new(handle, domid, HVMOP_altp2m_vcpu_disable_notify);

    if ( !a )
        return -1;
    a->u.disable_notify.vcpu_id = vcpuid;
    return op_call(handle, a, NULL);
}

int xc_altp2m_create_view(xc_interface *handle, uint32_t domid, xenmem_access_t default_access,
                          uint16_t *view_id)
{
    struct xen_hvm_altp2m_op out, *a;

    if ( !view_id )
    {
        errno = EINVAL;
        return -1;
    }
    a = op_new(handle, domid, HVMOP_altp2m_create_p2m);
    if ( !a )
        return -1;
    a->u.view.hvmmem_default_access = (uint16_t)default_access;
    if ( op_call(handle, a, &out) )
        return -1;
    *view_id = out.u.view.view;
    return 0;
}

static int view_op(xc_interface *xch, uint32_t domid, uint32_t cmd, uint16_t view_id)
{
    struct xen_hvm_altp2m_op *a = op_new(xch, domid, cmd);

    if ( !a )
        return -1;
    a->u.view.view = view_id;
    return op_call(xch, a, NULL);
}

int xc_altp2m_destroy_view(xc_interface *handle, uint32_t domid, uint16_t view_id)
{
    return view_op(handle, domid, HVMOP_altp2m_destroy_p2m, view_id);
}

int xc_altp2m_switch_to_view(xc_interface *handle, uint32_t domid, uint16_t view_id)
{
    return view_op(handle, domid, HVMOP_altp2m_switch_p2m, view_id);
}

int xc_altp2m_set_suppress_ve(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                              bool sve)
{
    struct xen_hvm_altp2m_op *a = op_new(handle, domid, HVMOP_altp2m_set_suppress_ve);

    if ( !a )
        return -1;
    a->u.suppress_ve.view = view_id;
    a->u.suppress_ve.gfn = gfn;
    a->u.suppress_ve.suppress_ve = sve;
    return op_call(handle, a, NULL);
}

int xc_altp2m_set_supress_ve_multi(xc_interface *handle, uint32_t domid, uint16_t view_id,
                                   xen_pfn_t first_gfn, xen_pfn_t last_gfn, bool sve,
                                   xen_pfn_t *error_gfn, int32_t *error_code)
{
    struct xen_hvm_altp2m_op out, *a;

    if ( !error_gfn || !error_code )
    {
        errno = EINVAL;
        return -1;
    }
    a = op_new(handle, domid, HVMOP_altp2m_set_suppress_ve_multi);
    if ( !a )
        return -1;
    a->u.suppress_ve_multi.view = view_id;
    a->u.suppress_ve_multi.suppress_ve = sve;
    a->u.suppress_ve_multi.first_gfn = first_gfn;
    a->u.suppress_ve_multi.last_gfn = last_gfn;
    if ( op_call(handle, a, &out) )
        return -1;
    *error_code = out.u.suppress_ve_multi.first_error;
    *error_gfn = out.u.suppress_ve_multi.first_error ? out.u.suppress_ve_multi.first_error_gfn : 0;
    return 0;
}

int xc_altp2m_get_suppress_ve(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                              bool *sve)
{
    struct xen_hvm_altp2m_op out, *a;

    if ( !sve )
    {
        errno = EINVAL;
        return -1;
    }
    a = op_new(handle, domid, HVMOP_altp2m_get_suppress_ve);
    if ( !a )
        return -1;
    a->u.suppress_ve.view = view_id;
    a->u.suppress_ve.gfn = gfn;
    if ( op_call(handle, a, &out) )
        return -1;
    *sve = out.u.suppress_ve.suppress_ve;
    return 0;
}

int xc_altp2m_set_mem_access(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                             xenmem_access_t access)
{
    struct xen_hvm_altp2m_op *a = op_new(handle, domid, HVMOP_altp2m_set_mem_access);

    if ( !a )
        return -1;
    a->u.mem_access.view = view_id;
    a->u.mem_access.access = (uint16_t)access;
    a->u.mem_access.gfn = gfn;
    return op_call(handle, a, NULL);
}

/* The lists in buffers of their own; the hypervisor resumes the call by
 * itself (opaque) until every entry is done or one fails. */
int xc_altp2m_set_mem_access_multi(xc_interface *handle, uint32_t domid, uint16_t view_id,
                                   uint8_t *access, uint64_t *gfns, uint32_t nr)
{
    struct xen_hvm_altp2m_op *a = NULL;
    uint64_t *g = NULL;
    uint8_t *acc = NULL;
    int rc = -1;

    if ( (nr && (!access || !gfns)) || nr > INT32_MAX / sizeof(*gfns) )
    {
        errno = EINVAL;
        return -1;
    }
    g = nr ? xc_bounce_in(handle, gfns, nr * sizeof(*gfns)) : NULL;
    acc = nr ? xc_bounce_in(handle, access, nr) : NULL;
    a = op_new(handle, domid, HVMOP_altp2m_set_mem_access_multi);
    if ( (!nr || (g && acc)) && a )
    {
        a->u.set_mem_access_multi.view = view_id;
        a->u.set_mem_access_multi.nr = nr;
        a->u.set_mem_access_multi.pfn_list = (uint64_t)(uintptr_t)g;
        a->u.set_mem_access_multi.access_list = (uint64_t)(uintptr_t)acc;
        rc = op_call(handle, a, NULL);
        a = NULL;
    }
    xc_bounce_out(handle, a, NULL, 0);
    xc_bounce_out(handle, acc, NULL, 0);
    xc_bounce_out(handle, g, NULL, 0);
    return rc;
}

int xc_altp2m_get_mem_access(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t gfn,
                             xenmem_access_t *access)
{
    struct xen_hvm_altp2m_op out, *a;

    if ( !access )
    {
        errno = EINVAL;
        return -1;
    }
    a = op_new(handle, domid, HVMOP_altp2m_get_mem_access);
    if ( !a )
        return -1;
    a->u.mem_access.view = view_id;
    a->u.mem_access.gfn = gfn;
    if ( op_call(handle, a, &out) )
        return -1;
    *access = (xenmem_access_t)out.u.mem_access.access;
    return 0;
}

int xc_altp2m_change_gfn(xc_interface *handle, uint32_t domid, uint16_t view_id, xen_pfn_t old_gfn,
                         xen_pfn_t new_gfn)
{
    struct xen_hvm_altp2m_op *a = op_new(handle, domid, HVMOP_altp2m_change_gfn);

    if ( !a )
        return -1;
    a->u.change_gfn.view = view_id;
    a->u.change_gfn.old_gfn = old_gfn;
    a->u.change_gfn.new_gfn = new_gfn;
    return op_call(handle, a, NULL);
}

int xc_altp2m_get_vcpu_p2m_idx(xc_interface *handle, uint32_t domid, uint32_t vcpuid,
                               uint16_t *p2midx)
{
    struct xen_hvm_altp2m_op out, *a;

    if ( !p2midx )
    {
        errno = EINVAL;
        return -1;
    }
    a = op_new(handle, domid, HVMOP_altp2m_get_p2m_idx);
    if ( !a )
        return -1;
    a->u.get_vcpu_p2m_idx.vcpu_id = vcpuid;
    if ( op_call(handle, a, &out) )
        return -1;
    *p2midx = out.u.get_vcpu_p2m_idx.altp2m_idx;
    return 0;
}

int xc_altp2m_set_visibility(xc_interface *handle, uint32_t domid, uint16_t view_id, bool visible)
{
    struct xen_hvm_altp2m_op *a = op_new(handle, domid, HVMOP_altp2m_set_visibility);

    if ( !a )
        return -1;
    a->u.set_visibility.altp2m_idx = view_id;
    a->u.set_visibility.visible = visible;
    return op_call(handle, a, NULL);
}
