/*
 * emul-arith - the integer instructions past the ALU group, aimed at
 * guest-physical holes, behave as on Xen with no device model: the hole
 * reads all-ones, writes are dropped, the instruction completes with the
 * registers and flags the CPU itself gives on RAM holding all-ones.
 *
 *  - CMOVcc (taken and not, 16/32/64-bit: a 32-bit one zero-extends
 *    either way), SETcc;
 *  - MUL, IMUL, DIV, IDIV on a memory operand at every size, IMUL
 *    0F AF / 69 / 6B; a DIV whose quotient does not fit raises #DE with
 *    RIP on the instruction and the registers untouched;
 *  - BSF, BSR, TZCNT, LZCNT, POPCNT (each as this CPU runs it);
 *  - MOVBE load and store (where offered), CRC32 at each source size
 *    (where offered), CMPXCHG8B and CMPXCHG16B
 *    (equal and not), and a misaligned CMPXCHG16B's #GP(0);
 *  - PUSH m, POP m, and PUSH/POP of a register and an immediate with
 *    the stack itself in a hole.
 * Stores are checked by the hole still reading all-ones after them (on
 * RAM they land, so their read-back is not compared). Flags the SDM
 * leaves undefined are not compared. Every instruction is
 * followed by a sentinel MOV that must run whole (RIP exactly past it).
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>
#include <xtf/traps.h>

const char test_title[] =
    "emulation: CMOV/SETcc/MUL/DIV/BSF/MOVBE/CRC32/CMPXCHG8B/PUSH/POP on holes";

#define ONES     0xffffffffffffffffULL
#define FL_ARITH 0x8d5ULL
#define FL_CF    0x001ULL
#define FL_ZF    0x040ULL
#define FL_OF    0x800ULL

static uint64_t ram_end;

struct io
{
    uint64_t a, b, c, d, fl;
};

typedef uint32_t (*op_fn)(uint64_t m, struct io *io);

#define OP_FN(name, text)                                                                    \
    static uint32_t name(uint64_t m, struct io *io)                                          \
    {                                                                                        \
        uint32_t s;                                                                          \
        __asm__ volatile("push %[f]; popf; " text "; mov $0x5a5a5a5a, %[s]; pushf; pop %[f]" \
                         : "+a"(io->a), "+b"(io->b), "+c"(io->c),                            \
                           "+d"(io->d), [f] "+r"(io->fl), [s] "=r"(s)                        \
                         : [m] "r"(m)                                                        \
                         : "memory", "cc");                                                  \
        return s;                                                                            \
    }

OP_FN(cmovz32, "cmovzl (%[m]), %%ebx")
OP_FN(cmovnz32, "cmovnzl (%[m]), %%ebx")
OP_FN(cmovc64, "cmovcq (%[m]), %%rbx")
OP_FN(cmovle16, "cmovlew (%[m]), %%bx")
OP_FN(setz, "setz (%[m]); setz %%bl")
OP_FN(setnbe, "setnbe 3(%[m])")
OP_FN(mul8, "mulb (%[m])")
OP_FN(mul16, "mulw (%[m])")
OP_FN(mul32, "mull (%[m])")
OP_FN(mul64, "mulq (%[m])")
OP_FN(imul8, "imulb (%[m])")
OP_FN(imul64, "imulq (%[m])")
OP_FN(div16, "divw (%[m])")
OP_FN(div32, "divl (%[m])")
OP_FN(div64, "divq (%[m])")
OP_FN(idiv8, "idivb (%[m])")
OP_FN(idiv32, "idivl (%[m])")
OP_FN(idiv64, "idivq (%[m])")
OP_FN(imul_r32, "imull (%[m]), %%ebx")
OP_FN(imul_r64_i32, "imulq $0x12345, (%[m]), %%rbx")
OP_FN(imul_r16_i8, "imulw $-3, (%[m]), %%bx")
OP_FN(bsf32, "bsfl (%[m]), %%ebx")
OP_FN(bsr64, "bsrq (%[m]), %%rbx")
OP_FN(bsr16, "bsrw (%[m]), %%bx")
OP_FN(tzcnt32, ".byte 0xf3; bsfl (%[m]), %%ebx")
OP_FN(lzcnt64, ".byte 0xf3; bsrq (%[m]), %%rbx")
OP_FN(cmpxchg8b_ne, "cmpxchg8b (%[m])")
OP_FN(lock_cmpxchg16b, "lock cmpxchg16b (%[m])")
OP_FN(push_m, "pushq (%[m]); popq %%rbx")
OP_FN(push_m16, "pushw 2(%[m]); popw %%bx")
OP_FN(pop_m, "pushq %%rbx; popq (%[m])")

/* POPCNT and MOVBE run only where the CPU has them. */
OP_FN(popcnt64, "popcntq (%[m]), %%rbx")
OP_FN(popcnt16, "popcntw (%[m]), %%bx")
OP_FN(movbe_ld32, "movbel (%[m]), %%ebx")
OP_FN(movbe_ld16, "movbew (%[m]), %%bx")
OP_FN(movbe_st64, "movbeq %%rbx, (%[m])")
OP_FN(crc32b, "crc32b (%[m]), %%ebx")
OP_FN(crc32b64, "crc32b (%[m]), %%rbx")
OP_FN(crc32w, "crc32w (%[m]), %%ebx")
OP_FN(crc32l, "crc32l (%[m]), %%ebx")
OP_FN(crc32q, "crc32q (%[m]), %%rbx")

