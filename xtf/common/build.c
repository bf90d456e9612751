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

void xtf_hvm_cpu_pvh(struct hvm_hw_cpu *c, uint32_t entry, uint32_t ebx)
{
    memset(c, 0, sizeof(*c));
    c->rip = entry;
    c->rbx = ebx;
    c->rflags = 0x2;
    c->cr0 = 0x11; /* PE, ET */
    c->cs_limit = c->ds_limit = c->es_limit = c->ss_limit = 0xffffffff;
    c->cs_arbytes = 0xc9b; /* 32-bit code, G, present */
    c->ds_arbytes = c->es_arbytes = c->ss_arbytes = 0xc93;
    c->tr_limit = 0x67;
    c->tr_arbytes = 0x8b; /* busy 32-bit TSS */
    c->dr6 = 0xffff0ff0;
    c->dr7 = 0x400;
}

static uint8_t *put(uint8_t *p, uint16_t type, uint16_t inst, const void *body, uint32_t len)
{
    struct hvm_save_descriptor d = { type, inst, len };

    memcpy(p, &d, sizeof(d));
    if ( len )
        memcpy(p + sizeof(d), body, len);
    return p + sizeof(d) + len;
}

uint32_t xtf_hvm_xsave_record(void)
{
    if ( !(cpuid(1).c & (1U << 26)) ) /* XSAVE */
        return 0;
    return 8 + 24 + cpuid_count(0xd, 0).c;
}

uint32_t xtf_hvm_context_one(void *buf, const struct hvm_hw_cpu *cpu, uint16_t instance)
{
    struct hvm_save_header h = { .magic = HVM_FILE_MAGIC, .version = HVM_FILE_VERSION };
    uint8_t *p = put(buf, HVM_SAVE_CODE(HEADER), 0, &h, sizeof(h));

    p = put(p, HVM_SAVE_CODE(CPU), instance, cpu, sizeof(*cpu));
    p = put(p, HVM_SAVE_CODE(END), 0, NULL, 0);
    return (uint32_t)(p - (uint8_t *)buf);
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
