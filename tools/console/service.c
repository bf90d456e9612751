/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * service.c - the console daemon as a dom0 service (dom0/service.h):
 * one daemon whose backend is Xen's libraries (dom0/ring_backend.h: the
 * console page mapped with xenforeignmemory, its channel bound with
 * xenevtchn), the
 * toolstack's console_add_domain()/console_remove_domain() on it, and a
 * run() that collects fired ports without blocking, then serves.
 *
 * The only file of the console daemon that names Xen's libraries.
 */
#include <errno.h>
#include <stdio.h>
#include <dom0/ring_backend.h>
#include <dom0/service.h>

#include "console.h"

static struct xenconsoled *daemon_xc;
static struct dom0_ring_backend rings;

static int service_init(void)
{
    struct xenconsoled_backend be = {
        .map = dom0_ring_map,
        .unmap = dom0_ring_unmap,
        .bind = dom0_ring_bind,
        .unbind = dom0_ring_unbind,
        .notify = dom0_ring_notify,
        .opaque = &rings,
    };

    if ( dom0_ring_backend_open(&rings) )
    {
        fprintf(stderr, "xenconsoled: no foreign mapping or event channels\n");
        return -1;
    }
    daemon_xc = xenconsoled_create(&be, XENCONSOLED_DIR);
    return daemon_xc ? 0 : -1;
}

static bool service_run(void)
{
    bool events;

    if ( !daemon_xc )
        return false;
    events = dom0_ring_drain(&rings, NULL);
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
