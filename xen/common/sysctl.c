/*
 * sysctl.c - the sysctl hypercall: the control domain asks about the host.
 *
 * Toolstack-only and versioned (public/sysctl.h). The table entry is
 * HC_PRIVILEGED, so the dispatcher refuses other callers (-EPERM); the
 * check is repeated here so the rule does not hang on one table flag.
 * Then: a wrong interface_version is -EACCES, an unknown command -ENOSYS.
 *
 * Only reads: it may not change any domain, frame or allocator state, and
 * it takes no lock but the page allocator's counters' (read racily: a
 * snapshot is all physinfo promises).
 */
#include <xen/lib.h>
#include <xen/errno.h>
#include <xen/mm.h>
#include <xen/smp.h>
#include <xen/sched.h>
#include <xen/hypercall.h>
#include <xen/guest_access.h>
#include <public/sysctl.h>

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

long do_sysctl(uint64_t arg)
{
    struct xen_sysctl op;
    if (!current->domain->is_privileged)
        return -EPERM;
    if (copy_from_guest(&op, arg, sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return -EACCES;
    switch (op.cmd) {
    case XEN_SYSCTL_physinfo:
        fill_physinfo(&op.u.physinfo);
        return copy_to_guest(arg, &op, sizeof(op)) ? -EFAULT : 0;
    default:
        return -ENOSYS;
    }
}
DEFINE_HYPERCALL(__HYPERVISOR_sysctl, sysctl, do_sysctl, HC_PRIVILEGED);
