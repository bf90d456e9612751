/*
 * cpu-faults - XSETBV, CR4 and INVD behave as the SDM says, as far as the
 * guest's CPUID goes, and the domain keeps running.
 *
 * Checks, on dom0's boot vCPU:
 *  - CPUID offers XSAVE; CPUID.1:ECX.OSXSAVE follows CR4.OSXSAVE both
 *    ways; XSETBV with CR4.OSXSAVE clear raises #UD;
 *  - leaf 0xD: EAX/EDX list x87 and SSE; EBX is the XSAVE size for the
 *    current XCR0 (576 for x87 alone, ECX once XCR0 is everything);
 *  - XSETBV raises #GP(0) and leaves XCR0 alone for: ECX = 1, 0, x87
 *    clear, AVX without SSE, reserved bits 8 and 63, and if AVX-512 is
 *    offered, part of it and all of it without AVX; the valid values
 *    x87|SSE, +AVX and everything offered are taken; and XSETBV at CPL 3
 *    (ring3.c builds the ring-3 environment the runtime lacks);
 *  - MOV to CR4 raises #GP(0) and leaves CR4 alone for VMXE, SMXE, LA57,
 *    PKE, CET, PKS (Wren offers none of them: PKU and LA57 are hidden
 *    in CPUID, which is checked too) and reserved bits 31 and 32;
 *  - WBINVD and INVD run, a value written just before is still there
 *    after both (INVD must not discard it), and the domain goes on;
 *  - with RDTSCP offered, TSC_AUX takes a 32-bit value and RDTSCP
 *    returns it. (A value with bit 32 set should raise #GP; Bochs 2.7
 *    takes it, see docs/platforms.md, so that is not checked.)
 */
#include <xtf.h>
#include <xtf/xstate.h>
#include "ring3.h"

const char test_title[] = "XSETBV, CR4 and INVD faults";

#define X86_CR4_VMXE    (1UL << 13)
#define X86_CR4_SMXE    (1UL << 14)
#define X86_CR4_LA57    (1UL << 12)
#define X86_CR4_PKE     (1UL << 22)
#define X86_CR4_CET     (1UL << 23)
#define X86_CR4_PKS     (1UL << 24)
#define CPUID7_ECX_PKU  (1U << 3)
#define CPUID7_ECX_LA57 (1U << 16)
#define MSR_TSC_AUX     0xc0000103U

static uint64_t xmax;

static bool osxsave_bit(void)
{
    return cpuid(1).c & CPUID1_ECX_OSXSAVE;
}

static void expect_ex(const char *what, uint64_t ex, unsigned int vec)
{
    if ( ex == EXINFO(vec, 0) )
        return;
    if ( !ex )
        xtf_failure("%s: no fault, expected %s", what, exception_name(vec));
    else
        xtf_failure("%s: %s (error code %#x), expected %s(0)", what, exception_name(EXINFO_VEC(ex)),
                    EXINFO_EC(ex), exception_name(vec));
}

static void check_osxsave_off(void)
{
    if ( osxsave_bit() )
        xtf_failure("CPUID.1:ECX.OSXSAVE set while CR4.OSXSAVE is clear");
    expect_ex("XSETBV(0, 3) with CR4.OSXSAVE clear", xsetbv_safe(0, 3), X86_EXC_UD);
}

static void check_leaf_d(uint64_t xcr0, unsigned int want_ebx)
{
    struct cpuid_res r = cpuid_count(0xd, 0);

    if ( r.b != want_ebx )
        xtf_failure("XCR0 %#lx: CPUID.0xD.0:EBX %u, expected %u", (unsigned long)xcr0, r.b,
                    want_ebx);
}

static void bad_xsetbv(const char *what, uint32_t idx, uint64_t val)
{
    char buf[96];

    snprintf(buf, sizeof(buf), "XSETBV(%u, %#lx) (%s)", idx, (unsigned long)val, what);
    expect_ex(buf, xsetbv_safe(idx, val), X86_EXC_GP);
    if ( xgetbv(0) != 1 )
        xtf_failure("%s changed XCR0 to %#lx", buf, (unsigned long)xgetbv(0));
}

static void good_xsetbv(uint64_t val)
{
    uint64_t ex = xsetbv_safe(0, val);

    if ( ex )
        xtf_failure("XSETBV(0, %#lx): %s", (unsigned long)val, exception_name(EXINFO_VEC(ex)));
    else if ( xgetbv(0) != val )
        xtf_failure("XSETBV(0, %#lx) left XCR0 %#lx", (unsigned long)val, (unsigned long)xgetbv(0));
}

