/*
 * emul-seg-desc - segment loads whose operand straddles a hole and RAM so
 * that the selector comes from RAM, which makes the emulator read and
 * check a descriptor: MOV Sreg (DS, ES, FS, GS, SS), POP FS/GS,
 * LFS/LGS/LSS, far JMP/CALL through m16:16 and m16:64, LLDT, LTR and
 * LAR/LSL/VERR/VERW. Descriptors sit in a 64 KiB GDT, in an LDT, and in
 * an LDT lying in the VGA hole (all-ones). Each case runs once with the
 * operand in RAM holding the same bytes (the CPU itself) and once
 * straddling, and compares the exception and error code, the selector
 * loaded, the FS/GS bases, the GPR written, rSP, what a far CALL pushed,
 * the flags and the descriptor's accessed/busy bit afterwards.
 *
 * Layouts: the VGA hole at 0xa0000 with VA 0xa1000 pointed at a RAM page
 * (hole, then RAM: a far pointer's offset in the hole, its selector in
 * RAM; a MOV Sreg word 0xHHFF), and the last RAM page followed by a hole
 * (RAM, then hole: a POP's low word in RAM; a MOV Sreg word 0xFFxx, an
 * index inside the 64 KiB GDT). A far branch lands on 0xFFFF (VA 0xF000
 * unmapped meanwhile) or on -1 and takes a #PF there.
 *
 * It touches its own GDT, LDTs, TSS and buffers, the segment registers
 * (put back after each case), TR (left on its own TSS), LDTR (put back
 * to null), two PTEs of the low map and the last bytes of RAM (put back),
 * and the holes.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>
#include <xtf/runtime.h>

const char test_title[] = "emulation: segment loads that read a descriptor";

#define STRADDLE    0xa1000UL /* the VGA hole below, ram_page from here */
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define FS_MARK     0x0000123456789000ULL
#define GS_MARK     0x0000123456780000ULL

/* GDT selectors (the first four entries are the runtime's, copied). */
#define S_DATA     0x80  /* data RW, DPL0, base 0x12345000, limit 0xabcde */
#define S_DATA3    0x88  /* data RW, DPL3 */
#define S_DATA_NP  0x90  /* data RW, not present */
#define S_CODE_XO  0x98  /* 64-bit code, execute-only */
#define S_CODE     0xa0  /* 64-bit code, readable */
#define S_CODE_NP  0xa8  /* 64-bit code, not present */
#define S_DATA_RO  0xb0  /* data, read-only */
#define S_CODE_LD  0xb8  /* code with L and D both set */
#define S_CODE3    0xc0  /* 64-bit code, DPL3 */
#define S_CONF3    0xc8  /* conforming 64-bit code, DPL3 */
#define S_CONF0    0xd0  /* conforming 64-bit code, DPL0 */
#define S_LDT      0xe0  /* the LDT (ldt[], limit 0x3ff): 16 bytes */
#define S_LDT_HOLE 0xf0  /* an LDT at 0xa0000, in the hole */
#define S_LDT_ONES 0x100 /* an LDT of all-ones RAM */
#define S_TSS      0x110 /* the TSS */
/* 0xFFxx selectors: GDT entries 0x1FE0 + (xx >> 3). */
#define BIG(k) (0x1fe0 + (k))

static uint64_t gdt[8192] __attribute__((aligned(4096)));
static uint64_t ldt[128] __attribute__((aligned(4096)));
static uint64_t ones_ldt[128] __attribute__((aligned(4096)));
static uint8_t ram_page[4096] __attribute__((aligned(4096)));
static uint8_t ram_area[512] __attribute__((aligned(16)));
static uint8_t tss[104] __attribute__((aligned(16)));
static uint64_t ram_end;

#define RAM_OP ((uint64_t)(uintptr_t)&ram_area[384])

static uint64_t desc(uint64_t base, uint32_t limit, unsigned int access, unsigned int flags)
{
    return (limit & 0xffff) | (base & 0xffffff) << 16 | (uint64_t)access << 40 |
           (uint64_t)((limit >> 16) & 0xf) << 48 | (uint64_t)flags << 52 |
           ((base >> 24) & 0xff) << 56;
}

