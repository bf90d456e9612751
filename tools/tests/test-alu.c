/*
 * test-alu.c - the emulator's integer arithmetic (xen/arch/x86/x86_alu.c)
 * against the host CPU: every operation at every operand size, on edge
 * values and a million pseudo-random ones, from flags all clear and all
 * set; the result and every arithmetic flag the SDM defines must match
 * what the CPU itself produces (AF after a logic op is undefined and
 * not compared). The shifts and rotates the same way, for every count
 * 0-70 (the CPU masks it), comparing only the flags the SDM defines for
 * that count.
 */
#include <asm/x86_alu.h>

#include <cpuid.h>
#include <stdio.h>

#include "harness.h"

/* Only bits a user-mode POPF may change without trapping. */
#define FL_IN(arith) (0x202ULL | (arith))

/* The red zone below RSP is the compiler's: step over it to push. */
#define HW_BIN(name, insn, m)                                                                \
    static uint64_t name(uint64_t d, uint64_t s, uint64_t *fl)                               \
    {                                                                                        \
        uint64_t f = *fl;                                                                    \
        __asm__ volatile("sub $128, %%rsp; push %[f]; popf; " insn " %" m "[s], %" m "[d]; " \
                         "pushf; pop %[f]; add $128, %%rsp"                                  \
                         : [d] "+r"(d), [f] "+r"(f)                                          \
                         : [s] "r"(s)                                                        \
                         : "cc", "memory");                                                  \
        *fl = f;                                                                             \
        return d;                                                                            \
    }
#define HW_UN(name, insn, m)                                                      \
    static uint64_t name(uint64_t d, uint64_t s, uint64_t *fl)                    \
    {                                                                             \
        uint64_t f = *fl;                                                         \
        (void)s;                                                                  \
        __asm__ volatile("sub $128, %%rsp; push %[f]; popf; " insn " %" m "[d]; " \
                         "pushf; pop %[f]; add $128, %%rsp"                       \
                         : [d] "+r"(d), [f] "+r"(f)                               \
                         :                                                        \
                         : "cc", "memory");                                       \
        *fl = f;                                                                  \
        return d;                                                                 \
    }
