/*
 * emul-holes - guest accesses to guest-physical addresses with no RAM
 * behind them, by every non-string instruction form the emulator knows,
 * behave as on Xen with no device model: reads give all-ones, writes are
 * dropped, the instruction completes and RIP moves past it exactly.
 *
 * Holes tried: below 1 MiB (0xA0000 VGA, 0xC0000), the IO-APIC
 * (0xFEC00000), the HPET (0xFED00000) and past the end of RAM.
 *  - MOV loads of 1/2/4/8 bytes (upper bits kept or cleared as the CPU
 *    does, AH included), MOVZX, MOVSX, MOVSXD, moffs, RIP-relative and
 *    SIB-only addressing, immediate and register stores, each store read
 *    back as all-ones;
 *  - an 8-byte load and store straddling the last RAM page and the hole:
 *    the RAM half is read and written, the hole half is all-ones/dropped;
 *  - the ALU block and group 1 (ADD OR ADC SBB AND SUB XOR CMP, both
 *    directions, register and immediate), TEST, NOT, NEG, INC, DEC, XCHG,
 *    XADD, CMPXCHG, the shifts and rotates (by 1, imm8 and CL, CL 0
 *    too), BT/BTS/BTR/BTC (immediate offsets, register offsets
 *    beyond the operand in both directions, and one reaching from the
 *    last RAM qword into the hole): each runs once on RAM holding
 *    all-ones and once on the hole, from two starting flag sets, and the
 *    registers and arithmetic flags must agree (the CPU's own result is
 *    the reference); the hole still reads all-ones after.
 *  - CLFLUSH, CLFLUSHOPT (if offered), PREFETCHT0/NTA on a hole complete;
 *  - FS and GS overrides: the segment base is part of the address (a
 *    load through FS at the HPET, a load through GS straddling the last
 *    RAM bytes and the hole, a FS-sourced REP MOVSB).
 * Every instruction is followed by a sentinel MOV that must run whole:
 * a RIP left short or moved too far breaks it (or faults).
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: MOV/ALU/BT on holes";

#define ONES     0xffffffffffffffffULL
#define FL_ARITH 0x8d5ULL
#define FL_AF    0x10ULL

/* The absolute holes the assembler can name. */
__asm__(".set hole_vga, 0xa0000\n\t.set hole_hpet, 0xfed00000\n\t");

static uint64_t holes[5];
static uint64_t ram_end;

static void expect(uint64_t got, uint64_t want, const char *what, uint64_t where)
{
    if ( got != want )
        xtf_failure("%s at %#lx: got %#lx, expected %#lx", what, (unsigned long)where,
                    (unsigned long)got, (unsigned long)want);
}

/* ---- loads -------------------------------------------------------------- */

#define LOAD(text, init)                                \
    ({                                                  \
        uint64_t v_ = (init);                           \
        uint32_t s_;                                    \
        __asm__ volatile(text "; mov $0x5a5a5a5a, %[s]" \
                         : [v] "+a"(v_), [s] "=r"(s_)   \
                         : [m] "r"(h)                   \
                         : "memory");                   \
        check_sentinel(s_, text);                       \
        v_;                                             \
    })

static void test_loads(uint64_t h)
{
    const uint64_t init = 0x1122334455667788ULL;

    expect(LOAD("movb (%[m]), %b[v]", init), 0x11223344556677ffULL, "movb", h);
    expect(LOAD("movb (%[m]), %%ah", init), 0x112233445566ff88ULL, "movb to ah", h);
    expect(LOAD("movw (%[m]), %w[v]", init), 0x112233445566ffffULL, "movw", h);
    expect(LOAD("movl (%[m]), %k[v]", init), 0xffffffffULL, "movl", h);
    expect(LOAD("movq (%[m]), %q[v]", init), ONES, "movq", h);
    expect(LOAD("movzbl 3(%[m]), %k[v]", init), 0xff, "movzbl", h);
    expect(LOAD("movzwq 6(%[m]), %q[v]", init), 0xffff, "movzwq", h);
    expect(LOAD("movsbw (%[m]), %w[v]", init), 0x112233445566ffffULL, "movsbw", h);
    expect(LOAD("movswl (%[m]), %k[v]", init), 0xffffffffULL, "movswl", h);
    expect(LOAD("movslq (%[m]), %q[v]", init), ONES, "movslq", h);
    expect(LOAD("movsbq (%[m],%q[v],1), %q[v]", 0), ONES, "movsbq with index", h);
}

