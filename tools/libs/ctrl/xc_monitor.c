/* SPDX-License-Identifier: MIT */
/*
 * xc_monitor.c - libxenctrl's monitor ring (Xen's xc_monitor_* and
 * xc_vm_event_*): the listener's side of XEN_DOMCTL_vm_event_op.
 *
 * xc_monitor_enable sets the ring up as Xen's libxc does: the target's
 * frame HVM_PARAM_MONITOR_RING_PFN names (populated if it is a hole),
 * mapped here and zeroed, the ring enabled (the hypervisor maps it too),
 * then given back from the target's physmap so the guest cannot reach
 * it. The target is paused meanwhile. The caller owns the mapping
 * (munmap it after xc_monitor_disable) and binds the port it got to
 * the target with xenevtchn_bind_interdomain.
 *
 * May not touch: anything of the target but its ring frame. Nothing is
 * left mapped, enabled or populated on any failure.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <wren-sys.h>
#include <xenforeignmemory.h>

#include "xc_private.h"

/* Wren's builder reserves no ring frame: the last page of the legacy hole
 * below 1 MiB, where Xen's builder keeps its special pages' end. */
#define MONITOR_RING_DEFAULT_GFN 0xffULL

static int vm_event_op(xc_interface *xch, uint32_t domid, uint32_t op, uint32_t *port)
{
    struct xen_domctl d;
    int rc;

    memset(&d.u, 0, sizeof(d.u));
    d.u.vm_event_op.op = op;
    d.u.vm_event_op.mode = XEN_DOMCTL_VM_EVENT_OP_MONITOR;
    rc = xc_domctl(xch, XEN_DOMCTL_vm_event_op, domid, &d);
    if ( !rc && port )
        *port = d.u.vm_event_op.u.enable.port;
    return rc;
}

/* The ring's gfn, chosen and recorded if the builder chose none. */
static int ring_gfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gfn)
{
    uint64_t v = 0;

    if ( xc_hvm_param_get(xch, domid, HVM_PARAM_MONITOR_RING_PFN, &v) )
        return -1;
    if ( !v )
    {
        v = MONITOR_RING_DEFAULT_GFN;
        if ( xc_hvm_param_set(xch, domid, HVM_PARAM_MONITOR_RING_PFN, v) )
            return -1;
    }
    *gfn = (xen_pfn_t)v;
    return 0;
}

/* The frame mapped and zeroed, populated first if it is a hole. */
static void *map_ring(xc_interface *xch, uint32_t domid, xen_pfn_t gfn)
{
    xenforeignmemory_handle *fmem;
    xen_pfn_t type = gfn, pfn = gfn;
    void *ring = NULL;

    if ( xc_get_pfn_type_batch(xch, domid, 1, &type) )
        return NULL;
    if ( (type & XEN_DOMCTL_PFINFO_LTAB_MASK) == XEN_DOMCTL_PFINFO_XTAB &&
         xc_domain_populate_physmap_exact(xch, domid, 1, 0, 0, &pfn) )
        return NULL;
    fmem = xenforeignmemory_open(NULL, 0);
    if ( fmem )
    {
        ring = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, 1, &gfn, NULL);
        xenforeignmemory_close(fmem);
    }
    if ( ring )
        memset(ring, 0, XC_PAGE_SIZE);
    return ring;
}

static void *enable_paused(xc_interface *xch, uint32_t domid, uint32_t *port)
{
    xen_pfn_t gfn;
    void *ring;
    int saved;

    if ( ring_gfn(xch, domid, &gfn) )
        return NULL;
    ring = map_ring(xch, domid, gfn);
    if ( !ring )
        return NULL;
    if ( !vm_event_op(xch, domid, XEN_VM_EVENT_ENABLE, port) )
    {
        if ( !xc_domain_decrease_reservation_exact(xch, domid, 1, 0, &gfn) )
            return ring;
        saved = errno;
        vm_event_op(xch, domid, XEN_VM_EVENT_DISABLE, NULL);
        errno = saved;
    }
    saved = errno;
    wren_sys_munmap(ring, XC_PAGE_SIZE);
    errno = saved;
    return NULL;
}

void *xc_monitor_enable(xc_interface *xch, uint32_t domain_id, uint32_t *port)
{
    void *ring;
    int saved;

    if ( !port )
    {
        errno = EINVAL;
        return NULL;
    }
    if ( xc_domain_pause(xch, domain_id) )
        return NULL;
    ring = enable_paused(xch, domain_id, port);
    saved = errno;
    if ( xc_domain_unpause(xch, domain_id) && ring )
    {
        saved = errno;
        vm_event_op(xch, domain_id, XEN_VM_EVENT_DISABLE, NULL);
        wren_sys_munmap(ring, XC_PAGE_SIZE);
        ring = NULL;
    }
    errno = saved;
    return ring;
}

int xc_monitor_disable(xc_interface *xch, uint32_t domain_id)
{
    return vm_event_op(xch, domain_id, XEN_VM_EVENT_DISABLE, NULL);
}

int xc_monitor_resume(xc_interface *xch, uint32_t domain_id)
{
    return vm_event_op(xch, domain_id, XEN_VM_EVENT_RESUME, NULL);
}

int xc_vm_event_get_version(xc_interface *xch)
{
    struct xen_domctl d;
    int rc;

    memset(&d.u, 0, sizeof(d.u));
    d.u.vm_event_op.op = XEN_VM_EVENT_GET_VERSION;
    d.u.vm_event_op.mode = XEN_DOMCTL_VM_EVENT_OP_MONITOR;
    rc = xc_domctl(xch, XEN_DOMCTL_vm_event_op, DOMID_INVALID, &d);
    return rc ? rc : (int)d.u.vm_event_op.u.version;
}
