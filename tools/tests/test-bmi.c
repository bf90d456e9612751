/*
 * test-bmi.c - the emulator's BMI1, BMI2 and ADX arithmetic
 * (xen/arch/x86/x86_bmi.c) against the host CPU: every operation at
 * both operand sizes on edge values and pseudo-random ones, from flags
 * all clear and all set; the result and every flag must match what the
 * CPU gives (undefined ones too: x86_bmi clears them, as Intel's CPUs
 * do; on another vendor's CPU only the defined ones are compared).
 * Skipped (PASS with a note) where the host lacks BMI1, BMI2 or ADX.
 */
#include <asm/x86_alu.h>
#include <asm/x86_bmi.h>

#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define FL_IN(arith) (0x202ULL | (arith))

/* d := insn(a, b) with flags in and out; 3-operand AT&T order. */
#define HW3(name, text)                                                 \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t *fl)          \
    {                                                                   \
        uint64_t f = *fl, d;                                            \
        __asm__ volatile("sub $128, %%rsp; push %[f]; popf; " text "; " \
                         "pushf; pop %[f]; add $128, %%rsp"             \
                         : [d] "=&r"(d), [f] "+r"(f)                    \
                         : [a] "r"(a), [b] "r"(b)                       \
                         : "cc", "memory");                             \
        *fl = f;                                                        \
        return d;                                                       \
    }

HW3(andn4, "andn %k[b], %k[a], %k[d]")
HW3(andn8, "andn %q[b], %q[a], %q[d]")
HW3(bextr4, "bextr %k[b], %k[a], %k[d]")
HW3(bextr8, "bextr %q[b], %q[a], %q[d]")
HW3(blsi4, "blsi %k[a], %k[d]")
HW3(blsi8, "blsi %q[a], %q[d]")
HW3(blsmsk4, "blsmsk %k[a], %k[d]")
HW3(blsmsk8, "blsmsk %q[a], %q[d]")
HW3(blsr4, "blsr %k[a], %k[d]")
HW3(blsr8, "blsr %q[a], %q[d]")
HW3(bzhi4, "bzhi %k[b], %k[a], %k[d]")
HW3(bzhi8, "bzhi %q[b], %q[a], %q[d]")
HW3(pdep4, "pdep %k[b], %k[a], %k[d]")
HW3(pdep8, "pdep %q[b], %q[a], %q[d]")
HW3(pext4, "pext %k[b], %k[a], %k[d]")
HW3(pext8, "pext %q[b], %q[a], %q[d]")
HW3(sarx4, "sarx %k[b], %k[a], %k[d]")
HW3(sarx8, "sarx %q[b], %q[a], %q[d]")
HW3(shlx4, "shlx %k[b], %k[a], %k[d]")
HW3(shlx8, "shlx %q[b], %q[a], %q[d]")
HW3(shrx4, "shrx %k[b], %k[a], %k[d]")
HW3(shrx8, "shrx %q[b], %q[a], %q[d]")
HW3(adcx4, "mov %k[a], %k[d]; adcx %k[b], %k[d]")
HW3(adcx8, "mov %q[a], %q[d]; adcx %q[b], %q[d]")
HW3(adox4, "mov %k[a], %k[d]; adox %k[b], %k[d]")
HW3(adox8, "mov %q[a], %q[d]; adox %q[b], %q[d]")

