/*
 * emul-seg-32 - in 32-bit protected mode (paging off), the forms only
 * 32-bit code has, with a memory operand in a hole, behave as the CPU
 * does on all-ones RAM: LDS/LES/LSS/LFS/LGS m16:32 and m16:16, MOV
 * DS/SS, m16, far JMP/CALL m16:32, LLDT/LTR raise #GP(0xFFFC) with
 * nothing loaded; POP DS/ES/SS/FS/GS whose stack word straddles the last RAM
 * page (the selector 0xFFFF in RAM, the rest in the hole) likewise, ESP
 * unchanged; ARPL of an all-ones selector clears ZF and writes nothing;
 * BOUND of an all-ones pair is #BR for any index but -1; FXSAVE (32-bit
 * layout) completes and FXRSTOR of the all-ones image does what the CPU
 * does; SGDT and XLAT complete.
 *
 * The runtime has no IDT, so the test loads its own flat GDT and an IDT
 * whose #BR/#UD/#GP/#SS/#NP/#TS/#PF handlers record the exception and
 * resume after the instruction. It touches nothing but its own GDT,
 * IDT, segment registers, buffers, 32 bytes at the top of RAM (put back)
 * and the holes.
 */
#include "xtf32.h"

const char *test_title = "emulation: 32-bit segment loads, ARPL, BOUND, FXSAVE on holes";

#define HOLE     0xfed00100u
#define SENTINEL 0x5a5a5a5au
#define NO_EXC   0xffffffffu

static uint64_t gdt[3] __attribute__((aligned(8))) = {
    0, 0x00cf9a000000ffffULL, /* 0x08: flat 32-bit code */
    0x00cf92000000ffffULL,    /* 0x10: flat data */
};
static uint64_t idt[32] __attribute__((aligned(8)));

/* Set by the handlers; fixup_eip is where they resume. */
uint32_t exc_vec, exc_code, fixup_eip;

/* Handlers: error code (if any) and vector recorded, EIP := fixup_eip. */
#define HANDLER(n, code)                      \
    extern char handler_##n[];                \
    __asm__(".text\n"                         \
            "handler_" #n ":\n\t" code "\n\t" \
            "movl $" #n ", exc_vec\n\t"       \
            "pushl %eax\n\t"                  \
            "movl fixup_eip, %eax\n\t"        \
            "movl %eax, 4(%esp)\n\t"          \
            "popl %eax\n\t"                   \
            "iret\n");
#define NOERR "movl $0, exc_code"
#define ERR   "popl exc_code"

HANDLER(5, NOERR)
HANDLER(6, NOERR)
HANDLER(10, ERR)
HANDLER(11, ERR)
HANDLER(12, ERR)
HANDLER(13, ERR)
HANDLER(14, ERR)

static void set_gate(unsigned int v, char *h)
{
    uint32_t a = (uint32_t)(uintptr_t)h;

    idt[v] = (a & 0xffff) | (0x08ULL << 16) | (0x8e00ULL << 32) | ((uint64_t)(a >> 16) << 48);
}

static void setup(void)
{
    struct __attribute__((packed))
    {
        uint16_t limit;
        uint32_t base;
    } g = { sizeof(gdt) - 1, PTR(gdt) }, i = { sizeof(idt) - 1, PTR(idt) };

    set_gate(5, handler_5);
    set_gate(6, handler_6);
    set_gate(10, handler_10);
    set_gate(11, handler_11);
    set_gate(12, handler_12);
    set_gate(13, handler_13);
    set_gate(14, handler_14);
    __asm__ volatile("lgdt %0; lidt %1; ljmp $0x08, $1f; 1: mov $0x10, %%eax; mov %%eax, %%ds; "
                     "mov %%eax, %%es; mov %%eax, %%ss; mov %%eax, %%fs; mov %%eax, %%gs"
                     :
                     : "m"(g), "m"(i)
                     : "eax", "memory");
}

struct out32
{
    uint32_t vec, code, ecx, flags, esp, s;
};

/* text on (%edx), ECX 0x1234 (pre may change it); then the outcome. */
#define OP32(name, pre, text)                                                            \
    static void name(uint32_t m, struct out32 *o)                                        \
    {                                                                                    \
        uint32_t c = 0x1234, s = 0, fl, sp;                                              \
                                                                                         \
        exc_vec = NO_EXC;                                                                \
        __asm__ volatile("movl $2f, fixup_eip; " pre "; cmp %%ecx, %%ecx; 1: " text "; " \
                         "mov $0x5a5a5a5a, %[s]; 2: pushf; pop %[fl]; mov %%esp, %[sp]"  \
                         : "+c"(c), [s] "+r"(s), [fl] "=r"(fl), [sp] "=m"(sp)            \
                         : "d"(m)                                                        \
                         : "eax", "memory");                                             \
        *o = (struct out32){ exc_vec, exc_code, c, fl & 0x8d5, sp, s };                  \
    }

OP32(lds, "", "lds (%%edx), %%ecx")
OP32(les, "", "les (%%edx), %%ecx")
OP32(lss, "", "lss (%%edx), %%ecx")
OP32(lfs, "", "lfs (%%edx), %%ecx")
OP32(lgs, "", "lgs (%%edx), %%ecx")
OP32(lds16, "", "lds (%%edx), %%cx")
OP32(mov_ds, "", "movw (%%edx), %%ds")
OP32(mov_ss, "", "movw (%%edx), %%ss")
OP32(ljmp, "", "ljmp *(%%edx)")
OP32(lcall, "", "lcall *(%%edx)")
OP32(lldt, "", "lldt (%%edx)")
OP32(ltr, "", "ltr (%%edx)")
OP32(arpl, "mov $1, %%ecx", "arpl %%cx, (%%edx)")
OP32(bound5, "mov $5, %%ecx", "bound %%ecx, (%%edx)")
OP32(bound_m1, "mov $-1, %%ecx", "bound %%ecx, (%%edx)")
OP32(fxsave, "", "fxsave (%%edx)")
OP32(fxrstor, "", "fxrstor (%%edx)")
OP32(sgdt, "", "sgdt (%%edx)")
OP32(xlat, "push %%ebx; mov %%edx, %%ebx; mov $3, %%al", "xlatb; movzbl %%al, %%ecx; pop %%ebx")

