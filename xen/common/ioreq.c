/*
 * ioreq.c - IOREQ servers (docs/designs/ioreq.md): the DMOPs that create,
 * describe, route to, enable and destroy them, their pages and ports, the
 * XENMEM_acquire_resource frames, and their end when either domain dies.
 * Forwarding an access to a server and taking its answer are
 * ioreq_fwd.c's.
 *
 * A server's pages are hypervisor pages shared with the served domain
 * (frame_share_with_guest: owned by it in the frame table, never in its
 * p2m), charged to its p2m pool while the server lives; a mapping made
 * with acquire_resource holds its own reference, so a page outlives the
 * server until the last mapping goes. Each vCPU's port and the buffered
 * port are ports of the served domain whose consumer is the hypervisor.
 *
 * May not touch: p2m entries (acquire_resource's mapping is memory.c's),
 * the memory type (ioreq_memtype.c's), vendor state.
 * Lock order: d->ioreq.lock (xen/lock-order.h) before the event-channel,
 * pool and allocator locks; never two domains' at once.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/frame.h>
#include <xen/event.h>
#include <xen/ioreq.h>
#include <asm/system.h>
#include "ioreq_private.h"
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/domctl.h>
#include <public/wren.h>

/* The memory type's code may not be linked in: nothing to give back. */
__attribute__((weak)) void ioreq_memtype_server_gone(struct domain *d, struct ioreq_server *s)
{
}

void ioreq_domain_init(struct domain *d)
{
    spin_lock_init(&d->ioreq.lock, LOCK_ioreq);
}

struct ioreq_server *ioreq_server_find(struct domain *d, ioservid_t id)
{
    return id < MAX_NR_IOREQ_SERVERS ? d->ioreq.server[id] : NULL;
}

/* The server id of d, if the caller created it. d->ioreq.lock held. */
static int server_of_caller(struct domain *d, ioservid_t id, struct ioreq_server **out)
{
    struct ioreq_server *s = ioreq_server_find(d, id);
    if ( !s )
        return -ENOENT;
    if ( s->emulator != current->domain )
        return -EPERM;
    *out = s;
    return 0;
}

/* ---- pages and ports ---------------------------------------------------- */

static unsigned int nr_pages_of(const struct ioreq_server *s)
{
    return s->bufioreq ? 2 : 1;
}

static void *share_page(struct domain *d)
{
    void *va = alloc_page_zeroed();
    if ( va )
        frame_share_with_guest(virt_to_mfn(va), d->domain_id);
    return va;
}

/* The hypervisor's references go; a mapping elsewhere keeps its own. */
static void server_free(struct ioreq_server *s)
{
    struct domain *d = s->target;
    for ( unsigned int i = 0; s->vcpu_port && i < d->max_vcpus; i++ )
        if ( s->vcpu_port[i] )
            evtchn_close_xen_consumer(d, s->vcpu_port[i]);
    if ( s->bufioreq_port )
        evtchn_close_xen_consumer(d, s->bufioreq_port);
    if ( s->ioreq )
        frame_unshare(s->ioreq_mfn);
    if ( s->bufioreq )
        frame_unshare(s->bufioreq_mfn);
    if ( s->ioreq )
        p2m_pool_uncharge(&d->p2m_pool, nr_pages_of(s));
    put_domain(s->emulator);
    xfree(s->vcpu_port);
    xfree(s);
}

static int server_pages(struct ioreq_server *s, bool ring)
{
    struct domain *d = s->target;
    if ( p2m_pool_charge(&d->p2m_pool, ring ? 2 : 1) )
        return -ENOMEM;
    s->ioreq = share_page(d);
    s->bufioreq = ring ? share_page(d) : NULL;
    if ( !s->ioreq || (ring && !s->bufioreq) )
    {
        if ( s->ioreq )
            frame_unshare(virt_to_mfn(s->ioreq));
        if ( s->bufioreq )
            frame_unshare(virt_to_mfn(s->bufioreq));
        s->ioreq = NULL;
        s->bufioreq = NULL;
        p2m_pool_uncharge(&d->p2m_pool, ring ? 2 : 1);
        return -ENOMEM;
    }
    s->ioreq_mfn = virt_to_mfn(s->ioreq);
    s->bufioreq_mfn = ring ? virt_to_mfn(s->bufioreq) : INVALID_MFN;
    return 0;
}

/* One port per vCPU (its slot says which) and one for the ring. The
 * ports are written into the vCPUs only once the server is published. */
