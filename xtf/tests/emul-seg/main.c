/*
 * emul-seg - segment and descriptor-table instructions whose memory
 * operand is a hole behave as the CPU does on all-ones RAM: MOV Sreg,
 * m16 (DS, ES, FS, GS, SS), LSS/LFS/LGS m16:32 and m16:64, far JMP and
 * CALL through m16:32 and m16:64, LLDT and LTR read the selector 0xFFFF
 * and raise #GP(0xFFFC) with nothing changed; VERR/VERW/LAR/LSL of it
 * clear ZF and change no register; LGDT/LIDT load limit 0xFFFF and an
 * all-ones base; SGDT/SIDT/SLDT/STR/SMSW and MOV m16, Sreg to a hole
 * complete, writing nothing there, and an SGDT straddling the last RAM
 * page writes its RAM part as the CPU does; PUSH FS/GS onto a hole
 * stack completes with rSP moved; XLAT reads AL from the hole; LMSW
 * from a hole sets CR0.MP/EM/TS as from all-ones RAM. Each case runs on RAM holding all-ones
 * and on the hole, and compares exception, RIP, flags and registers.
 *
 * It touches nothing but its own buffers, registers, its GDTR/IDTR
 * (put back at once) and the holes.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: segment and descriptor-table instructions on holes";

#define HOLE 0xfed00100ULL

struct seg_out
{
    uint64_t ex, rcx, flags;
    uint32_t s;
};

/* text addresses its operand at (%rdx); RCX starts as 0x1234, flags as
 * CMP leaves them for equal operands. */
#define SEGOP(name, text)                                                                    \
    static void name(uint64_t m, struct seg_out *o)                                          \
    {                                                                                        \
        uint64_t ex = 0, r = 0x1234, f = 0;                                                  \
        uint32_t s = 0;                                                                      \
                                                                                             \
        __asm__ volatile("cmp %%rcx, %%rcx; 1: " text "; mov $0x5a5a5a5a, %[s]; pushf; pop " \
                         "%[f]; 2:" _ASM_EXTABLE(1b, 2b)                                     \
                         : "+a"(ex), [s] "+r"(s), "+c"(r), [f] "+r"(f)                       \
                         : "d"(m)                                                            \
                         : "memory");                                                        \
        *o = (struct seg_out){ ex, r, f, s };                                                \
    }

SEGOP(mov_ds, "movw (%%rdx), %%ds")
SEGOP(mov_es, "movw (%%rdx), %%es")
SEGOP(mov_fs, "movw (%%rdx), %%fs")
SEGOP(mov_gs, "movw (%%rdx), %%gs")
SEGOP(mov_ss, "movw (%%rdx), %%ss")
SEGOP(lss32, "lss (%%rdx), %%ecx")
SEGOP(lfs32, "lfs (%%rdx), %%ecx")
SEGOP(lgs32, "lgs (%%rdx), %%ecx")
SEGOP(lss64, ".byte 0x48, 0x0f, 0xb2, 0x0a" /* lss rcx, m16:64 */)
SEGOP(lfs64, ".byte 0x48, 0x0f, 0xb4, 0x0a")
SEGOP(lgs64, ".byte 0x48, 0x0f, 0xb5, 0x0a")
SEGOP(ljmp32, ".byte 0xff, 0x2a")       /* jmp far m16:32 [rdx] */
SEGOP(ljmp64, ".byte 0x48, 0xff, 0x2a") /* jmp far m16:64 */
SEGOP(lcall32, ".byte 0xff, 0x1a")      /* call far m16:32 */
SEGOP(lcall64, ".byte 0x48, 0xff, 0x1a")
SEGOP(lldt, "lldt (%%rdx)")
SEGOP(ltr, "ltr (%%rdx)")
SEGOP(verr, "verr (%%rdx)")
SEGOP(verw, "verw (%%rdx)")
SEGOP(lar, "lar (%%rdx), %%ecx")
SEGOP(lsl, "lsl (%%rdx), %%ecx")
SEGOP(sgdt, "sgdt (%%rdx)")
SEGOP(sidt, "sidt (%%rdx)")
SEGOP(sldt, "sldt (%%rdx)")
SEGOP(str, "str (%%rdx)")
SEGOP(smsw, "smsw (%%rdx)")
SEGOP(store_ds, "mov %%ds, (%%rdx)")
SEGOP(store_fs, "mov %%fs, (%%rdx)")
SEGOP(xlat, "push %%rbx; mov %%rdx, %%rbx; mov $0x1234, %%ecx; mov $7, %%al; xlatb; "
            "movzbl %%al, %%ecx; xor %%eax, %%eax; pop %%rbx")