static void set_sys(unsigned int idx, uint64_t base, uint32_t limit, unsigned int access)
{
    gdt[idx] = desc(base, limit, access, 0);
    gdt[idx + 1] = base >> 32;
}

/* Every descriptor as the cases expect it (accessed and busy bits clear). */
static void reset_tables(void)
{
    gdt[S_DATA >> 3] = desc(0x12345000, 0xabcde, 0x92, 0x4);
    gdt[S_DATA3 >> 3] = desc(0x2000, 0xfffff, 0xf2, 0xc);
    gdt[S_DATA_NP >> 3] = desc(0, 0xfffff, 0x12, 0xc);
    gdt[S_CODE_XO >> 3] = desc(0, 0xfffff, 0x98, 0xa);
    gdt[S_CODE >> 3] = desc(0, 0xfffff, 0x9a, 0xa);
    gdt[S_CODE_NP >> 3] = desc(0, 0xfffff, 0x1a, 0xa);
    gdt[S_DATA_RO >> 3] = desc(0x3000, 0xfff, 0x90, 0x4);
    gdt[S_CODE_LD >> 3] = desc(0, 0xfffff, 0x9a, 0xe);
    gdt[S_CODE3 >> 3] = desc(0, 0xfffff, 0xfa, 0xa);
    gdt[S_CONF3 >> 3] = desc(0, 0xfffff, 0xfe, 0xa);
    gdt[S_CONF0 >> 3] = desc(0, 0xfffff, 0x9e, 0xa);
    set_sys(S_LDT >> 3, (uintptr_t)ldt, 0x3ff, 0x82);
    set_sys(S_LDT_HOLE >> 3, 0xa0000, 0x3ff, 0x82);
    set_sys(S_LDT_ONES >> 3, (uintptr_t)ones_ldt, 0x3ff, 0x82);
    set_sys(S_TSS >> 3, (uintptr_t)tss, 0x67, 0x89);
    gdt[BIG(1)] = desc(0x6000, 0xfff, 0x92, 0x4);
    set_sys(BIG(2), (uintptr_t)ldt, 0x3ff, 0x82);
    set_sys(BIG(4), (uintptr_t)tss, 0x67, 0x89);
    gdt[BIG(6)] = desc(0, 0xfffff, 0x98, 0xa);
    gdt[BIG(7)] = desc(0, 0xfffff, 0x12, 0xc);
    gdt[BIG(8)] = desc(0x9000, 0xfffff, 0xf2, 0xc);
    gdt[BIG(9)] = desc(0, 0xfff, 0x90, 0x4);
    set_sys(BIG(10), 0x1000, 0, 0x8c); /* a 64-bit call gate's shape */
    ldt[31] = desc(0x5550000, 0xfffff, 0xf2, 0xc);
    ldt[63] = desc(0, 0xfffff, 0x72, 0xc);
    ldt[95] = desc(0x7000, 0xfffff, 0x9e, 0xa);
    ldt[127] = desc(0x8000, 0xfff, 0x92, 0x4);
    memset(ones_ldt, 0xff, sizeof(ones_ldt));
}

struct out
{
    uint64_t ex, rcx, flags, sp, fsb, gsb, cr2, push[2], d;
    uint16_t sel;
    uint32_t s;
};

/* text works on (%rdx); RCX starts as 0x1234, flags as CMP leaves them
 * for equal operands; rd is the register read back. */
