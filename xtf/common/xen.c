/*
 * xen.c - finding the hypervisor and the small hypercall helpers.
 *
 * Detection follows what any Xen HVM/PVH guest does: scan the hypervisor
 * CPUID range in steps of 0x100 for "XenVMMXenVMM", read the hypercall
 * MSR from leaf base+2 and write the guest-physical address of our
 * (page-aligned, identity-mapped) hypercall_page to it.
 */
#include <xtf.h>
#include <xtf/runtime.h>
#include <public/arch-x86/cpuid.h>
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/version.h>

uint32_t xtf_cpuid_base;
uint32_t xtf_xen_version;
domid_t xtf_domid = DOMID_INVALID;
bool xtf_is_dom0;
bool xtf_hc_vmmcall;
bool xtf_hypercalls_ready;

#define CPUID_VENDOR_AMD_EBX   0x68747541U /* "Auth" */
#define CPUID_VENDOR_HYGON_EBX 0x6f677948U /* "Hygo" */

static uint32_t find_cpuid_base(void)
{
    for ( uint32_t base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_BASE_LIMIT;
          base += XEN_CPUID_BASE_STRIDE )
    {
        struct cpuid_res r = cpuid(base);

        if ( r.b == XEN_CPUID_SIGNATURE_EBX && r.c == XEN_CPUID_SIGNATURE_ECX &&
             r.d == XEN_CPUID_SIGNATURE_EDX && r.a >= base + 2 )
            return base;
    }
    return 0;
}

bool xen_detect(void)
{
    struct cpuid_res r;
    uint32_t vendor = cpuid(0).b;

    xtf_hc_vmmcall = vendor == CPUID_VENDOR_AMD_EBX || vendor == CPUID_VENDOR_HYGON_EBX;
    xtf_cpuid_base = find_cpuid_base();
    if ( !xtf_cpuid_base )
        return false;

    r = cpuid(xtf_cpuid_base + 2);
    if ( r.a < 1 )
    {
        printf("CPUID %#x reports %u hypercall pages\n", xtf_cpuid_base + 2, r.a);
        return false;
    }
    wrmsr(r.b, (uint64_t)(uintptr_t)hypercall_page);
    xtf_hypercalls_ready = true;

    xtf_xen_version = (uint32_t)hypercall_xen_version(XENVER_version, NULL);
    return true;
}

/* dom0 is recognised by its domid (HVM CPUID leaf) or by SIF_INITDOMAIN. */
void xen_identify_domain(void)
{
    uint32_t max = cpuid(xtf_cpuid_base).a;

    if ( max >= xtf_cpuid_base + 4 )
    {
        struct cpuid_res r = cpuid(xtf_cpuid_base + 4);

        if ( r.a & XEN_HVM_CPUID_DOMID_PRESENT )
            xtf_domid = (domid_t)r.c;
    }
    if ( xtf_start_info && (xtf_start_info->flags & SIF_INITDOMAIN) )
    {
        xtf_is_dom0 = true;
        if ( xtf_domid == DOMID_INVALID )
            xtf_domid = 0;
    }
    if ( xtf_domid == 0 )
        xtf_is_dom0 = true;
}

long hvm_get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = hypercall_hvm_op(HVMOP_get_param, &p);

    if ( !rc )
        *value = p.value;
    return rc;
}

long evtchn_send(uint32_t port)
{
    struct evtchn_send s = { .port = port };

    return hypercall_event_channel_op(EVTCHNOP_send, &s);
}

int xtf_vcpu_id(void)
{
    struct cpuid_res r;

    if ( !xtf_cpuid_base || cpuid(xtf_cpuid_base).a < xtf_cpuid_base + 4 )
        return -1;
    r = cpuid(xtf_cpuid_base + 4);
    return (r.a & XEN_HVM_CPUID_VCPU_ID_PRESENT) ? (int)r.b : -1;
}