/* Forms that take no base register. */
static void test_absolute_loads(void)
{
    uint64_t h = 0;

    expect(LOAD("movabs hole_hpet, %%eax", 0x77), 0xffffffffULL, "moffs32 load", 0xfed00000);
    expect(LOAD("movabs hole_hpet, %%al", 0x77), 0xff, "moffs8 load", 0xfed00000);
    expect(LOAD("movabs hole_hpet, %%rax", 0x77), ONES, "moffs64 load", 0xfed00000);
    expect(LOAD(".byte 0x8b, 0x05; .long hole_vga - 1f; 1:", 0x77), 0xffffffffULL,
           "rip-relative load", 0xa0000);
    expect(LOAD("movw hole_vga, %%ax", 0x77), 0xffff, "sib-only load", 0xa0000);
    (void)h;
}

/* ---- stores ------------------------------------------------------------- */

#define STORE(text, val)                                    \
    do                                                      \
    {                                                       \
        uint64_t v_ = (val);                                \
        uint32_t s_;                                        \
        __asm__ volatile(text "; mov $0x5a5a5a5a, %[s]"     \
                         : [s] "=r"(s_)                     \
                         : [v] "a"(v_), [m] "r"(h)          \
                         : "memory");                       \
        check_sentinel(s_, text);                           \
        expect(load64(h), ONES, text " then read back", h); \
    } while ( 0 )

static void test_stores(uint64_t h)
{
    STORE("movb %b[v], (%[m])", 0);
    STORE("movb %%ah, (%[m])", 0);
    STORE("movw %w[v], (%[m])", 0);
    STORE("movl %k[v], (%[m])", 0);
    STORE("movq %q[v], (%[m])", 0);
    STORE("movb $0, (%[m])", 0);
    STORE("movw $0x1234, (%[m])", 0);
    STORE("movl $0x12345678, (%[m])", 0);
    STORE("movq $0, (%[m])", 0);
    STORE("movabs %%eax, hole_hpet", 0);
    STORE("movabs %%rax, hole_hpet", 0);
    STORE(".byte 0x89, 0x05; .long hole_vga - 1f; 1:" /* movl %eax, hole(%rip) */, 0);
}

/* The last 4 bytes of RAM and the first 4 of the hole, in one access. */
static void test_straddle(void)
{
    uint64_t a = ram_end - 4, h = a;

    volatile uint32_t *ram = (volatile uint32_t *)(uintptr_t)a;
    uint64_t old = *ram;

    *ram = 0x600dcafe;
    expect(load64(a), 0xffffffff600dcafeULL, "straddling load", a);
    __asm__ volatile("movq %[v], (%[m])" ::[v] "r"(0x1234567812345678ULL), [m] "r"(h) : "memory");
    expect(*ram, 0x12345678, "straddling store, RAM half", a);
    *ram = old;
}

/* ---- ALU, XCHG, BT: the CPU on RAM is the reference --------------------- */

struct alu_io
{
    uint64_t a, b, fl;
};

typedef uint32_t (*alu_fn)(uint64_t m, struct alu_io *io);

#define ALU_FN(name, text)                                                                   \
    static uint32_t name(uint64_t m, struct alu_io *io)                                      \
    {                                                                                        \
        uint32_t s;                                                                          \
        __asm__ volatile("push %[f]; popf; " text "; mov $0x5a5a5a5a, %[s]; pushf; pop %[f]" \
                         : [a] "+a"(io->a), [b] "+b"(io->b), [f] "+r"(io->fl), [s] "=r"(s)   \
                         : [m] "r"(m)                                                        \
                         : "rcx", "memory", "cc");                                           \
        return s;                                                                            \
    }

