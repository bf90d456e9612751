/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ring_backend.h - what a dom0 daemon serving guests' shared rings
 * (xenstored, xenconsoled) needs from Xen's libraries: map one page of a
 * guest, bind to a port it offers, notify it. Each daemon's backend
 * struct points at these; its opaque argument is a struct
 * dom0_ring_backend. Only dom0 links this: host tests give the daemons
 * their own backends.
 */
#ifndef DOM0_RING_BACKEND_H
#define DOM0_RING_BACKEND_H

#include <stdbool.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>

struct dom0_ring_backend
{
    xenforeignmemory_handle *fmem;
    xenevtchn_handle *xce;
};

/* Open both handles: 0, or -1 with each that could not open left NULL. */
int dom0_ring_backend_open(struct dom0_ring_backend *rb);

void *dom0_ring_map(void *rb, unsigned int domid, unsigned long gfn);
void dom0_ring_unmap(void *rb, void *page);
int dom0_ring_bind(void *rb, unsigned int domid, unsigned int remote_port);
void dom0_ring_unbind(void *rb, int local_port);
void dom0_ring_notify(void *rb, int local_port);

/* Take every fired port without blocking, unmasking each; on_port (may
 * be NULL) sees each one. True if any fired. */
bool dom0_ring_drain(struct dom0_ring_backend *rb, void (*on_port)(int port));

#endif /* DOM0_RING_BACKEND_H */