#define SEGOP(name, text, rd, popped)                                                     \
    static void name(uint64_t m, struct out *o)                                           \
    {                                                                                     \
        uint64_t ex = 0, r = 0x1234, f, sp0, sp1;                                         \
        uint32_t s = 0, sel;                                                              \
                                                                                          \
        __asm__ volatile(                                                                 \
            "mov %%rsp, %[sp0]; cmp %%rcx, %%rcx; " text "; "                             \
            "mov $0x5a5a5a5a, %[s]; 2: mov %%rsp, %[sp1]; mov %[sp0], %%rsp; "            \
            "pushf; pop %[f]; " rd "\n\t" _ASM_EXTABLE(1b, 2b)                            \
            : "+a"(ex), [s] "+r"(s),                                                      \
              "+c"(r), [f] "=&r"(f), [sp0] "=&r"(sp0), [sp1] "=&r"(sp1), [sel] "=&r"(sel) \
            : "d"(m)                                                                      \
            : "memory");                                                                  \
        *o = (struct out){ .ex = ex,                                                      \
                           .rcx = r,                                                      \
                           .flags = f & 0x8d5,                                            \
                           .s = s,                                                        \
                           .sel = (uint16_t)sel,                                          \
                           .sp = sp1 - ((popped) ? m : sp0) };                            \
    }

#define RD(seg) "mov %%" seg ", %k[sel]"
#define POPRSP  "mov %%rdx, %%rsp; 1: "

SEGOP(mov_ds, "1: movw (%%rdx), %%ds", RD("ds"), false)
SEGOP(mov_es, "1: movw (%%rdx), %%es", RD("es"), false)
SEGOP(mov_fs, "1: movw (%%rdx), %%fs", RD("fs"), false)
SEGOP(mov_gs, "1: movw (%%rdx), %%gs", RD("gs"), false)
SEGOP(mov_ss, "1: movw (%%rdx), %%ss", RD("ss"), false)
SEGOP(pop_fs, POPRSP "pop %%fs", RD("fs"), true)
SEGOP(pop_gs, POPRSP "pop %%gs", RD("gs"), true)
SEGOP(lfs64, "1: .byte 0x48, 0x0f, 0xb4, 0x0a", RD("fs"), false) /* lfs rcx, m16:64 */
SEGOP(lfs32, "1: .byte 0x0f, 0xb4, 0x0a", RD("fs"), false)       /* lfs ecx, m16:32 */
SEGOP(lgs16, "1: .byte 0x66, 0x0f, 0xb5, 0x0a", RD("gs"), false) /* lgs cx, m16:16 */
SEGOP(lss64, "1: .byte 0x48, 0x0f, 0xb2, 0x0a", RD("ss"), false)
SEGOP(lldt, "1: lldt (%%rdx)", "sldt %k[sel]", false)
SEGOP(ltr, "1: ltr (%%rdx)", "str %k[sel]", false)
SEGOP(lar, "1: lar (%%rdx), %%ecx", "xor %k[sel], %k[sel]", false)
SEGOP(lsl, "1: lsl (%%rdx), %%ecx", "xor %k[sel], %k[sel]", false)
SEGOP(lar16, "1: .byte 0x66, 0x0f, 0x02, 0x0a", "xor %k[sel], %k[sel]", false) /* lar cx */
SEGOP(verr, "1: verr (%%rdx)", "xor %k[sel], %k[sel]", false)
SEGOP(verw, "1: verw (%%rdx)", "xor %k[sel], %k[sel]", false)

/* Far branches: the target (0xFFFF or -1) faults; far_pf resumes at the
 * case's label 2 with the new CS, which is then put back by LRETQ. */
static uint64_t far_resume, far_cr2;

static void far_pf(struct cpu_regs *regs)
{
    if ( regs->rip != 0xffff && regs->rip != ~0ULL )
    {
        xtf_failure("#PF at %#lx (cr2 %#lx) during a far branch case", (unsigned long)regs->rip,
                    (unsigned long)read_cr2());
        xtf_report_and_exit();
    }
    far_cr2 = read_cr2();
    regs->rax = EXINFO(regs->vector, regs->error_code);
    regs->rip = far_resume;
}

/* What a far CALL pushed: the n bytes below the old rSP. */
static void pushed(struct out *o, uint64_t n, uint64_t p0, uint64_t p1)
{
    o->push[0] = n >= 8 ? p0 : p0 & ((1ULL << (8 * n)) - 1);
    o->push[1] = n >= 16 ? p1 : 0;
}

