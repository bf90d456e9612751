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

/* ---- selectors from RAM: descriptors read and loaded ---------------- */

/* A 64 KiB GDT (and LDT) for the selector at 0x100000, which may be any
 * value; entries 1-2 are the flat code and data above, 3-6 the POP
 * cases' own. */
static uint64_t big_gdt[8192] __attribute__((aligned(8)));
static uint64_t big_ldt[8192] __attribute__((aligned(8)));

#define SEL_FLAT0 0x18 /* data, DPL0, flat */
#define SEL_NP    0x20 /* data, not present */
#define SEL_XO    0x28 /* 32-bit code, execute-only */
#define SEL_RO    0x30 /* data, read-only */
#define SEL_LDT   0x38 /* big_ldt */

static void load_gdtr(const void *base, uint16_t limit)
{
    struct __attribute__((packed))
    {
        uint16_t limit;
        uint32_t base;
    } g = { limit, PTR(base) };

    __asm__ volatile("lgdt %0" ::"m"(g) : "memory");
}

static void reload_segs(void)
{
    __asm__ volatile("mov $0x10, %%eax; mov %%eax, %%ds; mov %%eax, %%es; mov %%eax, %%ss; "
                     "mov %%eax, %%fs; mov %%eax, %%gs"
                     :
                     :
                     : "eax", "memory");
}

/* POP Sreg with ESP = m; every data segment register is reloaded before
 * anything touches memory (the pop may have loaded a null DS). */
#define POPD32(name, sreg)                                                               \
    static void name(uint32_t m, struct out32 *o)                                        \
    {                                                                                    \
        static uint32_t saved_esp, sp, sel;                                              \
        uint32_t s = 0, a = m;                                                           \
                                                                                         \
        exc_vec = NO_EXC;                                                                \
        __asm__ volatile(                                                                \
            "movl $2f, fixup_eip; mov %%esp, %[sv]; mov %%edx, %%esp; 1: pop %%" #sreg   \
            "; mov $0x5a5a5a5a, %[s]; 2: mov %%esp, %%edx; mov %%" #sreg                 \
            ", %%ecx; mov $0x10, %%eax; mov %%eax, %%ds; mov %%eax, %%es; "              \
            "mov %%eax, %%ss; mov %%eax, %%fs; mov %%eax, %%gs; mov %[sv], %%esp; "      \
            "mov %%edx, %[sp]; mov %%ecx, %[sel]"                                        \
            : [s] "+S"(s), "+d"(a), [sp] "=m"(sp), [sv] "=m"(saved_esp), [sel] "=m"(sel) \
            :                                                                            \
            : "eax", "ecx", "memory");                                                   \
        *o = (struct out32){ exc_vec, exc_code, sel & 0xffff, 0, sp - m, s };            \
    }

POPD32(popd_ds, ds)
POPD32(popd_es, es)
POPD32(popd_ss, ss)
POPD32(popd_fs, fs)
POPD32(popd_gs, gs)

static void set_pop_descs(void)
{
    memset(big_gdt, 0, 8 * 8);
    big_gdt[1] = gdt[1];
    big_gdt[2] = gdt[2];
    big_gdt[SEL_FLAT0 >> 3] = 0x00cf92000000ffffULL;
    big_gdt[SEL_NP >> 3] = 0x00cf12000000ffffULL;
    big_gdt[SEL_XO >> 3] = 0x00cf98000000ffffULL;
    big_gdt[SEL_RO >> 3] = 0x00cf90000000ffffULL;
    big_gdt[SEL_LDT >> 3] = 0x0000820000000000ULL | 0xffff |
                            ((uint64_t)PTR(big_ldt) & 0xffffff) << 16 |
                            (uint64_t)(PTR(big_ldt) >> 24) << 56;
}

static void compare_d(const char *name, uint16_t sel, void (*fn)(uint32_t, struct out32 *),
                      uint32_t ram, uint32_t hole)
{
    struct out32 r, h;

    set_pop_descs();
    fn(ram, &r);
    reload_segs();
    set_pop_descs();
    fn(hole, &h);
    reload_segs();
    if ( r.vec != h.vec || (r.vec != NO_EXC && r.code != h.code) )
        return xtf_failure("%s %#x: exception %d (%#x), the CPU on RAM %d (%#x)", name, sel,
                           (int)h.vec, h.code, (int)r.vec, r.code);
    if ( r.vec == NO_EXC && h.s != SENTINEL )
        xtf_failure("%s %#x: EIP did not land on the next instruction", name, sel);
    if ( r.esp != h.esp || r.ecx != h.ecx || r.flags != h.flags )
        xtf_failure("%s %#x: esp %+d ecx %#x flags %#x, the CPU on RAM esp %+d ecx %#x flags %#x",
                    name, sel, (int)h.esp, h.ecx, h.flags, (int)r.esp, r.ecx, r.flags);
}

