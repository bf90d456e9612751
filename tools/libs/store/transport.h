/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport.h - how a libxenstore handle moves bytes to and from
 * xenstored: a Unix socket (dom0's tools, on the host or inside Wren's
 * dom0) or a ring page (a guest's own xenstore page, and tests that run
 * the daemon in the same thread). Private to tools/libs/store and its
 * tests; xenstore.h's callers never see it.
 *
 * A transport blocks: read_all returns only with all len bytes (or an
 * error), write_all only when all are sent. A non-blocking peek lets
 * xs_check_watch() take an event that has fully arrived without waiting
 * for one that has not.
 */
#ifndef XS_TRANSPORT_H
#define XS_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <xen/io/xs_wire.h>

#include "xenstore.h"

struct xs_transport;

struct xs_transport_ops
{
    /* 0, or -1 with errno. */
    int (*write_all)(struct xs_transport *t, const void *buf, size_t len);
    int (*read_all)(struct xs_transport *t, void *buf, size_t len);
    /* Bytes that can be read now without blocking (at most len, copied
     * to buf but not consumed), or -1 with errno. */
    int (*peek)(struct xs_transport *t, void *buf, size_t len);
    /* A descriptor that polls readable when bytes arrive, or -1. */
    int (*fd)(struct xs_transport *t);
    void (*close)(struct xs_transport *t);
};

struct xs_transport
{
    const struct xs_transport_ops *ops;
};

/* Connect to the daemon's socket at path; NULL with errno. */
struct xs_transport *xs_transport_socket(const char *path);

/*
 * The client side of a ring page: requests go to req, replies come from
 * rsp. kick(opaque) signals the daemon (an event channel); wait(opaque)
 * is called when the ring has no room or no data, and returns nonzero
 * to give up (errno set).
 */
struct xs_transport *xs_transport_ring(struct xenstore_domain_interface *intf,
                                       void (*kick)(void *opaque), int (*wait)(void *opaque),
                                       void *opaque);

/* A handle over t, which it owns from then on; NULL with errno (and t
 * closed). */
struct xs_handle *xs_open_transport(struct xs_transport *t);

#endif /* XS_TRANSPORT_H */