#define FAROP(name, text, call)                                                               \
    static void name(uint64_t m, struct out *o)                                               \
    {                                                                                         \
        uint64_t ex = 0, cs0, sp0, sp1, p0, p1;                                               \
        uint32_t sel;                                                                         \
                                                                                              \
        far_cr2 = 0;                                                                          \
        __asm__ volatile(                                                                     \
            "mov %%cs, %k[cs0]; mov %%rsp, %[sp0]; lea 2f(%%rip), %%r8; "                     \
            "mov %%r8, %[res]; 1: " text "; 2: mov %%rsp, %[sp1]; "                           \
            "mov (%%rsp), %[p0]; mov 8(%%rsp), %[p1]; mov %[sp0], %%rsp; "                    \
            "mov %%cs, %k[sel]; push %[cs0]; lea 3f(%%rip), %%r8; push %%r8; "                \
            "lretq; 3:" _ASM_EXTABLE(1b, 2b)                                                  \
            : "+a"(ex), [cs0] "=&r"(cs0), [sp0] "=&r"(sp0), [sp1] "=&r"(sp1), [p0] "=&r"(p0), \
              [p1] "=&r"(p1), [sel] "=&r"(sel), [res] "=m"(far_resume)                        \
            : "d"(m)                                                                          \
            : "r8", "memory");                                                                \
        *o = (struct out){                                                                    \
            .ex = ex, .sel = (uint16_t)sel, .sp = sp1 - sp0, .cr2 = far_cr2, .s = SENTINEL    \
        };                                                                                    \
        if ( (call) && sp1 != sp0 )                                                           \
            pushed(o, sp0 - sp1, p0, p1);                                                     \
    }

FAROP(ljmp16, ".byte 0x66, 0xff, 0x2a", false) /* jmp far m16:16 [rdx] */
FAROP(lcall16, ".byte 0x66, 0xff, 0x1a", true) /* call far m16:16 */
FAROP(ljmp64, ".byte 0x48, 0xff, 0x2a", false) /* jmp far m16:64 */
FAROP(lcall64, ".byte 0x48, 0xff, 0x1a", true) /* call far m16:64 */

enum layout
{
    HOLE_RAM, /* the operand ends in RAM at STRADDLE */
    RAM_HOLE, /* the operand starts in RAM, before ram_end */
};

struct dcase
{
    const char *name;
    void (*fn)(uint64_t m, struct out *o);
    uint16_t sel;
    enum layout layout;
    uint8_t n, len;    /* bytes before the boundary; the operand's length */
    bool sel_last;     /* a far pointer: the selector after the offset */
    bool far;          /* a far branch: pushed words and CR2 compared */
    uint16_t ldt;      /* LDTR during the runs */
    uint16_t ldt_hole; /* LDTR for the straddling run, if not ldt */
    uint64_t *d;       /* a descriptor compared afterwards, or NULL */
    uint64_t sdm_ex;   /* where QEMU's CPU departs from the SDM: this */
};

#define M16_HR(nm, fn, sel, ldt, d)                          \
    {                                                        \
        nm, fn, sel, HOLE_RAM, 1, 2, false, false, ldt, 0, d \
    }
#define M16_RH(nm, fn, sel, d)                                 \
    {                                                          \
        nm, fn, sel, RAM_HOLE, 1, 2, false, false, S_LDT, 0, d \
    }
#define POP_RH(nm, fn, sel, d)                                 \
    {                                                          \
        nm, fn, sel, RAM_HOLE, 2, 8, false, false, S_LDT, 0, d \
    }
#define FARP(nm, fn, sz, sel, d)                                    \
    {                                                               \
        nm, fn, sel, HOLE_RAM, sz, sz + 2, true, false, S_LDT, 0, d \
    }
#define FARB(nm, fn, sz, sel, d)                                   \
    {                                                              \
        nm, fn, sel, HOLE_RAM, sz, sz + 2, true, true, S_LDT, 0, d \
    }
