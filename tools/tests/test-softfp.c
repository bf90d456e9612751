/*
 * test-softfp.c - the emulator's fused multiply-add and half-precision
 * conversions (xen/arch/x86/x86_softfp.c) against the host CPU's own
 * VFMADD/VFMSUB/VFNMADD/VFNMSUB (SS and SD) and VCVTPH2PS/VCVTPS2PH:
 * under every rounding mode with DAZ and FTZ each on and off, all
 * exceptions masked, on special values (zeros, denormals, infinities,
 * quiet and signalling NaNs with payloads), values near the underflow
 * and overflow thresholds, cancelling sums and random bits. The result
 * and the MXCSR flags must equal the CPU's. Every half is converted;
 * VCVTPS2PH with each imm8 rounding. With random exceptions unmasked,
 * the CPU's #XM (caught as SIGFPE) and the MXCSR it leaves must be what
 * x86_mxcsr_raise says. Skipped where the host lacks FMA or F16C.
 */
#include <asm/x86_softfp.h>

#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "harness.h"

#define HW_FMA(name, insn)                                                          \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c, uint32_t *csr)         \
    {                                                                               \
        static const uint32_t dflt = 0x1f80;                                        \
        uint64_t r;                                                                 \
        __asm__ volatile("ldmxcsr %[csr]; vmovq %[a], %%xmm1; vmovq %[b], %%xmm2; " \
                         "vmovq %[c], %%xmm0; " insn " %%xmm2, %%xmm1, %%xmm0; "    \
                         "vmovq %%xmm0, %[r]; stmxcsr %[csr]; ldmxcsr %[d]"         \
                         : [r] "=r"(r), [csr] "+m"(*csr)                            \
                         : [a] "r"(a), [b] "r"(b), [c] "r"(c), [d] "m"(dflt)        \
                         : "xmm0", "xmm1", "xmm2");                                 \
        return r;                                                                   \
    }

/* c := a * b + c, in X86_FMA_NEG_* order */
HW_FMA(fmadd_ss, "vfmadd231ss")
HW_FMA(fnmadd_ss, "vfnmadd231ss")
HW_FMA(fmsub_ss, "vfmsub231ss")
HW_FMA(fnmsub_ss, "vfnmsub231ss")
HW_FMA(fmadd_sd, "vfmadd231sd")
HW_FMA(fnmadd_sd, "vfnmadd231sd")
HW_FMA(fmsub_sd, "vfmsub231sd")
HW_FMA(fnmsub_sd, "vfnmsub231sd")

typedef uint64_t (*hw_fma_fn)(uint64_t a, uint64_t b, uint64_t c, uint32_t *csr);
static const hw_fma_fn hw_fma[2][4] = {
    { fmadd_ss, fnmadd_ss, fmsub_ss, fnmsub_ss },
    { fmadd_sd, fnmadd_sd, fmsub_sd, fnmsub_sd },
};

static bool host_has(unsigned int ecx_bit)
{
    static unsigned int a, b, c, d, asked;

    if ( !asked++ )
        __get_cpuid(1, &a, &b, &c, &d);
    return c & (1u << ecx_bit);
}

/* rounding mode rc, DAZ, FTZ; every exception masked, no flag set */
static uint32_t mode(unsigned int m)
{
    return 0x1f80 | ((m & 3) << 13) | (m & 4 ? X86_MXCSR_DAZ : 0) | (m & 8 ? X86_MXCSR_FTZ : 0);
}

/* A value of width 4 or 8 bytes drawn to hit the interesting cases. */
static uint64_t draw(unsigned int size)
{
    unsigned int mant = size == 4 ? 23 : 52, ebits = size == 4 ? 8 : 11;
    uint64_t frac = test_rand() & ((1ULL << mant) - 1), sign = test_rand() & 1, e;
    uint64_t emax = (1ULL << ebits) - 1, bias = emax >> 1;

    switch ( test_rand_below(10) )
    {
    case 0: e = 0; break;    /* zero or denormal */
    case 1: e = emax; break; /* inf or NaN */
    case 2: e = test_rand_below(4) ? 1 + test_rand_below(3) : 0, frac = 0; break;
    case 3: e = bias / 2 + test_rand_below(5); break;        /* products near underflow */
    case 4: e = bias + bias / 2 + test_rand_below(5); break; /* ... and overflow */
    case 5: e = emax - 1 - test_rand_below(3); break;
    case 6: /* few or many fraction bits */
        frac = test_rand_below(2) ? frac & 0xf : frac | ((1ULL << mant) - 16);
        e = bias - 3 + test_rand_below(7);
        break;
    default: e = bias - 3 + test_rand_below(7); break;
    }
    if ( e == emax && !test_rand_below(3) )
        frac = 0;
    return (sign << (mant + ebits)) | (e << mant) | frac;
}

