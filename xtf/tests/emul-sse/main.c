/*
 * emul-sse - legacy SSE/SSE2 moves between an XMM register and a
 * guest-physical hole behave as on Xen with no device model: a load
 * gives all-ones in the bytes it reads (and zeros where MOVSS, MOVSD,
 * MOVD and MOVQ clear the rest of the register), a store is dropped,
 * other XMM registers keep their values, and RIP lands on the next
 * instruction (a sentinel MOV must run whole).
 *
 * Forms: MOVDQU, MOVUPS, MOVAPS, MOVDQA loads and stores, MOVSS, MOVSD,
 * MOVD/MOVQ both ways, MOVNTDQ, MOVNTPS, MOVNTI, the half moves
 * MOVLPS/MOVLPD/MOVHPS/MOVHPD both ways (the other half kept) and
 * MOVDDUP, MOVSLDUP, MOVSHDUP, XMM9 (REX.R); MMX MOVD/MOVQ both ways and MOVNTQ, leaving
 * the x87 tags valid and TOP 0 as the CPU's own MMX move does; the
 * first emulated access with the SSE state still in its XSAVE init
 * state, and a 16-byte MOVDQU straddling the last RAM page and the hole.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: SSE moves on holes";

#define HOLE           0xfed00200ULL
#define CR4_OSFXSR     (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)

static uint8_t pattern[16] __attribute__((aligned(16))) = {
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
static uint8_t other[16] __attribute__((aligned(16))) = {
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};
static uint8_t out[16] __attribute__((aligned(16)));
static uint8_t out2[16] __attribute__((aligned(16)));

/* XMM1 (or XMM9) starts as pattern, XMM2 as other; after the instruction
 * both are stored to out/out2. */
#define SSE_CASE(name, text, reg)                                                         \
    static uint32_t name(uint64_t m)                                                      \
    {                                                                                     \
        uint32_t s;                                                                       \
        __asm__ volatile(                                                                 \
            "movdqu (%[p]), %%" reg "; movdqu (%[q]), %%xmm2; " text "; "                 \
            "mov $0x5a5a5a5a, %[s]; movdqu %%" reg ", (%[o]); "                           \
            "movdqu %%xmm2, (%[o2])"                                                      \
            : [s] "=&r"(s)                                                                \
            : [p] "r"(pattern), [q] "r"(other), [o] "r"(out), [o2] "r"(out2), [m] "r"(m), \
              "a"(0x1122334455667788ULL)                                                  \
            : "memory");                                                                  \
        return s;                                                                         \
    }

SSE_CASE(movdqu_ld, "movdqu (%[m]), %%xmm1", "xmm1")
SSE_CASE(movups_ld, "movups (%[m]), %%xmm1", "xmm1")
SSE_CASE(movaps_ld, "movaps (%[m]), %%xmm1", "xmm1")
SSE_CASE(movdqa_ld, "movdqa (%[m]), %%xmm1", "xmm1")
SSE_CASE(movss_ld, "movss (%[m]), %%xmm1", "xmm1")
SSE_CASE(movsd_ld, "movsd (%[m]), %%xmm1", "xmm1")
SSE_CASE(movd_ld, "movd (%[m]), %%xmm1", "xmm1")
SSE_CASE(movq_ld, "movq (%[m]), %%xmm1", "xmm1")
SSE_CASE(movdqu_ld9, "movdqu (%[m]), %%xmm9", "xmm9")
SSE_CASE(movdqu_st, "movdqu %%xmm1, (%[m])", "xmm1")
SSE_CASE(movups_st, "movups %%xmm1, (%[m])", "xmm1")
SSE_CASE(movaps_st, "movaps %%xmm1, (%[m])", "xmm1")
SSE_CASE(movd_st, "movd %%xmm1, (%[m])", "xmm1")
SSE_CASE(movq_st, "movq %%xmm1, (%[m])", "xmm1")
SSE_CASE(movntdq_st, "movntdq %%xmm1, (%[m])", "xmm1")
SSE_CASE(movntps_st, "movntps %%xmm1, (%[m])", "xmm1")
SSE_CASE(movnti_st, "movnti %%rax, (%[m])", "xmm1")
SSE_CASE(movlps_ld, "movlps (%[m]), %%xmm1", "xmm1")
SSE_CASE(movlpd_ld, "movlpd (%[m]), %%xmm1", "xmm1")
SSE_CASE(movhps_ld, "movhps (%[m]), %%xmm1", "xmm1")
SSE_CASE(movhpd_ld, "movhpd (%[m]), %%xmm1", "xmm1")
SSE_CASE(movddup_ld, "movddup (%[m]), %%xmm1", "xmm1")
SSE_CASE(movsldup_ld, "movsldup (%[m]), %%xmm1", "xmm1")
SSE_CASE(movshdup_ld, "movshdup (%[m]), %%xmm1", "xmm1")
SSE_CASE(movlps_st, "movlps %%xmm1, (%[m])", "xmm1")
SSE_CASE(movhps_st, "movhps %%xmm1, (%[m])", "xmm1")
SSE_CASE(movhpd_st, "movhpd %%xmm1, (%[m])", "xmm1")

