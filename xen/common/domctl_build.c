/*
 * domctl_build.c - the domctls a toolstack's domain builder uses to make
 * a domain itself: createdomain, setdomainhandle, getvcpuinfo, and
 * setvcpucontext (a vCPU's start state in the architecture's own struct:
 * arm64's builder). (The HVM context is hvm_save.c's; memory comes with
 * XENMEM_populate_physmap.)
 *
 * Wren builds HVM domains with hardware-assisted paging and Xen's PVH
 * device set only, so createdomain accepts exactly that configuration
 * and refuses every other with -EINVAL before anything is allocated. The
 * new domain has no memory, its vCPUs exist but are down, and it is
 * paused by the controller: XEN_DOMCTL_unpausedomain starts it, as in Xen.
 *
 * Runs under domctl_lock (domctl.c), which also makes choosing a free id
 * and creating the domain with it one step. May not touch: a domain's
 * memory or registers.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/arch.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/grant_table.h>
#include <public/domctl.h>

#define CDF_WREN (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap)
/* grant_opts: the highest grant-table version the guest may use (Xen's
 * XEN_DOMCTL_GRANT_version_mask); 0 is the hypervisor's default. */
#define GRANT_VERSION_MASK 0xfU
#define GRANT_VERSION_MAX  2U

/* -1 is "the hypervisor's default"; otherwise lo..hi. */
static bool limit_ok(int32_t v, int32_t lo, uint32_t hi)
{
    return v == -1 || (v >= lo && (uint32_t)v <= hi);
}

static unsigned int limit_or(int32_t v, unsigned int dflt)
{
    return v == -1 ? dflt : (unsigned int)v;
}

static int check_config(const struct xen_domctl_createdomain *c)
{
    if ( c->flags != CDF_WREN )
        return -EINVAL; /* HAP-only HVM (PVH) */
    if ( !c->max_vcpus || c->max_vcpus > domain_vcpu_limit() )
        return -EINVAL;
    if ( c->max_evtchn_port >= evtchn_port_limit() )
        return -EINVAL;
    if ( !limit_ok(c->max_grant_frames, 1, GNTTAB_MAX_FRAMES) ||
         !limit_ok(c->max_maptrack_frames, 0, GNTTAB_MAX_MAPTRACK) )
        return -EINVAL;
    if ( (c->grant_opts & ~GRANT_VERSION_MASK) || c->grant_opts > GRANT_VERSION_MAX )
        return -EINVAL;
    if ( c->iommu_opts || c->vmtrace_size || c->cpupool_id )
        return -EINVAL;
    if ( c->arch.emulation_flags != XEN_X86_EMU_LAPIC ||
         (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED) )
        return -EINVAL;
    return 0;
}

static bool id_in_use(domid_t id)
{
    struct domain *d = domain_get_by_id(id);
    if ( d )
        put_domain(d);
    return d || zombie_holds_id(id);
}

/*
 * The id to create: the one asked for, or, as Xen does, the next free one
 * after the last handed out (wrapping below DOMID_FIRST_RESERVED), so an
 * id is not reused while a toolstack may still name its old domain.
 */
static int pick_id(domid_t want, domid_t *id)
{
    static domid_t rover;
    if ( want )
    {
        *id = want;
        if ( want >= DOMID_FIRST_RESERVED )
            return -EINVAL;
        return id_in_use(want) ? -EEXIST : 0;
    }
    for ( unsigned int tries = 1; tries < DOMID_FIRST_RESERVED; tries++ )
    {
        domid_t next = rover % (DOMID_FIRST_RESERVED - 1) + 1;
        rover = next;
        if ( !id_in_use(next) )
        {
            *id = next;
            return 0;
        }
    }
    return -ENOMEM; /* Xen's answer: no id left */
}

long domctl_createdomain(struct domain *unused, struct xen_domctl *op, uint64_t arg)
{
    const struct xen_domctl_createdomain *c = &op->u.createdomain;
    struct domain *d;
    domid_t id;
    int rc = check_config(c);
    if ( !rc )
        rc = pick_id(op->domain, &id);
    if ( !rc )
        rc = domain_create(id, false, c->max_vcpus, &d);
    if ( rc )
        return rc;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    evtchn_limit_ports(d, c->max_evtchn_port + 1);
    grant_table_set_limits(d, limit_or(c->max_grant_frames, GNTTAB_MAX_FRAMES),
                           limit_or(c->max_maptrack_frames, GNTTAB_MAX_MAPTRACK));
    domain_pause_is_controllers(d);
    op->domain = id;
    if ( copy_to_guest(arg, op, sizeof(*op)) )
    {
        domain_destroy(d); /* the caller could not learn its id */
        return -EFAULT;
    }
    printk("d%u: created by d%u (%u vCPUs)\n", id, current->domain->domain_id, c->max_vcpus);
    return 0;
}

long domctl_setdomainhandle(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
    return 0;
}

/* Xen's answers: -EINVAL past max_vcpus, -ESRCH for a slot with no vCPU. */
long domctl_getvcpuinfo(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    struct xen_domctl_getvcpuinfo *info = &op->u.getvcpuinfo;
    const struct vcpu *v;
    int cpu;
    if ( info->vcpu >= d->max_vcpus )
        return -EINVAL;
    v = d->vcpu[info->vcpu];
    if ( !v )
        return -ESRCH;
    cpu = ACCESS_ONCE(v->processor);
    info->online = v->is_up;
    info->blocked = v->state == VCPU_BLOCKED;
    info->running = v->state == VCPU_RUNNING;
    info->cpu_time = v->runstate.time[RUNSTATE_running];
    info->cpu = cpu >= 0 ? (uint32_t)cpu : 0;
    info->pad = 0;
    info->pad2 = 0;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

/* A vCPU that is down, of a domain its controller paused (so none of its
 * vCPUs runs, and domctl_lock keeps other domctls out), starts from the
 * architecture's register state; the architecture copies and checks it
 * before it changes anything. */
long domctl_setvcpucontext(struct domain *d, struct xen_domctl *op, uint64_t arg)
{
    const struct xen_domctl_vcpucontext *c = &op->u.vcpucontext;
    struct vcpu *v = c->vcpu < d->max_vcpus ? d->vcpu[c->vcpu] : NULL;
    bool online = false;
    int rc;
    if ( !v )
        return -EINVAL;
    if ( d->controller_pause_count == 0 || v->is_up )
        return -EBUSY;
    rc = arch_vcpu_set_guest_context(v, c->ctxt, &online);
    if ( rc )
        return rc;
    v->initialised = true;
    if ( online )
        vcpu_online(v);
    return 0;
}