static void compare_fma(unsigned int size, unsigned int neg, unsigned int m, uint64_t a, uint64_t b,
                        uint64_t c)
{
    uint64_t mask = size == 4 ? 0xffffffffULL : ~0ULL;
    uint32_t csr = mode(m), ours = 0;
    uint64_t hw = hw_fma[size == 8][neg](a, b, c, &csr) & mask;
    uint64_t sw = x86_fma(size, a, b, c, neg, mode(m), &ours);

    CHECK_MSG(hw == sw && (csr & X86_MXCSR_FLAGS) == ours,
              "fma size %u neg %u mxcsr %#x: %#llx * %#llx + %#llx: cpu %#llx flags %#x, "
              "ours %#llx flags %#x",
              size, neg, mode(m), (unsigned long long)a, (unsigned long long)b,
              (unsigned long long)c, (unsigned long long)hw, csr & X86_MXCSR_FLAGS,
              (unsigned long long)sw, ours);
}

static void fma_random(unsigned int size, unsigned int count)
{
    for ( unsigned int n = 0; n < count; n++ )
    {
        uint64_t a = draw(size), b = draw(size), c = draw(size);
        uint32_t csr = mode(0);

        if ( n % 4 == 0 ) /* c cancels the product, or nearly */
            c = hw_fma[size == 8][0](a, b, 0, &csr) ^ (size == 4 ? 0x80000000ULL : 1ULL << 63);
        if ( n % 8 == 4 )
            c = (c + test_rand_below(5) - 2) & (size == 4 ? 0xffffffffULL : ~0ULL);
        for ( unsigned int m = 0; m < 16; m++ )
            for ( unsigned int neg = 0; neg < 4; neg++ )
                compare_fma(size, neg, m, a, b, c);
    }
}

static void fma32_vs_cpu(void)
{
    if ( !host_has(12) )
        return (void)printf("(host has no FMA: not compared)\n");
    test_srand(0xf32);
    fma_random(4, 40000);
}

static void fma64_vs_cpu(void)
{
    if ( !host_has(12) )
        return (void)printf("(host has no FMA: not compared)\n");
    test_srand(0xf64);
    fma_random(8, 40000);
}

/* Known answers, so that a broken stub cannot hide a broken model. */
static void fma_known(void)
{
    uint32_t fl = 0;

    /* (1 + 2^-12) squared, minus 1: 2^-11 + 2^-24, exact only when fused
     * (the rounded square loses the 2^-24) */
    CHECK_EQ(x86_fma(4, 0x3f800800, 0x3f800800, 0xbf800000, 0, 0x1f80, &fl), 0x3a000400);
    CHECK_EQ(fl, 0);
    fl = 0;
    CHECK_EQ(x86_fma(8, 0x7ff0000000000000ULL, 0, 0x7ff8000000000001ULL, 0, 0x1f80, &fl),
             0x7ff8000000000001ULL);
    CHECK_EQ(fl, 0);
}

/*
 * Unmasked exceptions: VFMADD231PS on four elements under a random
 * MXCSR mask; the CPU's #XM (SIGFPE) and the MXCSR it leaves, against
 * the flags x86_fma gives for the four and x86_mxcsr_raise's verdict.
 */
static sigjmp_buf xm_jump;
static volatile uint32_t xm_csr;

static void on_sigfpe(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    xm_csr = uc->uc_mcontext.fpregs->mxcsr;
    siglongjmp(xm_jump, 1);
}

/* c := a * b + c on 16 bytes (four singles, or two doubles with pd);
 * true if it faulted, *csr the MXCSR */
static bool hw_fmadd_packed(bool pd, const uint8_t a[16], const uint8_t b[16], uint8_t c[16],
                            uint32_t *csr)
{
    static const uint32_t dflt = 0x1f80;

    if ( sigsetjmp(xm_jump, 1) )
    {
        __asm__ volatile("ldmxcsr %0" ::"m"(dflt));
        *csr = xm_csr;
        return true;
    }
    __asm__ volatile("ldmxcsr %[csr]; vmovdqu %[a], %%xmm1; vmovdqu %[b], %%xmm2; "
                     "vmovdqu %[c], %%xmm0; test %[pd], %[pd]; jnz 1f; "
                     "vfmadd231ps %%xmm2, %%xmm1, %%xmm0; jmp 2f; "
                     "1: vfmadd231pd %%xmm2, %%xmm1, %%xmm0; "
                     "2: vmovdqu %%xmm0, %[c]; stmxcsr %[csr]; ldmxcsr %[d]"
                     : [c] "+m"(*(uint8_t(*)[16])c), [csr] "+m"(*csr)
                     : [a] "m"(*(const uint8_t(*)[16])a), [b] "m"(*(const uint8_t(*)[16])b),
                       [d] "m"(dflt), [pd] "r"((unsigned int)pd)
                     : "xmm0", "xmm1", "xmm2", "cc");
    return false;
}

