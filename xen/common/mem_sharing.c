/*
 * mem_sharing.c - memory sharing's hypercalls and its write fault:
 * XENMEM_sharing_op (Xen's ops and errors), XEN_DOMCTL_mem_sharing_op
 * (enable per domain), XENMEM_get_sharing_{freed,shared}_pages, and the
 * unshare a write to p2m_ram_shared causes (hvm/npf.c).
 *
 * Locks (xen/lock-order.h): the domain whose table an op changes (its
 * d->lock: its reservation, and no entry is added once it is dying),
 * then sharing_lock (every op and every unshare, one at a time), then
 * one p2m lock at a time (the steps in mem_sharing_p2m.c), then the
 * reverse map's. Two domains' p2m locks are never held together.
 *
 * Reservation, as Xen: a frame that becomes shared leaves its domain's
 * tot_pages; an unshare puts one back (a copy only while tot_pages is
 * under max_pages, else -ENOMEM to the explicit op and a crash, with the
 * reason, to a guest whose write needed it). Taking back a frame no
 * other entry maps needs no room.
 *
 * May not touch: p2m entries but through mem_sharing_p2m.c; other
 * domains' state but their sharing fields and reservation.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/logdirty.h>
#include <xen/mem_sharing.h>
#include <xen/altp2m.h>
#include <xen/mem_fork.h>
#include <public/memory.h>
#include <public/domctl.h>
#include <public/wren.h>

static spinlock_t sharing_lock = SPIN_LOCK_UNLOCKED(LOCK_sharing);

/* gfns one range_share call handles before it continues. */
#define RANGE_SLICE 256

void mem_sharing_domain_create(struct domain *d)
{
    mem_sharing_domain_init(&d->sharing, d->domain_id, &d->p2m_pool);
}

int mem_sharing_rmap_add(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn)
{
    return msh_rmap_add(&d->sharing, view, gfn_x(gfn), mfn);
}

void mem_sharing_rmap_del(struct domain *d, uint16_t view, gfn_t gfn, mfn_t mfn)
{
    msh_rmap_del(&d->sharing, view, gfn_x(gfn), mfn);
}

/* A domain an op names: another live domain, not the caller. */
static int sharing_domain(domid_t id, struct domain **out)
{
    if ( id == DOMID_SELF || id == current->domain->domain_id )
        return -EPERM;
    *out = domain_get_by_id(id);
    return *out ? 0 : -ESRCH;
}

/* ---- one domain: nominate, unshare ---- */

static int nominate(struct domain *d, uint64_t gfn, uint64_t *handle)
{
    bool is_new = false;
    int rc = -EINVAL;

    *handle = 0;
    if ( !domain_gfn_ok(d, gfn) )
        return rc;
    spin_lock(&d->lock);
    if ( d->is_dying )
        rc = -EBUSY;
    else
    {
        spin_lock(&sharing_lock);
        rc = msh_nominate(&d->sharing, &d->p2m, _gfn(gfn), handle, &is_new);
        spin_unlock(&sharing_lock);
        if ( is_new )
            d->tot_pages--; /* the frame is DOMID_COW's now */
    }
    spin_unlock(&d->lock);
    return rc;
}

/* d->lock and sharing_lock held. */
static int unshare_locked(struct domain *d, uint64_t gfn)
{
    int rc = msh_unshare(&d->sharing, &d->p2m, _gfn(gfn), d->tot_pages < d->max_pages);

    if ( rc == MSH_TOOK_BACK || rc == MSH_COPIED )
    {
        d->tot_pages++;
        /* A new frame (or a newly writable one) under a log-dirty
         * domain's gfn: a migration must send it again. */
        logdirty_note_hypervisor_write(d, gfn);
    }
    return rc < 0 ? rc : 0;
}

static int unshare(struct domain *d, uint64_t gfn)
{
    int rc;

    spin_lock(&d->lock);
    spin_lock(&sharing_lock);
    rc = unshare_locked(d, gfn);
    spin_unlock(&sharing_lock);
    spin_unlock(&d->lock);
    return rc;
}

int mem_sharing_unshare_gfn(struct domain *d, gfn_t gfn)
{
    return domain_gfn_ok(d, gfn_x(gfn)) ? unshare(d, gfn_x(gfn)) : -EINVAL;
}

bool mem_sharing_unshare_fault(struct vcpu *v, gfn_t gfn)
{
    struct domain *d = v->domain;
    int rc = unshare(d, gfn_x(gfn));

    if ( !rc )
        d->sharing.cow_faults++;
    if ( rc && rc != -EAGAIN )
    {
        domain_crash(d, rc == -ENOMEM ? "a write to a shared page needs a private copy, and the "
                                        "domain's reservation has no room (max_pages)"
                                      : "a write to a shared page could not unshare it");
        return false;
    }
    return true;
}

/* ---- two domains: share, add_physmap ---- */

