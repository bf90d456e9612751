/*
 * test-xsetbv.c - the XCR0 values a guest's XSETBV may set
 * (xen/arch/x86/xsetbv_check.c): the fault for each way a value can be
 * wrong, which check comes first, and every 8-bit value against the
 * rules written out once more, for CPUs with and without AVX-512.
 */
#include <asm/fpu.h>

#include "harness.h"

#define OSXSAVE    (1ULL << 18)
#define AVX_CPU    0x7ULL  /* QEMU 7.2 -cpu max, as offered */
#define AVX512_CPU 0xe7ULL /* Bochs corei7_skylake_x */

static int check(uint64_t max, uint64_t val)
{
    return fpu_xsetbv_check(max, 0, val, 0, OSXSAVE);
}

static void valid_values(void)
{
    CHECK_EQ(check(AVX_CPU, 1), 0);
    CHECK_EQ(check(AVX_CPU, 3), 0);
    CHECK_EQ(check(AVX_CPU, 7), 0);
    CHECK_EQ(check(AVX512_CPU, 0xe7), 0);
}

static void ud_first(void)
{
    CHECK_EQ(fpu_xsetbv_check(AVX_CPU, 0, 3, 0, 0), X86_EXC_UD);
    CHECK_EQ(fpu_xsetbv_check(0, 0, 3, 0, OSXSAVE), X86_EXC_UD);
    /* #UD wins over the privilege and value checks. */
    CHECK_EQ(fpu_xsetbv_check(AVX_CPU, 1, 0, 3, 0), X86_EXC_UD);
}

static void gp_cases(void)
{
    CHECK_EQ(fpu_xsetbv_check(AVX_CPU, 0, 3, 3, OSXSAVE), X86_EXC_GP); /* CPL 3 */
    CHECK_EQ(fpu_xsetbv_check(AVX_CPU, 1, 3, 0, OSXSAVE), X86_EXC_GP); /* XCR1 */
    CHECK_EQ(check(AVX_CPU, 0), X86_EXC_GP);
    CHECK_EQ(check(AVX_CPU, 2), X86_EXC_GP);     /* x87 clear */
    CHECK_EQ(check(AVX_CPU, 5), X86_EXC_GP);     /* AVX without SSE */
    CHECK_EQ(check(AVX_CPU, 0xf), X86_EXC_GP);   /* MPX: not offered */
    CHECK_EQ(check(AVX_CPU, 0x203), X86_EXC_GP); /* PKRU: not offered */
    CHECK_EQ(check(AVX_CPU, 3 | (1ULL << 63)), X86_EXC_GP);
    CHECK_EQ(check(AVX_CPU, 0xe7), X86_EXC_GP);    /* AVX-512 not offered */
    CHECK_EQ(check(AVX512_CPU, 0x27), X86_EXC_GP); /* opmask alone */
    CHECK_EQ(check(AVX512_CPU, 0x67), X86_EXC_GP);
    CHECK_EQ(check(AVX512_CPU, 0xe3), X86_EXC_GP); /* AVX-512 without AVX */
}

/* The SDM's rules, stated independently of the code under test. */
static bool sdm_allows(uint64_t max, uint64_t v)
{
    unsigned int avx512 = (v >> 5) & 7;
    return (v & 1) && !(v & ~max) && !((v & 4) && !(v & 2)) &&
           (avx512 == 0 || (avx512 == 7 && (v & 6) == 6));
}

static void all_bytes(void)
{
    const uint64_t cpus[] = { 0x3, AVX_CPU, AVX512_CPU };
    for ( unsigned int c = 0; c < 3; c++ )
        for ( uint64_t v = 0; v < 0x400; v++ )
            CHECK_MSG((check(cpus[c], v) == 0) == sdm_allows(cpus[c], v),
                      "max %#llx value %#llx: check says %d", (unsigned long long)cpus[c],
                      (unsigned long long)v, check(cpus[c], v));
}

int main(void)
{
    static const struct test_case cases[] = {
        { "xsetbv.valid_values", valid_values },
        { "xsetbv.ud_before_gp", ud_first },
        { "xsetbv.gp_cases", gp_cases },
        { "xsetbv.all_values_vs_sdm", all_bytes },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
