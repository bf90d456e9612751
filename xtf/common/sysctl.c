/*
 * sysctl.c - wrappers for XEN_SYSCTL_* (include/xtf/sysctl.h). Thin on
 * purpose: a test sees the raw return code.
 */
#include <xtf.h>
#include <xtf/sysctl.h>

long hypercall_sysctl(struct xen_sysctl *op)
{
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return hypercall_via_page(__HYPERVISOR_sysctl, HC_PTR(op), 0, 0, 0, 0);
}

long xtf_physinfo(struct xen_sysctl_physinfo *pi)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo };
    long rc = hypercall_sysctl(&op);

    if ( !rc )
        *pi = op.u.physinfo;
    return rc;
}

uint64_t xtf_free_pages(void)
{
    struct xen_sysctl_physinfo pi;
    long rc = xtf_physinfo(&pi);

    if ( rc )
    {
        xtf_error("XEN_SYSCTL_physinfo: %ld", rc);
        return ~0ULL;
    }
    return pi.free_pages;
}
