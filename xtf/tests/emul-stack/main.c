/*
 * emul-stack - the stack instructions and indirect near branches aimed
 * at guest-physical holes behave as on Xen with no device model: the
 * hole reads all-ones, what is pushed there is dropped, rSP moves as on
 * the CPU and the instruction completes, never a domain crash.
 *
 *  - PUSHF (64 and 16 bit) onto a hole stack; POPF (64 and 16 bit) off
 *    one: the flags loaded are compared with the CPU's own POPF of
 *    all-ones RAM (TF comes on: the #DB after the next instruction is
 *    taken and its frame compared);
 *  - CALL rel32 and CALL *%reg onto a hole stack, RET imm16 off one
 *    (the all-ones return address is fetched: #PF at ~0, compared with
 *    the CPU's RET from all-ones RAM);
 *  - CALL and JMP through a pointer in a hole: the same #PF at ~0 as the
 *    CPU's on all-ones RAM, the return address pushed on RAM;
 *  - ENTER (levels 0 and 2) and LEAVE with rSP and rBP in a hole.
 *
 * It touches nothing outside its own stack, its test buffers and the
 * hole addresses it probes.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>
#include <xtf/traps.h>
#include <xtf/runtime.h>

const char test_title[] = "emulation: PUSHF/POPF/CALL/RET/ENTER/LEAVE on a hole stack";

#define ONES 0xffffffffffffffffULL

/* All-ones RAM: the CPU's reference for each hole case. */
static uint64_t ram_ones[16] __attribute__((aligned(64)));

static void fill_ones(void)
{
    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
}

/* What the test's #DB and #PF handlers saw; where they resume. */
struct trap
{
    unsigned int count;
    uint64_t rip, rflags, rsp, cr2, error, top;
};
static volatile struct trap seen;
static volatile uint64_t resume_rip, resume_rsp;
static volatile bool read_top;

static void record(struct cpu_regs *regs)
{
    uint64_t cr2;

    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    seen.count++;
    seen.rip = regs->rip;
    seen.rflags = regs->rflags;
    seen.rsp = regs->rsp;
    seen.cr2 = cr2;
    seen.error = regs->error_code;
}

/* After POPF of all-ones: note the frame, go on with sane flags. */
static void db_handler(struct cpu_regs *regs)
{
    record(regs);
    regs->rflags = 0x2;
}

/* A branch to ~0: note the fault and the top of the stack, resume. */
static void pf_handler(struct cpu_regs *regs)
{
    record(regs);
    seen.top = read_top ? *(uint64_t *)regs->rsp : 0;
    regs->rip = resume_rip;
    regs->rsp = resume_rsp;
    regs->rflags = 0x2;
}

static void check(bool ok, const char *what, uint64_t h, uint64_t got, uint64_t want)
{
    if ( !ok )
        xtf_failure("%s at %#lx: %#lx, the CPU: %#lx", what, (unsigned long)h, (unsigned long)got,
                    (unsigned long)want);
}

/* ---- PUSHF / POPF ---------------------------------------------------- */

static void test_pushf(uint64_t h)
{
    uint64_t sp = h + 64, q = 0, w = 0, end;
    uint32_t s;

    __asm__ volatile("xchg %[sp], %%rsp; pushfq; popq %[q]; pushfw; popw %w[w]; "
                     "mov %%rsp, %[end]; xchg %[sp], %%rsp; mov $0x5a5a5a5a, %[s]"
                     : [sp] "+r"(sp), [q] "+r"(q), [w] "+r"(w), [end] "=&r"(end), [s] "=r"(s)
                     :
                     : "memory");
    if ( s != SENTINEL || end != h + 64 || q != ONES || w != 0xffff )
        xtf_failure("pushf onto a hole stack at %#lx: rsp %#lx popped %#lx, %#lx", (unsigned long)h,
                    (unsigned long)end, (unsigned long)q, (unsigned long)w);
}

/* POPF from the stack at sp; the #DB its TF raises fills seen. */
static void __attribute__((noinline)) popf_at(uint64_t sp, bool word)
{
    seen.count = 0;
    if ( word )
        __asm__ volatile("xchg %[sp], %%rsp; popfw; xchg %[sp], %%rsp; nop"
                         : [sp] "+r"(sp)
                         :
                         : "memory", "cc");
    else
        __asm__ volatile("xchg %[sp], %%rsp; popfq; xchg %[sp], %%rsp; nop"
                         : [sp] "+r"(sp)
                         :
                         : "memory", "cc");
}

