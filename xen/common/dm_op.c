/*
 * dm_op.c - device-model operations (__HYPERVISOR_dm_op) on the domain a
 * device model serves. For now: XEN_DMOP_set_mem_type between ram_rw and
 * ram_ro. The caller must be the target's device model (for now: the
 * privileged domain, serving any domain but itself): the dispatcher checks
 * it from the DM_TARGET rows of xen/hypercall-defs.h.
 *
 * set_mem_type checks the whole remaining range first (every frame must
 * be ram_rw or ram_ro: anything else is -EINVAL and nothing changes), then
 * changes up to SLICE frames; if more remain it writes the rest back into
 * the caller's buffer and continues (-ERESTART), as Xen does.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/hvm/dm_op.h>
#include <public/hvm/hvm_op.h>

#define MAX_DM_BUFS 4
#define SLICE       4096 /* frames changed per continuation */

long dmop_set_mem_type(struct domain *d, struct xen_dm_op *op, const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_set_mem_type *s = &op->u.set_mem_type;
    p2m_type_t to, from;
    uint64_t n;
    int64_t done;
    if ( buf->size < offsetof(struct xen_dm_op, u) + sizeof(*s) )
        return -EFAULT;
    if ( s->pad || !s->nr || s->first_pfn >= P2M_GFN_LIMIT || s->nr > P2M_GFN_LIMIT - s->first_pfn )
        return -EINVAL;
    if ( s->mem_type != HVMMEM_ram_rw && s->mem_type != HVMMEM_ram_ro )
        return -EINVAL; /* ioreq_server arrives with ioreq servers */
    if ( !p2m_range_types_in(&d->p2m, s->first_pfn, s->nr,
                             P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_ro)) )
        return -EINVAL;
    to = s->mem_type == HVMMEM_ram_ro ? p2m_ram_ro : p2m_ram_rw;
    from = to == p2m_ram_ro ? p2m_ram_rw : p2m_ram_ro;
    n = MIN((uint64_t)s->nr, (uint64_t)SLICE);
    done = p2m_change_type_range(&d->p2m, _gfn(s->first_pfn), n, from, to);
    if ( done < 0 )
        return done;
    if ( n == s->nr )
        return 0;
    s->first_pfn += n;
    s->nr -= (uint32_t)n;
    return copy_to_guest(buf->h, op, offsetof(struct xen_dm_op, u) + sizeof(*s)) ? -EFAULT
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