#define G(sel) (&gdt[(sel) >> 3])

static const struct dcase cases[] = {
    /* hole then RAM: the word 0xHHFF, LDT index 31 + 32 * HH, RPL 3 */
    M16_HR("mov ds, ldt dpl3 data", mov_ds, 0x00ff, S_LDT, &ldt[31]),
    M16_HR("mov es, ldt dpl3 data", mov_es, 0x00ff, S_LDT, &ldt[31]),
    M16_HR("mov fs, ldt dpl3 data", mov_fs, 0x00ff, S_LDT, &ldt[31]),
    M16_HR("mov gs, ldt dpl3 data", mov_gs, 0x00ff, S_LDT, &ldt[31]),
    M16_HR("mov ss, rpl3 at cpl0", mov_ss, 0x00ff, S_LDT, &ldt[31]),
    M16_HR("mov fs, not present", mov_fs, 0x01ff, S_LDT, &ldt[63]),
    M16_HR("mov ds, conforming code", mov_ds, 0x02ff, S_LDT, &ldt[95]),
    M16_HR("mov gs, dpl0 data rpl3", mov_gs, 0x03ff, S_LDT, &ldt[127]),
    M16_HR("mov fs, beyond the ldt", mov_fs, 0x04ff, S_LDT, NULL),
    M16_HR("mov ds, no ldt", mov_ds, 0x00ff, 0, NULL),
    { "mov ds, ldt in a hole", mov_ds, 0x00ff, HOLE_RAM, 1, 2, false, false, S_LDT_ONES, S_LDT_HOLE,
      NULL },
    { "mov fs, ldt in a hole", mov_fs, 0x00ff, HOLE_RAM, 1, 2, false, false, S_LDT_ONES, S_LDT_HOLE,
      NULL },
    /* RAM then hole: the word 0xFFxx, GDT index 0x1FE0 + (xx >> 3) */
    M16_RH("mov ds, gdt data", mov_ds, 0xff08, &gdt[BIG(1)]),
    M16_RH("mov fs, gdt data", mov_fs, 0xff08, &gdt[BIG(1)]),
    M16_RH("mov ss, gdt data", mov_ss, 0xff08, &gdt[BIG(1)]),
    M16_RH("mov ss, read-only data", mov_ss, 0xff48, &gdt[BIG(9)]),
    M16_RH("mov ss, not present", mov_ss, 0xff38, &gdt[BIG(7)]),
    M16_RH("mov ds, dpl0 data rpl3", mov_ds, 0xff0b, &gdt[BIG(1)]),
    M16_RH("mov ds, execute-only code", mov_ds, 0xff30, &gdt[BIG(6)]),
    M16_RH("mov es, not present", mov_es, 0xff38, &gdt[BIG(7)]),
    M16_RH("mov gs, dpl3 data rpl3", mov_gs, 0xff43, &gdt[BIG(8)]),
    M16_RH("mov ds, ldt descriptor", mov_ds, 0xff10, &gdt[BIG(2)]),
    M16_RH("lldt", lldt, 0xff10, &gdt[BIG(2)]),
    M16_RH("lldt, data descriptor", lldt, 0xff08, &gdt[BIG(1)]),
    M16_RH("lldt, ti set", lldt, 0xff14, NULL),
    M16_RH("ltr", ltr, 0xff20, &gdt[BIG(4)]),
    M16_RH("ltr, ldt descriptor", ltr, 0xff10, &gdt[BIG(2)]),
    M16_RH("lar, data", lar, 0xff08, NULL),
    M16_RH("lar, ldt", lar, 0xff10, NULL),
    M16_RH("lar, not present", lar, 0xff38, NULL),
    M16_RH("lar, call gate", lar, 0xff50, NULL),
    M16_RH("lar, dpl0 rpl3", lar, 0xff0b, NULL),
    M16_RH("lar16, dpl3 data", lar16, 0xff40, NULL),
    M16_RH("lsl, data", lsl, 0xff08, NULL),
    M16_RH("lsl, call gate", lsl, 0xff50, NULL),
    M16_RH("lsl, dpl3 data", lsl, 0xff40, NULL),
    M16_RH("verr, execute-only", verr, 0xff30, NULL),
    M16_RH("verr, read-only", verr, 0xff48, NULL),
    M16_RH("verw, read-only", verw, 0xff48, NULL),
    M16_RH("verw, data", verw, 0xff08, NULL),
    /* POP with the low word in RAM and the rest in the hole */
    POP_RH("pop fs, data", pop_fs, S_DATA, G(S_DATA)),
    POP_RH("pop gs, null", pop_gs, 0, NULL),
    POP_RH("pop fs, null rpl3", pop_fs, 3, NULL),
    POP_RH("pop fs, not present", pop_fs, S_DATA_NP, G(S_DATA_NP)),
    POP_RH("pop gs, ldt", pop_gs, 0x00ff, &ldt[31]),
    POP_RH("pop fs, readable code", pop_fs, S_CODE, G(S_CODE)),
    POP_RH("pop fs, execute-only", pop_fs, S_CODE_XO, G(S_CODE_XO)),
    /* far pointers: the offset in the hole, the selector in RAM */
    FARP("lfs m16:64, data", lfs64, 8, S_DATA, G(S_DATA)),
    FARP("lfs m16:64, null", lfs64, 8, 0, NULL),
    FARP("lfs m16:64, not present", lfs64, 8, S_DATA_NP, G(S_DATA_NP)),
    FARP("lfs m16:64, execute-only", lfs64, 8, S_CODE_XO, G(S_CODE_XO)),
    FARP("lfs m16:64, dpl3 rpl3", lfs64, 8, S_DATA3 | 3, G(S_DATA3)),
    FARP("lfs m16:64, dpl0 rpl3", lfs64, 8, S_DATA | 3, G(S_DATA)),
    FARP("lfs m16:32, data", lfs32, 4, S_DATA, G(S_DATA)),
    FARP("lgs m16:16, data", lgs16, 2, S_DATA, G(S_DATA)),
    FARP("lss m16:64, data", lss64, 8, S_DATA, G(S_DATA)),
    FARP("lss m16:64, null", lss64, 8, 0, NULL),
    FARP("lss m16:64, null rpl3", lss64, 8, 3, NULL),
    FARP("lss m16:64, read-only", lss64, 8, S_DATA_RO, G(S_DATA_RO)),
    FARP("lss m16:64, not present", lss64, 8, S_DATA_NP, G(S_DATA_NP)),
    FARP("lss m16:64, dpl3 rpl3", lss64, 8, S_DATA3 | 3, G(S_DATA3)),
    FARB("jmp m16:16, code", ljmp16, 2, S_CODE, G(S_CODE)),
    FARB("jmp m16:16, execute-only", ljmp16, 2, S_CODE_XO, G(S_CODE_XO)),
    FARB("jmp m16:16, not present", ljmp16, 2, S_CODE_NP, G(S_CODE_NP)),
    FARB("jmp m16:16, data", ljmp16, 2, S_DATA, G(S_DATA)),
    FARB("jmp m16:16, null", ljmp16, 2, 0, NULL),
    { "jmp m16:16, l and d", ljmp16, S_CODE_LD, HOLE_RAM, 2, 4, true, true, S_LDT, 0, G(S_CODE_LD),
      EXINFO(X86_EXC_GP, S_CODE_LD) },
    FARB("jmp m16:16, dpl3", ljmp16, 2, S_CODE3, G(S_CODE3)),
    FARB("jmp m16:16, rpl3", ljmp16, 2, S_CODE | 3, G(S_CODE)),
    FARB("jmp m16:16, conforming dpl3", ljmp16, 2, S_CONF3, G(S_CONF3)),
    FARB("jmp m16:16, conforming rpl3", ljmp16, 2, S_CONF0 | 3, G(S_CONF0)),
    FARB("jmp m16:16, tss", ljmp16, 2, S_TSS, G(S_TSS)),
    FARB("call m16:16, code", lcall16, 2, S_CODE, G(S_CODE)),
    FARB("call m16:16, not present", lcall16, 2, S_CODE_NP, G(S_CODE_NP)),
    FARB("jmp m16:64, code", ljmp64, 8, S_CODE, G(S_CODE)),
    FARB("call m16:64, code", lcall64, 8, S_CODE, G(S_CODE)),
};

