/*
 * test-pcmpstr.c - the emulator's PCMPESTRI/PCMPESTRM/PCMPISTRI/
 * PCMPISTRM and MPSADBW (xen/arch/x86/x86_pcmpstr.c) against the host
 * CPU: every imm8 (bit 7 is ignored by the CPU) on strings built to hit
 * every aggregation's edge cases (embedded zeros, equal prefixes,
 * ranges) and on random ones, explicit lengths negative, zero, short,
 * long and INT_MIN; ECX, XMM0 and CF/ZF/SF/OF/AF/PF must equal the CPU's.
 * MPSADBW for every imm8 bits 2:0. Skipped where the host lacks SSE4.2.
 */
#include <asm/x86_alu.h>
#include <asm/x86_pcmpstr.h>

#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

#define FLAGS_OUT (X86_FL_ARITH)

struct hw
{
    uint8_t a[16] __attribute__((aligned(16)));
    uint8_t b[16] __attribute__((aligned(16)));
    uint8_t mask[16] __attribute__((aligned(16)));
    int64_t la, lb;
    uint64_t rcx, flags;
};

#define HW_I(name, insn, imm)                                                     \
    static void name(struct hw *h)                                                \
    {                                                                             \
        uint64_t c = 0xdeadbeef00000000ULL, f;                                    \
        __asm__ volatile("movdqa %[a], %%xmm1; " insn " $" imm ", %[b], %%xmm1; " \
                         "pushf; pop %[f]"                                        \
                         : "+c"(c), [f] "=r"(f)                                   \
                         : [a] "m"(h->a), [b] "m"(h->b), "a"(h->la), "d"(h->lb)   \
                         : "xmm1", "cc");                                         \
        h->rcx = c;                                                               \
        h->flags = f;                                                             \
    }
#define HW_M(name, insn, imm)                                                     \
    static void name(struct hw *h)                                                \
    {                                                                             \
        uint64_t f;                                                               \
        __asm__ volatile("movdqa %[a], %%xmm1; " insn " $" imm ", %[b], %%xmm1; " \
                         "pushf; pop %[f]; movdqa %%xmm0, %[m]"                   \
                         : [f] "=r"(f), [m] "=m"(h->mask)                         \
                         : [a] "m"(h->a), [b] "m"(h->b), "a"(h->la), "d"(h->lb)   \
                         : "xmm0", "xmm1", "cc");                                 \
        h->flags = f;                                                             \
    }

