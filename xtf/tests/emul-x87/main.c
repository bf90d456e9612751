/*
 * emul-x87 - x87 loads, stores, arithmetic (FADD..FIDIVR m16/m32/m64),
 * FBLD/FBSTP and FLDENV/FNSTENV/FRSTOR/FNSAVE (32-bit layouts, and the
 * 16-bit ones with a 66 prefix) whose memory operand is a
 * guest-physical hole behave as on Xen with no device model: a load
 * reads all-ones (a QNaN, or -1 as an integer), a store is dropped, and
 * the x87 state (the value loaded, FSW with TOP and the exception
 * flags, FCW) ends as the CPU's own run on all-ones RAM leaves it.
 *
 * It touches nothing but its own x87 state, buffers and the holes.
 */
#include <xtf.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: x87 loads and stores on holes";

#define ONES 0xffffffffffffffffULL

struct x87_out
{
    uint8_t st[10];
    uint16_t sw, cw;
};

/* From FNINIT: pre, the instruction on m, then FSW, ST0 and FCW. */
#define X87_FN(name, pre, text)                                                          \
    static void name(uint64_t m, struct x87_out *o)                                      \
    {                                                                                    \
        __asm__ volatile("fninit; " pre "; " text " (%[m]); fnstsw %[sw]; fstpt %[st]; " \
                         "fnstcw %[cw]; fninit"                                          \
                         : [sw] "=m"(o->sw), [st] "=m"(o->st), [cw] "=m"(o->cw)          \
                         : [m] "r"(m)                                                    \
                         : "memory");                                                    \
    }

X87_FN(flds, "", "flds")
X87_FN(fldl, "", "fldl")
X87_FN(fldt, "", "fldt")
X87_FN(filds, "", "filds")
X87_FN(fildl, "", "fildl")
X87_FN(fildll, "", "fildll")
X87_FN(fsts, "fldpi", "fsts")
X87_FN(fstps, "fld1; fldpi", "fstps")
X87_FN(fstl, "fldpi", "fstl")
X87_FN(fstpl, "fld1; fldpi", "fstpl")
X87_FN(fstpt, "fld1; fldpi", "fstpt")
X87_FN(fists, "fldpi", "fists")
X87_FN(fistpl, "fld1; fldpi", "fistpl")
X87_FN(fistpll, "fld1; fldpi", "fistpll")
X87_FN(fisttpl, "fld1; fldpi", "fisttpl")
X87_FN(fnstsw, "fldpi", "fnstsw")
X87_FN(fnstcw, "fldpi", "fnstcw")
X87_FN(fldcw, "fldpi", "fldcw")
X87_FN(fadds, "fld1", "fadds")
X87_FN(fmuls, "fldpi", "fmuls")
X87_FN(fcoms, "fldpi", "fcoms")
X87_FN(fcomps, "fld1; fldpi", "fcomps")
X87_FN(fsubs, "fldpi", "fsubs")
X87_FN(fsubrs, "fldpi", "fsubrs")
X87_FN(fdivs, "fldpi", "fdivs")
X87_FN(fdivrs, "fldpi", "fdivrs")
X87_FN(faddl, "fldpi", "faddl")
X87_FN(fmull, "fldpi", "fmull")
X87_FN(fcoml, "fldpi", "fcoml")
X87_FN(fcompl, "fld1; fldpi", "fcompl")
X87_FN(fsubl, "fldpi", "fsubl")
X87_FN(fsubrl, "fldpi", "fsubrl")
X87_FN(fdivl, "fldpi", "fdivl")
X87_FN(fdivrl, "fldpi", "fdivrl")
X87_FN(fiaddl, "fldpi", "fiaddl")
X87_FN(fimull, "fldpi", "fimull")
X87_FN(ficoml, "fldpi", "ficoml")
X87_FN(ficompl, "fld1; fldpi", "ficompl")
X87_FN(fisubl, "fldpi", "fisubl")
X87_FN(fisubrl, "fldpi", "fisubrl")
X87_FN(fidivl, "fldpi", "fidivl")
X87_FN(fidivrl, "fldpi", "fidivrl")
X87_FN(fiadds, "fldpi", "fiadds")
X87_FN(fimuls, "fldpi", "fimuls")
X87_FN(ficoms, "fldpi", "ficoms")
X87_FN(ficomps, "fld1; fldpi", "ficomps")
X87_FN(fisubs, "fldpi", "fisubs")
X87_FN(fisubrs, "fldpi", "fisubrs")
X87_FN(fidivs, "fldpi", "fidivs")
X87_FN(fidivrs, "fldpi", "fidivrs")
X87_FN(fbld, "", "fbld")
X87_FN(fbstp, "fld1; fldpi", "fbstp")
X87_FN(fldenv, "fldpi", "fldenv")
X87_FN(fnstenv, "fldpi", "fnstenv")
X87_FN(frstor, "fldpi", "frstor")
X87_FN(fnsave, "fld1; fldpi", "fnsave")
X87_FN(fldenv16, "fldpi", "data16 fldenv")
X87_FN(fnstenv16, "fldpi", "data16 fnstenv")
X87_FN(frstor16, "fldpi", "data16 frstor")
X87_FN(fnsave16, "fld1; fldpi", "data16 fnsave")

