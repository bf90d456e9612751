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

int main(void)
{
    static const struct test_case cases[] = {
        { "alu.edge_values_vs_cpu", edge_values },
        { "alu.random_values_vs_cpu", random_values },
        { "alu.not_keeps_flags", not_keeps_flags },
        { "alu.shifts_vs_cpu", shifts_vs_cpu },
    };
    return run_tests(cases, sizeof(cases) / sizeof(cases[0]));
}