static int server_ports(struct ioreq_server *s)
{
    struct domain *d = s->target;
    domid_t peer = s->emulator->domain_id;
    s->vcpu_port = xzalloc_array(unsigned int, d->max_vcpus);
    if ( !s->vcpu_port )
        return -ENOMEM;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        int p = d->vcpu[i] ? evtchn_alloc_xen_consumer(d, peer, ioreq_port_event) : 0;
        if ( p < 0 )
            return p;
        s->vcpu_port[i] = (unsigned int)p;
        s->ioreq->vcpu_ioreq[i].vp_eport = (uint32_t)p;
    }
    if ( s->bufioreq )
    {
        int p = evtchn_alloc_xen_consumer(d, peer, ioreq_port_event);
        if ( p < 0 )
            return p;
        s->bufioreq_port = (unsigned int)p;
    }
    return 0;
}

/* ---- create and destroy ------------------------------------------------- */

static struct ioreq_server *server_alloc(struct domain *d, bool ring)
{
    struct ioreq_server *s = xzalloc(struct ioreq_server);
    if ( !s )
        return NULL;
    s->target = d;
    s->emulator = current->domain;
    get_domain(s->emulator);
    if ( server_pages(s, ring) || server_ports(s) )
    {
        server_free(s);
        return NULL;
    }
    return s;
}

/* Publish s in the first free id. d->ioreq.lock held. */
static int server_insert(struct domain *d, struct ioreq_server *s)
{
    for ( unsigned int id = 0; id < MAX_NR_IOREQ_SERVERS; id++ )
    {
        if ( d->ioreq.server[id] )
            continue;
        s->id = (ioservid_t)id;
        for ( unsigned int i = 0; i < d->max_vcpus; i++ )
            if ( d->vcpu[i] )
                d->vcpu[i]->ioreq.port[id] = s->vcpu_port[i];
        d->ioreq.server[id] = s;
        d->ioreq.nr_servers++;
        return 0;
    }
    return -ENOSPC;
}

static int create_server(struct domain *d, uint8_t handling, ioservid_t *id)
{
    struct ioreq_server *s;
    int rc;
    if ( d->max_vcpus * sizeof(ioreq_t) > PAGE_SIZE )
        return -EINVAL;
    if ( ACCESS_ONCE(d->ioreq.nr_servers) >= MAX_NR_IOREQ_SERVERS )
        return -ENOSPC; /* early, so a full domain costs no pages */
    s = server_alloc(d, handling != HVM_IOREQSRV_BUFIOREQ_OFF);
    if ( !s )
        return -ENOMEM;
    s->bufioreq_handling = handling;
    spin_lock(&d->ioreq.lock);
    rc = d->is_dying ? -ESRCH : server_insert(d, s);
    spin_unlock(&d->ioreq.lock);
    if ( rc )
    {
        server_free(s);
        return rc;
    }
    *id = s->id;
    return 0;
}

/* Unpublish s: nothing routes to it and nobody waits for it any more.
 * d->ioreq.lock held; server_free after dropping it. */
static void server_detach(struct domain *d, struct ioreq_server *s)
{
    s->enabled = false;
    ioreq_memtype_server_gone(d, s);
    ioreq_release_waiters(s);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            d->vcpu[i]->ioreq.port[s->id] = 0;
    d->ioreq.server[s->id] = NULL;
    d->ioreq.nr_servers--;
}

/* Detach every server of d that match says, then free them. */
static void destroy_matching(struct domain *d, const struct domain *emulator)
{
    struct ioreq_server *gone[MAX_NR_IOREQ_SERVERS];
    unsigned int n = 0;
    spin_lock(&d->ioreq.lock);
    for ( unsigned int id = 0; id < MAX_NR_IOREQ_SERVERS; id++ )
    {
        struct ioreq_server *s = d->ioreq.server[id];
        if ( s && (!emulator || s->emulator == emulator) )
        {
            server_detach(d, s);
            gone[n++] = s;
        }
    }
    spin_unlock(&d->ioreq.lock);
    while ( n )
        server_free(gone[--n]);
}

void ioreq_domain_destroy(struct domain *d)
{
    domid_t next = 0;
    struct domain *o;
    destroy_matching(d, NULL);
    while ( (o = domain_get_next(next)) != NULL )
    {
        next = (domid_t)(o->domain_id + 1);
        if ( o != d )
            destroy_matching(o, d);
        put_domain(o);
        if ( !next )
            break;
    }
}

/* ---- DMOPs ---------------------------------------------------------------- */

#define DMOP_LEN(field) (offsetof(struct xen_dm_op, u) + sizeof(((struct xen_dm_op *)0)->u.field))

static long dmop_reply(const struct xen_dm_op_buf *buf, const struct xen_dm_op *op, size_t len)
{
    return copy_to_guest(buf->h, op, len) ? -EFAULT : 0;
}

