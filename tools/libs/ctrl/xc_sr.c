/* SPDX-License-Identifier: MIT */
/*
 * xc_sr.c - libxenctrl's wrappers for save and restore: the page types of
 * a batch of frames (XEN_DOMCTL_getpageframeinfo3), the highest frame
 * (XENMEM_maximum_gpfn), the TSC settings and broken entries.
 *
 * The domctl arguments are laid out here as Xen lays them in the domctl
 * union (the union's padding holds them), so the library does not depend
 * on the hypervisor half having declared them yet. Each wrapper fills one
 * struct xen_domctl and goes through xc_domctl(); nothing else.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

/* Xen's struct xen_domctl_getpageframeinfo3. */
struct xc_pfinfo3
{
    uint64_t num;
    uint64_t array; /* XEN_GUEST_HANDLE_64(xen_pfn_t) */
};

/* Xen's struct xen_domctl_tsc_info. */
struct xc_tsc_info
{
    uint32_t tsc_mode;
    uint32_t gtsc_khz;
    uint32_t incarnation;
    uint32_t pad;
    uint64_t elapsed_nsec;
};

_Static_assert(sizeof(struct xc_pfinfo3) == 16, "getpageframeinfo3 layout");
_Static_assert(sizeof(struct xc_tsc_info) == 24, "tsc_info layout");

#define XC_PFINFO_MAX 1024u

int xc_get_pfn_type_batch(xc_interface *xch, uint32_t dom, unsigned int num, xen_pfn_t *arr)
{
    struct xen_domctl d = { 0 };
    struct xc_pfinfo3 a = { 0 };
    size_t len = (size_t)num * sizeof(*arr);
    xen_pfn_t *buf;
    int rc;

    if ( !num || num > XC_PFINFO_MAX || !arr )
    {
        errno = EINVAL;
        return -1;
    }
    buf = xc_bounce_in(xch, arr, len);
    if ( !buf )
        return -1;
    a.num = num;
    a.array = (uint64_t)(uintptr_t)buf;
    memcpy(d.u.pad, &a, sizeof(a));
    rc = xc_domctl(xch, XEN_DOMCTL_getpageframeinfo3, dom, &d);
    xc_bounce_out(xch, buf, rc < 0 ? NULL : arr, len);
    return rc < 0 ? -1 : 0;
}

int xc_domain_maximum_gpfn(xc_interface *xch, uint32_t domid, xen_pfn_t *gpfns)
{
    domid_t *arg;
    int rc;

    if ( domid > UINT16_MAX || !gpfns )
    {
        errno = EINVAL;
        return -1;
    }
    arg = xc_bounce_in(xch, NULL, sizeof(*arg));
    if ( !arg )
        return -1;
    *arg = (domid_t)domid;
    rc = xc__hypercall_memory_op(xch, XENMEM_maximum_gpfn, arg);
    xc_bounce_out(xch, arg, NULL, 0);
    if ( rc < 0 )
        return -1;
    *gpfns = (xen_pfn_t)rc;
    return 0;
}

int xc_domain_get_tsc_info(xc_interface *xch, uint32_t domid, uint32_t *tsc_mode,
                           uint64_t *elapsed_nsec, uint32_t *gtsc_khz, uint32_t *incarnation)
{
    struct xen_domctl d = { 0 };
    struct xc_tsc_info t;

    if ( !tsc_mode || !elapsed_nsec || !gtsc_khz || !incarnation )
    {
        errno = EINVAL;
        return -1;
    }
    if ( xc_domctl(xch, XEN_DOMCTL_gettscinfo, domid, &d) < 0 )
        return -1;
    memcpy(&t, d.u.pad, sizeof(t));
    *tsc_mode = t.tsc_mode;
    *elapsed_nsec = t.elapsed_nsec;
    *gtsc_khz = t.gtsc_khz;
    *incarnation = t.incarnation;
    return 0;
}

int xc_domain_set_tsc_info(xc_interface *xch, uint32_t domid, uint32_t tsc_mode,
                           uint64_t elapsed_nsec, uint32_t gtsc_khz, uint32_t incarnation)
{
    struct xen_domctl d = { 0 };
    struct xc_tsc_info t = {
        .tsc_mode = tsc_mode,
        .gtsc_khz = gtsc_khz,
        .incarnation = incarnation,
        .elapsed_nsec = elapsed_nsec,
    };

    memcpy(d.u.pad, &t, sizeof(t));
    return xc_domctl(xch, XEN_DOMCTL_settscinfo, domid, &d) < 0 ? -1 : 0;
}

int xc_set_broken_page_p2m(xc_interface *xch, uint32_t domid, unsigned long pfn)
{
    struct xen_domctl d = { 0 };
    uint64_t p = pfn;

    memcpy(d.u.pad, &p, sizeof(p));
    return xc_domctl(xch, XEN_DOMCTL_set_broken_page_p2m, domid, &d) < 0 ? -1 : 0;
}
