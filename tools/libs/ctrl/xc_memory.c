/* SPDX-License-Identifier: MIT */
/*
 * xc_memory.c - libxenctrl's wrappers for another domain's memory:
 * XENMEM_* reservations and memory map, the paging pool, shadow_op
 * (log-dirty), and HVM parameters.
 *
 * Arrays the hypervisor reads or writes are bounced through hypercall
 * buffers; the caller's memory is never handed to the hypervisor.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

/* populate/decrease: how many extents the hypervisor handled, or -1. */
static int xc_reservation_op(xc_interface *xch, unsigned int cmd, uint32_t domid,
                             unsigned long nr_extents, unsigned int extent_order,
                             unsigned int mem_flags, xen_pfn_t *extent_start)
{
    struct xen_memory_reservation *res = NULL;
    size_t len = nr_extents * sizeof(xen_pfn_t);
    xen_pfn_t *list = NULL;
    int rc = -1;

    if ( domid > UINT16_MAX || (nr_extents && !extent_start) ||
         nr_extents > INT32_MAX / sizeof(xen_pfn_t) )
    {
        errno = EINVAL;
        return -1;
    }
    list = nr_extents ? xc_bounce_in(xch, extent_start, len) : NULL;
    res = xc_bounce_in(xch, NULL, sizeof(*res));
    if ( (nr_extents && !list) || !res )
        goto out;
    res->extent_start = (uint64_t)(uintptr_t)list;
    res->nr_extents = nr_extents;
    res->extent_order = extent_order;
    res->mem_flags = mem_flags;
    res->domid = (domid_t)domid;
    rc = xc__hypercall_memory_op(xch, cmd, res);
out:
    xc_bounce_out(xch, res, NULL, 0);
    xc_bounce_out(xch, list, rc > 0 ? extent_start : NULL, len);
    return rc;
}

int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid, unsigned long nr_extents,
                                     unsigned int extent_order, unsigned int mem_flags,
                                     xen_pfn_t *extent_start)
{
    int rc = xc_reservation_op(xch, XENMEM_populate_physmap, domid, nr_extents, extent_order,
                               mem_flags, extent_start);

    if ( rc < 0 )
        return rc;
    if ( (unsigned long)rc != nr_extents )
    {
        errno = EBUSY; /* partly done: Xen's libxc says EBUSY too */
        return -1;
    }
    return 0;
}

int xc_domain_decrease_reservation_exact(xc_interface *xch, uint32_t domid,
                                         unsigned long nr_extents, unsigned int extent_order,
                                         xen_pfn_t *extent_start)
{
    int rc = xc_reservation_op(xch, XENMEM_decrease_reservation, domid, nr_extents, extent_order, 0,
                               extent_start);

    if ( rc < 0 )
        return rc;
    if ( (unsigned long)rc != nr_extents )
    {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int xc_domain_set_memory_map(xc_interface *xch, uint32_t domid, struct xen_e820_entry entries[],
                             uint32_t nr_entries)
{
    struct xen_foreign_memory_map *fmap = NULL;
    size_t len = (size_t)nr_entries * sizeof(*entries);
    void *map = NULL;
    int rc = -1;

    if ( domid > UINT16_MAX || !nr_entries || !entries )
    {
        errno = EINVAL;
        return -1;
    }
    map = xc_bounce_in(xch, entries, len);
    fmap = xc_bounce_in(xch, NULL, sizeof(*fmap));
    if ( !map || !fmap )
        goto out;
    fmap->domid = (domid_t)domid;
    fmap->map.nr_entries = nr_entries;
    fmap->map.buffer = (uint64_t)(uintptr_t)map;
    rc = xc__hypercall_memory_op(xch, XENMEM_set_memory_map, fmap);
out:
    xc_bounce_out(xch, fmap, NULL, 0);
    xc_bounce_out(xch, map, NULL, 0);
    return rc;
}

int xc_get_paging_mempool_size(xc_interface *xch, uint32_t domid, uint64_t *size)
{
    struct xen_domctl d = { 0 };

    if ( !size )
    {
        errno = EINVAL;
        return -1;
    }
    if ( xc_domctl(xch, XEN_DOMCTL_get_paging_mempool_size, domid, &d) < 0 )
        return -1;
    *size = d.u.paging_mempool.size;
    return 0;
}

int xc_set_paging_mempool_size(xc_interface *xch, uint32_t domid, uint64_t size)
{
    struct xen_domctl d = { 0 };

    d.u.paging_mempool.size = size;
    return xc_domctl(xch, XEN_DOMCTL_set_paging_mempool_size, domid, &d);
}

/* Returns the frames the bitmap covers on success, as Xen's libxc does. */
int xc_shadow_control(xc_interface *xch, uint32_t domid, unsigned int sop,
                      unsigned long *dirty_bitmap, unsigned long pages, unsigned long *mb,
                      uint32_t mode, xc_shadow_op_stats_t *stats)
{
    struct xen_domctl d = { 0 };
    size_t len = (pages + 7) / 8;
    void *bitmap = NULL;
    int rc;

    if ( dirty_bitmap && pages )
    {
        bitmap = xc_bounce_in(xch, NULL, len);
        if ( !bitmap )
            return -1;
    }
    d.u.shadow_op.op = sop;
    d.u.shadow_op.mode = mode;
    d.u.shadow_op.mb = mb ? (uint32_t)*mb : 0;
    d.u.shadow_op.dirty_bitmap = (uint64_t)(uintptr_t)bitmap;
    d.u.shadow_op.pages = pages;
    rc = xc_domctl(xch, XEN_DOMCTL_shadow_op, domid, &d);
    xc_bounce_out(xch, bitmap, rc < 0 ? NULL : dirty_bitmap, len);
    if ( rc < 0 )
        return rc;
    if ( stats )
        *stats = d.u.shadow_op.stats;
    if ( mb )
        *mb = d.u.shadow_op.mb;
    return d.u.shadow_op.pages > INT32_MAX ? INT32_MAX : (int)d.u.shadow_op.pages;
}

static int xc_hvm_param_op(xc_interface *xch, unsigned int op, uint32_t domid, uint32_t param,
                           uint64_t *value)
{
    struct xen_hvm_param *p;
    int rc;

    if ( domid > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    p = xc_bounce_in(xch, NULL, sizeof(*p));
    if ( !p )
        return -1;
    p->domid = (domid_t)domid;
    p->index = param;
    p->value = *value;
    rc = xc__hypercall_hvm_op(xch, op, p);
    if ( rc >= 0 )
        *value = p->value;
    xc_bounce_out(xch, p, NULL, 0);
    return rc;
}

int xc_hvm_param_set(xc_interface *xch, uint32_t domid, uint32_t param, uint64_t value)
{
    return xc_hvm_param_op(xch, HVMOP_set_param, domid, param, &value);
}

int xc_hvm_param_get(xc_interface *xch, uint32_t domid, uint32_t param, uint64_t *value)
{
    uint64_t v = 0;
    int rc;

    if ( !value )
    {
        errno = EINVAL;
        return -1;
    }
    rc = xc_hvm_param_op(xch, HVMOP_get_param, domid, param, &v);
    if ( rc >= 0 )
        *value = v;
    return rc;
}