long dmop_create_ioreq_server(struct domain *d, struct xen_dm_op *op,
                              const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_create_ioreq_server *c = &op->u.create_ioreq_server;
    long rc;
    if ( buf->size < DMOP_LEN(create_ioreq_server) )
        return -EFAULT;
    if ( c->pad[0] || c->pad[1] || c->pad[2] || c->handle_bufioreq > HVM_IOREQSRV_BUFIOREQ_ATOMIC )
        return -EINVAL;
    rc = create_server(d, c->handle_bufioreq, &c->id);
    if ( rc )
        return rc;
    rc = dmop_reply(buf, op, DMOP_LEN(create_ioreq_server));
    if ( rc ) /* the caller cannot learn the id: the server must not stay */
    {
        struct ioreq_server *s;
        spin_lock(&d->ioreq.lock);
        s = ioreq_server_find(d, c->id);
        if ( s )
            server_detach(d, s);
        spin_unlock(&d->ioreq.lock);
        if ( s )
            server_free(s);
    }
    return rc;
}

long dmop_get_ioreq_server_info(struct domain *d, struct xen_dm_op *op,
                                const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_get_ioreq_server_info *g = &op->u.get_ioreq_server_info;
    struct ioreq_server *s;
    long rc;
    if ( buf->size < DMOP_LEN(get_ioreq_server_info) )
        return -EFAULT;
    if ( g->flags & ~XEN_DMOP_no_gfns )
        return -EINVAL;
    spin_lock(&d->ioreq.lock);
    rc = server_of_caller(d, g->id, &s);
    if ( !rc )
        g->bufioreq_port = s->bufioreq_port;
    spin_unlock(&d->ioreq.lock);
    if ( rc )
        return rc;
    if ( !(g->flags & XEN_DMOP_no_gfns) )
        return -EOPNOTSUPP; /* the pages are never in the guest's physmap */
    g->ioreq_gfn = g->bufioreq_gfn = 0;
    return dmop_reply(buf, op, DMOP_LEN(get_ioreq_server_info));
}

long dmop_set_ioreq_server_state(struct domain *d, struct xen_dm_op *op,
                                 const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_set_ioreq_server_state *st = &op->u.set_ioreq_server_state;
    struct ioreq_server *s;
    long rc;
    if ( buf->size < DMOP_LEN(set_ioreq_server_state) )
        return -EFAULT;
    if ( st->pad )
        return -EINVAL;
    spin_lock(&d->ioreq.lock);
    rc = server_of_caller(d, st->id, &s);
    if ( !rc )
        s->enabled = st->enabled != 0;
    spin_unlock(&d->ioreq.lock);
    return rc;
}

long dmop_destroy_ioreq_server(struct domain *d, struct xen_dm_op *op,
                               const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_destroy_ioreq_server *x = &op->u.destroy_ioreq_server;
    struct ioreq_server *s;
    long rc;
    if ( buf->size < DMOP_LEN(destroy_ioreq_server) )
        return -EFAULT;
    if ( x->pad )
        return -EINVAL;
    spin_lock(&d->ioreq.lock);
    rc = server_of_caller(d, x->id, &s);
    if ( !rc )
        server_detach(d, s);
    spin_unlock(&d->ioreq.lock);
    if ( !rc )
        server_free(s);
    return rc;
}

/* ---- ranges --------------------------------------------------------------- */

static bool range_ok(uint32_t kind, uint64_t start, uint64_t end)
{
    if ( start > end )
        return false;
    switch ( kind )
    {
    case XEN_DMOP_IO_RANGE_PORT: return end <= 0xffff;
    case XEN_DMOP_IO_RANGE_MEMORY: return true;
    case XEN_DMOP_IO_RANGE_PCI: return end <= 0xffffffffULL;
    default: return false;
    }
}

/* Does [start, end] of kind overlap a range of any server of d? */
static bool range_taken(struct domain *d, uint32_t kind, uint64_t start, uint64_t end)
{
    for ( unsigned int id = 0; id < MAX_NR_IOREQ_SERVERS; id++ )
    {
        const struct ioreq_server *s = d->ioreq.server[id];
        for ( unsigned int i = 0; s && i < s->nr_ranges[kind]; i++ )
            if ( start <= s->ranges[kind][i].end && s->ranges[kind][i].start <= end )
                return true;
    }
    return false;
}

static int range_add(struct domain *d, struct ioreq_server *s, uint32_t kind, uint64_t start,
                     uint64_t end)
{
    if ( range_taken(d, kind, start, end) )
        return -EEXIST;
    if ( s->nr_ranges[kind] == IOREQ_MAX_RANGES )
        return -ENOSPC;
    s->ranges[kind][s->nr_ranges[kind]++] = (struct ioreq_range){ start, end };
    return 0;
}

