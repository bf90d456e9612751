/*
 * ioreq_private.h - what ioreq.c (servers) and ioreq_fwd.c (forwarding)
 * share beyond xen/ioreq.h. Nothing else includes it.
 *
 * May not touch: anything outside the two files.
 */
#ifndef XEN_IOREQ_PRIVATE_H
#define XEN_IOREQ_PRIVATE_H

struct domain;
struct ioreq_server;

/* The callback of every port whose consumer is an ioreq server: d's
 * port was notified by the device model. */
void ioreq_port_event(struct domain *d, unsigned int port);
/* s is being unpublished (d->ioreq.lock held): its waiters stop waiting. */
void ioreq_release_waiters(struct ioreq_server *s);

#endif /* XEN_IOREQ_PRIVATE_H */