struct seg_case
{
    const char *name;
    void (*fn)(uint64_t m, struct seg_out *o);
    bool store;
};

#define LOAD(n)      \
    {                \
#n, n, false \
    }
#define STORE(n)    \
    {               \
#n, n, true \
    }
static const struct seg_case cases[] = {
    LOAD(mov_ds), LOAD(mov_es),  LOAD(mov_fs),    LOAD(mov_gs),    LOAD(mov_ss), LOAD(lss32),
    LOAD(lfs32),  LOAD(lgs32),   LOAD(lss64),     LOAD(lfs64),     LOAD(lgs64),  LOAD(ljmp32),
    LOAD(ljmp64), LOAD(lcall32), LOAD(lcall64),   LOAD(lldt),      LOAD(ltr),    LOAD(verr),
    LOAD(verw),   LOAD(lar),     LOAD(lsl),       STORE(sgdt),     STORE(sidt),  STORE(sldt),
    STORE(str),   STORE(smsw),   STORE(store_ds), STORE(store_fs), LOAD(xlat),
};

static uint64_t ram_ones[4] __attribute__((aligned(16)));

static void run_case(const struct seg_case *c)
{
    struct seg_out ram, hole;

    memset(ram_ones, 0xff, sizeof(ram_ones));
    c->fn((uint64_t)(uintptr_t)ram_ones, &ram);
    c->fn(HOLE, &hole);
    if ( ram.ex != hole.ex )
        return xtf_failure("%s: exception %#lx, the CPU on RAM %#lx", c->name,
                           (unsigned long)hole.ex, (unsigned long)ram.ex);
    if ( !ram.ex && hole.s != SENTINEL )
        xtf_failure("%s: RIP did not land on the next instruction", c->name);
    if ( !ram.ex && (ram.rcx != hole.rcx || ram.flags != hole.flags) )
        xtf_failure("%s: rcx %#lx flags %#lx, the CPU on RAM rcx %#lx flags %#lx", c->name,
                    (unsigned long)hole.rcx, (unsigned long)hole.flags, (unsigned long)ram.rcx,
                    (unsigned long)ram.flags);
    if ( load64(HOLE) != ~0ULL )
        xtf_failure("%s: the hole no longer reads all-ones", c->name);
}

struct __attribute__((packed)) dtr
{
    uint16_t limit;
    uint64_t base;
};

/* LGDT/LIDT from m, the register read back, then the old value put back. */
#define DTROP(name, ld, st)                                                            \
    static uint64_t name(uint64_t m, struct dtr *after, uint32_t *s)                   \
    {                                                                                  \
        struct dtr saved;                                                              \
        uint64_t ex = 0;                                                               \
                                                                                       \
        __asm__ volatile(st " %[sv]; 1: " ld " (%%rdx); mov $0x5a5a5a5a, %[s]; 2: " st \
                            " %[af]; " ld " %[sv];" _ASM_EXTABLE(1b, 2b)               \
                         : "+a"(ex), [s] "+r"(*s), [sv] "=m"(saved), [af] "=m"(*after) \
                         : "d"(m)                                                      \
                         : "memory");                                                  \
        return ex;                                                                     \
    }

DTROP(lgdt_case, "lgdt", "sgdt")
DTROP(lidt_case, "lidt", "sidt")

