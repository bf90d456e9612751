/*
 * cpu_policy.c - what a guest is told it has: the host's CPUID leaves,
 * minus what Wren does not virtualize or switch per vCPU, and the CR4
 * bits that follow from them. One source for both, so that a feature
 * CPUID hides is also a CR4 bit the guest cannot set (#GP), on VMX and
 * SVM alike.
 *
 * May not touch: guest state; it only computes.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <asm/x86.h>
#include <asm/hvm.h>
#include <asm/fpu.h>
#include <asm/vlapic.h>

#define BIT(n) (1u << (n))

/* CPUID.1:ECX */
#define C1_MONITOR    BIT(3)
#define C1_VMX        BIT(5)
#define C1_SMX        BIT(6)
#define C1_FMA        BIT(12)
#define C1_PCID       BIT(17)
#define C1_X2APIC     BIT(21)
#define C1_TSC_DLINE  BIT(24)
#define C1_XSAVE      BIT(26)
#define C1_OSXSAVE    BIT(27)
#define C1_AVX        BIT(28)
#define C1_F16C       BIT(29)
#define C1_HYPERVISOR BIT(31)
/* CPUID.1:EDX */
#define C1D_APIC BIT(9)
/* CPUID.1:EDX (and AMD's 0x80000001:EDX): what vmsr.c emulates */
#define D1_MCE      BIT(7)
#define D1_MTRR     BIT(12)
#define D1_MCA      BIT(14)
#define D1_PAT      BIT(16)
#define D1_EMULATED (D1_MCE | D1_MTRR | D1_MCA | D1_PAT)
/*
 * Features whose MSRs nothing emulates (they would #GP), hidden as Xen
 * hides them from HVM guests: debug store (BTS/PEBS), ACPI thermal
 * control, thermal monitors, pending-break, processor serial number;
 * 64-bit DS, CPL-qualified DS, Enhanced SpeedStep, L1 context ID,
 * silicon debug, xTPR update control, PERF_CAPABILITIES, DCA.
 */
#define D1_NO_MSRS (BIT(18) | BIT(21) | BIT(22) | BIT(29) | BIT(31))
#define C1_NO_MSRS \
    (BIT(2) | BIT(4) | BIT(7) | BIT(8) | BIT(10) | BIT(11) | BIT(14) | BIT(15) | BIT(18))
/* 0x80000001:ECX: AMD's core performance counter extensions */
#define E1C_PERFCTR_CORE BIT(23)
/* CPUID.7.0:EBX */
#define C7B_FSGSBASE BIT(0)
/* IA32_TSC_ADJUST: writing it would move the guest's TSC, which the
 * pvclock (time.c) needs unchanged; the MSR is not offered. */
#define C7B_TSC_ADJUST BIT(1)
#define C7B_AVX2       BIT(5)
#define C7B_SMEP       BIT(7)
#define C7B_MPX        BIT(14)
#define C7B_SMAP       BIT(20)
#define C7B_AVX512     (BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | BIT(28) | BIT(30) | BIT(31))
/* CPUID.7.0:ECX */
#define C7C_UMIP    BIT(2)
#define C7C_PKU     BIT(3)
#define C7C_OSPKE   BIT(4)
#define C7C_WAITPKG BIT(5)
#define C7C_LA57    BIT(16)
#define C7C_PKS     BIT(31)
#define C7C_AVX512  (BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14))
/* CPUID.7.0:EDX */
#define C7D_AVX512 (BIT(2) | BIT(3) | BIT(8) | BIT(23))
#define C7D_AMX    (BIT(22) | BIT(24) | BIT(25))
/* CPUID.0xD.1:EAX: XSAVEOPT and XGETBV with ECX=1 (XSAVEC, XSAVES, XFD hidden) */
#define CD1_OK (BIT(0) | BIT(2))

/* CR4 bits (Intel SDM vol. 3, 2.5). */
#define CR4_ALWAYS   0x7ffULL /* VME ... OSXMMEXCPT: bits 0-10 */
#define CR4_UMIP     (1ULL << 11)
#define CR4_FSGSBASE (1ULL << 16)
#define CR4_PCIDE    (1ULL << 17)
#define CR4_OSXSAVE  (1ULL << 18)
#define CR4_SMEP     (1ULL << 20)
#define CR4_SMAP     (1ULL << 21)

