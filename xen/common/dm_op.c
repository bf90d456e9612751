/*
 * dm_op.c - device-model operations (__HYPERVISOR_dm_op) on the domain a
 * device model serves. Here: XEN_DMOP_set_mem_type between ram_rw, ram_ro
 * and ioreq_server (ioreq_server only while a server owns the type,
 * ioreq_memtype.c). The caller must be the target's device model (for now: the
 * privileged domain, serving any domain but itself): the dispatcher checks
 * it from the DM_TARGET rows of xen/hypercall-defs.h.
 *
 * set_mem_type checks the whole remaining range first (every frame must
 * be of a type the target may start from: anything else is -EINVAL and
 * nothing changes), then
 * changes up to SLICE frames; if more remain it writes the rest back into
 * the caller's buffer and continues (-ERESTART), as Xen does.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/logdirty.h>
#include <public/hvm/dm_op.h>
#include <public/hvm/hvm_op.h>

#define MAX_DM_BUFS 4
#define SLICE       4096 /* frames changed per continuation */

/* What a set_mem_type to each HVMMEM type may start from, and the one
 * p2m type each source becomes (RAM made writable again goes through
 * logdirty_ram_type, so that log-dirty still sees its next write). */
struct mem_type_rule
{
    uint32_t from; /* P2M_TYPE_BIT mask */
    p2m_type_t target;
};

static int mem_type_rule(struct domain *d, uint16_t mem_type, struct mem_type_rule *r)
{
    switch ( mem_type )
    {
    case HVMMEM_ram_rw:
        r->from = P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_logdirty) |
                  P2M_TYPE_BIT(p2m_ram_ro) | P2M_TYPE_BIT(p2m_ioreq_server);
        r->target = logdirty_ram_type(d);
        return 0;
    case HVMMEM_ram_ro:
        r->from = P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_ro);
        r->target = p2m_ram_ro;
        return 0;
    case HVMMEM_ioreq_server: /* only while a server owns the type (Xen's rule) */
        if ( !p2m_type_owner(&d->p2m, p2m_ioreq_server) )
            return -EINVAL;
        r->from = P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_logdirty) |
                  P2M_TYPE_BIT(p2m_ioreq_server);
        r->target = p2m_ioreq_server;
        return 0;
    default: return -EINVAL;
    }
}

/* The types of r->from that change, in one pass each. ram_logdirty and
 * ram_rw stay as they are when RAM is asked for: both are the guest's
 * writable RAM, and the first is log-dirty's to change. */
static int64_t change_slice(struct domain *d, const struct mem_type_rule *r, uint64_t gfn,
                            uint64_t n)
{
    int64_t rc = 0;
    for ( unsigned int t = 0; t < p2m_type_count && rc >= 0; t++ )
    {
        bool to_ram = r->target == p2m_ram_rw || r->target == p2m_ram_logdirty;
        bool keep = t == r->target || (to_ram && (t == p2m_ram_rw || t == p2m_ram_logdirty));
        if ( !(r->from & P2M_TYPE_BIT(t)) || keep )
            continue;
        if ( r->target == p2m_ioreq_server )
            rc = p2m_change_type_range_owned(&d->p2m, _gfn(gfn), n, t, r->target);
        else
            rc = p2m_change_type_range(&d->p2m, _gfn(gfn), n, t, r->target);
    }
    if ( rc >= 0 && r->target == p2m_ram_rw )
        logdirty_rearm_range(d, gfn, n);
    return rc < 0 ? rc : 0;
}

long dmop_set_mem_type(struct domain *d, struct xen_dm_op *op, const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_set_mem_type *s = &op->u.set_mem_type;
    struct mem_type_rule r;
    uint64_t n;
    int64_t rc;
    if ( buf->size < offsetof(struct xen_dm_op, u) + sizeof(*s) )
        return -EFAULT;
    if ( s->pad || !s->nr || s->first_pfn >= P2M_GFN_LIMIT || s->nr > P2M_GFN_LIMIT - s->first_pfn )
        return -EINVAL;
    rc = mem_type_rule(d, s->mem_type, &r);
    if ( rc )
        return rc;
    if ( !p2m_range_types_in(&d->p2m, s->first_pfn, s->nr, r.from) )
        return -EINVAL;
    n = MIN((uint64_t)s->nr, (uint64_t)SLICE);
    rc = change_slice(d, &r, s->first_pfn, n);
    if ( rc < 0 )
        return rc;
    if ( n == s->nr )
        return 0;
    s->first_pfn += n;
    s->nr -= (uint32_t)n;
    return copy_to_guest(buf->h, op, offsetof(struct xen_dm_op, u) + sizeof(*s)) ? -EFAULT
                                                                                 : -ERESTART;
}

/* ---- modified_memory: the device model wrote these frames itself ---- */