struct op_case
{
    const char *name;
    op_fn fn;
    uint64_t a, b, c, d;
    uint64_t undef;    /* flags the SDM leaves undefined */
    unsigned int need; /* 0, or NEED_* */
};

#define NEED_POPCNT 1
#define NEED_MOVBE  2
#define NEED_SSE42  3

#define MUL_UNDEF (FL_ARITH & ~(FL_CF | FL_OF))

static const struct op_case cases[] = {
    { "cmovz taken", cmovz32, 0, 0x1111222233334444ULL, 0, 0, 0 },
    { "cmovnz 32-bit", cmovnz32, 0, 0x1111222233334444ULL, 0, 0, 0 },
    { "cmovc 64-bit", cmovc64, 0, 7, 0, 0, 0 },
    { "cmovle 16-bit", cmovle16, 0, 0x1111222233334444ULL, 0, 0, 0 },
    { "setz", setz, 0, 0x1234, 0, 0, 0 },
    { "setnbe", setnbe, 0, 0, 0, 0, 0 },
    { "mul byte", mul8, 0x1234, 0, 0, 0x77, MUL_UNDEF },
    { "mul word", mul16, 0x2, 0, 0, 0x77, MUL_UNDEF },
    { "mul dword", mul32, 0x80000001, 0, 0, 0x77, MUL_UNDEF },
    { "mul qword", mul64, 0x123456789ULL, 0, 0, 0x77, MUL_UNDEF },
    { "mul qword by 0", mul64, 0, 0, 0, 0x77, MUL_UNDEF },
    { "imul byte", imul8, 0x7f, 0, 0, 0, MUL_UNDEF },
    { "imul qword", imul64, 0x8000000000000000ULL, 0, 0, 5, MUL_UNDEF },
    { "div word", div16, 0x1234, 0, 0, 0x12, FL_ARITH },
    { "div dword", div32, 0x12345678, 0, 0, 0xfffffffeULL, FL_ARITH },
    { "div qword", div64, ONES, 0, 0, 5, FL_ARITH },
    { "idiv byte", idiv8, 0x80, 0, 0, 0, FL_ARITH },
    { "idiv dword", idiv32, 0x12345678, 0, 0, 0, FL_ARITH },
    { "idiv qword negative", idiv64, (uint64_t)-77, 0, 0, ONES, FL_ARITH },
    { "imul r32", imul_r32, 0, 0x80000000ULL, 0, 0, MUL_UNDEF },
    { "imul r64 imm32", imul_r64_i32, 0, 0, 0, 0, MUL_UNDEF },
    { "imul r16 imm8", imul_r16_i8, 0, 0x5555, 0, 0, MUL_UNDEF },
    { "bsf dword", bsf32, 0, 0x1234, 0, 0, FL_ARITH & ~FL_ZF },
    { "bsr qword", bsr64, 0, 0x1234, 0, 0, FL_ARITH & ~FL_ZF },
    { "bsr word", bsr16, 0, 0x1234, 0, 0, FL_ARITH & ~FL_ZF },
    { "f3 bsf (tzcnt)", tzcnt32, 0, 0x1234, 0, 0, FL_ARITH & ~(FL_ZF | FL_CF) },
    { "f3 bsr (lzcnt)", lzcnt64, 0, 0x1234, 0, 0, FL_ARITH & ~(FL_ZF | FL_CF) },
    { "cmpxchg8b differ", cmpxchg8b_ne, 1, 2, 3, 4, 0 },
    { "cmpxchg8b equal", cmpxchg8b_ne, ONES, 2, 3, 0xffffffffULL, 0 },
    { "cmpxchg16b equal", lock_cmpxchg16b, ONES, 2, 3, ONES, 0 },
    { "cmpxchg16b differ", lock_cmpxchg16b, ONES, 2, 3, 1, 0 },
    { "push m", push_m, 0, 0, 0, 0, 0 },
    { "push m16", push_m16, 0, 0x1111222233334444ULL, 0, 0, 0 },
    { "pop m", pop_m, 0, 0x1234, 0, 0, 0 },
    { "popcnt qword", popcnt64, 0, 0, 0, 0, 0, NEED_POPCNT },
    { "popcnt word", popcnt16, 0, 0x1111222233334444ULL, 0, 0, 0, NEED_POPCNT },
    { "movbe load dword", movbe_ld32, 0, 0x1111222233334444ULL, 0, 0, 0, NEED_MOVBE },
    { "movbe load word", movbe_ld16, 0, 0x1111222233334444ULL, 0, 0, 0, NEED_MOVBE },
    { "movbe store", movbe_st64, 0, 0x1122334455667788ULL, 0, 0, 0, NEED_MOVBE },
    { "crc32 byte", crc32b, 0, 0x1111222233334444ULL, 0, 0, 0, NEED_SSE42 },
    { "crc32 byte into r64", crc32b64, 0, 0x1111222233334444ULL, 0, 0, 0, NEED_SSE42 },
    { "crc32 word", crc32w, 0, 0xffffffffULL, 0, 0, 0, NEED_SSE42 },
    { "crc32 dword", crc32l, 0, 0x12345678ULL, 0, 0, 0, NEED_SSE42 },
    { "crc32 qword", crc32q, 0, 0xffffffff00000001ULL, 0, 0, 0, NEED_SSE42 },
};

