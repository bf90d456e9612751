/*
 * mem_fork_fill.c - a fork's missing gfn, filled from its parent on the
 * child's first touch (docs/designs/altp2m-sharing.md, "Part fork").
 *
 * A read or an instruction fetch maps the parent's frame shared: the
 * parent's gfn is nominated if it is not shared yet (its entry becomes
 * p2m_ram_shared, and its views follow by the contract's rule 3), and
 * the child gets one more entry of the shared frame (sharing's
 * add_physmap). A write, or a read of a page the parent cannot share
 * (log-dirty, read-only, ioreq_server, or a frame mapped elsewhere),
 * copies the parent's frame into a new frame charged to the child. What
 * is not the parent's RAM (a hole, MMIO, a grant or foreign mapping) is
 * not filled: the child's access goes on as an access to a hole would.
 *
 * The hypervisor's own reads of a child's missing gfn (hypercall
 * arguments, the guest page walk) read the parent's frame and change
 * nothing; its writes there are refused, as writes to shared pages are.
 * A foreign mapping of a missing gfn (the control domain mapping the
 * child's page) copies it first, as a write would.
 *
 * Locks: the parent's then the sharing lock (sharing's nominate), then
 * the child's and the sharing lock (sharing's add_physmap), one after
 * the other; or the child's d->lock alone for a copy. No lock is held on
 * entry (the fault path).
 *
 * May not touch: the parent's entries but through sharing's nominate;
 * any child entry but the missing gfn.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/frame.h>
#include <xen/sched.h>
#include <xen/logdirty.h>
#include <xen/mem_sharing.h>
#include <xen/mem_fork.h>

/* A reference on a parent's frame: its own RAM, or a shared frame. */
static bool get_parent_frame(mfn_t m, void *arg)
{
    return get_page(m, *(const domid_t *)arg) || get_page(m, DOMID_COW);
}

/* The parent's RAM frame at gfn with a reference, or INVALID_MFN. */
static mfn_t parent_ram(struct domain *pd, gfn_t gfn, p2m_type_t *t)
{
    mfn_t m;

    *t = p2m_invalid;
    if ( !domain_gfn_ok(pd, gfn_x(gfn)) )
        return INVALID_MFN;
    m = p2m_lookup_get(&pd->p2m, gfn, t, get_parent_frame, &pd->domain_id);
    if ( mfn_valid_raw(m) && !p2m_is_ram(*t) )
    {
        put_page(m);
        return INVALID_MFN;
    }
    return m;
}

mfn_t mem_fork_parent_frame(struct domain *d, gfn_t gfn, p2m_type_t *t)
{
    struct domain *pd = ACCESS_ONCE(d->fork.parent);
    mfn_t m;

    *t = p2m_invalid;
    if ( !pd || !d->fork.complete )
        return INVALID_MFN;
    m = parent_ram(pd, gfn, t);
    if ( mfn_valid_raw(m) )
        d->fork.hv_reads++;
    return m;
}

/* A new frame of cd's holding a copy of from, mapped at gfn (a hole).
 * cd->lock held. */
static int copy_into(struct domain *cd, gfn_t gfn, mfn_t from)
{
    mfn_t new = alloc_pages(0);
    int rc;

    if ( !mfn_valid_raw(new) )
        return -ENOMEM;
    memcpy(mfn_to_virt(new), mfn_to_virt(from), PAGE_SIZE);
    frames_assign(new, 0, cd->domain_id);
    rc = p2m_exchange_4k(&cd->p2m, gfn, INVALID_MFN, p2m_invalid, new, p2m_ram_rw, false, NULL,
                         NULL);
    if ( rc )
    {
        frame_release(new);
        return rc; /* -EAGAIN: another vCPU filled it first */
    }
    cd->tot_pages++;
    logdirty_note_hypervisor_write(cd, gfn_x(gfn));
    return 0;
}

/* The copy fill: -ENOENT if the parent has no RAM there, -ENOMEM if the
 * child's reservation is full or memory ran out, -EAGAIN (retry). */
static int fill_copy(struct domain *cd, struct domain *pd, gfn_t gfn)
{
    p2m_type_t t;
    mfn_t from = parent_ram(pd, gfn, &t);
    int rc;

    if ( !mfn_valid_raw(from) )
        return -ENOENT;
    spin_lock(&cd->lock);
    if ( cd->is_dying )
        rc = -ESRCH;
    else if ( cd->tot_pages >= cd->max_pages )
        rc = -ENOMEM;
    else
        rc = copy_into(cd, gfn, from);
    spin_unlock(&cd->lock);
    put_page(from);
    return rc;
}

int mem_fork_populate(struct domain *d, gfn_t gfn)
{
    struct domain *pd = ACCESS_ONCE(d->fork.parent);
    int rc;

    if ( !pd || !d->fork.complete )
        return -ENOENT;
    rc = fill_copy(d, pd, gfn);
    if ( !rc )
        d->fork.fills_copied++;
    return rc == -EAGAIN ? 0 : rc;
}

bool mem_fork_fault(struct vcpu *v, gfn_t gfn, bool write)
{
    struct domain *cd = v->domain, *pd = ACCESS_ONCE(cd->fork.parent);
    int rc;

    if ( !pd || !cd->fork.complete )
        return false;
    if ( !write && !mem_sharing_fork_share(pd, cd, gfn) )
    {
        cd->fork.fills_shared++;
        return true;
    }
    rc = fill_copy(cd, pd, gfn);
    if ( !rc )
        cd->fork.fills_copied++;
    if ( !rc || rc == -EAGAIN )
        return true;
    if ( rc == -ENOENT )
        return false; /* nothing of the parent's there: a hole */
    domain_crash(cd, rc == -ENOMEM ? "a fork's page needs a private copy, and its reservation "
                                     "(max_pages) or the host has no room"
                                   : "a fork's page could not be filled from its parent");
    return true;
}
