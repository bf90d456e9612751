/*
 * mem_access.c - the access rights of a domain's pages and what happens
 * when the guest makes an access they refuse: XENMEM_access_op (set,
 * get, set_multi), XEN_DOMCTL_set_access_required, and the check the
 * fault path calls (mem_access_check).
 *
 * An access right narrows what a page's p2m type allows; only RAM pages
 * have rights set here (foreign, grant and MMIO entries keep theirs). A
 * violation goes to the listener on the domain's monitor ring
 * (vm_event.c) and the vCPU waits for its answer; with no listener the
 * domain is crashed if a listener is required, else the page gets rwx
 * back and the access is retried (Xen's rule).
 *
 * Against Xen: the rights are those both EPT and NPT can express: w, wx
 * (write without read) and x (NPT cannot run without reading) are
 * -EINVAL; rx2rw and n2rwx are -EOPNOTSUPP (the entry keeps three bits
 * of access); the default access (pfn ~0) is rwx and cannot change.
 *
 * May not touch: the ring (vm_event.c's), entries' types or frames.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/vm_event.h>
#include <public/memory.h>
#include <public/domctl.h>

/* Frames whose rights the interface changes: the guest's RAM. */
#define ACCESS_TYPES                                                                        \
    (P2M_TYPE_BIT(p2m_ram_rw) | P2M_TYPE_BIT(p2m_ram_logdirty) | P2M_TYPE_BIT(p2m_ram_ro) | \
     P2M_TYPE_BIT(p2m_ram_shared) | P2M_TYPE_BIT(p2m_ioreq_server))

/* Frames one call changes before it checks for a continuation. */
#define SLICE 256
/* The most entries one set_access_multi takes (checked whole first). */
#define MULTI_MAX 65536

#define DEFAULT_PFN (~0ULL)

/* XENMEM_access_* -> p2m_access_t (the numbers agree where both exist). */
static int access_from_xen(uint8_t xa, p2m_access_t *a)
{
    switch ( xa )
    {
    case XENMEM_access_n:
    case XENMEM_access_r:
    case XENMEM_access_rw:
    case XENMEM_access_rx:
    case XENMEM_access_rwx: *a = (p2m_access_t)xa; return 0;
    case XENMEM_access_default: *a = p2m_access_rwx; return 0;
    case XENMEM_access_rx2rw:
    case XENMEM_access_n2rwx: return -EOPNOTSUPP;
    default: return -EINVAL; /* w, x, wx: see above; or no such access */
    }
}

int mem_access_set(struct domain *d, gfn_t gfn, uint64_t nr, p2m_access_t a, unsigned int view)
{
    int64_t rc;

    for ( uint64_t i = 0; view && i < nr; i++ )
    {
        int err = altp2m_set_access(d, (uint16_t)view, gfn_x(gfn) + i, a);

        if ( err )
            return err;
    }
    if ( view )
        return 0;
    rc = p2m_set_access_range(&d->p2m, gfn, nr, a, ACCESS_TYPES);
    return rc < 0 ? (int)rc : 0;
}

/* ---- XENMEM_access_op --------------------------------------------------- */

static uint64_t max_gpfn(struct domain *d)
{
    return ACCESS_ONCE(d->p2m.max_mapped_gfn);
}

/* Frames [start, nr) of the range, SLICE at a time. */
static long set_access(struct domain *d, const struct xen_mem_access_op *mao, uint64_t start)
{
    uint64_t end = MIN((uint64_t)mao->nr, start + SLICE);
    p2m_access_t a;
    int rc = access_from_xen(mao->access, &a);

    if ( rc )
        return rc;
    if ( mao->pfn == DEFAULT_PFN )
        return a == p2m_access_rwx ? 0 : -EOPNOTSUPP;
    if ( mao->nr < start || mao->pfn + mao->nr - 1 < mao->pfn ||
         mao->pfn + mao->nr - 1 > max_gpfn(d) )
        return -EINVAL;
    rc = mem_access_set(d, _gfn(mao->pfn + start), end - start, a, 0);
    if ( rc || end == mao->nr )
        return rc;
    hypercall_set_arg(0, XENMEM_access_op | (end << MEMOP_EXTENT_SHIFT));
    return -ERESTART;
}

/* Entry i of the two lists, checked. */
static int multi_entry(struct domain *d, const struct xen_mem_access_op *mao, uint64_t i,
                       uint64_t *pfn, p2m_access_t *a)
{
    uint8_t xa;

    if ( copy_from_guest(pfn, mao->pfn_list + i * sizeof(*pfn), sizeof(*pfn)) ||
         copy_from_guest(&xa, mao->access_list + i, sizeof(xa)) )
        return -EFAULT;
    if ( *pfn > max_gpfn(d) )
        return -EINVAL;
    return access_from_xen(xa, a);
}

/* The whole list is checked before the first entry changes; each entry
 * is read again as it is applied (the caller may change the lists). */
static long set_access_multi(struct domain *d, const struct xen_mem_access_op *mao, uint64_t start)
{
    uint64_t end = MIN((uint64_t)mao->nr, start + SLICE), pfn;
    p2m_access_t a;
    int rc = 0;

    if ( mao->nr > MULTI_MAX )
        return -E2BIG;
    if ( start > mao->nr )
        return -EINVAL;
    for ( uint64_t i = 0; !start && !rc && i < mao->nr; i++ )
        rc = multi_entry(d, mao, i, &pfn, &a);
    for ( uint64_t i = start; !rc && i < end; i++ )
    {
        rc = multi_entry(d, mao, i, &pfn, &a);
        if ( !rc )
            rc = mem_access_set(d, _gfn(pfn), 1, a, 0);
    }
    if ( rc || end == mao->nr )
        return rc;
    hypercall_set_arg(0, XENMEM_access_op | (end << MEMOP_EXTENT_SHIFT));
    return -ERESTART;
}

