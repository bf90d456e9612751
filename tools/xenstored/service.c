/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * service.c - xenstored as a dom0 service (dom0/service.h): one daemon,
 * its backend made of Xen's libraries (a guest's ring page mapped with
 * xenforeignmemory, its event channel bound with xenevtchn), and a run()
 * that collects fired ports without blocking, then serves.
 *
 * The only file of xenstored that names Xen's libraries; host tests use
 * their own backend instead.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <dom0/service.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>

#include "core.h"

static struct xenstored *daemon_xsd;
static xenforeignmemory_handle *fmem;
static xenevtchn_handle *xce;

static void *be_map(void *opaque, unsigned int domid, unsigned long mfn)
{
    xen_pfn_t pfn = mfn;

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

static const struct xenstored_backend xen_backend = {
    .map = be_map,
    .unmap = be_unmap,
    .bind = be_bind,
    .unbind = be_unbind,
    .notify = be_notify,
};

/* Take every fired port (the rings are all looked at anyway). */
static bool drain_events(void)
{
    struct pollfd pfd = { .fd = xce ? xenevtchn_fd(xce) : -1, .events = POLLIN };
    xenevtchn_port_or_error_t port;
    bool any = false;

    while ( xce && poll(&pfd, 1, 0) == 1 && (port = xenevtchn_pending(xce)) >= 0 )
    {
        xenevtchn_unmask(xce, port);
        any = true;
    }
    return any;
}

static int service_init(void)
{
    const char *path = getenv("XENSTORED_PATH");

    fmem = xenforeignmemory_open(NULL, 0);
    xce = xenevtchn_open(NULL, 0);
    if ( !fmem || !xce )
        fprintf(stderr, "xenstored: no foreign mapping or event channels: guests' rings "
                        "cannot be served\n");
    daemon_xsd = xenstored_create(fmem && xce ? &xen_backend : NULL);
    if ( !daemon_xsd )
        return -1;
    mkdir("/run", 0755);
    mkdir("/run/xenstored", 0755);
    if ( xenstored_listen(daemon_xsd, path && *path ? path : XENSTORED_SOCKET) )
    {
        fprintf(stderr, "xenstored: cannot listen on %s\n", path ? path : XENSTORED_SOCKET);
        return -1;
    }
    return 0;
}

static bool service_run(void)
{
    bool events = drain_events();

    return xenstored_run(daemon_xsd) || events;
}

const struct dom0_service xenstored_dom0_service = {
    .name = "xenstored",
    .init = service_init,
    .run = service_run,
};
