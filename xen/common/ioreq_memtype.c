/*
 * ioreq_memtype.c - the p2m_ioreq_server memory type: which IOREQ server
 * owns it (XEN_DMOP_map_mem_type_to_ioreq_server), the guard a new claim
 * meets while entries of an earlier claim are outstanding, and the reset
 * of those entries when the type is given back (docs/designs/ioreq.md,
 * "The ioreq_server type"; seed 000).
 *
 * The owner is recorded twice, under d->ioreq.lock: in the p2m's type
 * owners (id + 1), which the p2m checks when an entry is made of the type
 * (set_mem_type), and in d->ioreq.memtype_owner/flags, which ioreq_fwd.c
 * reads to route a write. Giving the type back is a lazy global change
 * ioreq_server -> ram_rw (ram_logdirty while log-dirty is on), then a
 * bounded, preemptible sweep of what is pending.
 *
 * May not touch: servers' pages, ranges and slots (ioreq.c), p2m entries
 * other than through the p2m's interface, the dirty bitmap.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/ioreq.h>
#include <xen/hypercall.h>
#include <xen/hypercall.h>
#include <xen/logdirty.h>
#include <xen/guest_access.h>
#include <public/hvm/dm_op.h>
#include <public/hvm/hvm_op.h>

/* Tables pushed per slice of a sweep, each up to 512 entries: about the
 * 4096 frames set_mem_type changes per continuation. */
#define SWEEP_BUDGET 8

static uint16_t owner_of(ioservid_t id)
{
    return (uint16_t)(id + 1);
}

/* Frames of an earlier claim not reset yet (0 while somebody owns the
 * type: its entries are its own). A hint outside the p2m lock. */
static uint64_t outstanding(struct domain *d)
{
    if ( p2m_type_owner(&d->p2m, p2m_ioreq_server) )
        return 0;
    return ACCESS_ONCE(d->p2m.stats.frames_by_type[p2m_ioreq_server]);
}

/* One slice of the reset: 0 when nothing of an earlier claim is left,
 * -ERESTART when more is. The test knob leaves it all to the guest. */
static int sweep_slice(struct domain *d)
{
    if ( ACCESS_ONCE(d->ioreq_memtype_no_sweep) || !outstanding(d) )
        return 0;
    if ( !p2m_finish_pending(&d->p2m, SWEEP_BUDGET) )
        return 0;
    return outstanding(d) ? -ERESTART : 0;
}

/* The guard: refuse while entries of an earlier claim are outstanding,
 * and say so (a device model's author should not have to guess). */
static int claim(struct domain *d, struct ioreq_server *s, uint32_t flags)
{
    uint64_t left;
    int rc;
    sweep_slice(d); /* a bounded slice first: the guard holds no longer than needed */
    rc = p2m_claim_type_unused(&d->p2m, p2m_ioreq_server, owner_of(s->id), &left);
    if ( rc == -EBUSY && left )
        printk(XENLOG_WARNING "d%u: ioreq server %u may not take the ioreq_server type yet: "
                              "%llu entries of an earlier claim are not reset\n",
               d->domain_id, s->id, (unsigned long long)left);
    if ( rc )
        return rc;
    d->ioreq.memtype_owner = owner_of(s->id);
    d->ioreq.memtype_flags = flags;
    return 0;
}

/* Give the type back; the entries read as RAM at once (d->ioreq.lock held). */
static int release(struct domain *d, ioservid_t id)
{
    p2m_type_t to = logdirty_ram_type(d);
    int rc = p2m_release_type(&d->p2m, p2m_ioreq_server, owner_of(id), to);
    if ( rc )
        return rc;
    d->ioreq.memtype_owner = 0;
    d->ioreq.memtype_flags = 0;
    if ( to == p2m_ram_rw )
        logdirty_rearm_all(d);
    return 0;
}

void ioreq_memtype_server_gone(struct domain *d, struct ioreq_server *s)
{
    /* No continuation here: the reset stays lazy (docs/designs/ioreq.md). */
    if ( d->ioreq.memtype_owner == owner_of(s->id) )
        release(d, s->id);
}

static long check_args(const struct xen_dm_op_map_mem_type_to_ioreq_server *m)
{
    if ( m->type != HVMMEM_ioreq_server )
        return -EINVAL;
    if ( m->flags & XEN_DMOP_IOREQ_MEM_ACCESS_READ )
        return -EOPNOTSUPP; /* reads always go to RAM, as in Xen */
    if ( m->flags & ~XEN_DMOP_IOREQ_MEM_ACCESS_WRITE )
        return -EINVAL;
    if ( m->opaque && m->flags )
        return -EINVAL; /* only an unmap continues */
    return 0;
}

/* Claim or give back for server id, which must be the caller's. */
static long map_or_unmap(struct domain *d, const struct xen_dm_op_map_mem_type_to_ioreq_server *m)
{
    struct ioreq_server *s;
    long rc;
    spin_lock(&d->ioreq.lock);
    s = ioreq_server_find(d, m->id);
    if ( !s )
        rc = -ENOENT;
    else if ( s->emulator != current->domain )
        rc = -EPERM;
    else if ( m->flags )
        rc = claim(d, s, m->flags);
    else
        rc = d->ioreq.memtype_owner == owner_of(s->id) ? release(d, s->id) : -EINVAL;
    spin_unlock(&d->ioreq.lock);
    return rc;
}

/* The unmap's sweep, a slice per call; opaque counts the slices so the
 * call that continues it is told apart from a first one. */
static long sweep_and_continue(struct domain *d, struct xen_dm_op *op,
                               const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_map_mem_type_to_ioreq_server *m = &op->u.map_mem_type_to_ioreq_server;
    if ( !sweep_slice(d) )
        return 0;
    m->opaque++;
    return copy_to_guest(buf->h, op, offsetof(struct xen_dm_op, u) + sizeof(*m)) ? -EFAULT
                                                                                 : -ERESTART;
}

long dmop_map_mem_type_to_ioreq_server(struct domain *d, struct xen_dm_op *op,
                                       const struct xen_dm_op_buf *buf)
{
    struct xen_dm_op_map_mem_type_to_ioreq_server *m = &op->u.map_mem_type_to_ioreq_server;
    long rc;
    if ( buf->size < offsetof(struct xen_dm_op, u) + sizeof(*m) )
        return -EFAULT;
    rc = check_args(m);
    if ( !rc && !m->opaque )
        rc = map_or_unmap(d, m);
    if ( rc || m->flags )
        return rc;
    return sweep_and_continue(d, op, buf);
}