static void leaf1(struct cpuid_regs *r)
{
    uint64_t max = fpu_xcr0_max();
    r->c &= ~(C1_MONITOR | C1_VMX | C1_SMX | C1_XSAVE | C1_OSXSAVE);
    r->c |= C1_X2APIC | C1_TSC_DLINE; /* what the vLAPIC emulates */
    if ( max )
        r->c |= C1_XSAVE;
    if ( !(max & XSTATE_YMM) )
        r->c &= ~(C1_AVX | C1_FMA | C1_F16C);
    r->c |= C1_HYPERVISOR;
    r->d |= D1_EMULATED; /* vmsr.c: MTRRs, PAT, vMCE whatever the host has */
    r->d &= ~D1_NO_MSRS;
    r->c &= ~C1_NO_MSRS;
    r->d |= C1D_APIC; /* cleared per vCPU while MSR_APIC_BASE disables it */
}

/*
 * x2APIC topology (leaf 0xB, and 0x1F alike) matching the APIC IDs 2n:
 * one thread of two per core (shift 1), then one package of cores wide
 * enough for every vCPU's ID. EDX is the vCPU's x2APIC ID at every level.
 */
static struct cpuid_regs topology_leaf(struct vcpu *v, uint32_t sub)
{
    unsigned int shift = 1;

    while ( (1U << shift) < v->domain->max_vcpus * 2 )
        shift++;
    switch ( sub )
    {
    case 0: return (struct cpuid_regs){ 1, 1, (1U << 8) | sub, v->vcpu_id * 2 };
    case 1:
        return (struct cpuid_regs){ shift, v->domain->max_vcpus, (2U << 8) | sub, v->vcpu_id * 2 };
    default: return (struct cpuid_regs){ 0, 0, sub & 0xff, v->vcpu_id * 2 };
    }
}

static void leaf7(struct cpuid_regs *r, uint32_t sub)
{
    bool avx512 = fpu_xcr0_max() & XSTATE_AVX512;
    if ( sub != 0 )
    {
        *r = (struct cpuid_regs){ 0, 0, 0, 0 };
        return;
    }
    r->a = 0; /* sub-leaf 0 only */
    r->b &= ~(C7B_MPX | C7B_TSC_ADJUST);
    if ( !(fpu_xcr0_max() & XSTATE_YMM) )
        r->b &= ~C7B_AVX2;
    r->c &= ~(C7C_PKU | C7C_OSPKE | C7C_WAITPKG | C7C_LA57 | C7C_PKS);
    r->d &= ~C7D_AMX;
    if ( !avx512 )
    {
        r->b &= ~C7B_AVX512;
        r->c &= ~C7C_AVX512;
        r->d &= ~C7D_AVX512;
    }
}

static void leaf_d(struct cpuid_regs *r, uint32_t sub)
{
    uint64_t max = fpu_xcr0_max();
    if ( sub == 0 )
    {
        r->a = (uint32_t)max;
        r->d = (uint32_t)(max >> 32);
        r->c = fpu_xsave_size(max);
        r->b = r->c; /* the caller puts the guest's XCR0 in */
    }
    else if ( sub == 1 )
    {
        *r = (struct cpuid_regs){ r->a & CD1_OK, 0, 0, 0 };
    }
    else if ( sub >= 63 || !(max & (1ULL << sub)) )
    {
        *r = (struct cpuid_regs){ 0, 0, 0, 0 };
    }
}

/* AMD mirrors the leaf-1 MCE/MTRR/MCA/PAT bits here; Intel leaves them 0. */
static void ext_leaf1(struct cpuid_regs *r)
{
    r->c &= ~(BIT(2) | E1C_PERFCTR_CORE); /* no nested SVM, no vPMU */
    if ( hvm_vendor == &svm_vendor_ops )
        r->d |= D1_EMULATED;
}

