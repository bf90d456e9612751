/*
 * sysctl.c - the sysctl hypercall: the control domain asks about the host.
 *
 * Toolstack-only and versioned (public/sysctl.h). Its row in
 * xen/hypercall-defs.h is PRIVILEGED, so the dispatcher refuses other
 * callers (-EPERM). Then: a wrong interface_version is -EACCES, a command
 * without a row in WREN_SYSCTLS -ENOSYS; the sub-op's callers column is
 * checked before its handler runs.
 *
 * Only reads (readconsole's clear empties the console ring): it may not
 * change any domain, frame or allocator state, and takes no lock but the
 * console's (the ring) and the scheduler's (the domain list); counters are
 * read racily: a snapshot is all physinfo and wren_vcpu_load promise.
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <xen/arch.h>
#include <xen/console.h>
#include <public/sysctl.h>
#include <public/domctl.h>

static void fill_physinfo(struct xen_sysctl_physinfo *pi)
{
    memset(pi, 0, sizeof(*pi));
    pi->threads_per_core = 1;
    pi->cores_per_socket = nr_online_cpus;
    pi->nr_cpus = nr_online_cpus;
    pi->max_cpu_id = NR_CPUS - 1;
    pi->nr_nodes = 1;
    pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap;
    pi->total_pages = pages_total();
    pi->free_pages = pages_free();
}

long sysctl_physinfo(struct xen_sysctl *op, uint64_t arg)
{
    fill_physinfo(&op->u.physinfo);
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

/* Wren's own: how often vCPUs were made ready to enter (xen/arch.h). */
long sysctl_wren_vcpu_load(struct xen_sysctl *op, uint64_t arg)
{
    arch_vcpu_load_stats(&op->u.wren_vcpu_load);
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

/* Copied out through a bounce buffer: the ring is read under the console
 * lock, which no guest access may be made under. */
long sysctl_readconsole(struct xen_sysctl *op, uint64_t arg)
{
    struct xen_sysctl_readconsole *rc = &op->u.readconsole;
    uint32_t idx = rc->index, done = 0;
    char buf[256];
    for ( bool from_idx = rc->incremental; done < rc->count; from_idx = true )
    {
        size_t n =
            console_ring_read(buf, MIN(sizeof(buf), (size_t)(rc->count - done)), &idx, from_idx);
        if ( !n )
            break;
        if ( copy_to_guest(rc->buffer + done, buf, n) )
            return -EFAULT;
        done += (uint32_t)n;
    }
    if ( rc->clear )
        console_ring_clear(idx);
    rc->count = done;
    rc->index = idx;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

/* The domain with the lowest id >= from, live or a zombie, described. */
static bool next_domain_info(uint32_t from, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl_getdomaininfo z;
    struct domain *d = domain_get_next((domid_t)from);
    bool have_z = zombie_next_info((domid_t)from, &z);
    if ( d && (!have_z || d->domain_id < z.domain) )
        domain_fill_info(d, info);
    else if ( have_z )
        *info = z;
    if ( d )
        put_domain(d);
    return d || have_z;
}

/* Domains from first_domain up, in id order, one getdomaininfo each;
 * dying ones too, as in Xen. */
long sysctl_getdomaininfolist(struct xen_sysctl *op, uint64_t arg)
{
    struct xen_sysctl_getdomaininfolist *l = &op->u.getdomaininfolist;
    struct xen_domctl_getdomaininfo info;
    uint32_t n = 0;
    for ( uint32_t next = l->first_domain; n < l->max_domains && next < DOMID_FIRST_RESERVED;
          next = info.domain + 1U )
    {
        if ( !next_domain_info(next, &info) )
            break;
        if ( copy_to_guest(l->buffer + n * sizeof(info), &info, sizeof(info)) )
            return -EFAULT;
        n++;
    }
    l->num_domains = n;
    return copy_to_guest(arg, op, sizeof(*op)) ? -EFAULT : 0;
}

long do_sysctl(uint64_t arg)
{
    const struct sysctl_subop *sub;
    struct xen_sysctl op;
    long rc;
    if ( copy_from_guest(&op, arg, sizeof(op)) )
        return -EFAULT;
    if ( op.interface_version != XEN_SYSCTL_INTERFACE_VERSION )
        return -EACCES;
    sub = sysctl_subop_find(op.cmd);
    if ( !sub )
        return -ENOSYS;
    rc = hypercall_permit(sub->callers, current->domain, NULL);
    return rc ? rc : sub->fn(&op, arg);
}