struct sse_case
{
    const char *name;
    uint32_t (*fn)(uint64_t m);
    unsigned int ones; /* loads: bytes of all-ones from the hole */
    bool clears;       /* loads: the rest of the register becomes 0 */
    bool store;
    unsigned int off; /* loads: where in the register the ones start */
};

static const struct sse_case cases[] = {
    { "movdqu load", movdqu_ld, 16, false, false },
    { "movups load", movups_ld, 16, false, false },
    { "movaps load", movaps_ld, 16, false, false },
    { "movdqa load", movdqa_ld, 16, false, false },
    { "movss load", movss_ld, 4, true, false },
    { "movsd load", movsd_ld, 8, true, false },
    { "movd load", movd_ld, 4, true, false },
    { "movq load", movq_ld, 8, true, false },
    { "movdqu load xmm9", movdqu_ld9, 16, false, false },
    { "movdqu store", movdqu_st, 0, false, true },
    { "movups store", movups_st, 0, false, true },
    { "movaps store", movaps_st, 0, false, true },
    { "movd store", movd_st, 0, false, true },
    { "movq store", movq_st, 0, false, true },
    { "movntdq store", movntdq_st, 0, false, true },
    { "movntps store", movntps_st, 0, false, true },
    { "movnti store", movnti_st, 0, false, true },
    { "movlps load", movlps_ld, 8, false, false },
    { "movlpd load", movlpd_ld, 8, false, false },
    { "movhps load", movhps_ld, 8, false, false, 8 },
    { "movhpd load", movhpd_ld, 8, false, false, 8 },
    { "movddup load", movddup_ld, 16, false, false },
    { "movsldup load", movsldup_ld, 16, false, false },
    { "movshdup load", movshdup_ld, 16, false, false },
    { "movlps store", movlps_st, 0, false, true },
    { "movhps store", movhps_st, 0, false, true },
    { "movhpd store", movhpd_st, 0, false, true },
};

static void check_case(const struct sse_case *c, uint64_t m)
{
    if ( c->fn(m) != SENTINEL )
        xtf_failure("%s: RIP did not land on the next instruction", c->name);
    for ( unsigned int i = 0; i < 16; i++ )
    {
        bool ones = i >= c->off && i < c->off + c->ones;
        uint8_t want = c->store ? pattern[i] : ones ? 0xff : c->clears ? 0 : pattern[i];
        if ( out[i] != want )
            return xtf_failure("%s: byte %u of the register is %#x, expected %#x", c->name, i,
                               out[i], want);
        if ( out2[i] != other[i] )
            return xtf_failure("%s: xmm2 byte %u changed to %#x", c->name, i, out2[i]);
    }
    if ( load64(m) != ~0ULL || load64(m + 8) != ~0ULL )
        xtf_failure("%s: the hole does not read all-ones after", c->name);
}

/*
 * MMX: MM1 starts as the low 8 bytes of pattern; after the move it is
 * stored to out (and FTW checked through FNSTENV: all valid).
 */
#define MMX_CASE(name, text)                                                     \
    static uint32_t name(uint64_t m)                                             \
    {                                                                            \
        uint32_t s;                                                              \
        __asm__ volatile("movq (%[p]), %%mm1; " text "; mov $0x5a5a5a5a, %[s]; " \
                         "movq %%mm1, (%[o]); emms"                              \
                         : [s] "=&r"(s)                                          \
                         : [p] "r"(pattern), [o] "r"(out), [m] "r"(m)            \
                         : "memory");                                            \
        return s;                                                                \
    }

MMX_CASE(mmx_movq_ld, "movq (%[m]), %%mm1")
MMX_CASE(mmx_movd_ld, "movd (%[m]), %%mm1")
MMX_CASE(mmx_movq_ld_rexw, "rex.w movd (%[m]), %%mm1")
MMX_CASE(mmx_movq_st, "movq %%mm1, (%[m])")
MMX_CASE(mmx_movd_st, "movd %%mm1, (%[m])")
MMX_CASE(mmx_movntq_st, "movntq %%mm1, (%[m])")

