/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * service.c - xenstored as a dom0 service (dom0/service.h): one daemon,
 * its backend made of Xen's libraries (dom0/ring_backend.h: a guest's
 * ring page mapped with xenforeignmemory, its event channel bound with
 * xenevtchn; its state read with xenctrl), VIRQ_DOM_EXC bound to notice shutdowns and deaths,
 * and a run() that collects fired ports without blocking, then serves.
 *
 * The only file of xenstored that names Xen's libraries; host tests use
 * their own backend instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <dom0/ring_backend.h>
#include <dom0/service.h>
#include <xenctrl.h>

#include "core.h"

static struct xenstored *daemon_xsd;
static struct dom0_ring_backend rings;
static xc_interface *xch;
static int dom_exc_port = -1;

/* A domain the hypervisor no longer knows is as good as dying. */
static enum xenstored_domstate be_domain_state(void *opaque, unsigned int domid)
{
    xc_domaininfo_t info;

    if ( xc_domain_getinfo_single(xch, domid, &info) )
        return errno == ESRCH ? XENSTORED_DOM_DYING : XENSTORED_DOM_RUNNING;
    if ( info.flags & XEN_DOMINF_dying )
        return XENSTORED_DOM_DYING;
    return info.flags & XEN_DOMINF_shutdown ? XENSTORED_DOM_SHUTDOWN : XENSTORED_DOM_RUNNING;
}

/* Shutdowns and deaths fire @releaseDomain (Xen's VIRQ_DOM_EXC). */
static void on_port(int port)
{
    if ( port == dom_exc_port )
        xenstored_check_domains(daemon_xsd);
}

static int service_init(void)
{
    const char *path = getenv("XENSTORED_PATH");
    struct xenstored_backend be = {
        .map = dom0_ring_map,
        .unmap = dom0_ring_unmap,
        .bind = dom0_ring_bind,
        .unbind = dom0_ring_unbind,
        .notify = dom0_ring_notify,
        .domain_state = be_domain_state,
        .opaque = &rings,
    };
    bool ok = !dom0_ring_backend_open(&rings);

    xch = xc_interface_open(NULL, NULL, 0);
    if ( !ok || !xch )
        fprintf(stderr, "xenstored: no foreign mapping, event channels or domctl: guests' "
                        "rings cannot be served\n");
    daemon_xsd = xenstored_create(ok && xch ? &be : NULL);
    if ( !daemon_xsd )
        return -1;
    /* Shutdowns and deaths, to fire @releaseDomain (Xen's VIRQ_DOM_EXC). */
    if ( rings.xce && (dom_exc_port = xenevtchn_bind_virq(rings.xce, VIRQ_DOM_EXC)) < 0 )
        fprintf(stderr, "xenstored: no VIRQ_DOM_EXC: @releaseDomain only on release\n");
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
    bool events = dom0_ring_drain(&rings, on_port);

    return xenstored_run(daemon_xsd) || events;
}

const struct dom0_service xenstored_dom0_service = {
    .name = "xenstored",
    .init = service_init,
    .run = service_run,
};