/* The source gfn's shared frame (sharing_lock held). */
static mfn_t source_frame(struct domain *d, uint64_t sgfn)
{
    p2m_type_t t;
    mfn_t m = p2m_lookup(&d->p2m, _gfn(sgfn), &t, NULL, NULL);

    return t == p2m_ram_shared ? m : INVALID_MFN;
}

static int share_into(struct domain *d, struct domain *cd, const struct mem_sharing_op_share *s,
                      bool add)
{
    mfn_t sm;
    int rc = XENMEM_SHARING_OP_S_HANDLE_INVALID;

    if ( !domain_gfn_ok(cd, s->client_gfn) )
        return add ? XENMEM_SHARING_OP_C_HANDLE_INVALID : -EINVAL;
    spin_lock(&cd->lock);
    spin_lock(&sharing_lock);
    sm = source_frame(d, s->source_gfn);
    if ( cd->is_dying )
        rc = -ESRCH;
    else if ( mfn_valid_raw(sm) && add )
        rc = msh_add_physmap(&cd->sharing, &cd->p2m, _gfn(s->client_gfn), sm, s->source_handle);
    else if ( mfn_valid_raw(sm) )
        rc = msh_share(&cd->sharing, &cd->p2m, _gfn(s->client_gfn), s->client_handle, sm,
                       s->source_handle);
    spin_unlock(&sharing_lock);
    spin_unlock(&cd->lock);
    return rc;
}

/* The client of a two-domain op, which may be d itself. */
static int client_domain(struct domain *d, domid_t id, struct domain **cd)
{
    if ( id == d->domain_id )
    {
        get_domain(d);
        *cd = d;
        return 0;
    }
    return sharing_domain(id, cd);
}

static long op_share(struct domain *d, struct xen_mem_sharing_op *mso, bool add)
{
    struct mem_sharing_op_share *s = &mso->u.share;
    struct domain *cd;
    long rc;

    if ( (s->source_gfn | s->client_gfn) & XENMEM_SHARING_OP_FIELD_IS_GREF_FLAG )
        return add ? -EINVAL : -EOPNOTSUPP; /* grant references: not offered */
    rc = client_domain(d, s->client_domain, &cd);
    if ( rc )
        return rc;
    rc = cd->sharing.enabled ? share_into(d, cd, s, add) : -EINVAL;
    put_domain(cd);
    return rc;
}

/* ---- range_share ---- */

/* Nominate gfn in both and share d's onto cd's. -ENOMEM stops the range;
 * anything else just skips the gfn (Xen's rule). */
static int range_one(struct domain *d, struct domain *cd, uint64_t gfn)
{
    struct mem_sharing_op_share s = { .source_gfn = gfn, .client_gfn = gfn };
    int rc = nominate(d, gfn, &s.source_handle);

    if ( !rc )
        rc = nominate(cd, gfn, &s.client_handle);
    if ( !rc )
        rc = share_into(d, cd, &s, false);
    return rc == -ENOMEM ? rc : 0;
}

static bool range_ok(struct domain *d, struct domain *cd, const struct mem_sharing_op_range *r)
{
    uint64_t max = MIN(d->p2m.max_mapped_gfn, cd->p2m.max_mapped_gfn);

    if ( r->_pad[0] || r->_pad[1] || r->_pad[2] || r->first_gfn > r->last_gfn || r->last_gfn > max )
        return false;
    if ( r->opaque && (r->opaque < r->first_gfn || r->opaque > r->last_gfn) )
        return false;
    /* The caller keeps both still for the whole range (Xen's check). */
    return cd->sharing.enabled && ACCESS_ONCE(d->pause_count) && ACCESS_ONCE(cd->pause_count);
}

static long range_share(struct domain *d, struct domain *cd, struct xen_mem_sharing_op *mso,
                        uint64_t arg)
{
    struct mem_sharing_op_range *r = &mso->u.range;
    uint64_t gfn = r->opaque ? r->opaque : r->first_gfn, end = MIN(r->last_gfn, gfn + RANGE_SLICE);
    int rc = 0;

    for ( ; gfn <= end && !rc; gfn++ )
        rc = range_one(d, cd, gfn);
    r->opaque = (!rc && gfn <= r->last_gfn) ? gfn : 0;
    if ( copy_to_guest(arg, mso, sizeof(*mso)) )
        return -EFAULT;
    return r->opaque ? -ERESTART : rc;
}

static long op_range(struct domain *d, struct xen_mem_sharing_op *mso, uint64_t arg)
{
    struct domain *cd;
    long rc = client_domain(d, mso->u.range.client_domain, &cd);

    if ( rc )
        return rc;
    rc = range_ok(d, cd, &mso->u.range) ? range_share(d, cd, mso, arg) : -EINVAL;
    put_domain(cd);
    return rc;
}

/* ---- for the fork part (mem_fork_fill.c) ---- */

int mem_sharing_fork_share(struct domain *pd, struct domain *cd, gfn_t gfn)
{
    struct mem_sharing_op_share s = { .source_gfn = gfn_x(gfn), .client_gfn = gfn_x(gfn) };
    int rc = nominate(pd, gfn_x(gfn), &s.source_handle);

    return rc ? rc : share_into(pd, cd, &s, true);
}

