/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ring_backend.c - the page-and-port backend the ring daemons share
 * (dom0/ring_backend.h): one xenforeignmemory and one xenevtchn handle.
 * It knows nothing of any daemon's protocol.
 */
#include <poll.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <dom0/ring_backend.h>

int dom0_ring_backend_open(struct dom0_ring_backend *rb)
{
    rb->fmem = xenforeignmemory_open(NULL, 0);
    rb->xce = xenevtchn_open(NULL, 0);
    return rb->fmem && rb->xce ? 0 : -1;
}

void *dom0_ring_map(void *rb, unsigned int domid, unsigned long gfn)
{
    struct dom0_ring_backend *b = rb;
    xen_pfn_t pfn = gfn;

    return xenforeignmemory_map(b->fmem, domid, PROT_READ | PROT_WRITE, 1, &pfn, NULL);
}

void dom0_ring_unmap(void *rb, void *page)
{
    xenforeignmemory_unmap(((struct dom0_ring_backend *)rb)->fmem, page, 1);
}

int dom0_ring_bind(void *rb, unsigned int domid, unsigned int remote_port)
{
    return xenevtchn_bind_interdomain(((struct dom0_ring_backend *)rb)->xce, domid, remote_port);
}

void dom0_ring_unbind(void *rb, int local_port)
{
    xenevtchn_unbind(((struct dom0_ring_backend *)rb)->xce, local_port);
}

void dom0_ring_notify(void *rb, int local_port)
{
    xenevtchn_notify(((struct dom0_ring_backend *)rb)->xce, local_port);
}

bool dom0_ring_drain(struct dom0_ring_backend *rb, void (*on_port)(int port))
{
    struct pollfd pfd = { .fd = rb->xce ? xenevtchn_fd(rb->xce) : -1, .events = POLLIN };
    xenevtchn_port_or_error_t port;
    bool any = false;

    while ( rb->xce && poll(&pfd, 1, 0) == 1 && (port = xenevtchn_pending(rb->xce)) >= 0 )
    {
        xenevtchn_unmask(rb->xce, port);
        if ( on_port )
            on_port(port);
        any = true;
    }
    return any;
}