/* Leaf 6 (thermal and power): only ARAT, "the APIC timer keeps running
 * in deep C-states", which the emulated LAPIC's timer does. The rest
 * (APERF/MPERF, energy-performance bias, HWP, thermal interrupts) name
 * MSRs no guest gets: Linux read APERF and wrote ENERGY_PERF_BIAS on
 * Bochs's Skylake and faulted. */
#define L6A_ARAT BIT(2)

/* The host leaf as every guest sees it, before per-vCPU fields. */
static struct cpuid_regs policy_leaf(uint32_t leaf, uint32_t sub)
{
    struct cpuid_regs r = cpuid_count(leaf, sub);
    if ( leaf == 1 )
        leaf1(&r);
    else if ( leaf == 7 )
        leaf7(&r, sub);
    else if ( leaf == 0xd )
        leaf_d(&r, sub);
    else if ( leaf == 0xa )
        r = (struct cpuid_regs){ 0, 0, 0, 0 }; /* no vPMU, as Xen's default */
    else if ( leaf == 6 )
        r = (struct cpuid_regs){ r.a & L6A_ARAT, 0, 0, 0 };
    else if ( leaf == 0x80000001 )
        ext_leaf1(&r);
    if ( leaf == 0xd && !fpu_xcr0_max() )
        r = (struct cpuid_regs){ 0, 0, 0, 0 };
    return r;
}

struct cpuid_regs hvm_guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint64_t cr4,
                                  uint64_t xcr0)
{
    struct cpuid_regs r = policy_leaf(leaf, sub);
    if ( (leaf == 0xb || leaf == 0x1f) && leaf <= cpuid(0).a )
        return topology_leaf(v, sub);
    if ( leaf == 1 )
    {
        r.b = (r.b & 0x00ffffff) | ((v->vcpu_id * 2) << 24); /* initial APIC ID */
        if ( !vlapic_hw_enabled(v) )
            r.d &= ~C1D_APIC;
        if ( (r.c & C1_XSAVE) && (cr4 & CR4_OSXSAVE) )
            r.c |= C1_OSXSAVE;
    }
    else if ( leaf == 0xd && sub == 0 && fpu_xcr0_max() )
    {
        r.b = fpu_xsave_size(xcr0);
    }
    return r;
}

/*
 * CR4 bits a guest may set: the architectural base, and each bit whose
 * feature its CPUID shows. Never VMXE, SMXE, LA57, PKE, CET or PKS.
 */
uint64_t hvm_cr4_guest_ok(void)
{
    struct cpuid_regs l1 = policy_leaf(1, 0), l7 = policy_leaf(7, 0);
    uint64_t ok = CR4_ALWAYS;
    if ( l7.c & C7C_UMIP )
        ok |= CR4_UMIP;
    if ( l7.b & C7B_FSGSBASE )
        ok |= CR4_FSGSBASE;
    if ( l1.c & C1_PCID )
        ok |= CR4_PCIDE;
    if ( l1.c & C1_XSAVE )
        ok |= CR4_OSXSAVE;
    if ( l7.b & C7B_SMEP )
        ok |= CR4_SMEP;
    if ( l7.b & C7B_SMAP )
        ok |= CR4_SMAP;
    return ok;
}

/* Boot: the host's feature words next to what guests get, for the logs. */
void hvm_cpu_policy_show(void)
{
    struct cpuid_regs h1 = cpuid(1), h7 = cpuid_count(7, 0);
    struct cpuid_regs g1 = policy_leaf(1, 0), g7 = policy_leaf(7, 0);
    printk("CPUID host 1:ecx %08x 7:ebx %08x 7:ecx %08x 7:edx %08x 0xd.1:eax %08x\n", h1.c, h7.b,
           h7.c, h7.d, h1.c & C1_XSAVE ? cpuid_count(0xd, 1).a : 0);
    printk("CPUID guest 1:ecx %08x 7:ebx %08x 7:ecx %08x 7:edx %08x, CR4 allowed %#lx\n", g1.c,
           g7.b, g7.c, g7.d, hvm_cr4_guest_ok());
}