/* ---- debug and audit ---- */

/* How many entries map the shared frame (Xen: its references). */
static long debug_frame(mfn_t m)
{
    uint32_t entries;

    return msh_rmap_lookup(m, NULL, &entries) ? (long)entries : -EINVAL;
}

static long debug_gfn(struct domain *d, uint64_t gfn)
{
    p2m_type_t t;
    mfn_t m = p2m_lookup(&d->p2m, _gfn(gfn), &t, NULL, NULL);

    return t == p2m_ram_shared ? debug_frame(m) : -EINVAL;
}

/* What view (>= 1) of d maps at gfn: the list of views holds still
 * under the host lock (xen/altp2m.h), and a view's lock nests in it. */
static mfn_t view_lookup(struct domain *d, uint16_t view, uint64_t gfn, p2m_type_t *t)
{
    struct altp2m_view *v;
    mfn_t m = INVALID_MFN;

    if ( view >= MAX_ALTP2M )
        return m;
    spin_lock(&d->p2m.lock);
    v = d->altp2m.views[view];
    if ( v )
        m = p2m_lookup(&v->p2m, _gfn(gfn), t, NULL, NULL);
    spin_unlock(&d->p2m.lock);
    return m;
}

static bool entry_maps(const struct msh_rmap_ref *ref, void *arg)
{
    struct domain *d = domain_get_by_id(ref->domid);
    p2m_type_t t = p2m_invalid;
    mfn_t m = INVALID_MFN;

    if ( !d )
        return false;
    if ( ref->view == 0 )
        m = p2m_lookup(&d->p2m, _gfn(ref->gfn), &t, NULL, NULL);
    else
        m = view_lookup(d, ref->view, ref->gfn, &t);
    put_domain(d);
    return t == p2m_ram_shared && mfn_eq(m, ref->mfn);
}

static long audit(void)
{
    long rc;

    spin_lock(&sharing_lock);
    rc = msh_audit(entry_maps, NULL);
    spin_unlock(&sharing_lock);
    return rc;
}

/* ---- XENMEM_sharing_op ---- */

static long sharing_op(struct domain *d, struct xen_mem_sharing_op *mso, uint64_t arg, bool *out)
{
    switch ( mso->op )
    {
    case XENMEM_sharing_op_nominate_gfn:
        *out = true;
        return nominate(d, mso->u.nominate.u.gfn, &mso->u.nominate.handle);
    case XENMEM_sharing_op_share: return op_share(d, mso, false);
    case XENMEM_sharing_op_add_physmap: return op_share(d, mso, true);
    case XENMEM_sharing_op_range_share: return op_range(d, mso, arg);
    case XENMEM_sharing_op_debug_gfn: return debug_gfn(d, mso->u.debug.u.gfn);
    case XENMEM_sharing_op_debug_mfn: return debug_frame(_mfn(mso->u.debug.u.mfn));
    case WREN_SHARING_OP_unshare:
        return domain_gfn_ok(d, mso->u.nominate.u.gfn) ? unshare(d, mso->u.nominate.u.gfn)
                                                       : -EINVAL;
    /* Grant references are not offered. */
    case XENMEM_sharing_op_nominate_gref:
    case XENMEM_sharing_op_debug_gref: return -EOPNOTSUPP;
    default: return -ENOSYS;
    }
}

long memop_sharing_op(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_mem_sharing_op mso;
    struct domain *d;
    bool out = false;
    long rc;

    if ( copy_from_guest(&mso, arg, sizeof(mso)) )
        return -EFAULT;
    if ( mso.op == XENMEM_sharing_op_audit )
        return audit();
    rc = sharing_domain(mso.domain, &d);
    if ( rc )
        return rc;
    if ( mso.op == XENMEM_sharing_op_fork || mso.op == XENMEM_sharing_op_fork_reset )
        rc = mem_fork_memop(d, &mso); /* enables sharing itself, as Xen (mem_fork.c) */
    else
        rc = d->sharing.enabled ? sharing_op(d, &mso, arg, &out) : -ENODEV;
    put_domain(d);
    if ( !rc && out && copy_to_guest(arg, &mso, sizeof(mso)) )
        rc = -EFAULT;
    return rc;
}

long memop_sharing_counts(unsigned int op, uint64_t start, uint64_t arg)
{
    if ( op == XENMEM_get_sharing_freed_pages )
        return (long)msh_nr_saved_frames();
    return (long)msh_nr_shared_frames();
}

long domctl_mem_sharing_op(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    struct xen_domctl_mem_sharing_op *m = &op->u.mem_sharing_op;

    if ( m->op != XEN_DOMCTL_MEM_SHARING_CONTROL )
        return -ENOSYS;
    if ( d == current->domain )
        return -EINVAL;
    d->sharing.enabled = m->u.enable;
    return 0;
}