#define HW_ALL(op, kind)                                                                         \
    kind(hw_##op##1, #op "b", "b") kind(hw_##op##2, #op "w", "w") kind(hw_##op##4, #op "l", "k") \
        kind(hw_##op##8, #op "q", "q")

HW_ALL(add, HW_BIN)
HW_ALL(or, HW_BIN)
HW_ALL(adc, HW_BIN)
HW_ALL(sbb, HW_BIN)
HW_ALL(and, HW_BIN)
HW_ALL(sub, HW_BIN)
HW_ALL(xor, HW_BIN)
HW_ALL(cmp, HW_BIN)
HW_ALL(test, HW_BIN)
HW_ALL(inc, HW_UN)
HW_ALL(dec, HW_UN)
HW_ALL(neg, HW_UN)
HW_ALL(not, HW_UN)

/* Shifts take their count in CL. */
#define HW_SH(name, insn, m)                                                            \
    static uint64_t name(uint64_t d, uint64_t s, uint64_t *fl)                          \
    {                                                                                   \
        uint64_t f = *fl;                                                               \
        __asm__ volatile("sub $128, %%rsp; push %[f]; popf; " insn " %%cl, %" m "[d]; " \
                         "pushf; pop %[f]; add $128, %%rsp"                             \
                         : [d] "+r"(d), [f] "+r"(f)                                     \
                         : "c"(s)                                                       \
                         : "cc", "memory");                                             \
        *fl = f;                                                                        \
        return d;                                                                       \
    }

HW_ALL(rol, HW_SH)
HW_ALL(ror, HW_SH)
HW_ALL(rcl, HW_SH)
HW_ALL(rcr, HW_SH)
HW_ALL(shl, HW_SH)
HW_ALL(shr, HW_SH)
HW_ALL(sal, HW_SH)
HW_ALL(sar, HW_SH)

typedef uint64_t (*hw_fn)(uint64_t d, uint64_t s, uint64_t *fl);
#define HW_ROW(op)                                     \
    {                                                  \
        hw_##op##1, hw_##op##2, hw_##op##4, hw_##op##8 \
    }

/* In enum x86_alu_op order. */
static const hw_fn hw[][4] = {
    HW_ROW(add), HW_ROW(or),   HW_ROW(adc), HW_ROW(sbb), HW_ROW(and), HW_ROW(sub),  HW_ROW(xor),
    HW_ROW(cmp), HW_ROW(test), HW_ROW(inc), HW_ROW(dec), HW_ROW(neg), HW_ROW(not ),
};

/* In enum x86_shift_op order. */
static const hw_fn hw_shift[][4] = {
    HW_ROW(rol), HW_ROW(ror), HW_ROW(rcl), HW_ROW(rcr),
    HW_ROW(shl), HW_ROW(shr), HW_ROW(sal), HW_ROW(sar),
};

/* The flags the SDM defines after this shift or rotate. */
static uint64_t shift_defined(unsigned int op, unsigned int size, unsigned int count)
{
    unsigned int cnt = count & (size == 8 ? 0x3f : 0x1f);
    uint64_t mask = X86_FL_ARITH;

    if ( !cnt )
        return mask;
    if ( cnt != 1 )
        mask &= ~X86_FL_OF;
    if ( op >= X86_SHIFT_SHL )
    {
        mask &= ~X86_FL_AF;
        if ( cnt >= size * 8 )
            mask &= ~X86_FL_CF;
    }
    return mask;
}

static void compare_shift(unsigned int op, unsigned int si, uint64_t d, unsigned int count,
                          uint64_t fl)
{
    static const unsigned int sizes[4] = { 1, 2, 4, 8 };
    unsigned int size = sizes[si];
    uint64_t mask = shift_defined(op, size, count), hf = FL_IN(fl), ef = FL_IN(fl);
    uint64_t m = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
    uint64_t hr = hw_shift[op][si](d, count, &hf) & m, er = x86_shift(op, size, d, count, &ef);

    CHECK_MSG(hr == er && !((hf ^ ef) & mask),
              "shift %u size %u: %#llx by %u from flags %#llx: cpu %#llx flags %#llx, "
              "x86_shift %#llx flags %#llx",
              op, size, (unsigned long long)d, count, (unsigned long long)fl,
              (unsigned long long)hr, (unsigned long long)(hf & mask), (unsigned long long)er,
              (unsigned long long)(ef & mask));
}

static void shifts_vs_cpu(void)
{
    static const uint64_t vals[] = { 0,          1,
                                     0x80,       0x81,
                                     0x8000,     0x7fffffff,
                                     0x80000001, 0x8000000000000000ULL,
                                     ~0ULL,      0x123456789abcdef0ULL };
    for ( unsigned int v = 0; v < sizeof(vals) / sizeof(vals[0]); v++ )
        for ( unsigned int op = 0; op <= X86_SHIFT_SAR; op++ )
            for ( unsigned int si = 0; si < 4; si++ )
                for ( unsigned int n = 0; n <= 70; n++ )
                {
                    compare_shift(op, si, vals[v], n, 0);
                    compare_shift(op, si, vals[v], n, X86_FL_ARITH);
                }
}

static bool is_logic(unsigned int op)
{
    return op == X86_ALU_OR || op == X86_ALU_AND || op == X86_ALU_XOR || op == X86_ALU_TEST;
}

static void compare(unsigned int op, unsigned int si, uint64_t d, uint64_t s, uint64_t fl)
{
    static const unsigned int sizes[4] = { 1, 2, 4, 8 };
    uint64_t mask = is_logic(op) ? X86_FL_ARITH & ~X86_FL_AF : X86_FL_ARITH;
    uint64_t hf = FL_IN(fl), ef = FL_IN(fl),
             m = sizes[si] == 8 ? ~0ULL : (1ULL << (8 * sizes[si])) - 1;
    uint64_t hr = hw[op][si](d, s, &hf) & m, er = x86_alu(op, sizes[si], d, s, &ef);
    bool res_ok = !x86_alu_writes(op) || hr == er;

    CHECK_MSG(res_ok && !((hf ^ ef) & mask),
              "op %u size %u: %#llx, %#llx from flags %#llx: cpu %#llx flags %#llx, "
              "x86_alu %#llx flags %#llx",
              op, sizes[si], (unsigned long long)d, (unsigned long long)s, (unsigned long long)fl,
              (unsigned long long)hr, (unsigned long long)(hf & mask), (unsigned long long)er,
              (unsigned long long)(ef & mask));
}

static void all_ops(uint64_t d, uint64_t s)
{
    for ( unsigned int op = 0; op <= X86_ALU_NOT; op++ )
        for ( unsigned int si = 0; si < 4; si++ )
        {
            compare(op, si, d, s, 0);
            compare(op, si, d, s, X86_FL_ARITH);
        }
}

static const uint64_t edges[] = {
    0,
    1,
    2,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    0x10,
    0x0f,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x7fffffffffffffffULL,
    0x8000000000000000ULL,
    ~0ULL,
    0x5555555555555555ULL,
    0xaaaaaaaaaaaaaaaaULL,
};

static void edge_values(void)
{
    for ( unsigned int i = 0; i < sizeof(edges) / sizeof(edges[0]); i++ )
        for ( unsigned int j = 0; j < sizeof(edges) / sizeof(edges[0]); j++ )
            all_ops(edges[i], edges[j]);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void random_values(void)
{
    for ( unsigned int i = 0; i < 20000; i++ )
    {
        uint64_t d = next(), s = next();
        /* small magnitudes too, where carries and overflows cluster */
        all_ops(i & 1 ? d : d & 0x1ff, i & 2 ? s : s & 0x1ff);
    }
}

static void not_keeps_flags(void)
{
    uint64_t fl = X86_FL_ARITH;
    CHECK_EQ(x86_alu(X86_ALU_NOT, 4, 0, 0, &fl), 0xffffffffULL);
    CHECK_EQ(fl, X86_FL_ARITH);
}

/* ---- conditions, multiply/divide, bit counts ------------------------ */

#define HW_SET(cc)                                                                            \
    static bool hw_set##cc(uint64_t fl)                                                       \
    {                                                                                         \
        uint8_t r;                                                                            \
        __asm__ volatile("sub $128, %%rsp; push %[f]; popf; set" #cc " %[r]; add $128, %%rsp" \
                         : [r] "=r"(r)                                                        \
                         : [f] "r"(fl)                                                        \
                         : "cc", "memory");                                                   \
        return r;                                                                             \
    }
HW_SET(o)
HW_SET(no)
HW_SET(b)
HW_SET(ae)
HW_SET(e)
HW_SET(ne)
HW_SET(be)
HW_SET(a)
HW_SET(s)
HW_SET(ns)
HW_SET(p)
HW_SET(np)
HW_SET(l)
HW_SET(ge)
HW_SET(le)
HW_SET(g)

static void cond_vs_cpu(void)
{
    static bool (*const set[16])(uint64_t) = {
        hw_seto, hw_setno, hw_setb, hw_setae, hw_sete, hw_setne, hw_setbe, hw_seta,
        hw_sets, hw_setns, hw_setp, hw_setnp, hw_setl, hw_setge, hw_setle, hw_setg,
    };
    static const uint64_t bits[5] = { X86_FL_CF, X86_FL_ZF, X86_FL_SF, X86_FL_OF, X86_FL_PF };

    for ( unsigned int combo = 0; combo < 32; combo++ )
    {
        uint64_t fl = 0x202;

        for ( unsigned int b = 0; b < 5; b++ )
            if ( combo & (1u << b) )
                fl |= bits[b];
        for ( unsigned int cc = 0; cc < 16; cc++ )
            CHECK_MSG(set[cc](fl) == x86_cond(cc, fl), "cc %u flags %#llx", cc,
                      (unsigned long long)fl);
    }
}

/* rAX, rDX and flags through one MUL/IMUL/DIV/IDIV of s. */
#define HW_MD(name, insn, m)                                                      \
    static void name(uint64_t *a, uint64_t *d, uint64_t s, uint64_t *fl)          \
    {                                                                             \
        uint64_t f = *fl;                                                         \
        __asm__ volatile("sub $128, %%rsp; push %[f]; popf; " insn " %" m "[s]; " \
                         "pushf; pop %[f]; add $128, %%rsp"                       \
                         : "+a"(*a), "+d"(*d), [f] "+r"(f)                        \
                         : [s] "r"(s)                                             \
                         : "cc", "memory");                                       \
        *fl = f;                                                                  \
    }
#define HW_MD_ALL(op)               \
    HW_MD(hw_##op##1, #op "b", "b") \
    HW_MD(hw_##op##2, #op "w", "w") HW_MD(hw_##op##4, #op "l", "k") HW_MD(hw_##op##8, #op "q", "q")

HW_MD_ALL(mul)
HW_MD_ALL(imul)
HW_MD_ALL(div)
HW_MD_ALL(idiv)

typedef void (*hw_md_fn)(uint64_t *a, uint64_t *d, uint64_t s, uint64_t *fl);

static const hw_md_fn hw_md[4][4] = {
    { hw_mul1, hw_mul2, hw_mul4, hw_mul8 },
    { hw_imul1, hw_imul2, hw_imul4, hw_imul8 },
    { hw_div1, hw_div2, hw_div4, hw_div8 },
    { hw_idiv1, hw_idiv2, hw_idiv4, hw_idiv8 },
};

static int64_t sx(uint64_t v, unsigned int size)
{
    unsigned int sh = 64 - 8 * size;
    return (int64_t)(v << sh) >> sh;
}

/* Does the CPU raise #DE? Worked out with the host's 128-bit division. */
static bool ref_div_faults(bool sign, unsigned int size, uint64_t lo, uint64_t hi, uint64_t s)
{
    unsigned int bits = 8 * size;
    uint64_t m = size == 8 ? ~0ULL : (1ULL << bits) - 1;
    __int128 n, q, lim = (__int128)1 << (bits - 1);

    if ( !(s & m) )
        return true;
    if ( !sign )
        return (hi & m) >= (s & m);
    /* the 2*bits dividend, sign-extended through the top of 128 bits */
    n = (__int128)((((unsigned __int128)(hi & m) << bits) | (lo & m)) << (128 - 2 * bits)) >>
        (128 - 2 * bits);
    if ( sx(s, size) == -1 ) /* q = -n, which may not exist in 128 bits */
        return n <= -lim || n > lim;
    q = n / sx(s, size);
    return q >= lim || q < -lim;
}

static void compare_md(unsigned int op, unsigned int si, uint64_t lo, uint64_t hi, uint64_t s,
                       uint64_t fl)
{
    static const unsigned int sizes[4] = { 1, 2, 4, 8 };
    unsigned int size = sizes[si];
    uint64_t m = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
    uint64_t a = size == 1 ? (lo & 0xff) | (hi & 0xff) << 8 : lo, d = hi, hf = FL_IN(fl);
    uint64_t el = lo & m, eh = hi & m, ef = FL_IN(fl), hl, hh;
    int rc = x86_muldiv(op, size, &el, &eh, s, &ef);

    if ( op >= X86_DIV )
    {
        CHECK_MSG((rc != 0) == ref_div_faults(op == X86_IDIV, size, lo, hi, s),
                  "op %u size %u: %#llx:%#llx / %#llx: x86_muldiv %d", op, size,
                  (unsigned long long)hi, (unsigned long long)lo, (unsigned long long)s, rc);
        if ( rc )
            return;
    }
    hw_md[op][si](&a, &d, s, &hf);
    hl = size == 1 ? a & 0xff : a & m;
    hh = size == 1 ? (a >> 8) & 0xff : d & m;
    CHECK_MSG(hl == el && hh == eh && (op >= X86_DIV || !((hf ^ ef) & (X86_FL_CF | X86_FL_OF))),
              "op %u size %u: %#llx:%#llx, %#llx: cpu %#llx:%#llx flags %#llx, "
              "x86_muldiv %#llx:%#llx flags %#llx",
              op, size, (unsigned long long)hi, (unsigned long long)lo, (unsigned long long)s,
              (unsigned long long)hh, (unsigned long long)hl, (unsigned long long)hf,
              (unsigned long long)eh, (unsigned long long)el, (unsigned long long)ef);
}

static void muldiv_vs_cpu(void)
{
    const unsigned int n = sizeof(edges) / sizeof(edges[0]);

    for ( unsigned int i = 0; i < n * n * n + 200000; i++ )
    {
        uint64_t lo, hi, s;

        if ( i < n * n * n )
            lo = edges[i % n], hi = edges[(i / n) % n], s = edges[i / n / n];
        else
            lo = next(), hi = i & 1 ? next() : next() & 0xf, s = i & 2 ? next() : next() >> 40;
        for ( unsigned int op = 0; op < 4; op++ )
            for ( unsigned int si = 0; si < 4; si++ )
                compare_md(op, si, lo, hi, s, i & 4 ? X86_FL_ARITH : 0);
    }
}

/* dst, flags through one bit scan or count of s. */
#define HW_BC(name, insn, m)                                                         \
    static uint64_t name(uint64_t d, uint64_t s, uint64_t *fl)                       \
    {                                                                                \
        uint64_t f = *fl;                                                            \
        __asm__ volatile("sub $128, %%rsp; push %[f]; popf; " insn " %" m "[s], %" m \
                         "[d]; pushf; pop %[f]; add $128, %%rsp"                     \
                         : [d] "+r"(d), [f] "+r"(f)                                  \
                         : [s] "r"(s)                                                \
                         : "cc", "memory");                                          \
        *fl = f;                                                                     \
        return d;                                                                    \
    }
#define HW_BC_ALL(op) \
    HW_BC(hw_##op##2, #op "w", "w") HW_BC(hw_##op##4, #op "l", "k") HW_BC(hw_##op##8, #op "q", "q")

HW_BC_ALL(bsf)
HW_BC_ALL(bsr)
HW_BC_ALL(tzcnt)
HW_BC_ALL(lzcnt)
HW_BC_ALL(popcnt)

static const hw_fn hw_bc[5][3] = {
    { hw_bsf2, hw_bsf4, hw_bsf8 },          { hw_bsr2, hw_bsr4, hw_bsr8 },
    { hw_tzcnt2, hw_tzcnt4, hw_tzcnt8 },    { hw_lzcnt2, hw_lzcnt4, hw_lzcnt8 },
    { hw_popcnt2, hw_popcnt4, hw_popcnt8 },
};

/* Which ops the host has: without BMI1/ABM, TZCNT and LZCNT run as
 * BSF and BSR, and POPCNT is #UD. */
static bool host_has(unsigned int op)
{
    unsigned int a, b, c, d;

    if ( op == X86_TZCNT )
        return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 3));
    if ( op == X86_LZCNT )
        return __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & (1u << 5));
    if ( op == X86_POPCNT )
        return __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 23));
    return true;
}

static void compare_bc(unsigned int op, unsigned int si, uint64_t dst, uint64_t s, uint64_t fl)
{
    static const unsigned int sizes[3] = { 2, 4, 8 };
    static const uint64_t defined[5] = { X86_FL_ZF, X86_FL_ZF, X86_FL_CF | X86_FL_ZF,
                                         X86_FL_CF | X86_FL_ZF, X86_FL_ARITH };
    unsigned int size = sizes[si];
    uint64_t m = size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1, hf = FL_IN(fl), ef = FL_IN(fl);
    uint64_t hr = hw_bc[op][si](dst, s, &hf) & m, er = x86_bitcount(op, size, dst, s, &ef) & m;
    bool skip_res = op <= X86_BSR && !(s & m); /* destination undefined */

    CHECK_MSG((skip_res || hr == er) && !((hf ^ ef) & defined[op]),
              "bitcount %u size %u of %#llx: cpu %#llx flags %#llx, x86_bitcount %#llx flags %#llx",
              op, size, (unsigned long long)s, (unsigned long long)hr, (unsigned long long)hf,
              (unsigned long long)er, (unsigned long long)ef);
}

static void bitcount_vs_cpu(void)
{
    const unsigned int n = sizeof(edges) / sizeof(edges[0]);

    for ( unsigned int op = 0; op <= X86_POPCNT; op++ )
    {
        if ( !host_has(op) )
        {
            printf("  (host lacks bit-count op %u: not compared)\n", op);
            continue;
        }
        for ( unsigned int i = 0; i < n + 100000; i++ )
        {
            uint64_t s = i < n ? edges[i] : next() >> (i % 64);

            for ( unsigned int si = 0; si < 3; si++ )
            {
                compare_bc(op, si, 0x1234, s, 0);
                compare_bc(op, si, 0x1234, s, X86_FL_ARITH);
            }
        }
    }
}

/* The host's CRC32 at each source size (the asm needs no -msse4.2). */
static uint32_t hw_crc32(uint32_t crc, uint64_t data, unsigned int size)
{
    uint64_t c = crc;

    switch ( size )
    {
    case 1: __asm__(".byte 0xf2, 0x0f, 0x38, 0xf0, 0xc1" : "+a"(crc) : "c"((uint8_t)data)); break;
    case 2:
        __asm__(".byte 0x66, 0xf2, 0x0f, 0x38, 0xf1, 0xc1" : "+a"(crc) : "c"((uint16_t)data));
        break;
    case 4: __asm__(".byte 0xf2, 0x0f, 0x38, 0xf1, 0xc1" : "+a"(crc) : "c"((uint32_t)data)); break;
    default:
        __asm__(".byte 0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xc1" : "+a"(c) : "c"(data));
        crc = (uint32_t)c;
        CHECK_MSG(!(c >> 32), "crc32q left %#llx in the upper half", (unsigned long long)c);
    }
    return crc;
}

static void crc32_vs_cpu(void)
{
    const unsigned int n = sizeof(edges) / sizeof(edges[0]);
    unsigned int a, b, c, d;

    if ( !__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 20)) )
    {
        printf("  (host lacks SSE4.2: CRC32 not compared)\n");
        return;
    }
    for ( unsigned int i = 0; i < n + 100000; i++ )
    {
        uint64_t data = i < n ? edges[i] : next();
        uint32_t crc = i < n ? (uint32_t)edges[(i + 1) % n] : (uint32_t)next();

        for ( unsigned int size = 1; size <= 8; size *= 2 )
        {
            uint32_t hw = hw_crc32(crc, data, size), sw = x86_crc32c(crc, data, size);

            CHECK_MSG(hw == sw, "crc32 size %u of %#llx into %#x: cpu %#x, x86_crc32c %#x", size,
                      (unsigned long long)data, crc, hw, sw);
        }
    }
}

int main(void)
{
    static const struct test_case cases[] = {
        { "alu.edge_values_vs_cpu", edge_values },  { "alu.random_values_vs_cpu", random_values },
        { "alu.not_keeps_flags", not_keeps_flags }, { "alu.shifts_vs_cpu", shifts_vs_cpu },
        { "alu.conditions_vs_cpu", cond_vs_cpu },   { "alu.muldiv_vs_cpu", muldiv_vs_cpu },
        { "alu.bitcount_vs_cpu", bitcount_vs_cpu }, { "alu.crc32_vs_cpu", crc32_vs_cpu },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