static const struct sse_case mmx_cases[] = {
    { "mmx movq load", mmx_movq_ld, 8, true, false },
    { "mmx movd load", mmx_movd_ld, 4, true, false },
    { "mmx movq (66-less 6e, rex.w) load", mmx_movq_ld_rexw, 8, true, false },
    { "mmx movq store", mmx_movq_st, 0, false, true },
    { "mmx movd store", mmx_movd_st, 0, false, true },
    { "mmx movntq store", mmx_movntq_st, 0, false, true },
};

static void check_mmx(const struct sse_case *c, uint64_t m)
{
    if ( c->fn(m) != SENTINEL )
        xtf_failure("%s: RIP did not land on the next instruction", c->name);
    for ( unsigned int i = 0; i < 8; i++ )
    {
        uint8_t want = c->store ? pattern[i] : i < c->ones ? 0xff : 0;
        if ( out[i] != want )
            return xtf_failure("%s: byte %u of mm1 is %#x, expected %#x", c->name, i, out[i], want);
    }
    if ( load64(m) != ~0ULL )
        xtf_failure("%s: the hole does not read all-ones after", c->name);
}

/*
 * After an emulated MMX load the x87 tags are all in use and TOP is 0,
 * as after the CPU's own. FNSTENV's full tag word has 2 bits per
 * physical register (11 empty); MM3 written has exponent bits all ones,
 * which the CPU tags special (10).
 */
static void mmx_x87_state(uint64_t m)
{
    uint16_t env[14];

    __asm__ volatile("fninit; movq (%[m]), %%mm3; fnstenv (%[e]); emms"
                     :
                     : [m] "r"(m), [e] "r"(env)
                     : "memory");
    for ( unsigned int r = 0; r < 8; r++ )
        if ( ((env[4] >> (2 * r)) & 3) == 3 )
            xtf_failure("mmx load: x87 register %u still tagged empty (tag word %#x)", r, env[4]);
    if ( ((env[4] >> 6) & 3) != 2 || (env[2] & 0x3800) )
        xtf_failure("mmx load: tag word %#x, status %#x; expected mm3 special, TOP 0", env[4],
                    env[2]);
}

/* 16 bytes: the last 8 of RAM, the first 8 of the hole. */
static void straddle(void)
{
    uint64_t ram_end = xtf_ram_end(), a = ram_end - 8;
    volatile uint64_t *ram = (volatile uint64_t *)(uintptr_t)a;
    uint64_t old = *ram;

    *ram = 0x0706050403020100ULL;
    if ( movdqu_ld(a) != SENTINEL )
        xtf_failure("straddling movdqu: RIP");
    for ( unsigned int i = 0; i < 16; i++ )
        if ( out[i] != (i < 8 ? i : 0xff) )
            return xtf_failure("straddling movdqu load: byte %u is %#x", i, out[i]);
    if ( movdqu_st(a) != SENTINEL )
        xtf_failure("straddling movdqu store: RIP");
    if ( *ram != 0x1716151413121110ULL )
        xtf_failure("straddling movdqu store: RAM half %#lx", (unsigned long)*ram);
    *ram = old;
}

void test_main(void)
{
    uint64_t cr0 = read_cr0();

    __asm__ volatile("mov %0, %%cr0" ::"r"((cr0 | 2UL) & ~4UL)); /* MP on, EM off */
    __asm__ volatile("mov %0, %%cr4" ::"r"(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT));
    /* The very first SSE use is emulated, a load, with the XMM state
     * still in its XSAVE init state (all zeros): xmm3 becomes ones in
     * its low 8 bytes only. */
    __asm__ volatile("movq (%[m]), %%xmm3; movdqu %%xmm3, (%[o])"
                     :
                     : [m] "r"(HOLE), [o] "r"(out)
                     : "memory");
    for ( unsigned int i = 0; i < 16; i++ )
        if ( out[i] != (i < 8 ? 0xff : 0) )
        {
            xtf_failure("first SSE use, movq load: byte %u is %#x", i, out[i]);
            break;
        }
    for ( unsigned int i = 0; i < ARRAY_SIZE(cases); i++ )
        check_case(&cases[i], HOLE);
    for ( unsigned int i = 0; i < ARRAY_SIZE(mmx_cases); i++ )
        check_mmx(&mmx_cases[i], HOLE);
    mmx_x87_state(HOLE);
    straddle();
    xtf_success(NULL);
}