/* Where QEMU's CPU departs from the SDM (its far CALL raises #GP(sel),
 * not #GP(0), for an offset past the limit): the straddling run must
 * give the SDM's exception; the CPU's own run is only reported. */
static void compare_sdm(const char *name, uint16_t sel, void (*fn)(uint32_t, struct out32 *),
                        uint32_t ram, uint32_t hole, uint32_t vec, uint32_t code)
{
    struct out32 r, h;

    fn(ram, &r);
    reload_segs();
    fn(hole, &h);
    reload_segs();
    if ( h.vec != vec || h.code != code )
        return xtf_failure("%s %#x: exception %d (%#x), the SDM's %d (%#x)", name, sel, (int)h.vec,
                           h.code, (int)vec, code);
    if ( r.vec != vec || r.code != code )
        printf("  %s %#x: the CPU on RAM gave %d (%#x), not the SDM's %d (%#x)\n", name, sel,
               (int)r.vec, r.code, (int)vec, code);
}

/* POP Sreg whose low word, in RAM before the hole, is a real selector. */
static void pop_desc(uint32_t top)
{
    static const uint16_t sels[] = { SEL_FLAT0, SEL_NP, SEL_XO, SEL_RO, 0, 3, SEL_FLAT0 | 3 };
    static void (*const fns[])(uint32_t, struct out32 *) = { popd_ds, popd_es, popd_ss, popd_fs,
                                                             popd_gs };
    static const char *const names[] = { "pop ds", "pop es", "pop ss", "pop fs", "pop gs" };
    volatile uint16_t *w = (volatile uint16_t *)(uintptr_t)(top - 2);

    for ( unsigned int i = 0; i < ARRAY_SIZE(fns); i++ )
        for ( unsigned int k = 0; k < ARRAY_SIZE(sels); k++ )
        {
            memset(ram_ones, 0xff, sizeof(ram_ones));
            *(uint16_t *)&ram_ones[512] = sels[k];
            *w = sels[k];
            compare_d(names[i], sels[k], fns[i], PTR(ram_ones + 512), top - 2);
        }
}

/* LDS-LGS, far JMP/CALL with the offset in the legacy hole below 1 MiB
 * and the selector the first word of RAM above it (this image's first
 * bytes), whose descriptor is set up as flat DPL3 data, then as code. */
static bool legacy_hole_below_1m(void)
{
    const struct hvm_memmap_table_entry *e =
        (const void *)(uintptr_t)xtf32_start_info->memmap_paddr;

    for ( uint32_t i = 0; i < xtf32_start_info->memmap_entries; i++ )
        if ( e[i].type == 1 && e[i].addr < 0x100000 && e[i].addr + e[i].size > 0xffff0 )
            return false;
    return true;
}

static void far_desc(void)
{
    static const struct case32 loads[] = { C(lds), C(les), C(lss), C(lfs), C(lgs) };
    uint16_t sel = *(volatile uint16_t *)0x100000;
    uint64_t *d = ((sel & 4) ? big_ldt : big_gdt) + (sel >> 3);

    if ( !legacy_hole_below_1m() )
        return xtf_error("0xffff0-0xfffff is RAM here: no hole below 1 MiB");
    printf("  the selector at 0x100000 is %#x\n", sel);
    load_gdtr(big_gdt, 0xffff);
    __asm__ volatile("lldt %w0" ::"r"(SEL_LDT));
    for ( unsigned int i = 0; i < ARRAY_SIZE(loads); i++ )
    {
        *d = 0x00cff2000000ffffULL; /* flat data, DPL3 */
        memset(ram_ones, 0xff, sizeof(ram_ones));
        *(uint16_t *)&ram_ones[4] = sel;
        compare_d(loads[i].name, sel, loads[i].fn, PTR(ram_ones), 0xffffc);
    }
    /* conforming code, limit 1 MiB: the checks pass, the offset 0xFFFFFFFF
     * is beyond the limit (#GP(0)); not present: #NP(sel) */
    for ( unsigned int np = 0; np < 2; np++ )
    {
        *d = np ? 0x00401e000000ffffULL : 0x004f9e000000ffffULL;
        compare_d(np ? "ljmp, not present" : "ljmp, past the limit", sel, ljmp, PTR(ram_ones),
                  0xffffc);
        *d = np ? 0x00401e000000ffffULL : 0x004f9e000000ffffULL;
        if ( np )
            compare_d("lcall, not present", sel, lcall, PTR(ram_ones), 0xffffc);
        else
            compare_sdm("lcall, past the limit", sel, lcall, PTR(ram_ones), 0xffffc, 13, 0);
    }
    __asm__ volatile("lldt %w0" ::"r"(0));
    load_gdtr(gdt, sizeof(gdt) - 1);
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
    load_gdtr(big_gdt, 0xffff);
    pop_desc(top);
    load_gdtr(gdt, sizeof(gdt) - 1);
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
    far_desc();
    if ( *(volatile uint32_t *)HOLE != 0xffffffffu )
        xtf_failure("the hole no longer reads all-ones");
    xtf_success(NULL);
}