static uint16_t saved_ds, saved_es, saved_ss, saved_fs, saved_gs;
static uint64_t saved_fsb, saved_gsb;

static void prep(uint16_t ldtr)
{
    reset_tables();
    __asm__ volatile("lldt %w0; mov %w1, %%fs; mov %w1, %%gs" ::"r"(ldtr), "r"(0) : "memory");
    wrmsr(MSR_FS_BASE, FS_MARK);
    wrmsr(MSR_GS_BASE, GS_MARK);
}

/* Read the bases, then put every segment register back. */
static void finish(struct out *o, const struct dcase *c)
{
    o->fsb = rdmsr(MSR_FS_BASE);
    o->gsb = rdmsr(MSR_GS_BASE);
    o->d = c->d ? *c->d : 0;
    __asm__ volatile("mov %w0, %%ds; mov %w1, %%es; mov %w2, %%ss; mov %w3, %%fs; "
                     "mov %w4, %%gs; lldt %w5" ::"r"(saved_ds),
                     "r"(saved_es), "r"(saved_ss), "r"(saved_fs), "r"(saved_gs), "r"(0)
                     : "memory");
    wrmsr(MSR_FS_BASE, saved_fsb);
    wrmsr(MSR_GS_BASE, saved_gsb);
}

/* The straddling operand: its bytes put in RAM around the boundary. */
static uint64_t place(const struct dcase *c, const uint8_t *bytes)
{
    if ( c->layout == HOLE_RAM )
    {
        memcpy(ram_page, bytes + c->n, c->len - c->n);
        return STRADDLE - c->n;
    }
    memcpy((void *)(uintptr_t)(ram_end - c->n), bytes, c->n);
    return ram_end - c->n;
}