static int range_remove(struct ioreq_server *s, uint32_t kind, uint64_t start, uint64_t end)
{
    struct ioreq_range *r = s->ranges[kind];
    for ( unsigned int i = 0; i < s->nr_ranges[kind]; i++ )
    {
        if ( r[i].start != start || r[i].end != end )
            continue;
        r[i] = r[--s->nr_ranges[kind]];
        return 0;
    }
    return -ENOENT;
}

static long dmop_range(struct domain *d, struct xen_dm_op *op, const struct xen_dm_op_buf *buf,
                       bool map)
{
    struct xen_dm_op_ioreq_server_range *r = &op->u.map_io_range_to_ioreq_server;
    struct ioreq_server *s;
    long rc;
    if ( buf->size < DMOP_LEN(map_io_range_to_ioreq_server) )
        return -EFAULT;
    if ( r->pad || !range_ok(r->type, r->start, r->end) )
        return -EINVAL;
    spin_lock(&d->ioreq.lock);
    rc = server_of_caller(d, r->id, &s);
    if ( !rc )
        rc = map ? range_add(d, s, r->type, r->start, r->end)
                 : range_remove(s, r->type, r->start, r->end);
    spin_unlock(&d->ioreq.lock);
    return rc;
}

long dmop_map_io_range(struct domain *d, struct xen_dm_op *op, const struct xen_dm_op_buf *buf)
{
    return dmop_range(d, op, buf, true);
}

long dmop_unmap_io_range(struct domain *d, struct xen_dm_op *op, const struct xen_dm_op_buf *buf)
{
    return dmop_range(d, op, buf, false);
}

/* ---- XENMEM_acquire_resource ---------------------------------------------- */

/* Frame 0 is the ring's page, frame 1 the slots' page; each mfn returned
 * carries a reference the caller's mapping keeps (put_page on failure). */
long ioreq_acquire_resource(struct domain *d, ioservid_t id, uint64_t frame, uint32_t nr,
                            mfn_t *mfns)
{
    struct ioreq_server *s;
    long rc;
    if ( !nr || nr > 2 || frame >= 2 || frame + nr > 2 )
        return -EINVAL;
    spin_lock(&d->ioreq.lock);
    rc = server_of_caller(d, id, &s);
    if ( !rc && frame == XENMEM_resource_ioreq_server_frame_bufioreq && !s->bufioreq )
        rc = -EINVAL;
    for ( uint32_t i = 0; !rc && i < nr; i++ )
    {
        mfn_t m = frame + i == 0 ? s->bufioreq_mfn : s->ioreq_mfn;
        if ( get_page(m, d->domain_id) )
            mfns[i] = m;
        else
            for ( rc = -EINVAL; i; )
                put_page(mfns[--i]);
    }
    spin_unlock(&d->ioreq.lock);
    return rc;
}

/* ---- XEN_DOMCTL_wren_ioreq ------------------------------------------------ */

static void server_counters(struct domain *d, struct xen_domctl_wren_ioreq *w)
{
    struct ioreq_server *s = w->server < MAX_NR_IOREQ_SERVERS ? d->ioreq.server[w->server] : NULL;
    if ( !s )
        return;
    w->flags = WREN_IOREQ_F_EXISTS | (s->enabled ? WREN_IOREQ_F_ENABLED : 0) |
               (s->bufioreq ? WREN_IOREQ_F_RING : 0);
    w->sent = s->sent;
    w->posted = s->posted;
    w->answered = s->answered;
    w->bad = s->bad;
    w->emulator = s->emulator->domain_id;
}

long domctl_wren_ioreq(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    struct xen_domctl_wren_ioreq *w = (void *)&op->u;
    uint32_t server = w->server;
    memset(w, 0, sizeof(*w));
    w->server = server;
    spin_lock(&d->ioreq.lock);
    w->nr_servers = d->ioreq.nr_servers;
    w->ring_full = d->ioreq.ring_full;
    if ( server == WREN_IOREQ_DOMAIN )
    {
        w->sent = d->ioreq.sent;
        w->posted = d->ioreq.posted;
        w->answered = d->ioreq.answered;
        w->bad = d->ioreq.bad;
    }
    else
        server_counters(d, w);
    spin_unlock(&d->ioreq.lock);
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        w->vcpu_exits += d->vcpu[i] ? d->vcpu[i]->exits : 0;
    return copy_to_guest(arg + offsetof(struct xen_domctl, u), w, sizeof(*w)) ? -EFAULT : 0;
}
