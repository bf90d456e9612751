/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport-ring.c - libxenstore over a xenstore ring page, from the
 * guest's side (transport.h): writes go to req, reads come from rsp,
 * with Xen's index discipline (data, barrier, index). An index the
 * daemon left out of range is an error (EIO), not a reason to read
 * outside the ring.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "transport.h"

struct ring_transport
{
    struct xs_transport t;
    struct xenstore_domain_interface *intf;
    void (*kick)(void *opaque);
    int (*wait)(void *opaque);
    void *opaque;
};

static struct ring_transport *rt_of(struct xs_transport *t)
{
    return (struct ring_transport *)t;
}

static XENSTORE_RING_IDX load(XENSTORE_RING_IDX *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Copy up to len bytes into req; how many, or -1 (bad indexes). */
static int ring_put(struct xenstore_domain_interface *r, const char *buf, size_t len)
{
    XENSTORE_RING_IDX cons = load(&r->req_cons), prod = r->req_prod;
    size_t n = 0;

    if ( prod - cons > XENSTORE_RING_SIZE )
        return -1;
    while ( n < len && prod - cons + n < XENSTORE_RING_SIZE )
    {
        r->req[MASK_XENSTORE_IDX(prod + n)] = buf[n];
        n++;
    }
    __atomic_store_n(&r->req_prod, prod + n, __ATOMIC_RELEASE);
    return n;
}

static int ring_get(struct xenstore_domain_interface *r, char *buf, size_t len, bool consume)
{
    XENSTORE_RING_IDX cons = r->rsp_cons, prod = load(&r->rsp_prod);
    size_t n = 0;

    if ( prod - cons > XENSTORE_RING_SIZE )
        return -1;
    for ( ; n < len && cons + n != prod; n++ )
        buf[n] = r->rsp[MASK_XENSTORE_IDX(cons + n)];
    if ( consume )
        __atomic_store_n(&r->rsp_cons, cons + n, __ATOMIC_RELEASE);
    return n;
}

static int rt_write_all(struct xs_transport *t, const void *buf, size_t len)
{
    struct ring_transport *rt = rt_of(t);
    int n;

    while ( len )
    {
        if ( (n = ring_put(rt->intf, buf, len)) < 0 )
        {
            errno = EIO;
            return -1;
        }
        buf = (const char *)buf + n;
        len -= n;
        rt->kick(rt->opaque);
        if ( len && rt->wait(rt->opaque) )
            return -1;
    }
    return 0;
}

static int rt_read_all(struct xs_transport *t, void *buf, size_t len)
{
    struct ring_transport *rt = rt_of(t);
    int n;

    while ( len )
    {
        if ( (n = ring_get(rt->intf, buf, len, true)) < 0 )
        {
            errno = EIO;
            return -1;
        }
        buf = (char *)buf + n;
        len -= n;
        if ( n )
            rt->kick(rt->opaque);
        if ( len && rt->wait(rt->opaque) )
            return -1;
    }
    return 0;
}

static int rt_peek(struct xs_transport *t, void *buf, size_t len)
{
    int n = ring_get(rt_of(t)->intf, buf, len, false);

    if ( n < 0 )
        errno = EIO;
    return n;
}

static int rt_fd(struct xs_transport *t)
{
    return -1;
}

static void rt_close(struct xs_transport *t)
{
    free(t);
}

static const struct xs_transport_ops ring_ops = {
    .write_all = rt_write_all,
    .read_all = rt_read_all,
    .peek = rt_peek,
    .fd = rt_fd,
    .close = rt_close,
};

struct xs_transport *xs_transport_ring(struct xenstore_domain_interface *intf,
                                       void (*kick)(void *opaque), int (*wait)(void *opaque),
                                       void *opaque)
{
    struct ring_transport *rt = calloc(1, sizeof(*rt));

    if ( !rt )
        return NULL;
    rt->t.ops = &ring_ops;
    rt->intf = intf;
    rt->kick = kick;
    rt->wait = wait;
    rt->opaque = opaque;
    return &rt->t;
}