#define MODIFIED_SLICE 4096 /* frames marked per continuation */

static long read_extent(const struct xen_dm_op_buf *buf, uint32_t i,
                        struct xen_dm_op_modified_memory_extent *e)
{
    if ( copy_from_guest(e, buf[1].h + (uint64_t)i * sizeof(*e), sizeof(*e)) )
        return -EFAULT;
    if ( !e->nr || e->first_pfn >= P2M_GFN_LIMIT || e->nr > P2M_GFN_LIMIT - e->first_pfn )
        return -EINVAL;
    return 0;
}

/* Every extent this call may reach (each has a frame at least, so no
 * more than MODIFIED_SLICE of them), before anything is marked; a later
 * continuation checks the next ones the same way. */
static long check_extents(const struct xen_dm_op_modified_memory *m,
                          const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_modified_memory_extent e;
    uint32_t i = m->nr_extents, stop = i > MODIFIED_SLICE ? i - MODIFIED_SLICE : 0;
    long rc = 0;
    if ( m->pad || buf[1].size / sizeof(e) < m->nr_extents )
        return -EINVAL;
    if ( !m->nr_extents )
        return m->opaque ? -EINVAL : 0;
    rc = read_extent(buf, i - 1, &e);
    if ( !rc && m->opaque >= e.nr )
        rc = -EINVAL; /* the last extent is the one being done */
    while ( !rc && i-- > stop )
        rc = read_extent(buf, i, &e);
    return rc;
}

/*
 * The last extent first; opaque counts its frames already marked. Marks
 * go to log-dirty as the hypervisor's own writes do (ignored while it is
 * off). buf[1] holds the extents: dm_op_on zeroes the buffers the caller
 * did not pass, so a missing one has size 0.
 */
long dmop_modified_memory(struct domain *d, struct xen_dm_op *op, const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_modified_memory *m = &op->u.modified_memory;
    struct xen_dm_op_modified_memory_extent e;
    unsigned int budget = MODIFIED_SLICE;
    long rc;
    if ( buf->size < offsetof(struct xen_dm_op, u) + sizeof(*m) )
        return -EFAULT;
    rc = check_extents(m, buf);
    while ( !rc && m->nr_extents && budget )
    {
        rc = read_extent(buf, m->nr_extents - 1, &e);
        for ( ; !rc && m->opaque < e.nr && budget; m->opaque++, budget-- )
            logdirty_note_hypervisor_write(d, e.first_pfn + m->opaque);
        if ( !rc && m->opaque == e.nr )
        {
            m->nr_extents--;
            m->opaque = 0;
        }
    }
    if ( rc || !m->nr_extents )
        return rc;
    return copy_to_guest(buf->h, op, offsetof(struct xen_dm_op, u) + sizeof(*m)) ? -EFAULT
                                                                                 : -ERESTART;
}

/* Whether the caller may serve it is the sub-op's callers column. */
static long dm_op_target(domid_t id, struct domain **out)
{
    struct domain *self = current->domain;
    if ( id == self->domain_id || id == DOMID_SELF )
        return -EINVAL;
    *out = domain_get_by_id(id);
    return *out ? 0 : -ESRCH;
}

static long dm_op_on(struct domain *d, uint64_t nr_bufs, uint64_t bufs_va)
{
    struct xen_dm_op_buf bufs[MAX_DM_BUFS];
    const struct dm_op_subop *sub;
    struct xen_dm_op op;
    long rc;
    memset(bufs, 0, sizeof(bufs)); /* a buffer not passed has size 0 */
    if ( copy_from_guest(bufs, bufs_va, nr_bufs * sizeof(bufs[0])) )
        return -EFAULT;
    if ( bufs[0].size < offsetof(struct xen_dm_op, u) )
        return -EFAULT;
    memset(&op, 0, sizeof(op));
    if ( copy_from_guest(&op, bufs[0].h, MIN((size_t)bufs[0].size, sizeof(op))) )
        return -EFAULT;
    if ( op.pad )
        return -EINVAL;
    sub = dm_op_subop_find(op.op);
    if ( !sub )
        return -EOPNOTSUPP;
    rc = hypercall_permit(sub->callers, current->domain, d);
    return rc ? rc : sub->fn(d, &op, &bufs[0]);
}
long do_dm_op(uint64_t domid, uint64_t nr_bufs, uint64_t bufs_va)
{
    struct domain *d;
    long rc;
    if ( !nr_bufs || nr_bufs > MAX_DM_BUFS || domid > 0xffff )
        return -EINVAL;
    rc = dm_op_target((domid_t)domid, &d);
    if ( rc )
        return rc;
    rc = dm_op_on(d, nr_bufs, bufs_va);
    put_domain(d);
    return rc;
}