/* All-ones RAM: where the CPU runs each case for the reference. */
static uint64_t ram_ones[8] __attribute__((aligned(64)));

static bool have(unsigned int need)
{
    uint32_t c = cpuid_count(1, 0).c;

    if ( need == NEED_POPCNT )
        return c & (1u << 23);
    if ( need == NEED_MOVBE )
        return c & (1u << 22);
    if ( need == NEED_SSE42 )
        return c & (1u << 20);
    return true;
}

static void run_case(const struct op_case *c, uint64_t h, uint64_t fl)
{
    struct io ram = { c->a, c->b, c->c, c->d, fl }, hole = ram;
    uint64_t mask = FL_ARITH & ~c->undef;

    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn((uint64_t)(uintptr_t)&ram_ones[2], &ram);
    check_sentinel(c->fn(h, &hole), c->name);
    if ( ram.a != hole.a || ram.b != hole.b || ram.c != hole.c || ram.d != hole.d ||
         ((ram.fl ^ hole.fl) & mask) )
        xtf_failure("%s at %#lx (flags in %#lx): rax %#lx rbx %#lx rcx %#lx rdx %#lx flags %#lx; "
                    "the CPU on RAM: %#lx %#lx %#lx %#lx flags %#lx",
                    c->name, (unsigned long)h, (unsigned long)fl, (unsigned long)hole.a,
                    (unsigned long)hole.b, (unsigned long)hole.c, (unsigned long)hole.d,
                    (unsigned long)(hole.fl & mask), (unsigned long)ram.a, (unsigned long)ram.b,
                    (unsigned long)ram.c, (unsigned long)ram.d, (unsigned long)(ram.fl & mask));
    if ( load64(h) != ONES || load64(h + 8) != ONES )
        xtf_failure("%s at %#lx: the hole no longer reads all-ones", c->name, (unsigned long)h);
}