static long get_access(struct domain *d, struct xen_mem_access_op *mao, uint64_t arg)
{
    p2m_type_t t;
    p2m_access_t a = p2m_access_rwx;

    if ( mao->pfn != DEFAULT_PFN )
    {
        if ( mao->pfn > max_gpfn(d) )
            return -EINVAL;
        p2m_lookup(&d->p2m, _gfn(mao->pfn), &t, &a, NULL);
        if ( !(ACCESS_TYPES & P2M_TYPE_BIT(t)) )
            return -ESRCH; /* no RAM there: no access to report */
    }
    mao->access = (uint8_t)a;
    return copy_to_guest(arg, mao, sizeof(*mao)) ? -EFAULT : 0;
}

/* Xen's "live remote domain": another domain, existing and not dying. */
static int remote_domain(domid_t id, struct domain **out)
{
    struct domain *d = domain_get_by_id(id);

    if ( !d )
        return -ESRCH;
    if ( d == current->domain )
    {
        put_domain(d);
        return -EINVAL;
    }
    *out = d;
    return 0;
}

static long access_op_on(struct domain *d, struct xen_mem_access_op *mao, uint64_t start,
                         uint64_t arg)
{
    if ( !vm_event_ring_on(d) )
        return -ENODEV; /* Xen's: no listener, no access changes */
    switch ( mao->op )
    {
    case XENMEM_access_op_set_access: return set_access(d, mao, start);
    case XENMEM_access_op_set_access_multi: return set_access_multi(d, mao, start);
    case XENMEM_access_op_get_access: return start ? -ENOSYS : get_access(d, mao, arg);
    default: return -ENOSYS;
    }
}

long memop_access_op(unsigned int op, uint64_t start, uint64_t arg)
{
    struct xen_mem_access_op mao;
    struct domain *d;
    long rc;

    if ( copy_from_guest(&mao, arg, sizeof(mao)) )
        return -EFAULT;
    rc = remote_domain(mao.domid, &d);
    if ( rc )
        return rc;
    rc = access_op_on(d, &mao, start, arg);
    put_domain(d);
    return rc;
}

/* ---- XEN_DOMCTL_set_access_required ------------------------------------- */

long domctl_set_access_required(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    if ( d == current->domain )
        return -EPERM; /* Xen's */
    spin_lock(&d->vm_event.lock);
    d->vm_event.access_required = op->u.access_required.access_required != 0;
    spin_unlock(&d->vm_event.lock);
    return 0;
}

/* ---- the fault path ----------------------------------------------------- */

/* The view a request names: the vCPU's active one while views are on. */
static unsigned int active_view(struct vcpu *v)
{
    return ACCESS_ONCE(v->domain->altp2m.active) ? ACCESS_ONCE(v->altp2m.idx) : 0;
}

/* No listener, access required: Xen's rule crashes the domain. */
static void crash_unheard(struct vcpu *v, gfn_t gfn, unsigned int view, uint32_t kind)
{
    char why[128];

    snprintf(why, sizeof(why),
             "mem_access: %s%s%s access to gfn %#lx (view %u) refused, access required and "
             "no listener",
             kind & MEM_ACCESS_R ? "r" : "", kind & MEM_ACCESS_W ? "w" : "",
             kind & MEM_ACCESS_X ? "x" : "", gfn_x(gfn), view);
    domain_crash(v->domain, why);
}

/* A request for the listener. 1 if it has it (v waits for the answer or
 * for room) or d was crashed; 0 if nobody listens and access is not
 * required: the caller lifts the access that refused. */
static int report(struct vcpu *v, gfn_t gfn, unsigned int view, uint32_t kind, uint64_t offset)
{
    vm_event_request_t req;

    memset(&req, 0, sizeof(req));
    req.reason = VM_EVENT_REASON_MEM_ACCESS;
    req.u.mem_access.gfn = gfn_x(gfn);
    req.u.mem_access.offset = offset;
    req.u.mem_access.flags = kind;
    if ( view )
    {
        req.flags = VM_EVENT_FLAG_ALTERNATE_P2M;
        req.altp2m_idx = (uint16_t)view;
    }
    vm_event_count_violation(v->domain);
    if ( vm_event_send(v, &req) != -ENODEV )
        return 1;
    if ( !vm_event_unheard(v->domain) )
        return 0;
    crash_unheard(v, gfn, view, kind);
    return 1;
}

void mem_access_host_violation(struct vcpu *v, gfn_t gfn, uint32_t kind, uint64_t offset)
{
    if ( !report(v, gfn, active_view(v), kind, offset) &&
         mem_access_set(v->domain, gfn, 1, p2m_access_rwx, 0) )
        domain_crash(v->domain, "mem_access: cannot lift a refused access with no listener");
}

/* kind is p2m_access_t bits, which are MEM_ACCESS_R/W/X's. */
int mem_access_check(struct vcpu *v, gfn_t gfn, uint16_t view, unsigned int kind)
{
    return report(v, gfn, view, kind & MEM_ACCESS_RWX, v->vm_event.fault_offset);
}