static void test_popf(uint64_t h)
{
    for ( unsigned int word = 0; word < 2; word++ )
    {
        struct trap ram, hole;
        uint64_t ram_sp = (uint64_t)(uintptr_t)&ram_ones[4];

        fill_ones();
        popf_at(ram_sp, word);
        ram = seen;
        popf_at(h + 32, word);
        hole = seen;
        check(hole.count == ram.count, word ? "popfw: #DB count" : "popfq: #DB count", h,
              hole.count, ram.count);
        check(hole.rip == ram.rip, word ? "popfw: #DB rip" : "popfq: #DB rip", h, hole.rip,
              ram.rip);
        check(hole.rflags == ram.rflags, word ? "popfw: rflags" : "popfq: rflags", h, hole.rflags,
              ram.rflags);
    }
}

/* ---- CALL / RET ------------------------------------------------------- */

static void test_call_hole_stack(uint64_t h)
{
    uint64_t sp = h + 64, a = 0, b = 0, end;
    uint32_t s;

    __asm__ volatile("xchg %[sp], %%rsp; call 1f; 1: popq %[a]; lea 2f(%%rip), %[b]; "
                     "call *%[b]; 2: popq %[b]; mov %%rsp, %[end]; xchg %[sp], %%rsp; "
                     "mov $0x5a5a5a5a, %[s]"
                     : [sp] "+r"(sp), [a] "+r"(a), [b] "+r"(b), [end] "=&r"(end), [s] "=r"(s)
                     :
                     : "memory");
    if ( s != SENTINEL || end != h + 64 || a != ONES || b != ONES )
        xtf_failure("call onto a hole stack at %#lx: rsp %#lx, popped %#lx %#lx", (unsigned long)h,
                    (unsigned long)end, (unsigned long)a, (unsigned long)b);
}

/* RET $0x100 from the stack at sp: the fault at the all-ones return
 * address fills seen. */
static void __attribute__((noinline)) ret_at(uint64_t sp)
{
    uint64_t save;

    seen.count = 0;
    __asm__ volatile("lea 1f(%%rip), %[s]; mov %[s], resume_rip(%%rip); "
                     "mov %%rsp, resume_rsp(%%rip); mov %[sp], %%rsp; ret $0x100; 1:"
                     : [s] "=&r"(save)
                     : [sp] "r"(sp)
                     : "memory", "cc");
    resume_rsp = 0;
}

static void compare_fault(const char *what, uint64_t h, const struct trap *ram,
                          const struct trap *hole, uint64_t ram_base, uint64_t hole_base)
{
    char buf[64];

    snprintf(buf, sizeof(buf), "%s: faults", what);
    check(hole->count == 1 && ram->count == 1, buf, h, hole->count, ram->count);
    snprintf(buf, sizeof(buf), "%s: fault rip", what);
    check(hole->rip == ram->rip, buf, h, hole->rip, ram->rip);
    snprintf(buf, sizeof(buf), "%s: cr2", what);
    check(hole->cr2 == ram->cr2, buf, h, hole->cr2, ram->cr2);
    snprintf(buf, sizeof(buf), "%s: error code", what);
    check(hole->error == ram->error, buf, h, hole->error, ram->error);
    snprintf(buf, sizeof(buf), "%s: rsp moved", what);
    check(hole->rsp - hole_base == ram->rsp - ram_base, buf, h, hole->rsp - hole_base,
          ram->rsp - ram_base);
}

/*
 * The fault after RET pushes its frame below the new rSP, which must be
 * RAM: VA 0xa1000 is pointed at a RAM page, so 0xa0ff8 (the VGA hole)
 * holds the return address and the frame lands at 0xa1100 - 40. A plain
 * RET (C3) off a hole is not run: its frame would land in the hole.
 */
static uint64_t ret_page[512] __attribute__((aligned(4096)));
static uint64_t ref_stack[512] __attribute__((aligned(4096)));

static void test_ret(void)
{
    struct trap ram, hole;
    uint64_t ref_sp = (uint64_t)(uintptr_t)&ref_stack[8], pte = xtf_pt_low[0xa1];

    ref_stack[8] = ONES;
    ret_at(ref_sp);
    ram = seen;
    xtf_pt_low[0xa1] = (uint64_t)(uintptr_t)ret_page | 3;
    invlpg((const void *)0xa1000);
    ret_at(0xa0ff8);
    hole = seen;
    xtf_pt_low[0xa1] = pte;
    invlpg((const void *)0xa1000);
    compare_fault("ret imm16", 0xa0ff8, &ram, &hole, ref_sp, 0xa0ff8);
}