ALU_FN(add_rm8, "addb %%bl, (%[m])")
ALU_FN(add_mr32, "addl (%[m]), %%ebx")
ALU_FN(add_imm8_64, "addq $0x12, (%[m])")
ALU_FN(or_imm8, "orb $0x40, (%[m])")
ALU_FN(or_mr16, "orw (%[m]), %%bx")
ALU_FN(adc_rm64, "adcq %%rbx, (%[m])")
ALU_FN(adc_mr8, "adcb (%[m]), %%bl")
ALU_FN(sbb_rm16, "sbbw %%bx, (%[m])")
ALU_FN(sbb_imm32, "sbbl $0x12345, (%[m])")
ALU_FN(and_rm32, "andl %%ebx, (%[m])")
ALU_FN(and_mr64, "andq (%[m]), %%rbx")
ALU_FN(sub_imm16, "subw $0x1234, (%[m])")
ALU_FN(sub_mr64, "subq (%[m]), %%rbx")
ALU_FN(xor_rm8, "xorb %%bl, (%[m])")
ALU_FN(xor_imm32_64, "xorq $-2, (%[m])")
ALU_FN(cmp_imm8, "cmpb $0xff, (%[m])")
ALU_FN(cmp_rm64, "cmpq %%rbx, (%[m])")
ALU_FN(cmp_mr32, "cmpl (%[m]), %%ebx")
ALU_FN(test_imm32, "testl $0x80000000, (%[m])")
ALU_FN(test_rm8, "testb %%bl, (%[m])")
ALU_FN(not16, "notw (%[m])")
ALU_FN(neg32, "negl (%[m])")
ALU_FN(neg8, "negb 1(%[m])")
ALU_FN(inc64, "incq (%[m])")
ALU_FN(dec8, "decb (%[m])")
ALU_FN(xchg32, "xchgl %%ebx, (%[m])")
ALU_FN(xchg8h, "xchgb %%bh, (%[m])")
ALU_FN(xadd16, "xaddw %%bx, (%[m])")
ALU_FN(cmpxchg_eq, "cmpxchgq %%rbx, (%[m])")
ALU_FN(cmpxchg_ne, "cmpxchgl %%ebx, (%[m])")
ALU_FN(lock_add, "lock addl %%ebx, (%[m])")
ALU_FN(shl1_8, "shlb $1, (%[m])")
ALU_FN(shl5_32, "shll $5, (%[m])")
ALU_FN(shr_cl_16, "mov %%bl, %%cl; shrw %%cl, (%[m])")
ALU_FN(sar63_64, "sarq $63, (%[m])")
ALU_FN(rol3_16, "rolw $3, (%[m])")
ALU_FN(ror1_64, "rorq $1, (%[m])")
ALU_FN(rcl_cl_8, "mov %%bl, %%cl; rclb %%cl, (%[m])")
ALU_FN(rcr1_32, "rcrl $1, (%[m])")
ALU_FN(bt_imm, "btl $7, (%[m])")
ALU_FN(bts_imm, "btsq $63, (%[m])")
ALU_FN(btr_imm, "btrw $17, (%[m])")
ALU_FN(btc_imm, "btcl $33, (%[m])")
ALU_FN(bt_reg, "btq %%rbx, (%[m])")
ALU_FN(bts_reg, "btsl %%ebx, (%[m])")
ALU_FN(btr_reg, "btrw %%bx, (%[m])")
ALU_FN(btc_reg, "btcq %%rbx, (%[m])")

struct alu_case
{
    const char *name;
    alu_fn fn;
    uint64_t a, b;
    bool logic; /* AF undefined */
    bool shift; /* AF and (count != 1) OF undefined */
};