static void dtr_loads(void)
{
    uint64_t (*fns[2])(uint64_t, struct dtr *, uint32_t *) = { lgdt_case, lidt_case };

    for ( unsigned int i = 0; i < 2; i++ )
    {
        struct dtr ram = { 0 }, hole = { 0 };
        uint32_t s_ram = 0, s_hole = 0;
        uint64_t ex_ram, ex_hole;

        memset(ram_ones, 0xff, sizeof(ram_ones));
        ex_ram = fns[i]((uint64_t)(uintptr_t)ram_ones, &ram, &s_ram);
        ex_hole = fns[i](HOLE, &hole, &s_hole);
        if ( ex_ram != ex_hole || (!ex_ram && s_hole != SENTINEL) )
            xtf_failure("%s: exception %#lx, the CPU on RAM %#lx", i ? "lidt" : "lgdt",
                        (unsigned long)ex_hole, (unsigned long)ex_ram);
        if ( ram.limit != hole.limit || ram.base != hole.base )
            xtf_failure("%s: loaded %#x:%#lx, the CPU from RAM %#x:%#lx", i ? "lidt" : "lgdt",
                        hole.limit, (unsigned long)hole.base, ram.limit, (unsigned long)ram.base);
    }
}

/* SGDT at the last 4 bytes of RAM: the limit and 2 base bytes land there. */
static void sgdt_straddle(void)
{
    uint64_t a = xtf_ram_end() - 4;
    volatile uint32_t *ram = (volatile uint32_t *)(uintptr_t)a;
    uint32_t old = *ram;
    struct dtr mine;
    struct seg_out o;

    __asm__ volatile("sgdt %0" : "=m"(mine));
    *ram = 0;
    sgdt(a, &o);
    if ( o.ex || o.s != SENTINEL )
        xtf_failure("straddling sgdt: exception %#lx or RIP wrong", (unsigned long)o.ex);
    if ( *ram != (mine.limit | (uint32_t)(mine.base & 0xffff) << 16) )
        xtf_failure("straddling sgdt: RAM holds %#x, GDTR is %#x:%#lx", *ram, mine.limit,
                    (unsigned long)mine.base);
    *ram = old;
}

/* PUSH FS/GS with rSP in a hole: nothing written, rSP down 8. */
static void push_sreg(void)
{
    uint64_t sp_after = 0;
    uint32_t s = 0;

    __asm__ volatile("mov %%rsp, %%rbx; mov %[h], %%rsp; push %%fs; push %%gs; "
                     "mov $0x5a5a5a5a, %[s]; mov %%rsp, %[sp]; mov %%rbx, %%rsp"
                     : [s] "+r"(s), [sp] "=r"(sp_after)
                     : [h] "r"(HOLE + 0x40)
                     : "rbx", "memory");
    check_sentinel(s, "push fs/gs on a hole stack");
    if ( sp_after != HOLE + 0x30 )
        xtf_failure("push fs/gs on a hole stack: rsp %#lx, expected %#lx", (unsigned long)sp_after,
                    (unsigned long)(HOLE + 0x30));
}

/* LMSW from all-ones RAM and from a hole: CR0 gains MP, EM and TS (PE
 * stays); CR0 is put back after each. */
static uint64_t lmsw_from(uint64_t addr)
{
    uint64_t before, after;

    __asm__ volatile("mov %%cr0, %0; lmsw (%2); mov %%cr0, %1; mov %0, %%cr0"
                     : "=&r"(before), "=&r"(after)
                     : "r"(addr)
                     : "memory");
    return after;
}

static void lmsw_case(void)
{
    uint64_t ram, hole;

    memset(ram_ones, 0xff, sizeof(ram_ones));
    ram = lmsw_from((uint64_t)(uintptr_t)ram_ones);
    hole = lmsw_from(HOLE);
    if ( ram != hole )
        xtf_failure("lmsw: CR0 %#lx from the hole, the CPU from RAM %#lx", (unsigned long)hole,
                    (unsigned long)ram);
}

void test_main(void)
{
    uint64_t ram_end = xtf_ram_end();

    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) || (ram_end & 0xfff) )
        return xtf_error("RAM ends at %#lx: not a page inside the identity map",
                         (unsigned long)ram_end);
    for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
        run_case(&cases[n]);
    dtr_loads();
    sgdt_straddle();
    push_sreg();
    lmsw_case();
    xtf_success(NULL);
}
