/* SPDX-License-Identifier: MIT */
/*
 * xc_domain.c - libxenctrl's domain lifecycle and inspection wrappers
 * (XEN_DOMCTL_*, XEN_SYSCTL_getdomaininfolist).
 *
 * Each wrapper fills one struct xen_domctl and hands it to xc_domctl();
 * nothing here issues a hypercall any other way.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

static int xc_domctl_simple(xc_interface *xch, uint32_t cmd, uint32_t domid)
{
    struct xen_domctl d = { 0 };

    return xc_domctl(xch, cmd, domid, &d);
}

int xc_domain_create(xc_interface *xch, uint32_t *pdomid, struct xen_domctl_createdomain *config)
{
    struct xen_domctl d = { 0 };
    int rc;

    if ( !pdomid || !config )
    {
        errno = EINVAL;
        return -1;
    }
    d.u.createdomain = *config;
    rc = xc_domctl(xch, XEN_DOMCTL_createdomain, *pdomid, &d);
    if ( rc < 0 )
        return rc;
    *pdomid = d.domain;
    *config = d.u.createdomain;
    return 0;
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
    return xc_domctl_simple(xch, XEN_DOMCTL_destroydomain, domid);
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
    return xc_domctl_simple(xch, XEN_DOMCTL_pausedomain, domid);
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
    return xc_domctl_simple(xch, XEN_DOMCTL_unpausedomain, domid);
}

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid, xc_domaininfo_t *info)
{
    struct xen_domctl d = { 0 };

    if ( !info )
    {
        errno = EINVAL;
        return -1;
    }
    if ( xc_domctl(xch, XEN_DOMCTL_getdomaininfo, domid, &d) < 0 )
        return -1;
    /* Older hypervisors answered with the next domain up: not this one. */
    if ( d.u.getdomaininfo.domain != domid )
    {
        errno = ESRCH;
        return -1;
    }
    *info = d.u.getdomaininfo;
    return 0;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain, unsigned int max_domains,
                          xc_domaininfo_t *info)
{
    struct xen_sysctl s = { 0 };
    size_t len = (size_t)max_domains * sizeof(*info);
    void *buf;
    int rc;

    if ( first_domain > UINT16_MAX || (max_domains && !info) || max_domains > UINT16_MAX + 1U )
    {
        errno = EINVAL;
        return -1;
    }
    if ( !max_domains )
        return 0;
    buf = xc_bounce_in(xch, NULL, len);
    if ( !buf )
        return -1;
    s.u.getdomaininfolist.first_domain = (domid_t)first_domain;
    s.u.getdomaininfolist.max_domains = max_domains;
    s.u.getdomaininfolist.buffer = (uint64_t)(uintptr_t)buf;
    rc = xc_sysctl(xch, XEN_SYSCTL_getdomaininfolist, &s);
    if ( rc >= 0 && s.u.getdomaininfolist.num_domains > max_domains )
    {
        errno = EIO;
        rc = -1;
    }
    if ( rc >= 0 )
        rc = (int)s.u.getdomaininfolist.num_domains;
    xc_bounce_out(xch, buf, rc > 0 ? info : NULL, rc > 0 ? rc * sizeof(*info) : 0);
    return rc;
}

int xc_domain_sethandle(xc_interface *xch, uint32_t domid, xen_domain_handle_t handle)
{
    struct xen_domctl d = { 0 };

    memcpy(d.u.setdomainhandle.handle, handle, sizeof(xen_domain_handle_t));
    return xc_domctl(xch, XEN_DOMCTL_setdomainhandle, domid, &d);
}

int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max)
{
    struct xen_domctl d = { 0 };

    d.u.max_vcpus.max = max;
    return xc_domctl(xch, XEN_DOMCTL_max_vcpus, domid, &d);
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
    struct xen_domctl d = { 0 };

    d.u.max_mem.max_memkb = max_memkb;
    return xc_domctl(xch, XEN_DOMCTL_max_mem, domid, &d);
}

int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu, xc_vcpuinfo_t *info)
{
    struct xen_domctl d = { 0 };

    if ( !info )
    {
        errno = EINVAL;
        return -1;
    }
    d.u.getvcpuinfo.vcpu = vcpu;
    if ( xc_domctl(xch, XEN_DOMCTL_getvcpuinfo, domid, &d) < 0 )
        return -1;
    *info = d.u.getvcpuinfo;
    return 0;
}

/* get (buf NULL: size query) and set share the envelope; size travels in
 * both directions. Returns the size the hypervisor reported. */
static int xc_hvmcontext(xc_interface *xch, uint32_t cmd, uint32_t domid, uint8_t *ctxt,
                         uint32_t size, int copy_out)
{
    struct xen_domctl d = { 0 };
    void *buf = NULL;
    int rc;

    if ( ctxt )
    {
        buf = xc_bounce_in(xch, copy_out ? NULL : ctxt, size);
        if ( !buf )
            return -1;
        d.u.hvmcontext.size = size;
        d.u.hvmcontext.buffer = (uint64_t)(uintptr_t)buf;
    }
    rc = xc_domctl(xch, cmd, domid, &d);
    if ( rc >= 0 && d.u.hvmcontext.size > INT32_MAX )
    {
        errno = EIO;
        rc = -1;
    }
    if ( rc >= 0 )
        rc = (int)d.u.hvmcontext.size;
    xc_bounce_out(xch, buf, rc >= 0 && copy_out ? ctxt : NULL,
                  rc >= 0 && (uint32_t)rc < size ? (uint32_t)rc : size);
    return rc;
}

int xc_domain_hvm_getcontext(xc_interface *xch, uint32_t domid, uint8_t *ctxt_buf, uint32_t size)
{
    return xc_hvmcontext(xch, XEN_DOMCTL_gethvmcontext, domid, ctxt_buf, size, 1);
}

int xc_domain_hvm_setcontext(xc_interface *xch, uint32_t domid, uint8_t *hvm_ctxt, uint32_t size)
{
    int rc;

    if ( !hvm_ctxt )
    {
        errno = EINVAL;
        return -1;
    }
    rc = xc_hvmcontext(xch, XEN_DOMCTL_sethvmcontext, domid, hvm_ctxt, size, 0);
    return rc < 0 ? rc : 0;
}

int xc_vcpu_setcontext(xc_interface *xch, uint32_t domid, uint32_t vcpu, const void *ctxt,
                       size_t size)
{
    struct xen_domctl d = { 0 };
    void *buf;
    int rc;

    if ( !ctxt || !size )
    {
        errno = EINVAL;
        return -1;
    }
    buf = xc_bounce_in(xch, ctxt, size);
    if ( !buf )
        return -1;
    d.u.vcpucontext.vcpu = vcpu;
    d.u.vcpucontext.ctxt = (uint64_t)(uintptr_t)buf;
    rc = xc_domctl(xch, XEN_DOMCTL_setvcpucontext, domid, &d);
    xc_bounce_out(xch, buf, NULL, size);
    return rc < 0 ? rc : 0;
}