struct x87_case
{
    const char *name;
    void (*fn)(uint64_t m, struct x87_out *o);
};

#define CASE(n) \
    {           \
#n, n   \
    }
static const struct x87_case cases[] = {
    CASE(flds),   CASE(fldl),    CASE(fldt),     CASE(filds),     CASE(fildl),    CASE(fildll),
    CASE(fsts),   CASE(fstps),   CASE(fstl),     CASE(fstpl),     CASE(fstpt),    CASE(fists),
    CASE(fistpl), CASE(fistpll), CASE(fisttpl),  CASE(fnstsw),    CASE(fnstcw),   CASE(fldcw),
    CASE(fadds),  CASE(fmuls),   CASE(fcoms),    CASE(fcomps),    CASE(fsubs),    CASE(fsubrs),
    CASE(fdivs),  CASE(fdivrs),  CASE(faddl),    CASE(fmull),     CASE(fcoml),    CASE(fcompl),
    CASE(fsubl),  CASE(fsubrl),  CASE(fdivl),    CASE(fdivrl),    CASE(fiaddl),   CASE(fimull),
    CASE(ficoml), CASE(ficompl), CASE(fisubl),   CASE(fisubrl),   CASE(fidivl),   CASE(fidivrl),
    CASE(fiadds), CASE(fimuls),  CASE(ficoms),   CASE(ficomps),   CASE(fisubs),   CASE(fisubrs),
    CASE(fidivs), CASE(fidivrs), CASE(fbld),     CASE(fbstp),     CASE(fldenv),   CASE(fnstenv),
    CASE(frstor), CASE(fnsave),  CASE(fldenv16), CASE(fnstenv16), CASE(frstor16), CASE(fnsave16),
};

static uint64_t ram_ones[16] __attribute__((aligned(64)));

static void run_case(const struct x87_case *c, uint64_t h)
{
    struct x87_out ram = { 0 }, hole = { 0 };

    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn((uint64_t)(uintptr_t)ram_ones, &ram);
    c->fn(h, &hole);
    if ( memcmp(ram.st, hole.st, 10) || ram.sw != hole.sw || ram.cw != hole.cw )
        xtf_failure("%s at %#lx: st0 %04x:%016lx fsw %#x fcw %#x; the CPU on RAM: st0 "
                    "%04x:%016lx fsw %#x fcw %#x",
                    c->name, (unsigned long)h, *(uint16_t *)(hole.st + 8),
                    *(unsigned long *)hole.st, hole.sw, hole.cw, *(uint16_t *)(ram.st + 8),
                    *(unsigned long *)ram.st, ram.sw, ram.cw);
    for ( unsigned int i = 0; i < 2; i++ )
        if ( *(volatile uint64_t *)(uintptr_t)(h + 8 * i) != ONES )
            xtf_failure("%s at %#lx: the hole no longer reads all-ones", c->name, (unsigned long)h);
}

void test_main(void)
{
    uint64_t holes[3], ram_end = xtf_ram_end();

    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
        for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
            run_case(&cases[n], holes[i]);
    xtf_success(NULL);
}
