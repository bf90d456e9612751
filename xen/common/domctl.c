/*
 * domctl.c - the domctl hypercall: the control domain inspects, pauses,
 * resizes and destroys other domains.
 *
 * Toolstack-only and versioned. Its row in xen/hypercall-defs.h is
 * PRIVILEGED, so the dispatcher refuses other callers (-EPERM) before
 * this code runs. Then: an interface_version other than
 * XEN_DOMCTL_INTERFACE_VERSION is -EACCES, a command without a row in
 * WREN_DOMCTLS -ENOSYS, and only then is the target looked up (-ESRCH),
 * so nothing is learnt about domains by a call that would fail anyway.
 * The sub-op's own callers column is checked against the target before
 * its handler runs.
 *
 * Locking: domctl_lock serialises all domctls (as Xen's does), so two
 * controllers cannot interleave a pause count check and its change, or
 * destroy a domain another domctl is using. It is the outermost lock
 * (xen/lock-order.h).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/arch.h>
#include <public/domctl.h>
#include <xen/p2m_debug.h>
#include <xen/logdirty.h>
#include <public/wren.h>

static spinlock_t domctl_lock = SPIN_LOCK_UNLOCKED(LOCK_domctl);

/* Xen caps the controller's pause count so repeated pauses cannot
 * overflow it. */
#define MAX_CONTROLLER_PAUSES 255

/* The GFN where d's shared_info is mapped, or all-ones if it is not. */
static uint64_t shared_info_frame(struct domain *d)
{
    gfn_t g = d->shared_info_gfn;
    if ( !d->shared_info || gfn_x(g) >= P2M_GFN_LIMIT ||
         !mfn_eq(p2m_lookup(&d->p2m, g, NULL, NULL, NULL), virt_to_mfn(d->shared_info)) )
        return ~0ULL;
    return gfn_x(g);
}

/* Run-state flags, counted the way Xen does: "blocked" only if every
 * online vCPU is blocked, "running" if any is on a CPU. */
static uint32_t vcpu_flags(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;
    info->nr_online_vcpus = 0;
    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
    {
        const struct vcpu *v = d->vcpu[i];
        if ( !v )
            continue;
        info->max_vcpu_id = i;
        if ( !v->is_up )
            continue;
        info->nr_online_vcpus++;
        if ( v->state != VCPU_BLOCKED )
            flags &= ~XEN_DOMINF_blocked;
        if ( v->state == VCPU_RUNNING )
            flags |= XEN_DOMINF_running;
    }
    return flags;
}

/* ns its vCPUs spent running (a racy sum: the scheduler updates it). */
static uint64_t domain_cpu_time(const struct domain *d)
{
    uint64_t t = 0;
    for ( unsigned int i = 0; i < d->max_vcpus; i++ )
        if ( d->vcpu[i] )
            t += d->vcpu[i]->runstate.time[RUNSTATE_running];
    return t;
}

/*
 * Describe exactly the domain named: public/domctl.h documents that Wren
 * does not hand back the next domain up (Xen did before interface 0x16).
 */
void domain_fill_info(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags;
    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    flags = vcpu_flags(d, info) | XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;
    if ( d->is_dying )
        flags |= XEN_DOMINF_dying;
    if ( d->is_shutting_down )
        flags |= XEN_DOMINF_shutdown | ((uint32_t)d->shutdown_code << XEN_DOMINF_shutdownshift);
    if ( d->controller_pause_count > 0 )
        flags |= XEN_DOMINF_paused;
    info->flags = flags;
    info->tot_pages = d->tot_pages;
    info->shr_pages = d->sharing.rmap_nodes;
    info->max_pages = d->max_pages;
    info->shared_info_frame = shared_info_frame(d);
    info->gpaddr_bits = d->gpaddr_bits;
    info->cpu_time = domain_cpu_time(d);
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->arch_config.emulation_flags = XEN_X86_EMU_LAPIC; /* as for PVH on Xen */
}