#define HW_PS2PH_X(imm)                                                           \
    static bool ps2ph_x##imm(const uint8_t s[16], uint32_t *csr)                  \
    {                                                                             \
        static const uint32_t dflt = 0x1f80;                                      \
        if ( sigsetjmp(xm_jump, 1) )                                              \
        {                                                                         \
            __asm__ volatile("ldmxcsr %0" ::"m"(dflt));                           \
            *csr = xm_csr;                                                        \
            return true;                                                          \
        }                                                                         \
        __asm__ volatile("ldmxcsr %[csr]; vmovdqu %[s], %%xmm1; vcvtps2ph $" #imm \
                         ", %%xmm1, %%xmm0; stmxcsr %[csr]; ldmxcsr %[d]"         \
                         : [csr] "+m"(*csr)                                       \
                         : [s] "m"(*(const uint8_t(*)[16])s), [d] "m"(dflt)       \
                         : "xmm0", "xmm1");                                       \
        return false;                                                             \
    }
HW_PS2PH_X(1)
HW_PS2PH_X(4)

static uint64_t elem(const uint8_t *v, unsigned int k, unsigned int size)
{
    uint64_t x = 0;

    memcpy(&x, v + k * size, size);
    return x;
}

/* The MXCSR to run under: mode m's rounding/DAZ/FTZ, random masks. */
static uint32_t random_masks(unsigned int m)
{
    return (mode(m) & ~0x1f80) | (test_rand() & 0x1f80);
}

static void one_unmasked(bool pd, unsigned int n)
{
    unsigned int size = pd ? 8 : 4;
    uint8_t a[16], b[16], c[16];
    uint32_t in = random_masks(n), want, csr = in, flags = 0;
    bool fault, our_fault;

    for ( unsigned int k = 0; k < 16; k += size )
    {
        uint64_t x = draw(size), y = draw(size), z = draw(size);

        memcpy(a + k, &x, size);
        memcpy(b + k, &y, size);
        memcpy(c + k, &z, size);
    }
    for ( unsigned int k = 0; k < 16 / size; k++ )
        x86_fma(size, elem(a, k, size), elem(b, k, size), elem(c, k, size), 0, in, &flags);
    our_fault = x86_mxcsr_raise(in, flags, &want);
    fault = hw_fmadd_packed(pd, a, b, c, &csr);
    CHECK_MSG(fault == our_fault && csr == want,
              "vfmadd231p%c mxcsr %#x: a %#llx:%#llx b %#llx:%#llx c %#llx:%#llx: cpu %s mxcsr "
              "%#x, ours %s mxcsr %#x",
              pd ? 'd' : 's', in, (unsigned long long)elem(a, 1, 8),
              (unsigned long long)elem(a, 0, 8), (unsigned long long)elem(b, 1, 8),
              (unsigned long long)elem(b, 0, 8), (unsigned long long)elem(c, 1, 8),
              (unsigned long long)elem(c, 0, 8), fault ? "#XM" : "no fault", csr,
              our_fault ? "#XM" : "no fault", want);
}

static void one_ps2ph_unmasked(unsigned int n)
{
    uint8_t s[16];
    uint32_t in = random_masks(n), want, csr = in, flags = 0;
    unsigned int imm = n & 1 ? 4 : 1;
    bool fault, our_fault;

    for ( unsigned int k = 0; k < 4; k++ )
    {
        uint32_t x = k & 1
                         ? (uint32_t)draw(4)
                         : (uint32_t)(test_rand() & 0x807fffff) | (97 + test_rand_below(64)) << 23;

        memcpy(s + 4 * k, &x, 4);
    }
    for ( unsigned int k = 0; k < 4; k++ )
        x86_cvtps2ph(elem(s, k, 4), imm, in, &flags);
    our_fault = x86_mxcsr_raise(in, flags, &want);
    fault = (imm == 4 ? ps2ph_x4 : ps2ph_x1)(s, &csr);
    CHECK_MSG(fault == our_fault && csr == want,
              "vcvtps2ph $%u mxcsr %#x: %#llx:%#llx: cpu %s mxcsr %#x, ours %s mxcsr %#x", imm, in,
              (unsigned long long)elem(s, 1, 8), (unsigned long long)elem(s, 0, 8),
              fault ? "#XM" : "no fault", csr, our_fault ? "#XM" : "no fault", want);
}

/*
 * Unmasked exceptions: VFMADD231PS/PD and VCVTPS2PH on a full register
 * under random MXCSR masks; the CPU's #XM (SIGFPE) and the MXCSR it
 * leaves, against the flags x86_fma/x86_cvtps2ph give for every element
 * and x86_mxcsr_raise's verdict.
 */
