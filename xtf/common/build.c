/*
 * build.c - helpers for tests that build domains the toolstack's way
 * (include/xtf/build.h). Thin on purpose: a test sees raw return codes.
 */
#include <xtf.h>
#include <xtf/build.h>
#include <public/memory.h>

struct xen_domctl_createdomain xtf_pvh_config(unsigned int vcpus)
{
    return (struct xen_domctl_createdomain){
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = vcpus,
        .max_evtchn_port = 1023,
        .max_grant_frames = -1,
        .max_maptrack_frames = -1,
        .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };
}

long xtf_createdomain(domid_t want, const struct xen_domctl_createdomain *c, domid_t *out)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_createdomain, .domain = want };
    long rc;

    op.u.createdomain = *c;
    rc = hypercall_domctl(&op);
    if ( !rc && out )
        *out = op.domain;
    return rc;
}

long xtf_set_max_mem(domid_t domid, uint64_t kb)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_max_mem, .domain = domid };

    op.u.max_mem.max_memkb = kb;
    return hypercall_domctl(&op);
}

long xtf_populate(domid_t domid, uint64_t gfn, unsigned int order, unsigned int nr)
{
    static xen_pfn_t pfns[64];
    struct xen_memory_reservation r = {
        .nr_extents = nr,
        .extent_order = order,
        .domid = domid,
    };

    if ( nr > ARRAY_SIZE(pfns) )
        return -XEN_EINVAL;
    for ( unsigned int i = 0; i < nr; i++ )
        pfns[i] = gfn + ((uint64_t)i << order);
    set_xen_guest_handle(r.extent_start, pfns);
    return hypercall_memory_op(XENMEM_populate_physmap, &r);
}

long xtf_sethvmcontext(domid_t domid, const void *buf, uint32_t size)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_sethvmcontext, .domain = domid };

    op.u.hvmcontext.size = size;
    set_xen_guest_handle(op.u.hvmcontext.buffer, buf);
    return hypercall_domctl(&op);
}

long xtf_gethvmcontext(domid_t domid, void *buf, uint32_t *size)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_gethvmcontext, .domain = domid };
    long rc;

    op.u.hvmcontext.size = buf ? *size : 0;
    set_xen_guest_handle(op.u.hvmcontext.buffer, buf);
    rc = hypercall_domctl(&op);
    if ( !rc )
        *size = op.u.hvmcontext.size;
    return rc;
}

long xtf_getvcpuinfo(domid_t domid, uint32_t vcpu, struct xen_domctl_getvcpuinfo *info)
{
    struct xen_domctl op = { .cmd = XEN_DOMCTL_getvcpuinfo, .domain = domid };
    long rc;

    op.u.getvcpuinfo.vcpu = vcpu;
    rc = hypercall_domctl(&op);
    if ( !rc )
        *info = op.u.getvcpuinfo;
    return rc;
}
