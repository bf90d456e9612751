/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * service.c - the console daemon as a dom0 service (dom0/service.h):
 * one daemon whose backend is Xen's libraries (the console page mapped
 * with xenforeignmemory, its channel bound with xenevtchn), the
 * toolstack's console_add_domain()/console_remove_domain() on it, and a
 * run() that collects fired ports without blocking, then serves.
 *
 * The only file of the console daemon that names Xen's libraries.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/mman.h>
#include <dom0/service.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>

#include "console.h"

static struct xenconsoled *daemon_xc;
static xenforeignmemory_handle *fmem;
static xenevtchn_handle *xce;

static void *be_map(void *opaque, unsigned int domid, unsigned long gfn)
{
    xen_pfn_t pfn = gfn;

    return xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, 1, &pfn, NULL);
}

static void be_unmap(void *opaque, void *page)
{
    xenforeignmemory_unmap(fmem, page, 1);
}

static int be_bind(void *opaque, unsigned int domid, unsigned int remote_port)
{
    return xenevtchn_bind_interdomain(xce, domid, remote_port);
}

static void be_unbind(void *opaque, int local_port)
{
    xenevtchn_unbind(xce, local_port);
}

static void be_notify(void *opaque, int local_port)
{
    xenevtchn_notify(xce, local_port);
}

static const struct xenconsoled_backend xen_backend = {
    .map = be_map,
    .unmap = be_unmap,
    .bind = be_bind,
    .unbind = be_unbind,
    .notify = be_notify,
};

static int service_init(void)
{
    fmem = xenforeignmemory_open(NULL, 0);
    xce = xenevtchn_open(NULL, 0);
    if ( !fmem || !xce )
    {
        fprintf(stderr, "xenconsoled: no foreign mapping or event channels\n");
        return -1;
    }
    daemon_xc = xenconsoled_create(&xen_backend, XENCONSOLED_DIR);
    return daemon_xc ? 0 : -1;
}

static bool drain_events(void)
{
    struct pollfd pfd = { .fd = xenevtchn_fd(xce), .events = POLLIN };
    xenevtchn_port_or_error_t port;
    bool any = false;

    while ( poll(&pfd, 1, 0) == 1 && (port = xenevtchn_pending(xce)) >= 0 )
    {
        xenevtchn_unmask(xce, port);
        any = true;
    }
    return any;
}

static bool service_run(void)
{
    bool events;

    if ( !daemon_xc )
        return false;
    events = drain_events();
    return xenconsoled_run(daemon_xc) || events;
}

const struct dom0_service xenconsoled_dom0_service = {
    .name = "xenconsoled",
    .init = service_init,
    .run = service_run,
};

int console_add_domain(unsigned int domid, unsigned long ring_gfn, unsigned int port)
{
    return daemon_xc ? xenconsoled_add_domain(daemon_xc, domid, ring_gfn, port) : -ENODEV;
}

int console_remove_domain(unsigned int domid)
{
    return daemon_xc ? xenconsoled_remove_domain(daemon_xc, domid) : -ENODEV;
}