/* POP Sreg with ESP = m (ESP put back after). */
#define POP32(name, sreg)                                                                   \
    static void name(uint32_t m, struct out32 *o)                                           \
    {                                                                                       \
        static uint32_t saved_esp, sp; /* absolute: ESP moves under them */                 \
        uint32_t s = 0;                                                                     \
                                                                                            \
        exc_vec = NO_EXC;                                                                   \
        __asm__ volatile("movl $2f, fixup_eip; mov %%esp, %[sv]; mov %%edx, %%esp; 1: pop " \
                         "%%" #sreg "; mov $0x5a5a5a5a, %[s]; 2: mov %%esp, %[sp]; "        \
                         "mov %[sv], %%esp"                                                 \
                         : [s] "+r"(s), [sp] "=m"(sp), [sv] "=m"(saved_esp)                 \
                         : "d"(m)                                                           \
                         : "memory");                                                       \
        *o = (struct out32){ exc_vec, exc_code, 0, 0, sp - m, s };                          \
    }

POP32(pop_ds, ds)
POP32(pop_es, es)
POP32(pop_ss, ss)
POP32(pop_fs, fs)
POP32(pop_gs, gs)

struct case32
{
    const char *name;
    void (*fn)(uint32_t m, struct out32 *o);
    bool esp_matters;
};

#define C(n)         \
    {                \
#n, n, false \
    }
#define CP(n)       \
    {               \
#n, n, true \
    }
static const struct case32 cases[] = {
    C(lds),      C(les),    C(lss),     C(lfs),  C(lgs),  C(lds16), C(mov_ds),
    C(mov_ss),   C(ljmp),   C(lcall),   C(lldt), C(ltr),  C(arpl),  C(bound5),
    C(bound_m1), C(fxsave), C(fxrstor), C(sgdt), C(xlat),
};
static const struct case32 pops[] = { CP(pop_ds), CP(pop_es), CP(pop_ss), CP(pop_fs), CP(pop_gs) };

static uint8_t ram_ones[1024] __attribute__((aligned(16)));

static void compare(const struct case32 *c, uint32_t ram, uint32_t hole)
{
    struct out32 r, h;

    memset(ram_ones, 0xff, sizeof(ram_ones)); /* FXSAVE wrote to it */
    c->fn(ram, &r);
    c->fn(hole, &h);
    if ( r.vec != h.vec || (r.vec != NO_EXC && r.code != h.code) )
        return xtf_failure("%s: exception %d (%#x), the CPU on RAM %d (%#x)", c->name, (int)h.vec,
                           h.code, (int)r.vec, r.code);
    if ( r.vec == NO_EXC && h.s != SENTINEL )
        xtf_failure("%s: EIP did not land on the next instruction", c->name);
    if ( !c->esp_matters && (r.ecx != h.ecx || r.flags != h.flags) )
        xtf_failure("%s: ecx %#x flags %#x, the CPU on RAM ecx %#x flags %#x", c->name, h.ecx,
                    h.flags, r.ecx, r.flags);
    if ( c->esp_matters && r.esp != h.esp )
        xtf_failure("%s: ESP moved by %d, the CPU's by %d", c->name, (int)h.esp, (int)r.esp);
}

static uint32_t ram_end(void)
{
    const struct hvm_memmap_table_entry *e =
        (const void *)(uintptr_t)xtf32_start_info->memmap_paddr;

    for ( uint32_t i = 0; i < xtf32_start_info->memmap_entries; i++ )
        if ( e[i].type == 1 && e[i].addr <= 0x100000 && e[i].addr + e[i].size > 0x100000 )
            return (uint32_t)(e[i].addr + e[i].size);
    return 0;
}

/* The stack word straddles: its low half (0xFFFF) in RAM, the rest hole. */
static void pop_straddle(void)
{
    uint32_t top = ram_end(), a = top - 2, saved[8];
    volatile uint32_t *last = (volatile uint32_t *)(uintptr_t)(top - 32);

    if ( !top || top >= 0xf0000000u || (top & 0xfff) )
        return xtf_error("no RAM entry holds 1 MiB, or it ends at %#x", top);
    for ( unsigned int i = 0; i < 8; i++ )
        saved[i] = last[i];
    *(volatile uint16_t *)(uintptr_t)a = 0xffff;
    for ( unsigned int i = 0; i < ARRAY_SIZE(pops); i++ )
        compare(&pops[i], PTR(ram_ones + 512), a);
    for ( unsigned int i = 0; i < 8; i++ )
        last[i] = saved[i];
}

void test_main(void)
{
    uint32_t cr0, cr4;

    setup();
    __asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
    __asm__ volatile("mov %0, %%cr0; mov %1, %%cr4" ::"r"((cr0 | 2) & ~4u), "r"(cr4 | 0x600));
    memset(ram_ones, 0xff, sizeof(ram_ones));
    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
        compare(&cases[i], PTR(ram_ones), HOLE);
    pop_straddle();
    if ( *(volatile uint32_t *)HOLE != 0xffffffffu )
        xtf_failure("the hole no longer reads all-ones");
    xtf_success(NULL);
}
