/* SPDX-License-Identifier: MIT */
/*
 * xenevtchn.h - event channels for a user of /dev/xen/evtchn (Xen's
 * libxenevtchn). A fired port is masked until xenevtchn_unmask(); the fd
 * polls readable while a fired port waits to be collected with
 * xenevtchn_pending(). Errors: -1 with errno.
 */
#ifndef XENEVTCHN_H
#define XENEVTCHN_H

#include <stdint.h>

struct xentoollog_logger;
typedef struct xenevtchn_handle xenevtchn_handle;
typedef int xenevtchn_port_or_error_t;
typedef uint32_t evtchn_port_t;

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int open_flags);
int xenevtchn_close(xenevtchn_handle *xce);
int xenevtchn_fd(xenevtchn_handle *xce);

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid);
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                                                     evtchn_port_t remote_port);
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq);
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);

#endif /* XENEVTCHN_H */