long domctl_getdomaininfo(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    domain_fill_info(d, &op->u.getdomaininfo);
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

/* A destroyed domain whose frames are still mapped is dying, not gone. */
static long zombie_getdomaininfo(struct xen_domctl *op, uint64_t arg)
{
    if ( !zombie_fill_info(op->domain, &op->u.getdomaininfo) )
        return -ESRCH;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

long domctl_pause(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    if ( d == current->domain )
        return -EINVAL;
    if ( d->controller_pause_count >= MAX_CONTROLLER_PAUSES )
        return -EOVERFLOW;
    domain_pause_by_controller(d);
    return 0;
}

long domctl_unpause(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    if ( d == current->domain )
        return -EINVAL;
    return domain_unpause_by_controller(d);
}

/* Xen's resumedomain: a domain that suspended itself carries on. */
long domctl_resume(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    if ( d == current->domain )
        return -EINVAL;
    return domain_resume(d);
}

long domctl_destroy(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    if ( d == current->domain || d->domain_id == 0 || d == hardware_domain )
        return -EINVAL;
    return domain_destroy(d);
}

/* Xen counts max_memkb in KiB; pages are 4 KiB. Lowering it below
 * tot_pages is allowed (the domain just cannot grow). */
long domctl_max_mem(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    const struct xen_domctl_max_mem *m = &op->u.max_mem;
    d->max_pages = m->max_memkb >> (PAGE_SHIFT - 10);
    return 0;
}

/*
 * Raise max_vcpus, creating the new vCPUs offline. Lowering is refused:
 * Xen allows this call only before any vCPU exists, and here they exist
 * from creation. The new vCPUs are in place before the count covers them,
 * since the scheduler reads the count without the domain lock.
 */
long domctl_max_vcpus(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    const struct xen_domctl_max_vcpus *m = &op->u.max_vcpus;
    unsigned int cur = d->max_vcpus, i;
    if ( m->max < cur || m->max > d->vcpu_slots )
        return -EINVAL;
    for ( i = cur; i < m->max; i++ )
        if ( !d->vcpu[i] && !vcpu_create(d, i) )
            break;
    if ( i < m->max )
    {
        for ( unsigned int j = cur; j < i; j++ )
        {
            struct vcpu *v = d->vcpu[j];
            d->vcpu[j] = NULL;
            arch_vcpu_destroy(v);
            xfree(v);
        }
        return -ENOMEM;
    }
    __atomic_store_n(&d->max_vcpus, m->max, __ATOMIC_RELEASE);
    return 0;
}

/* Sub-page sizes are refused (as in Xen); shrinking below what the
 * tables use is -EBUSY, and nothing changes on any error. */
long domctl_paging_mempool(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    uint64_t size = op->u.paging_mempool.size;
    if ( op->cmd == XEN_DOMCTL_set_paging_mempool_size )
    {
        if ( size & (PAGE_SIZE - 1) )
            return -EINVAL;
        return domain_set_paging_pool(d, size >> PAGE_SHIFT);
    }
    op->u.paging_mempool.size = p2m_pool_size(&d->p2m_pool) << PAGE_SHIFT;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

/* The sub-op's own struct sits at offset u of the guest's xen_domctl. */
long domctl_p2m_debug(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    return domctl_wren_p2m(d, &op->u.wren_p2m, arg + offsetof(struct xen_domctl, u));
}

long domctl_shadow_op(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    return logdirty_shadow_op(d, &op->u.shadow_op, arg + offsetof(struct xen_domctl, u));
}

long domctl_logdirty(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    return logdirty_wren_domctl(d, (void *)&op->u, arg + offsetof(struct xen_domctl, u));
}

long domctl_dirty_ring(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    return logdirty_ring_domctl(d, (void *)&op->u, arg + offsetof(struct xen_domctl, u));
}

/* The target, with a reference, and whether the caller may act on it. A
 * NO_TARGET command names none (d NULL). */
static long domctl_target(const struct domctl_subop *sub, domid_t id, struct domain **d)
{
    *d = NULL;
    if ( sub->flags & HC_NO_TARGET )
        return hypercall_permit(sub->callers, current->domain, NULL);
    *d = domain_get_by_id(id); /* DOMID_SELF names no domain here, as in Xen */
    return *d ? hypercall_permit(sub->callers, current->domain, *d) : -ESRCH;
}

long do_domctl(uint64_t arg)
{
    const struct domctl_subop *sub;
    struct xen_domctl op;
    struct domain *d;
    long rc;
    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XEN_DOMCTL_INTERFACE_VERSION )
        return -EACCES;
    sub = domctl_subop_find(op.cmd);
    if ( !sub )
        return -ENOSYS;
    spin_lock(&domctl_lock);
    rc = domctl_target(sub, op.domain, &d);
    if ( !rc )
        rc = sub->fn(d, &op, arg);
    else if ( rc == -ESRCH && op.cmd == XEN_DOMCTL_getdomaininfo )
        rc = zombie_getdomaininfo(&op, arg);
    spin_unlock(&domctl_lock);
    if ( d )
        put_domain(d);
    return rc;
}