#define STUBS(hi, lo)                               \
    HW_I(estri_##hi##lo, "pcmpestri", "0x" #hi #lo) \
    HW_I(istri_##hi##lo, "pcmpistri", "0x" #hi #lo) \
    HW_M(estrm_##hi##lo, "pcmpestrm", "0x" #hi #lo) \
    HW_M(istrm_##hi##lo, "pcmpistrm", "0x" #hi #lo)
/* clang-format off */
#define ROW(X, hi)                                                                  \
    X(hi, 0) X(hi, 1) X(hi, 2) X(hi, 3) X(hi, 4) X(hi, 5) X(hi, 6) X(hi, 7)         \
    X(hi, 8) X(hi, 9) X(hi, a) X(hi, b) X(hi, c) X(hi, d) X(hi, e) X(hi, f)
/* clang-format on */
#define ALL(X) ROW(X, 0) ROW(X, 1) ROW(X, 2) ROW(X, 3) ROW(X, 4) ROW(X, 5) ROW(X, 6) ROW(X, 7)

ALL(STUBS)

typedef void (*hw_fn)(struct hw *h);
#define ENTRY(hi, lo) { estri_##hi##lo, istri_##hi##lo, estrm_##hi##lo, istrm_##hi##lo },
static const hw_fn hw_fns[128][4] = { ALL(ENTRY) };

static bool host_sse42(void)
{
    static unsigned int a, b, c, d, asked;

    if ( !asked++ )
        __get_cpuid(1, &a, &b, &c, &d);
    return c & (1u << 20);
}

static unsigned long long half(const uint8_t *m, unsigned int n)
{
    unsigned long long v;

    memcpy(&v, m + 8 * n, 8);
    return v;
}

/* One instruction form (0 ESTRI, 1 ISTRI, 2 ESTRM, 3 ISTRM) on h. */
static void compare(unsigned int form, unsigned int imm, struct hw *h)
{
    struct x86_pcmpstr e;
    bool expl = !(form & 1), mask = form >= 2;

    hw_fns[imm][form](h);
    x86_pcmpstr(h->a, h->b, imm, expl, (int32_t)h->la, (int32_t)h->lb, &e);
    CHECK_MSG((h->flags & FLAGS_OUT) == e.flags,
              "form %u imm %#x la %lld lb %lld: flags cpu %#llx, ours %#llx", form, imm,
              (long long)h->la, (long long)h->lb, (unsigned long long)(h->flags & FLAGS_OUT),
              (unsigned long long)e.flags);
    if ( mask )
        CHECK_MSG(!memcmp(h->mask, e.mask, 16),
                  "form %u imm %#x: mask %#llx:%#llx, ours %#llx:%#llx", form, imm,
                  half(h->mask, 1), half(h->mask, 0), half(e.mask, 1), half(e.mask, 0));
    else
        CHECK_MSG(h->rcx == e.index, "form %u imm %#x la %lld lb %lld: rcx %#llx, ours %#x", form,
                  imm, (long long)h->la, (long long)h->lb, (unsigned long long)h->rcx, e.index);
}

static void all_imms(struct hw *h)
{
    for ( unsigned int imm = 0; imm < 128; imm++ )
        for ( unsigned int form = 0; form < 4; form++ )
            compare(form, imm, h);
}

static const int64_t lens[] = { 0,  1,  3,  7,  8,   9,   15,  16,
                                17, -1, -5, -8, -16, -17, 100, (int32_t)0x80000000 };
#define N_LENS (sizeof(lens) / sizeof(lens[0]))

/* Strings drawn from a small alphabet, so that matches, ranges and
 * zeros are common. */
static void fill(uint8_t *s, unsigned int kind)
{
    static const uint8_t alpha[] = { 0, 'a', 'b', 'z', 0x80, 0xff, 0x7f, 1 };

    for ( unsigned int i = 0; i < 16; i++ )
        s[i] = kind == 0 ? test_rand() : alpha[test_rand_below(kind == 1 ? 8 : 4)];
}

static void pcmpstr_vs_cpu(void)
{
    struct hw h;

    if ( !host_sse42() )
        return (void)printf("(host has no SSE4.2: not compared)\n");
    test_srand(0x4242);
    for ( unsigned int n = 0; n < 600; n++ )
    {
        fill(h.a, n % 3);
        fill(h.b, (n / 3) % 3);
        if ( n % 5 == 0 )
            memcpy(h.b + test_rand_below(8), h.a, 4); /* a substring of b */
        h.la = lens[test_rand_below(N_LENS)];
        h.lb = lens[test_rand_below(N_LENS)];
        all_imms(&h);
    }
}

/* REX.W: the lengths are RAX and RDX whole. */
static void pcmpestri_rexw(void)
{
    static const int64_t big[] = { 0x100000003LL, -0x100000000LL, 5, -3, INT64_MIN };
    struct x86_pcmpstr e;

    if ( !host_sse42() )
        return;
    for ( unsigned int i = 0; i < 5; i++ )
        for ( unsigned int j = 0; j < 5; j++ )
        {
            uint64_t c, f;
            uint8_t a[16] __attribute__((aligned(16))) = "abcabcabcabcabc";
            uint8_t b[16] __attribute__((aligned(16))) = "xxabcxxxxabcxxx";

            __asm__ volatile("movdqa %[a], %%xmm1; pcmpestriq $0x0c, %[b], %%xmm1; pushf; pop %[f]"
                             : "=c"(c), [f] "=r"(f)
                             : [a] "m"(a), [b] "m"(b), "a"(big[i]), "d"(big[j])
                             : "xmm1", "cc");
            x86_pcmpstr(a, b, 0x0c, true, big[i], big[j], &e);
            CHECK_EQ(c, e.index);
            CHECK_EQ(f & FLAGS_OUT, e.flags);
        }
}

#define MPSAD(n)                                                         \
    static void mpsad_##n(uint8_t d[16], const uint8_t s[16])            \
    {                                                                    \
        __asm__("movdqu %[d], %%xmm1; movdqu %[s], %%xmm2; mpsadbw $" #n \
                ", %%xmm2, %%xmm1; movdqu %%xmm1, %[d]"                  \
                : [d] "+m"(*(uint8_t(*)[16])d)                           \
                : [s] "m"(*(const uint8_t(*)[16])s)                      \
                : "xmm1", "xmm2");                                       \
    }
MPSAD(0)
MPSAD(1)
MPSAD(2)
MPSAD(3)
MPSAD(4)
MPSAD(5)
MPSAD(6)
MPSAD(7)
MPSAD(0xf9)

static void mpsadbw_vs_cpu(void)
{
    static void (*const fns[9])(uint8_t *, const uint8_t *) = {
        mpsad_0, mpsad_1, mpsad_2, mpsad_3, mpsad_4, mpsad_5, mpsad_6, mpsad_7, mpsad_0xf9,
    };
    static const unsigned int imms[9] = { 0, 1, 2, 3, 4, 5, 6, 7, 0xf9 };

    test_srand(0x5ad);
    for ( unsigned int n = 0; n < 2000; n++ )
        for ( unsigned int k = 0; k < 9; k++ )
        {
            uint8_t d[16], e[16], s[16];

            fill(d, 0);
            fill(s, n & 1);
            memcpy(e, d, 16);
            fns[k](d, s);
            x86_mpsadbw(e, s, imms[k]);
            CHECK_MSG(!memcmp(d, e, 16), "mpsadbw imm %#x differs", imms[k]);
        }
}

/* One by hand, so that a broken comparison cannot hide behind a broken
 * stub: "abc" found at b[2]. */
static void pcmpstr_known(void)
{
    struct x86_pcmpstr e;
    uint8_t a[16] = "abc", b[16] = "xxabcx";

    x86_pcmpstr(a, b, 0x0c, false, 0, 0, &e);
    CHECK_EQ(e.index, 2);
    CHECK_EQ(e.flags, X86_FL_CF | X86_FL_ZF | X86_FL_SF);
}

int main(void)
{
    static const struct test_case cases[] = {
        { "pcmpstr.known", pcmpstr_known },
        { "pcmpstr.vs_cpu", pcmpstr_vs_cpu },
        { "pcmpstr.rexw", pcmpestri_rexw },
        { "mpsadbw.vs_cpu", mpsadbw_vs_cpu },
    };

    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
