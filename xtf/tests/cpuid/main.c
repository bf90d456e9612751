/*
 * cpuid - the hypervisor CPUID leaves a Xen guest relies on.
 *
 * Checks, from the boot vCPU of dom0:
 *  - CPUID.1:ECX bit 31 (hypervisor present) is set;
 *  - base+0 carries "XenVMMXenVMM" and a highest leaf of at least base+4;
 *  - base+1 holds a plausible version that equals what the xen_version
 *    hypercall returns;
 *  - base+2 reports at least one hypercall page and an MSR index in the
 *    hypervisor MSR range (the runtime already used it, or nothing else
 *    would have worked);
 *  - base+4 (HVM leaf) reports vCPU id 0 and a domid, and that domid is
 *    0, matches SIF_INITDOMAIN in start_info, and is the domain that
 *    XEN_DOMCTL_getdomaininfo describes as itself.
 */
#include <xtf.h>
#include <public/arch-x86/cpuid.h>
#include <public/version.h>

const char test_title[] = "Hypervisor CPUID leaves";

#define CPUID1_ECX_HYPERVISOR (1U << 31)

static void check_signature(uint32_t base)
{
    struct cpuid_res r = cpuid(base);
    char sig[13];

    memcpy(sig, &r.b, 4);
    memcpy(sig + 4, &r.c, 4);
    memcpy(sig + 8, &r.d, 4);
    sig[12] = '\0';
    printf("Leaf %#x: max leaf %#x, signature \"%s\"\n", base, r.a, sig);
    if ( strcmp(sig, "XenVMMXenVMM") )
        xtf_failure("signature is \"%s\"", sig);
    if ( r.a < base + 4 )
        xtf_failure("highest leaf %#x lacks the HVM leaf %#x", r.a, base + 4);
}

static void check_version(uint32_t base)
{
    uint32_t v = cpuid(base + 1).a;
    long hc = hypercall_xen_version(XENVER_version, NULL);

    printf("Leaf %#x: version %u.%u; xen_version hypercall: %#lx\n", base + 1, v >> 16, v & 0xffff,
           hc);
    if ( (v >> 16) < 3 || (v >> 16) > 99 )
        xtf_failure("implausible major version %u", v >> 16);
    if ( hc != (long)v )
        xtf_failure("CPUID says %#x, XENVER_version says %#lx", v, hc);
}

static void check_hypercall_leaf(uint32_t base)
{
    struct cpuid_res r = cpuid(base + 2);

    printf("Leaf %#x: %u hypercall page(s), MSR %#x, flags %#x\n", base + 2, r.a, r.b, r.c);
    if ( r.a < 1 )
        xtf_failure("no hypercall pages");
    if ( r.b < 0x40000000U || r.b > 0x4fffffffU )
        xtf_failure("hypercall MSR %#x outside 0x40000000-0x4fffffff", r.b);
}

static void check_hvm_leaf(uint32_t base)
{
    struct cpuid_res r = cpuid(base + 4);
    struct xen_domctl_getdomaininfo info;
    bool initdom = xtf_start_info->flags & SIF_INITDOMAIN;
    long rc;

    printf("Leaf %#x: flags %#x, vcpu %u, domid %u; SIF_INITDOMAIN %s\n", base + 4, r.a, r.b, r.c,
           initdom ? "set" : "clear");
    if ( !(r.a & XEN_HVM_CPUID_VCPU_ID_PRESENT) )
        xtf_failure("HVM leaf does not report the vCPU id");
    else if ( r.b != 0 )
        xtf_failure("boot vCPU reports vCPU id %u", r.b);

    if ( !(r.a & XEN_HVM_CPUID_DOMID_PRESENT) )
    {
        xtf_failure("HVM leaf does not report the domid");
        return;
    }
    if ( r.c != 0 || !initdom )
        xtf_failure("this test runs as dom0, but domid %u, SIF_INITDOMAIN %s", r.c,
                    initdom ? "set" : "clear");

    rc = xtf_getdomaininfo((domid_t)r.c, &info);
    if ( rc )
        xtf_failure("getdomaininfo(%u) failed: %ld", r.c, rc);
}

void test_main(void)
{
    uint32_t base = xtf_cpuid_base;

    if ( !(cpuid(1).c & CPUID1_ECX_HYPERVISOR) )
        xtf_failure("CPUID.1:ECX.hypervisor is clear");
    printf("Xen leaves found at %#x\n", base);

    check_signature(base);
    check_version(base);
    check_hypercall_leaf(base);
    if ( cpuid(base).a >= base + 4 )
        check_hvm_leaf(base);
    xtf_success(NULL);
}
