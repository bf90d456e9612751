/* SPDX-License-Identifier: MIT */
/*
 * xc_misc.c - libxenctrl's host-wide wrappers (physinfo, the console
 * ring, xen_version) and the event-channel one (alloc_unbound).
 *
 * Same rules as the rest of libxenctrl: the hypercall stubs of
 * xc_private.h only, and every argument in a hypercall buffer.
 */
#include <errno.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/version.h>

#include "xc_private.h"

int xc_evtchn_alloc_unbound(xc_interface *xch, uint32_t domid, uint32_t remote_domid)
{
    struct evtchn_alloc_unbound *arg;
    int rc;

    if ( domid > UINT16_MAX || remote_domid > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    arg = xc_bounce_in(xch, NULL, sizeof(*arg));
    if ( !arg )
        return -1;
    arg->dom = (domid_t)domid;
    arg->remote_dom = (domid_t)remote_domid;
    rc = xc__hypercall_event_channel_op(xch, EVTCHNOP_alloc_unbound, arg);
    if ( rc >= 0 )
        rc = arg->port > INT32_MAX ? INT32_MAX : (int)arg->port;
    xc_bounce_out(xch, arg, NULL, 0);
    return rc;
}

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
    struct xen_sysctl s = { 0 };

    if ( !info )
    {
        errno = EINVAL;
        return -1;
    }
    if ( xc_sysctl(xch, XEN_SYSCTL_physinfo, &s) < 0 )
        return -1;
    *info = s.u.physinfo;
    return 0;
}

int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars, int clear,
                       int incremental, uint32_t *pindex)
{
    struct xen_sysctl s = { 0 };
    unsigned int size;
    void *buf;
    int rc;

    if ( !buffer || !pnr_chars || !*pnr_chars || (incremental && !pindex) )
    {
        errno = EINVAL;
        return -1;
    }
    size = *pnr_chars;
    buf = xc_bounce_in(xch, NULL, size);
    if ( !buf )
        return -1;
    s.u.readconsole.clear = !!clear;
    s.u.readconsole.incremental = !!incremental;
    s.u.readconsole.index = incremental ? *pindex : 0;
    s.u.readconsole.buffer = (uint64_t)(uintptr_t)buf;
    s.u.readconsole.count = size;
    rc = xc_sysctl(xch, XEN_SYSCTL_readconsole, &s);
    if ( rc >= 0 && s.u.readconsole.count > size )
    {
        errno = EIO;
        rc = -1;
    }
    if ( rc >= 0 )
    {
        *pnr_chars = s.u.readconsole.count;
        if ( incremental )
            *pindex = s.u.readconsole.index;
    }
    xc_bounce_out(xch, buf, rc >= 0 ? buffer : NULL, rc >= 0 ? s.u.readconsole.count : 0);
    return rc < 0 ? rc : 0;
}

/* The size of xen_version's argument for cmd; 0: none; -1: unknown. */
static long xc_version_arg_size(int cmd)
{
    switch ( cmd )
    {
    case XENVER_version:
    case XENVER_pagesize: return 0;
    case XENVER_extraversion: return XEN_EXTRAVERSION_LEN;
    case XENVER_compile_info: return sizeof(struct xen_compile_info);
    case XENVER_capabilities: return XEN_CAPABILITIES_INFO_LEN;
    case XENVER_changeset: return XEN_CHANGESET_INFO_LEN;
    case XENVER_platform_parameters: return sizeof(struct xen_platform_parameters);
    case XENVER_get_features: return sizeof(struct xen_feature_info);
    case XENVER_guest_handle: return sizeof(xen_domain_handle_t);
    case XENVER_commandline: return XEN_COMMANDLINE_LEN;
    default: return -1;
    }
}

int xc_version(xc_interface *xch, int cmd, void *arg)
{
    long len = xc_version_arg_size(cmd);
    void *buf = NULL;
    int rc;

    if ( len < 0 || (len && !arg) )
    {
        errno = EINVAL;
        return -1;
    }
    if ( len )
    {
        /* get_features reads submap_idx: copy the caller's struct in. */
        buf = xc_bounce_in(xch, arg, len);
        if ( !buf )
            return -1;
    }
    rc = xc__hypercall_xen_version(xch, cmd, buf);
    xc_bounce_out(xch, buf, rc >= 0 ? arg : NULL, len);
    return rc;
}
