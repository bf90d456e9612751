/*
 * apic-base - MSR_APIC_BASE and the x2APIC MSRs behave as on Xen.
 *
 *  - vCPU 0 starts in xAPIC mode at 0xfee00000 with the BSP bit;
 *    CPUID.1 shows the APIC (EDX[9]), x2APIC (ECX[21]), and initial APIC
 *    ID 0 in EBX[31:24];
 *  - x2APIC MSRs #GP outside x2APIC mode;
 *  - legal: xAPIC -> x2APIC -> disabled -> xAPIC; illegal (#GP, value
 *    unchanged): EXTD without ENABLE, x2APIC -> xAPIC, disabled ->
 *    x2APIC, reserved bits 0-7 and 9; the BSP bit cannot be cleared;
 *  - while disabled CPUID.1:EDX[9] is clear; re-enabled, the APIC is
 *    back in its reset state (SVR 0xff, LVT timer masked);
 *  - x2APIC mode: writes to ID and LDR, a non-zero EOI or a reserved
 *    ICR bit #GP, EOI and SELF IPI are not readable; leaf 0xB reports
 *    the x2APIC ID.
 */
#include <xtf.h>
#include <xtf/apic.h>

const char test_title[] = "MSR_APIC_BASE transitions and x2APIC MSR rules";

#define EN   APIC_BASE_ENABLE
#define EXTD APIC_BASE_EXTD
#define BASE APIC_DEFAULT_BASE

/* 0, or the exinfo of the fault. */
static uint64_t wrmsr_ex(uint32_t msr, uint64_t val)
{
    uint64_t rax = (uint32_t)val;

    asm volatile("1: wrmsr; xor %%eax, %%eax; 2:" _ASM_EXTABLE(1b, 2b)
                 : "+a"(rax)
                 : "c"(msr), "d"((uint32_t)(val >> 32))
                 : "memory");
    return rax;
}

static uint64_t rdmsr_ex(uint32_t msr, uint64_t *val)
{
    uint64_t rax = 0, rdx = 0;

    asm volatile("1: rdmsr; shl $32, %%rdx; or %%rdx, %%rax; mov %%rax, %[v];"
                 "xor %%eax, %%eax; 2:" _ASM_EXTABLE(1b, 2b)
                 : "+a"(rax), "+d"(rdx), [v] "=m"(*val)
                 : "c"(msr));
    return rax;
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
    if ( got != want )
        xtf_failure("%s: %#lx, expected %#lx", what, (unsigned long)got, (unsigned long)want);
}

static void expect_gp_write(const char *what, uint32_t msr, uint64_t val)
{
    uint64_t before = rdmsr(MSR_APIC_BASE);

    expect(what, wrmsr_ex(msr, val), EXINFO(X86_EXC_GP, 0));
    expect("MSR_APIC_BASE unchanged by a refused write", rdmsr(MSR_APIC_BASE), before);
}

static void expect_write(const char *what, uint32_t msr, uint64_t val)
{
    expect(what, wrmsr_ex(msr, val), 0);
}

static bool cpuid_apic(void)
{
    return cpuid(1).d & (1u << 9);
}

static void reset_and_cpuid(void)
{
    struct cpuid_res r = cpuid(1);
    uint64_t v;

    expect("reset MSR_APIC_BASE", rdmsr(MSR_APIC_BASE), BASE | EN | APIC_BASE_BSP);
    expect("CPUID.1:EDX.APIC", cpuid_apic(), 1);
    expect("CPUID.1:ECX.x2APIC", (r.c >> 21) & 1, 1);
    expect("CPUID.1:EBX initial APIC ID", r.b >> 24, 0);
    expect("x2APIC ID read in xAPIC mode", rdmsr_ex(0x802, &v), EXINFO(X86_EXC_GP, 0));
    expect("x2APIC TPR write in xAPIC mode", wrmsr_ex(0x808, 0), EXINFO(X86_EXC_GP, 0));
}

static void transitions(void)
{
    uint64_t v;

    expect_gp_write("EXTD without ENABLE", MSR_APIC_BASE, BASE | EXTD);
    expect_gp_write("reserved bit 9", MSR_APIC_BASE, BASE | EN | (1ULL << 9));
    expect_gp_write("reserved bit 0", MSR_APIC_BASE, BASE | EN | 1);
    expect_write("xAPIC -> x2APIC", MSR_APIC_BASE, BASE | EN | EXTD);
    expect("x2APIC mode", rdmsr(MSR_APIC_BASE), BASE | EN | EXTD | APIC_BASE_BSP);
    expect("x2APIC ID readable", rdmsr_ex(0x802, &v), 0);
    expect("x2APIC ID", v, 0);
    expect_gp_write("x2APIC -> xAPIC", MSR_APIC_BASE, BASE | EN);
    expect_write("x2APIC -> disabled", MSR_APIC_BASE, BASE);
    expect("disabled, BSP kept", rdmsr(MSR_APIC_BASE), BASE | APIC_BASE_BSP);
    expect("CPUID.1:EDX.APIC while disabled", cpuid_apic(), 0);
    expect_gp_write("disabled -> x2APIC", MSR_APIC_BASE, BASE | EN | EXTD);
    expect_write("disabled -> xAPIC", MSR_APIC_BASE, BASE | EN);
    expect("CPUID.1:EDX.APIC again", cpuid_apic(), 1);
    expect_write("xAPIC -> x2APIC again", MSR_APIC_BASE, BASE | EN | EXTD);
    expect("SVR after re-enabling", apic_read(APIC_SVR), 0xff);
    expect("LVT timer after re-enabling", apic_read(APIC_LVT_TIMER), APIC_LVT_MASKED);
}

static void x2apic_rules(void)
{
    struct cpuid_res t = cpuid_count(0xb, 0);
    uint64_t v;

    expect("write to x2APIC ID", wrmsr_ex(0x802, 0), EXINFO(X86_EXC_GP, 0));
    expect("write to x2APIC LDR", wrmsr_ex(0x80d, 0), EXINFO(X86_EXC_GP, 0));
    expect("non-zero EOI", wrmsr_ex(0x80b, 1), EXINFO(X86_EXC_GP, 0));
    expect("EOI read", rdmsr_ex(0x80b, &v), EXINFO(X86_EXC_GP, 0));
    expect("SELF IPI read", rdmsr_ex(0x83f, &v), EXINFO(X86_EXC_GP, 0));
    expect("ICR reserved bit 13", wrmsr_ex(0x830, 1u << 13), EXINFO(X86_EXC_GP, 0));
    expect("ICR bit 12 (no delivery status)", wrmsr_ex(0x830, 1u << 12), EXINFO(X86_EXC_GP, 0));
    expect("TPR above 0xff", wrmsr_ex(0x808, 0x100), EXINFO(X86_EXC_GP, 0));
    expect("x2APIC LDR of ID 0", apic_read(APIC_LDR), 1);
    expect("CPUID.B:EDX x2APIC ID", t.d, 0);
}

void test_main(void)
{
    reset_and_cpuid();
    transitions();
    x2apic_rules();
    xtf_success(NULL);
}
