/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * daemon.c - the console daemon's domains: registering one (map its
 * ring, bind its channel, open its socket), draining its output ring
 * into a log that keeps the newest XENCONSOLED_LOG_SIZE bytes, and
 * removing it with everything it held.
 *
 * The ring page is the guest's to scribble on: its indexes are read
 * once and checked before a byte moves; out of range, the daemon skips
 * to the producer and counts it. At most XENCONSOLED_BURST bytes a
 * domain a pass, so a flooding guest cannot starve the others.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "console.h"

struct xenconsoled *xenconsoled_create(const struct xenconsoled_backend *be, const char *dir)
{
    struct xenconsoled *xc = calloc(1, sizeof(*xc));

    if ( !xc )
        return NULL;
    xc->be = *be;
    if ( !(xc->dir = strdup(dir)) )
    {
        free(xc);
        return NULL;
    }
    mkdir(dir, 0755);
    return xc;
}

static void dom_free(struct cons_dom *d)
{
    struct xenconsoled *xc = d->xc;

    clients_close(d);
    if ( d->local_port >= 0 )
        xc->be.unbind(xc->be.opaque, d->local_port);
    if ( d->intf )
        xc->be.unmap(xc->be.opaque, d->intf);
    free(d);
}

void xenconsoled_destroy(struct xenconsoled *xc)
{
    struct cons_dom *d;

    if ( !xc )
        return;
    while ( (d = xc->doms) )
    {
        xc->doms = d->next;
        dom_free(d);
    }
    free(xc->dir);
    free(xc);
}

static struct cons_dom **dom_link(struct xenconsoled *xc, unsigned int domid)
{
    struct cons_dom **link;

    for ( link = &xc->doms; *link && (*link)->domid != domid; link = &(*link)->next )
        ;
    return link;
}

int xenconsoled_add_domain(struct xenconsoled *xc, unsigned int domid, unsigned long ring_gfn,
                           unsigned int port)
{
    struct cons_dom *d;
    int rc = -EINVAL;

    if ( *dom_link(xc, domid) )
        return -EEXIST;
    if ( !(d = calloc(1, sizeof(*d))) )
        return -ENOMEM;
    d->xc = xc;
    d->domid = domid;
    d->gfn = ring_gfn;
    d->local_port = -1;
    d->listen_fd = -1;
    if ( !(d->intf = xc->be.map(xc->be.opaque, domid, ring_gfn)) ||
         (d->local_port = xc->be.bind(xc->be.opaque, domid, port)) < 0 || (rc = clients_listen(d)) )
    {
        dom_free(d);
        return rc;
    }
    d->next = xc->doms;
    xc->doms = d;
    return 0;
}

uint64_t log_start(const struct cons_dom *d)
{
    return d->total > XENCONSOLED_LOG_SIZE ? d->total - XENCONSOLED_LOG_SIZE : 0;
}

void dom_notify(struct cons_dom *d)
{
    d->xc->be.notify(d->xc->be.opaque, d->local_port);
}

/* The oldest byte no client has had yet, to count what is lost. */
static uint64_t slowest_reader(const struct cons_dom *d)
{
    const struct cons_client *c;
    uint64_t pos = d->total;

    for ( c = d->clients; c; c = c->next )
        pos = c->pos < pos ? c->pos : pos;
    return pos;
}

static void log_byte(struct cons_dom *d, char b, uint64_t unread_from)
{
    if ( d->total >= XENCONSOLED_LOG_SIZE && d->total - XENCONSOLED_LOG_SIZE >= unread_from )
        d->st.dropped++;
    d->log[d->total++ % XENCONSOLED_LOG_SIZE] = b;
    d->st.logged++;
}

/* Move what the guest wrote into the log; true if anything moved. */
static bool drain_ring(struct cons_dom *d)
{
    struct xencons_interface *intf = d->intf;
    XENCONS_RING_IDX cons = __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
    uint64_t unread = d->clients ? slowest_reader(d) : 0;
    unsigned int n = 0;

    if ( prod - cons > sizeof(intf->out) )
    {
        d->st.bad_ring++;
        cons = prod;
    }
    for ( ; cons != prod && n < XENCONSOLED_BURST; cons++, n++ )
        log_byte(d, intf->out[MASK_XENCONS_IDX(cons, intf->out)], unread);
    if ( cons != intf->out_cons )
    {
        __atomic_store_n(&intf->out_cons, cons, __ATOMIC_RELEASE);
        dom_notify(d);
    }
    return n > 0;
}

/*
 * A domain is removed when the toolstack destroys it, which may be in the
 * same pass as its last words reached the ring (the guest prints its
 * verdict and powers off; the death service reaps it before this daemon
 * drains again). Those bytes go to the log and the attached clients
 * before the ring is let go: one ring's worth at most, so a guest still
 * writing cannot keep the removal going.
 */
static void dom_final_drain(struct cons_dom *d)
{
    unsigned int passes = sizeof(d->intf->out) / XENCONSOLED_BURST + 1;

    while ( passes-- && drain_ring(d) )
        ;
    clients_flush(d);
}

int xenconsoled_remove_domain(struct xenconsoled *xc, unsigned int domid)
{
    struct cons_dom **link = dom_link(xc, domid), *d = *link;

    if ( !d )
        return -ENOENT;
    *link = d->next;
    dom_final_drain(d);
    dom_free(d);
    return 0;
}

bool xenconsoled_run(struct xenconsoled *xc)
{
    struct cons_dom *d;
    bool progress = false;

    for ( d = xc->doms; d; d = d->next )
    {
        progress |= drain_ring(d);
        progress |= clients_run(d);
    }
    return progress;
}

unsigned int xenconsoled_pollfds(struct xenconsoled *xc, struct pollfd *fds, unsigned int max)
{
    struct cons_dom *d;
    struct cons_client *c;
    unsigned int n = 0;

    for ( d = xc->doms; d; d = d->next )
    {
        if ( n < max )
            fds[n++] = (struct pollfd){ .fd = d->listen_fd, .events = POLLIN };
        for ( c = d->clients; c && n < max; c = c->next )
            fds[n++] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
    }
    return n;
}

int xenconsoled_stats(const struct xenconsoled *xc, unsigned int domid,
                      struct xenconsoled_stats *st)
{
    const struct cons_dom *d;
    const struct cons_client *c;

    for ( d = xc->doms; d && d->domid != domid; d = d->next )
        ;
    if ( !d )
        return -ENOENT;
    *st = d->st;
    st->clients = 0;
    for ( c = d->clients; c; c = c->next )
        st->clients++;
    return 0;
}