/* RORX takes its count as an immediate: one per count, through a table. */
#define RORX_FN(n)                                                        \
    static uint64_t rorx4_##n(uint64_t a)                                 \
    {                                                                     \
        uint64_t d;                                                       \
        __asm__("rorx $" #n ", %k[a], %k[d]" : [d] "=r"(d) : [a] "r"(a)); \
        return d;                                                         \
    }                                                                     \
    static uint64_t rorx8_##n(uint64_t a)                                 \
    {                                                                     \
        uint64_t d;                                                       \
        __asm__("rorx $" #n ", %q[a], %q[d]" : [d] "=r"(d) : [a] "r"(a)); \
        return d;                                                         \
    }
RORX_FN(0)
RORX_FN(1)
RORX_FN(7)
RORX_FN(31)
RORX_FN(32)
RORX_FN(33)
RORX_FN(63)
RORX_FN(64)
RORX_FN(255)

typedef uint64_t (*hw_fn)(uint64_t a, uint64_t b, uint64_t *fl);

struct bmi_row
{
    enum x86_bmi_op op;
    hw_fn hw4, hw8;
    uint64_t defined;       /* the flags the SDM defines */
    unsigned int leaf7_bit; /* CPUID.7.0:EBX: BMI1 3, BMI2 8, ADX 19 */
};

#define F_ZSOC (X86_FL_ZF | X86_FL_SF | X86_FL_OF | X86_FL_CF)
static const struct bmi_row rows[] = {
    { X86_ANDN, andn4, andn8, F_ZSOC, 3 },
    { X86_BEXTR, bextr4, bextr8, X86_FL_ZF | X86_FL_OF | X86_FL_CF, 3 },
    { X86_BLSI, blsi4, blsi8, F_ZSOC, 3 },
    { X86_BLSMSK, blsmsk4, blsmsk8, F_ZSOC, 3 },
    { X86_BLSR, blsr4, blsr8, F_ZSOC, 3 },
    { X86_BZHI, bzhi4, bzhi8, F_ZSOC, 8 },
    { X86_PDEP, pdep4, pdep8, X86_FL_ARITH, 8 },
    { X86_PEXT, pext4, pext8, X86_FL_ARITH, 8 },
    { X86_SARX, sarx4, sarx8, X86_FL_ARITH, 8 },
    { X86_SHLX, shlx4, shlx8, X86_FL_ARITH, 8 },
    { X86_SHRX, shrx4, shrx8, X86_FL_ARITH, 8 },
    { X86_ADCX, adcx4, adcx8, X86_FL_ARITH, 19 },
    { X86_ADOX, adox4, adox8, X86_FL_ARITH, 19 },
};

/* CPUID traps under a hypervisor: asked once. */
static bool host_has(unsigned int leaf7_bit)
{
    static unsigned int a, b, c, d, asked;

    if ( !asked++ && !__get_cpuid_count(7, 0, &a, &b, &c, &d) )
        b = 0;
    return b & (1u << leaf7_bit);
}

static bool host_intel(void)
{
    static unsigned int a, b, c, d, asked;

    if ( !asked++ )
        __get_cpuid(0, &a, &b, &c, &d);
    return b == 0x756e6547; /* "Genu" */
}

static void compare(const struct bmi_row *r, unsigned int size, uint64_t a, uint64_t b, uint64_t fl)
{
    uint64_t mask = host_intel() ? X86_FL_ARITH : r->defined;
    uint64_t hf = FL_IN(fl), ef = FL_IN(fl);
    uint64_t hr = (size == 4 ? r->hw4 : r->hw8)(a, b, &hf);
    uint64_t er = x86_bmi(r->op, size, a, b, &ef);

    CHECK_MSG(hr == er && !((hf ^ ef) & mask),
              "op %u size %u: %#llx, %#llx from flags %#llx: cpu %#llx flags %#llx, "
              "x86_bmi %#llx flags %#llx",
              r->op, size, (unsigned long long)a, (unsigned long long)b, (unsigned long long)fl,
              (unsigned long long)hr, (unsigned long long)(hf & mask), (unsigned long long)er,
              (unsigned long long)(ef & mask));
}

static const uint64_t edges[] = {
    0,
    1,
    2,
    0x7f,
    0x80,
    0xff,
    0x100,
    0x0804,
    0x2010,
    0x4020,
    0xff00,
    0xffff,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000ULL,
    0x8000000000000000ULL,
    0x7fffffffffffffffULL,
    ~0ULL,
    0x123456789abcdef0ULL,
    0x1f3f,
    0x4040,
    0x3f00,
};
#define N_EDGES (sizeof(edges) / sizeof(edges[0]))

static void one_pair(uint64_t a, uint64_t b)
{
    for ( unsigned int n = 0; n < sizeof(rows) / sizeof(rows[0]); n++ )
    {
        if ( !host_has(rows[n].leaf7_bit) )
            continue;
        for ( unsigned int size = 4; size <= 8; size += 4 )
        {
            compare(&rows[n], size, a, b, 0);
            compare(&rows[n], size, a, b, X86_FL_ARITH);
        }
    }
}

static void bmi_edges(void)
{
    for ( unsigned int i = 0; i < N_EDGES; i++ )
        for ( unsigned int j = 0; j < N_EDGES; j++ )
            one_pair(edges[i], edges[j]);
}

static void bmi_random(void)
{
    test_srand(0xb111);
    for ( unsigned int n = 0; n < 50000; n++ )
    {
        uint64_t a = test_rand(), b = test_rand();

        /* small controls and counts, which BEXTR and BZHI care about */
        one_pair(a, n & 1 ? b : b & 0x7f7f);
    }
}

static void mulx_vs_cpu(void)
{
    test_srand(0x3a17);
    if ( !host_has(8) )
        return (void)printf("(host has no BMI2: MULX not compared)\n");
    for ( unsigned int n = 0; n < 200000; n++ )
    {
        uint64_t a = n < N_EDGES * N_EDGES ? edges[n % N_EDGES] : test_rand();
        uint64_t b = n < N_EDGES * N_EDGES ? edges[n / N_EDGES] : test_rand();
        uint64_t hl, hh, el, eh;
        uint32_t hl4, hh4;

        __asm__("mulx %[b], %[l], %[h]" : [l] "=&r"(hl), [h] "=&r"(hh) : "d"(a), [b] "r"(b));
        el = x86_mulx(8, a, b, &eh);
        CHECK(el == hl && eh == hh);
        __asm__("mulx %[b], %[l], %[h]"
                : [l] "=&r"(hl4), [h] "=&r"(hh4)
                : "d"((uint32_t)a), [b] "r"((uint32_t)b));
        el = x86_mulx(4, a, b, &eh);
        CHECK(el == hl4 && eh == hh4);
    }
}

static void rorx_vs_cpu(void)
{
    static uint64_t (*const f4[])(uint64_t) = { rorx4_0,  rorx4_1,  rorx4_7,  rorx4_31, rorx4_32,
                                                rorx4_33, rorx4_63, rorx4_64, rorx4_255 };
    static uint64_t (*const f8[])(uint64_t) = { rorx8_0,  rorx8_1,  rorx8_7,  rorx8_31, rorx8_32,
                                                rorx8_33, rorx8_63, rorx8_64, rorx8_255 };
    static const unsigned int counts[] = { 0, 1, 7, 31, 32, 33, 63, 64, 255 };

    if ( !host_has(8) )
        return (void)printf("(host has no BMI2: RORX not compared)\n");
    for ( unsigned int i = 0; i < N_EDGES; i++ )
        for ( unsigned int n = 0; n < sizeof(counts) / sizeof(counts[0]); n++ )
        {
            uint64_t fl = 0;

            CHECK_EQ(x86_bmi(X86_RORX, 4, edges[i], counts[n], &fl), f4[n](edges[i]));
            CHECK_EQ(x86_bmi(X86_RORX, 8, edges[i], counts[n], &fl), f8[n](edges[i]));
            CHECK_EQ(fl, 0);
        }
}

/* Breaking one case by hand must be caught: BLSMSK's ZF is always clear. */
static void bmi_known(void)
{
    uint64_t fl = X86_FL_ZF;

    CHECK_EQ(x86_bmi(X86_BLSMSK, 8, 0, 0, &fl), ~0ULL);
    CHECK_EQ(fl, X86_FL_CF | X86_FL_SF);
    fl = 0;
    CHECK_EQ(x86_bmi(X86_PDEP, 4, 0x5, 0xf0f0, &fl), 0x0050);
    CHECK_EQ(x86_bmi(X86_PEXT, 4, 0x5a50, 0xf0f0, &fl), 0x55);
    CHECK_EQ(x86_bmi(X86_BEXTR, 8, 0xabcd, 0x0804, &fl), 0xbc);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "bmi.known", bmi_known },  { "bmi.edges", bmi_edges },  { "bmi.random", bmi_random },
        { "bmi.mulx", mulx_vs_cpu }, { "bmi.rorx", rorx_vs_cpu },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