static const struct alu_case alu_cases[] = {
    { "add r8", add_rm8, 0, 0x81, false },
    { "add to reg32", add_mr32, 0, 0x80000001, false },
    { "add imm8 q", add_imm8_64, 0, 0, false },
    { "or imm8", or_imm8, 0, 0, true },
    { "or to reg16", or_mr16, 0, 0x1234, true },
    { "adc r64", adc_rm64, 0, 1, false },
    { "adc to reg8", adc_mr8, 0, 0x7f, false },
    { "sbb r16", sbb_rm16, 0, 0xffff, false },
    { "sbb imm32", sbb_imm32, 0, 0, false },
    { "and r32", and_rm32, 0, 0x80, true },
    { "and to reg64", and_mr64, 0, 0x8000000000000000ULL, true },
    { "sub imm16", sub_imm16, 0, 0, false },
    { "sub to reg64", sub_mr64, 0, 0x7fffffffffffffffULL, false },
    { "xor r8", xor_rm8, 0, 0x0f, true },
    { "xor imm q", xor_imm32_64, 0, 0, true },
    { "cmp imm8", cmp_imm8, 0, 0, false },
    { "cmp r64", cmp_rm64, 0, 7, false },
    { "cmp reg32", cmp_mr32, 0, 0x7fffffff, false },
    { "test imm32", test_imm32, 0, 0, true },
    { "test r8", test_rm8, 0, 0, true },
    { "not16", not16, 0, 0, false },
    { "neg32", neg32, 0, 0, false },
    { "neg8", neg8, 0, 0, false },
    { "inc64", inc64, 0, 0, false },
    { "dec8", dec8, 0, 0, false },
    { "xchg32", xchg32, 0, 0x1234567890ULL, false },
    { "xchg bh", xchg8h, 0, 0x1234, false },
    { "xadd16", xadd16, 0, 0x8001, false },
    { "cmpxchg equal", cmpxchg_eq, ONES, 3, false },
    { "cmpxchg differ", cmpxchg_ne, 0x55, 3, false },
    { "lock add", lock_add, 0, 2, false },
    { "shl 1 byte", shl1_8, 0, 0, false, true },
    { "shl 5 dword", shl5_32, 0, 0, false, true },
    { "shr cl=3 word", shr_cl_16, 0, 3, false, true },
    { "shr cl=0 word", shr_cl_16, 0, 0, false, true },
    { "sar 63 qword", sar63_64, 0, 0, false, true },
    { "rol 3 word", rol3_16, 0, 0, false, true },
    { "ror 1 qword", ror1_64, 0, 0, false, true },
    { "rcl cl=5 byte", rcl_cl_8, 0, 5, false, true },
    { "rcr 1 dword", rcr1_32, 0, 0, false, true },
    { "bt imm", bt_imm, 0, 0, false },
    { "bts imm", bts_imm, 0, 0, false },
    { "btr imm", btr_imm, 0, 0, false },
    { "btc imm", btc_imm, 0, 0, false },
    { "bt reg +200", bt_reg, 0, 200, false },
    { "bt reg -70", bt_reg, 0, (uint64_t)-70, false },
    { "bts reg +100", bts_reg, 0, 100, false },
    { "bts reg -1", bts_reg, 0, (uint64_t)-1, false },
    { "btr reg -33", btr_reg, 0, (uint64_t)-33, false },
    { "btc reg +999", btc_reg, 0, 999, false },
};

/* All-ones RAM around the reference operand, wide enough for the bit
 * offsets above (+-1000 bits). */
static uint64_t ram_ones[64] __attribute__((aligned(64)));

static void run_case(const struct alu_case *c, uint64_t h, uint64_t fl)
{
    struct alu_io ram = { c->a, c->b, fl }, hole = ram;
    uint64_t mask = c->logic   ? FL_ARITH & ~FL_AF
                    : c->shift ? FL_ARITH & ~(FL_AF | 0x800)
                               : FL_ARITH;
    uint64_t ref = (uint64_t)(uintptr_t)&ram_ones[32];

    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn(ref, &ram);
    check_sentinel(c->fn(h, &hole), c->name);
    if ( ram.a != hole.a || ram.b != hole.b || ((ram.fl ^ hole.fl) & mask) )
        xtf_failure("%s at %#lx (flags in %#lx): rax %#lx rbx %#lx flags %#lx, the CPU on RAM "
                    "gives rax %#lx rbx %#lx flags %#lx",
                    c->name, (unsigned long)h, (unsigned long)fl, (unsigned long)hole.a,
                    (unsigned long)hole.b, (unsigned long)(hole.fl & mask), (unsigned long)ram.a,
                    (unsigned long)ram.b, (unsigned long)(ram.fl & mask));
    expect(load64(h), ONES, c->name, h);
}

