/* SPDX-License-Identifier: MIT */
/*
 * xenevtchn.c - libxenevtchn: event channels through /dev/xen/evtchn
 * (ioctls to bind, notify and unbind; read() collects fired ports,
 * write() unmasks them).
 *
 * Reaches the device through wren-sys.h only; issues no hypercall.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <xen-sys/evtchn.h>

#include "wren-sys.h"
#include "xenevtchn.h"

struct xenevtchn_handle
{
    int fd;
};

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
    xenevtchn_handle *xce;

    if ( open_flags )
    {
        errno = EINVAL;
        return NULL;
    }
    xce = calloc(1, sizeof(*xce));
    if ( !xce )
        return NULL;
    xce->fd = wren_sys_open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    if ( xce->fd < 0 )
    {
        int err = errno;

        fprintf(stderr, "xenevtchn: cannot open /dev/xen/evtchn: errno %d\n", err);
        free(xce);
        errno = err;
        return NULL;
    }
    return xce;
}

int xenevtchn_close(xenevtchn_handle *xce)
{
    int rc;

    if ( !xce )
        return 0;
    rc = wren_sys_close(xce->fd);
    free(xce);
    return rc;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
    return xce->fd;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct ioctl_evtchn_notify notify = { .port = port };

    return wren_sys_ioctl(xce->fd, IOCTL_EVTCHN_NOTIFY, &notify);
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid)
{
    struct ioctl_evtchn_bind_unbound_port bind = { .remote_domain = domid };

    return wren_sys_ioctl(xce->fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind);
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                                                     evtchn_port_t remote_port)
{
    struct ioctl_evtchn_bind_interdomain bind = {
        .remote_domain = domid,
        .remote_port = remote_port,
    };

    return wren_sys_ioctl(xce->fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
    struct ioctl_evtchn_bind_virq bind = { .virq = virq };

    return wren_sys_ioctl(xce->fd, IOCTL_EVTCHN_BIND_VIRQ, &bind);
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct ioctl_evtchn_unbind unbind = { .port = port };

    return wren_sys_ioctl(xce->fd, IOCTL_EVTCHN_UNBIND, &unbind);
}

/* The next fired port (now masked); blocks until one fires unless the fd
 * was made non-blocking, then -1/EAGAIN. */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    evtchn_port_t port;
    ssize_t n = wren_sys_read(xce->fd, &port, sizeof(port));

    if ( n < 0 )
        return -1;
    if ( n != sizeof(port) || port > INT32_MAX )
    {
        errno = EIO;
        return -1;
    }
    return (xenevtchn_port_or_error_t)port;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    ssize_t n = wren_sys_write(xce->fd, &port, sizeof(port));

    if ( n < 0 )
        return -1;
    if ( n != sizeof(port) )
    {
        errno = EIO;
        return -1;
    }
    return 0;
}
