/* SPDX-License-Identifier: MIT */
/*
 * xen-sys/evtchn.h - the event-channel device's ioctl interface
 * (/dev/xen/evtchn), as Linux defines it.
 *
 * Layouts and numbers are Linux's UAPI. Each bind returns the new local
 * port (or -1/errno). read() of the fd yields the local ports that fired,
 * as uint32_t each, masking them; write() of ports unmasks them. poll()
 * reports POLLIN while a fired port is unread. Wren's dom0 runtime
 * implements this device; tools/libs/evtchn uses it.
 */
#ifndef WREN_XEN_SYS_EVTCHN_H
#define WREN_XEN_SYS_EVTCHN_H

#include <sys/ioctl.h>

struct ioctl_evtchn_bind_virq
{
    unsigned int virq;
};
struct ioctl_evtchn_bind_interdomain
{
    unsigned int remote_domain, remote_port;
};
struct ioctl_evtchn_bind_unbound_port
{
    unsigned int remote_domain;
};
struct ioctl_evtchn_unbind
{
    unsigned int port;
};
struct ioctl_evtchn_notify
{
    unsigned int port;
};

#define IOCTL_EVTCHN_BIND_VIRQ _IOC(_IOC_NONE, 'E', 0, sizeof(struct ioctl_evtchn_bind_virq))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT \
    _IOC(_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#define IOCTL_EVTCHN_UNBIND _IOC(_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_unbind))
#define IOCTL_EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))
#define IOCTL_EVTCHN_RESET  _IOC(_IOC_NONE, 'E', 5, 0)

#endif /* WREN_XEN_SYS_EVTCHN_H */
