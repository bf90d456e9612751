/* SPDX-License-Identifier: MIT */
/*
 * xc_core.c - libxenctrl's handle and the plumbing every wrapper uses:
 * bounce buffers and the domctl/sysctl envelopes.
 *
 * Talks to the hypervisor only through libxencall; knows no sub-op.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"

xc_interface *xc_interface_open(struct xentoollog_logger *logger,
                                struct xentoollog_logger *dombuild_logger, unsigned int open_flags)
{
    xc_interface *xch;

    if ( open_flags )
    {
        errno = EINVAL;
        return NULL;
    }
    xch = calloc(1, sizeof(*xch));
    if ( !xch )
        return NULL;
    xch->xcall = xencall_open(logger, 0);
    if ( !xch->xcall )
    {
        int err = errno;

        free(xch);
        errno = err;
        return NULL;
    }
    return xch;
}

int xc_interface_close(xc_interface *xch)
{
    int rc;

    if ( !xch )
        return 0;
    rc = xencall_close(xch->xcall);
    free(xch);
    return rc;
}

struct xencall_handle *xc_interface_xcall(xc_interface *xch)
{
    return xch->xcall;
}

void *xc_bounce_in(xc_interface *xch, const void *src, size_t len)
{
    void *buf = xencall_alloc_buffer(xch->xcall, len);

    if ( !buf )
        return NULL;
    if ( src )
        memcpy(buf, src, len);
    else
        memset(buf, 0, len);
    return buf;
}

void xc_bounce_out(xc_interface *xch, void *buf, void *dst, size_t len)
{
    int err = errno;

    if ( !buf )
        return;
    if ( dst )
        memcpy(dst, buf, len);
    xencall_free_buffer(xch->xcall, buf);
    errno = err;
}

int xc_bounce_call(xc_interface *xch, unsigned int nr, void *op, size_t len)
{
    void *buf = xc_bounce_in(xch, op, len);
    int rc;

    if ( !buf )
        return -1;
    rc = xencall1(xch->xcall, nr, (uint64_t)(uintptr_t)buf);
    xc_bounce_out(xch, buf, op, len);
    return rc;
}

int xc_domctl(xc_interface *xch, uint32_t cmd, uint32_t domid, struct xen_domctl *d)
{
    if ( domid > UINT16_MAX )
    {
        errno = EINVAL;
        return -1;
    }
    d->cmd = cmd;
    d->domain = (domid_t)domid;
    memset(d->pad, 0, sizeof(d->pad));
    return xc__hypercall_domctl(xch, d);
}

int xc_sysctl(xc_interface *xch, uint32_t cmd, struct xen_sysctl *s)
{
    s->cmd = cmd;
    return xc__hypercall_sysctl(xch, s);
}