/* CALL or JMP through the pointer at m, on this (RAM) stack. */
static void __attribute__((noinline)) branch_via(uint64_t m, bool call)
{
    uint64_t save;

    seen.count = 0;
    seen.top = 0;
    read_top = call;
    if ( call )
        __asm__ volatile("lea 1f(%%rip), %[s]; mov %[s], resume_rip(%%rip); "
                         "mov %%rsp, resume_rsp(%%rip); call *(%[m]); 1:"
                         : [s] "=&r"(save)
                         : [m] "r"(m)
                         : "memory", "cc");
    else
        __asm__ volatile("lea 1f(%%rip), %[s]; mov %[s], resume_rip(%%rip); "
                         "mov %%rsp, resume_rsp(%%rip); jmp *(%[m]); 1:"
                         : [s] "=&r"(save)
                         : [m] "r"(m)
                         : "memory", "cc");
    seen.rsp -= resume_rsp;
    seen.top = seen.top == resume_rip;
    resume_rsp = 0;
    read_top = false;
}

static void test_branch_via_hole(uint64_t h)
{
    for ( unsigned int call = 0; call < 2; call++ )
    {
        struct trap ram, hole;
        const char *what = call ? "call *(hole)" : "jmp *(hole)";

        fill_ones();
        branch_via((uint64_t)(uintptr_t)&ram_ones[2], call);
        ram = seen;
        branch_via(h, call);
        hole = seen;
        compare_fault(what, h, &ram, &hole, 0, 0);
        check(hole.top == ram.top, call ? "call *(hole): return address pushed" : "jmp: stack", h,
              hole.top, ram.top);
    }
}

/* ---- ENTER / LEAVE ---------------------------------------------------- */

static void test_enter_leave(uint64_t h)
{
    uint64_t sp = h + 64, bp_in = h + 128, bp0 = 0, sp0 = 0, bp2 = 0, sp2 = 0, bp_out = 0, end;
    uint32_t s;

    __asm__ volatile(
        "push %%rbp; mov %[bp], %%rbp; xchg %[sp], %%rsp; "
        "enter $0x20, $0; mov %%rbp, %[bp0]; mov %%rsp, %[sp0]; leave; "
        "mov %%rbp, %[bp]; mov %[sp0], %%rbp; add $0x20, %%rbp; "
        "enter $0x10, $2; mov %%rbp, %[bp2]; mov %%rsp, %[sp2]; leave; "
        "mov %%rbp, %[bpo]; mov %%rsp, %[end]; xchg %[sp], %%rsp; pop %%rbp; "
        "mov $0x5a5a5a5a, %[s]"
        : [sp] "+r"(sp), [bp] "+r"(bp_in), [bp0] "+r"(bp0), [sp0] "+r"(sp0), [bp2] "+r"(bp2),
          [sp2] "+r"(sp2), [bpo] "+r"(bp_out), [end] "=&r"(end), [s] "=r"(s)
        :
        : "memory");
    /* ENTER $0x20,$0: frame = h+56, rsp = frame-0x20; LEAVE pops ~0.
     * ENTER $0x10,$2 with rbp = h+56 and rsp = h+64: push rbp (h+56),
     * copy one ~0 from [h+48], push the frame: rsp = h+40 - 0x10. */
    if ( s != SENTINEL || bp0 != h + 56 || sp0 != h + 24 || bp_in != ONES || bp2 != h + 56 ||
         sp2 != h + 24 || bp_out != ONES || end != h + 64 )
        xtf_failure("enter/leave on a hole stack at %#lx: enter 0: rbp %#lx rsp %#lx, leave: rbp "
                    "%#lx; enter 2: rbp %#lx rsp %#lx, leave: rbp %#lx rsp %#lx",
                    (unsigned long)h, (unsigned long)bp0, (unsigned long)sp0, (unsigned long)bp_in,
                    (unsigned long)bp2, (unsigned long)sp2, (unsigned long)bp_out,
                    (unsigned long)end);
}

void test_main(void)
{
    uint64_t holes[3], ram_end = xtf_ram_end();

    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    xtf_set_vector_handler(X86_EXC_DB, db_handler);
    xtf_set_vector_handler(X86_EXC_PF, pf_handler);
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
    {
        test_pushf(holes[i]);
        test_popf(holes[i]);
        test_call_hole_stack(holes[i]);
        test_branch_via_hole(holes[i]);
        test_enter_leave(holes[i]);
    }
    test_ret();
    xtf_success(NULL);
}
