/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ring.c - introduced domains and the transport over their ring page
 * (struct xenstore_domain_interface): requests are read from req,
 * replies and events written to rsp, each followed by an event on the
 * domain's channel.
 *
 * The page is shared with a guest that may write anything at any time:
 * each index is read once, checked (no more than a ring's worth
 * outstanding) before any byte moves, and the bytes are copied out
 * before they are looked at. An index out of range sets the page's
 * error field and ends the service of that domain (conn.c); xenstored
 * itself never trusts, waits on, or crashes over a guest's page.
 * The page is mapped and the channel bound through the backend only.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static XENSTORE_RING_IDX idx_load(XENSTORE_RING_IDX *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void idx_store(XENSTORE_RING_IDX *p, XENSTORE_RING_IDX v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

void domain_notify(struct domain *d)
{
    struct xenstored *xsd = d->conn->xsd;

    if ( d->local_port >= 0 && xsd->be.notify )
        xsd->be.notify(xsd->be.opaque, d->local_port);
}

static int ring_read(struct conn *c, void *buf, unsigned int len)
{
    struct domain *d = c->priv;
    struct xenstore_domain_interface *intf = d->intf;
    XENSTORE_RING_IDX cons = idx_load(&intf->req_cons), prod = idx_load(&intf->req_prod);
    unsigned int avail = prod - cons, n = 0, chunk;

    if ( avail > XENSTORE_RING_SIZE )
        return -XENSTORE_ERROR_RINGIDX;
    while ( n < len && n < avail )
    {
        chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons + n);
        chunk = chunk < len - n ? chunk : len - n;
        chunk = chunk < avail - n ? chunk : avail - n;
        memcpy((char *)buf + n, intf->req + MASK_XENSTORE_IDX(cons + n), chunk);
        n += chunk;
    }
    if ( n )
    {
        idx_store(&intf->req_cons, cons + n);
        domain_notify(d);
    }
    return n;
}

static int ring_write(struct conn *c, const void *buf, unsigned int len)
{
    struct domain *d = c->priv;
    struct xenstore_domain_interface *intf = d->intf;
    XENSTORE_RING_IDX cons = idx_load(&intf->rsp_cons), prod = idx_load(&intf->rsp_prod);
    unsigned int used = prod - cons, n = 0, chunk;

    if ( used > XENSTORE_RING_SIZE )
        return -XENSTORE_ERROR_RINGIDX;
    while ( n < len && used + n < XENSTORE_RING_SIZE )
    {
        chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod + n);
        chunk = chunk < len - n ? chunk : len - n;
        chunk = chunk < XENSTORE_RING_SIZE - used - n ? chunk : XENSTORE_RING_SIZE - used - n;
        memcpy(intf->rsp + MASK_XENSTORE_IDX(prod + n), (const char *)buf + n, chunk);
        n += chunk;
    }
    if ( n )
    {
        idx_store(&intf->rsp_prod, prod + n);
        domain_notify(d);
    }
    return n;
}

static void ring_fail(struct conn *c, unsigned int err)
{
    struct domain *d = c->priv;

    __atomic_store_n(&d->intf->error, err ? err : XENSTORE_ERROR_COMM, __ATOMIC_RELEASE);
    domain_notify(d);
}

static const struct conn_ops ring_ops = {
    .read = ring_read,
    .write = ring_write,
    .fail = ring_fail,
};

struct domain *domain_find(struct xenstored *xsd, unsigned int domid)
{
    struct domain *d;

    for ( d = xsd->domains; d; d = d->next )
        if ( d->domid == domid )
            return d;
    return NULL;
}

struct conn *conn_of_domain(struct xenstored *xsd, unsigned int domid)
{
    struct domain *d = domain_find(xsd, domid);

    return d ? d->conn : NULL;
}

/* The connection is freed by the daemon's next pass (the caller may be
 * walking the list of connections). */
static void domain_free(struct xenstored *xsd, struct domain *d)
{
    if ( d->conn )
    {
        watch_del_all(d->conn);
        txn_end_all(d->conn);
        d->conn->dead = true;
        d->conn->priv = NULL;
    }
    if ( d->local_port >= 0 )
        xsd->be.unbind(xsd->be.opaque, d->local_port);
    if ( d->intf )
        xsd->be.unmap(xsd->be.opaque, d->intf);
    free(d);
}

static int domain_connect(struct xenstored *xsd, struct domain *d)
{
    d->intf = xsd->be.map(xsd->be.opaque, d->domid, d->mfn);
    if ( !d->intf )
        return EINVAL;
    d->local_port = xsd->be.bind(xsd->be.opaque, d->domid, d->remote_port);
    if ( d->local_port < 0 )
        return EINVAL;
    if ( !(d->conn = conn_new(xsd, d->domid, &ring_ops, d)) )
        return ENOMEM;
    d->intf->server_features = XENSTORE_SERVER_FEATURE_ERROR;
    d->intf->connection = XENSTORE_CONNECTED;
    d->intf->error = XENSTORE_ERROR_NONE;
    return 0;
}

/* Again with the same page is fine (a guest's resume); another is not. */
int domain_introduce(struct xenstored *xsd, unsigned int domid, unsigned long mfn,
                     unsigned int port)
{
    struct domain *d = domain_find(xsd, domid);
    int rc;

    if ( d )
        return d->mfn == mfn ? 0 : EINVAL;
    if ( !xsd->have_be )
        return ENOSYS;
    if ( !(d = calloc(1, sizeof(*d))) )
        return ENOMEM;
    d->domid = domid;
    d->mfn = mfn;
    d->remote_port = port;
    d->local_port = -1;
    if ( (rc = domain_connect(xsd, d)) )
    {
        domain_free(xsd, d);
        return rc;
    }
    d->next = xsd->domains;
    xsd->domains = d;
    return 0;
}

void domain_release(struct xenstored *xsd, struct domain *d)
{
    struct domain **link;

    for ( link = &xsd->domains; *link != d; link = &(*link)->next )
        ;
    *link = d->next;
    acct_rename(&xsd->tree, d->domid, 0);
    domain_free(xsd, d);
}