static void fp_unmasked(void)
{
    struct sigaction sa = { .sa_sigaction = on_sigfpe, .sa_flags = SA_SIGINFO }, old;

    if ( !host_has(12) || !host_has(29) )
        return (void)printf("(host has no FMA or F16C: not compared)\n");
    sigaction(SIGFPE, &sa, &old);
    test_srand(0x5e);
    for ( unsigned int n = 0; n < 100000; n++ )
    {
        one_unmasked(false, n);
        one_unmasked(true, n);
        one_ps2ph_unmasked(n);
    }
    sigaction(SIGFPE, &old, NULL);
}

static uint32_t hw_ph2ps(uint16_t h, uint32_t *csr)
{
    static const uint32_t dflt = 0x1f80;
    uint32_t r;

    __asm__ volatile("ldmxcsr %[csr]; vmovd %k[h], %%xmm1; vcvtph2ps %%xmm1, %%xmm0; "
                     "vmovd %%xmm0, %[r]; stmxcsr %[csr]; ldmxcsr %[d]"
                     : [r] "=r"(r), [csr] "+m"(*csr)
                     : [h] "r"((uint32_t)h), [d] "m"(dflt)
                     : "xmm0", "xmm1");
    return r;
}

static void ph2ps_all(void)
{
    if ( !host_has(29) )
        return (void)printf("(host has no F16C: not compared)\n");
    for ( unsigned int m = 0; m < 16; m++ )
        for ( unsigned int h = 0; h < 0x10000; h++ )
        {
            uint32_t csr = mode(m), ours = 0;
            uint32_t hw = hw_ph2ps(h, &csr), sw = x86_cvtph2ps(h, mode(m), &ours);

            CHECK_MSG(hw == sw && (csr & X86_MXCSR_FLAGS) == ours,
                      "cvtph2ps %#x mxcsr %#x: cpu %#x flags %#x, ours %#x flags %#x", h, mode(m),
                      hw, csr & X86_MXCSR_FLAGS, sw, ours);
        }
}

#define HW_PS2PH(imm)                                                                         \
    static uint16_t ps2ph_##imm(uint32_t s, uint32_t *csr)                                    \
    {                                                                                         \
        static const uint32_t dflt = 0x1f80;                                                  \
        uint32_t r;                                                                           \
        __asm__ volatile("ldmxcsr %[csr]; vmovd %[s], %%xmm1; vcvtps2ph $" #imm               \
                         ", %%xmm1, %%xmm0; vmovd %%xmm0, %[r]; stmxcsr %[csr]; ldmxcsr %[d]" \
                         : [r] "=r"(r), [csr] "+m"(*csr)                                      \
                         : [s] "r"(s), [d] "m"(dflt)                                          \
                         : "xmm0", "xmm1");                                                   \
        return r;                                                                             \
    }
HW_PS2PH(0)
HW_PS2PH(1)
HW_PS2PH(2)
HW_PS2PH(3)
HW_PS2PH(4)
HW_PS2PH(0xf8)

static void ps2ph_vs_cpu(void)
{
    static uint16_t (*const fns[6])(uint32_t, uint32_t *) = { ps2ph_0, ps2ph_1, ps2ph_2,
                                                              ps2ph_3, ps2ph_4, ps2ph_0xf8 };
    static const unsigned int imms[6] = { 0, 1, 2, 3, 4, 0xf8 };

    if ( !host_has(29) )
        return (void)printf("(host has no F16C: not compared)\n");
    test_srand(0x16c);
    for ( unsigned int n = 0; n < 60000; n++ )
    {
        /* singles around the half range: exponents 127 +- 30 */
        uint32_t s = n & 1
                         ? (uint32_t)draw(4)
                         : (uint32_t)(test_rand() & 0x807fffff) | (97 + test_rand_below(64)) << 23;

        for ( unsigned int m = 0; m < 16; m++ )
            for ( unsigned int k = 0; k < 6; k++ )
            {
                uint32_t csr = mode(m), ours = 0;
                uint16_t hw = fns[k](s, &csr), sw = x86_cvtps2ph(s, imms[k], mode(m), &ours);

                CHECK_MSG(hw == sw && (csr & X86_MXCSR_FLAGS) == ours,
                          "cvtps2ph %#x imm %#x mxcsr %#x: cpu %#x flags %#x, ours %#x flags %#x",
                          s, imms[k], mode(m), hw, csr & X86_MXCSR_FLAGS, sw, ours);
            }
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        { "softfp.fma_known", fma_known }, { "softfp.fma32", fma32_vs_cpu },
        { "softfp.fma64", fma64_vs_cpu },  { "softfp.unmasked", fp_unmasked },
        { "softfp.ph2ps", ph2ps_all },     { "softfp.ps2ph", ps2ph_vs_cpu },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
