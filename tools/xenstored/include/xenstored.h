/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenstored.h - the xenstore daemon as a library: dom0 runs it as a
 * service (dom0/service.h), host tests and a host main loop drive it
 * directly.
 *
 * A daemon holds one store tree and its connections: clients on a Unix
 * socket (dom0's tools, as domain 0) and guests' ring pages (set up by
 * XS_INTRODUCE). It never blocks: xenstored_run() handles what is ready
 * and returns. How a guest's ring page is mapped and its event channel
 * bound is the backend's business, so that tests can hand it a ring in
 * ordinary memory; this header may not name Xen's libraries.
 */
#ifndef XENSTORED_H
#define XENSTORED_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#define XENSTORED_SOCKET "/run/xenstored/socket"

struct xenstored;

/* Reaching guests' ring pages; every hook gets the backend's opaque. */
struct xenstored_backend
{
    /* The ring page of domid at frame mfn, mapped read-write, or NULL. */
    void *(*map)(void *opaque, unsigned int domid, unsigned long mfn);
    void (*unmap)(void *opaque, void *page);
    /* Bind to domid's port; the local port, or -1. */
    int (*bind)(void *opaque, unsigned int domid, unsigned int remote_port);
    void (*unbind)(void *opaque, int local_port);
    void (*notify)(void *opaque, int local_port);
    void *opaque;
};

/* be may be NULL: then XS_INTRODUCE fails with ENOSYS. NULL on ENOMEM. */
struct xenstored *xenstored_create(const struct xenstored_backend *be);
void xenstored_destroy(struct xenstored *xsd);

/* Listen for clients at path (a stale socket there is replaced). */
int xenstored_listen(struct xenstored *xsd, const char *path);

/* Handle whatever is ready; true if anything was done. */
bool xenstored_run(struct xenstored *xsd);

/* The descriptors worth polling (listener, clients): up to max. */
unsigned int xenstored_pollfds(struct xenstored *xsd, struct pollfd *fds, unsigned int max);

/* Counters for tests and logs. */
struct xenstored_stats
{
    unsigned int nodes;       /* in the tree */
    unsigned int connections; /* live ones */
    unsigned int domains;     /* introduced */
    uint64_t dropped_events;  /* watch events a full queue refused */
    uint64_t bad_connections; /* closed for a protocol violation */
};
void xenstored_get_stats(const struct xenstored *xsd, struct xenstored_stats *st);

/* dom0's instance (service.c): xenforeignmemory and xenevtchn as the
 * backend, listening on $XENSTORED_PATH or XENSTORED_SOCKET. */
struct dom0_service;
extern const struct dom0_service xenstored_dom0_service;

#endif /* XENSTORED_H */