static void test_cases(uint64_t h)
{
    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
    {
        if ( !have(cases[i].need) )
            continue;
        run_case(&cases[i], h, 0x2);
        run_case(&cases[i], h, 0x2 | FL_ARITH);
    }
}

/* divb of 0xffff by the hole's 0xff: quotient 0x101 does not fit. */
static void test_divide_error(uint64_t h)
{
    uint64_t ex = 0, ax = 0xffff;

    __asm__ volatile("1: divb (%[m]); 2:" _ASM_EXTABLE(1b, 2b) : "+a"(ex) : [m] "r"(h) : "memory");
    if ( ex != 0 )
        xtf_failure("divb of 0 by the hole at %#lx: rax/exinfo %#lx, expected 0", (unsigned long)h,
                    (unsigned long)ex);
    ex = ax;
    __asm__ volatile("1: divb (%[m]); 2:" _ASM_EXTABLE(1b, 2b) : "+a"(ex) : [m] "r"(h) : "memory");
    if ( ex != EXINFO(X86_EXC_DE, 0) )
        xtf_failure("divb of 0xffff by the hole at %#lx: exinfo %#lx, expected #DE",
                    (unsigned long)h, (unsigned long)ex);
}

/* CMPXCHG16B needs a 16-byte aligned operand: #GP(0) otherwise. */
static void test_cmpxchg16b_align(uint64_t h)
{
    uint64_t ex = 0;

    __asm__ volatile("1: cmpxchg16b 8(%[m]); 2:" _ASM_EXTABLE(1b, 2b)
                     : "+a"(ex)
                     : [m] "r"(h)
                     : "rbx", "rcx", "rdx", "memory", "cc");
    if ( ex != EXINFO(X86_EXC_GP, 0) )
        xtf_failure("cmpxchg16b at %#lx + 8: exinfo %#lx, expected #GP(0)", (unsigned long)h,
                    (unsigned long)ex);
}

/*
 * PUSH and POP with rSP itself in the hole: a pushed value is dropped,
 * a popped one is all-ones, rSP moves by the operand size.
 */
static void test_hole_stack(uint64_t h)
{
    uint64_t sp = h + 64, a = 0x1234, b = 0, c = 0, d = 0, end;
    uint32_t s;

    __asm__ volatile("xchg %[sp], %%rsp; push %%rax; pushq $-2; push $0x11; pushw $7; "
                     "popw %%bx; pop %%rcx; pop %%rdx; popq %%r8; mov %%rsp, %[end]; "
                     "xchg %[sp], %%rsp; mov $0x5a5a5a5a, %[s]"
                     : [sp] "+r"(sp), "+a"(a), "+b"(b), "+c"(c),
                       "+d"(d), [end] "=&r"(end), [s] "=r"(s)
                     :
                     : "r8", "memory");
    check_sentinel(s, "push/pop on a hole stack");
    if ( end != h + 64 || b != 0xffff || c != ONES || d != ONES )
        xtf_failure("push/pop on a hole stack at %#lx: rsp %#lx bx %#lx rcx %#lx rdx %#lx",
                    (unsigned long)h, (unsigned long)end, (unsigned long)b, (unsigned long)c,
                    (unsigned long)d);
}

void test_main(void)
{
    uint64_t holes[3];

    ram_end = xtf_ram_end();
    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    if ( !have(NEED_POPCNT) )
        printf("POPCNT not offered: its cases are not run\n");
    if ( !have(NEED_MOVBE) )
        printf("MOVBE not offered: its cases are not run\n");
    if ( !have(NEED_SSE42) )
        printf("SSE4.2 not offered: the CRC32 cases are not run\n");
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
    {
        test_cases(holes[i]);
        test_divide_error(holes[i]);
        test_cmpxchg16b_align(holes[i]);
        test_hole_stack(holes[i]);
    }
    xtf_success(NULL);
}