static bool same(const struct out *a, const struct out *b)
{
    return a->ex == b->ex && a->rcx == b->rcx && a->flags == b->flags && a->sp == b->sp &&
           a->fsb == b->fsb && a->gsb == b->gsb && a->cr2 == b->cr2 && a->push[0] == b->push[0] &&
           a->push[1] == b->push[1] && a->d == b->d && a->sel == b->sel && a->s == b->s;
}

static void report(const char *name, const char *who, const struct out *o)
{
    printf("  %s %s: ex %#lx rcx %#lx fl %#lx sp %ld sel %#x fsb %#lx gsb %#lx cr2 %#lx "
           "push %#lx %#lx desc %#lx s %#x\n",
           name, who, (unsigned long)o->ex, (unsigned long)o->rcx, (unsigned long)o->flags,
           (long)o->sp, o->sel, (unsigned long)o->fsb, (unsigned long)o->gsb, (unsigned long)o->cr2,
           (unsigned long)o->push[0], (unsigned long)o->push[1], (unsigned long)o->d, o->s);
}

/* The SDM's far JMP/CALL sets the code segment's accessed bit, as the
 * emulator and Bochs do; QEMU's CPU leaves it: compared without it, and
 * required of the straddling run when CS was loaded (the #PF at the
 * target). */
static void accessed_cs(const struct dcase *c, struct out *ram, struct out *hole)
{
    const uint64_t acc = 1ULL << 40;

    if ( EXINFO_VEC(hole->ex) == X86_EXC_PF && !(hole->d & acc) )
        xtf_failure("%s: the code segment's accessed bit was not set", c->name);
    ram->d &= ~acc;
    hole->d &= ~acc;
}

/* A case where QEMU's CPU departs from the SDM: the straddling run must
 * give the SDM's exception; the CPU's own run is only reported. */