static void test_alu(uint64_t h)
{
    for ( unsigned int i = 0; i < ARRAY_SIZE(alu_cases); i++ )
    {
        run_case(&alu_cases[i], h, 0x2);
        run_case(&alu_cases[i], h, 0x2 | FL_ARITH);
    }
}

/* BTS from the last RAM qword, with a register offset that lands in the
 * hole: the CPU faults on the hole, so the emulator must add the offset
 * to find it; the RAM qword must not change. */
static void test_bt_into_hole(void)
{
    struct alu_io io = { 0, 64 * 3 + 5, 0x2 };
    volatile uint64_t *last = (volatile uint64_t *)(uintptr_t)(ram_end - 8);
    uint64_t old = *last;

    *last = 0;
    check_sentinel(bts_reg(ram_end - 8, &io), "bts into the hole");
    if ( !(io.fl & 1) )
        xtf_failure("bts reaching into the hole: CF clear, the hole's bit is 1");
    expect(*last, 0, "bts reaching into the hole: RAM qword", ram_end - 8);
    *last = old;
}

static void test_cache_hints(uint64_t h)
{
    uint64_t v = 0;

    LOAD("clflush (%[m])", 0);
    LOAD("prefetcht0 (%[m])", 0);
    LOAD("prefetchnta 64(%[m])", 0);
    if ( cpuid_count(7, 0).b & (1u << 23) )
        LOAD("clflushopt (%[m])", 0);
    expect(load64(h), ONES, "after the cache hints", h);
    (void)v;
}

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

static void test_segments(void)
{
    uint64_t fs = rdmsr(MSR_FS_BASE), gs = rdmsr(MSR_GS_BASE), v = 0x77, h = 0, c, si, di;
    volatile uint32_t *ram = (volatile uint32_t *)(uintptr_t)(ram_end - 4);
    uint32_t old = *ram;
    static uint8_t dst[8];

    wrmsr(MSR_FS_BASE, 0xfed00000 - 0x40);
    expect(LOAD("movl %%fs:0x40, %k[v]", 0x77), 0xffffffffULL, "fs: load", 0xfed00000);
    *ram = 0x600dcafe;
    wrmsr(MSR_GS_BASE, ram_end - 0x1004);
    expect(LOAD("movq %%gs:0x1000, %q[v]", 0), 0xffffffff600dcafeULL, "gs: straddling load",
           ram_end - 4);
    *ram = old;
    c = 8, si = 0x40, di = (uint64_t)(uintptr_t)dst;
    __asm__ volatile("rep movsb %%fs:(%%rsi), %%es:(%%rdi)"
                     : "+c"(c), "+S"(si), "+D"(di)
                     :
                     : "memory");
    for ( unsigned int i = 0; i < 8; i++ )
        if ( dst[i] != 0xff )
            xtf_failure("fs: rep movsb: byte %u is %#x", i, dst[i]);
    wrmsr(MSR_FS_BASE, fs);
    wrmsr(MSR_GS_BASE, gs);
    (void)v;
    (void)h;
}

void test_main(void)
{
    ram_end = xtf_ram_end();
    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    holes[0] = 0xa0100;
    holes[1] = 0xc0008;
    holes[2] = 0xfec00000;
    holes[3] = 0xfed00100;
    holes[4] = ram_end + 0x10000;
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
    {
        test_loads(holes[i]);
        test_stores(holes[i]);
        test_alu(holes[i]);
        test_cache_hints(holes[i]);
    }
    test_absolute_loads();
    test_straddle();
    test_bt_into_hole();
    test_segments();
    xtf_success(NULL);
}