static void check_xsetbv(void)
{
    bad_xsetbv("XCR1", 1, 3);
    bad_xsetbv("zero", 0, 0);
    bad_xsetbv("x87 clear", 0, XSTATE_SSE);
    bad_xsetbv("AVX without SSE", 0, XSTATE_X87 | XSTATE_YMM);
    bad_xsetbv("bit 8, a supervisor state", 0, 3 | (1ULL << 8));
    bad_xsetbv("bit 63", 0, 3 | (1ULL << 63));
    if ( (xmax & XSTATE_AVX512) == XSTATE_AVX512 )
    {
        bad_xsetbv("part of AVX-512", 0, 7 | (1ULL << 5));
        bad_xsetbv("AVX-512 without AVX", 0, 3 | XSTATE_AVX512);
    }
    good_xsetbv(XSTATE_X87 | XSTATE_SSE);
    check_leaf_d(3, 576);
    if ( xmax & XSTATE_YMM )
    {
        good_xsetbv(XSTATE_X87 | XSTATE_SSE | XSTATE_YMM);
        check_leaf_d(7, 832);
    }
    good_xsetbv(xmax);
    check_leaf_d(xmax, cpuid_count(0xd, 0).c);
    expect_ex("XSETBV(0, 3) at CPL 3", xsetbv_at_cpl3(), X86_EXC_GP);
    if ( xgetbv(0) != xmax )
        xtf_failure("XSETBV at CPL 3 changed XCR0 to %#lx", (unsigned long)xgetbv(0));
}

static void bad_cr4(const char *what, uint64_t bit)
{
    uint64_t before = read_cr4();
    char buf[64];

    snprintf(buf, sizeof(buf), "CR4.%s (%#lx)", what, (unsigned long)bit);
    expect_ex(buf, write_cr4_safe(before | bit), X86_EXC_GP);
    if ( read_cr4() != before )
        xtf_failure("%s: CR4 %#lx became %#lx", buf, (unsigned long)before,
                    (unsigned long)read_cr4());
}

static void check_cr4(void)
{
    struct cpuid_res l7 = cpuid_count(7, 0);

    if ( l7.c & (CPUID7_ECX_PKU | CPUID7_ECX_LA57) )
        xtf_failure("CPUID.7:ECX %#x offers PKU or LA57", l7.c);
    bad_cr4("VMXE", X86_CR4_VMXE);
    bad_cr4("SMXE", X86_CR4_SMXE);
    bad_cr4("LA57", X86_CR4_LA57);
    bad_cr4("PKE", X86_CR4_PKE);
    bad_cr4("CET", X86_CR4_CET);
    bad_cr4("PKS", X86_CR4_PKS);
    bad_cr4("bit 31", 1UL << 31);
    bad_cr4("bit 32", 1UL << 32);
}

static void check_invd(void)
{
    static volatile uint64_t canary;

    canary = 0x1111ULL;
    __asm__ volatile("wbinvd" ::: "memory");
    canary = 0xc0ffee0ddba11ULL;
    __asm__ volatile("invd" ::: "memory");
    if ( canary != 0xc0ffee0ddba11ULL )
        xtf_failure("INVD lost a write: %#lx", (unsigned long)canary);
}

static void check_tsc_aux(void)
{
    if ( !(cpuid(0x80000001).d & CPUID81_EDX_RDTSCP) )
        return;
    wrmsr(MSR_TSC_AUX, 0x5a5a1234);
    if ( rdmsr(MSR_TSC_AUX) != 0x5a5a1234 || rdtscp_aux() != 0x5a5a1234 )
        xtf_failure("TSC_AUX: RDMSR %#lx, RDTSCP %#x, expected 0x5a5a1234",
                    (unsigned long)rdmsr(MSR_TSC_AUX), rdtscp_aux());
}

void test_main(void)
{
    xmax = xcr0_offered();
    if ( !xmax || (xmax & 3) != 3 )
    {
        xtf_failure("CPUID offers XCR0 %#lx: no XSAVE, or no x87 and SSE", (unsigned long)xmax);
        return;
    }
    printf("XCR0 offered: %#lx\n", (unsigned long)xmax);

    check_osxsave_off();
    enable_xsave();
    if ( !osxsave_bit() )
        xtf_failure("CPUID.1:ECX.OSXSAVE clear while CR4.OSXSAVE is set");
    if ( xgetbv(0) != 1 )
        xtf_failure("XCR0 is %#lx at first, not 1", (unsigned long)xgetbv(0));
    check_leaf_d(1, 576);
    check_xsetbv();
    check_cr4();
    write_cr4(read_cr4() & ~X86_CR4_OSXSAVE);
    if ( osxsave_bit() )
        xtf_failure("CPUID.1:ECX.OSXSAVE still set after clearing CR4.OSXSAVE");
    check_invd();
    check_tsc_aux();
    printf("Checks done; the domain is still running\n");
    xtf_success(NULL);
}