static void sdm_case(const struct dcase *c, const struct out *ram, const struct out *hole)
{
    if ( hole->ex != c->sdm_ex )
        xtf_failure("%s: exception %#lx, the SDM's %#lx", c->name, (unsigned long)hole->ex,
                    (unsigned long)c->sdm_ex);
    if ( ram->ex != c->sdm_ex )
        printf("  %s: the CPU on RAM gave %#lx, not the SDM's %#lx\n", c->name,
               (unsigned long)ram->ex, (unsigned long)c->sdm_ex);
}

static void run_case(const struct dcase *c)
{
    uint8_t bytes[16], tail[128];
    unsigned int pos = c->sel_last ? c->len - 2 : 0;
    struct out ram, hole;

    memset(bytes, 0xff, sizeof(bytes));
    bytes[pos] = c->sel & 0xff;
    bytes[pos + 1] = c->sel >> 8;
    memcpy(&ram_area[384], bytes, c->len);
    prep(c->ldt);
    c->fn(RAM_OP, &ram);
    finish(&ram, c);

    memcpy(tail, (void *)(uintptr_t)(ram_end - sizeof(tail)), sizeof(tail));
    prep(c->ldt_hole ? c->ldt_hole : c->ldt);
    c->fn(place(c, bytes), &hole);
    finish(&hole, c);
    memcpy((void *)(uintptr_t)(ram_end - sizeof(tail)), tail, sizeof(tail));

    if ( c->sdm_ex )
        return sdm_case(c, &ram, &hole);
    if ( c->far )
        accessed_cs(c, &ram, &hole);
    if ( same(&ram, &hole) )
        return;
    xtf_failure("%s: the straddling run differs from the CPU's on RAM", c->name);
    report(c->name, "ram ", &ram);
    report(c->name, "hole", &hole);
}

struct __attribute__((packed)) dtr_save
{
    uint16_t limit;
    uint64_t base;
};

/* The runtime's GDT entries copied into ours, which is loaded (limit
 * 0xFFFF) for the whole test. */
static void setup(struct dtr_save *old)
{
    struct dtr_save mine = { 0xffff, (uintptr_t)gdt };

    __asm__ volatile("sgdt %0" : "=m"(*old));
    memcpy(gdt, (void *)(uintptr_t)old->base, old->limit + 1);
    reset_tables();
    __asm__ volatile("lgdt %0" ::"m"(mine));
    __asm__ volatile("mov %%ds, %w0; mov %%es, %w1; mov %%ss, %w2; mov %%fs, %w3; mov %%gs, %w4"
                     : "=r"(saved_ds), "=r"(saved_es), "=r"(saved_ss), "=r"(saved_fs),
                       "=r"(saved_gs));
    saved_fsb = rdmsr(MSR_FS_BASE);
    saved_gsb = rdmsr(MSR_GS_BASE);
}

void test_main(void)
{
    uint64_t pte_a1 = xtf_pt_low[0xa1], pte_f = xtf_pt_low[0xf];
    struct dtr_save old;

    ram_end = xtf_ram_end();
    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) || (ram_end & 0xfff) )
        return xtf_error("RAM ends at %#lx: not a page inside the identity map",
                         (unsigned long)ram_end);
    setup(&old);
    xtf_pt_low[0xa1] = (uint64_t)(uintptr_t)ram_page | 3;
    xtf_pt_low[0xf] = 0;
    invlpg((const void *)0xa1000);
    invlpg((const void *)0xf000);
    xtf_set_vector_handler(X86_EXC_PF, far_pf);
    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
        run_case(&cases[i]);
    xtf_set_vector_handler(X86_EXC_PF, NULL);
    xtf_pt_low[0xa1] = pte_a1;
    xtf_pt_low[0xf] = pte_f;
    invlpg((const void *)0xa1000);
    invlpg((const void *)0xf000);
    __asm__ volatile("lgdt %0" ::"m"(old));
    if ( load64(0xa0000) != ~0ULL )
        xtf_failure("the hole no longer reads all-ones");
    xtf_success(NULL);
}
