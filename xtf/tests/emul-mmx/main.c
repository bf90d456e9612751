/*
 * emul-mmx - PSHUFW mm, m64, imm8, PALIGNR mm, m64, imm8 and the MMX
 * conversions CVTPI2PS/CVTPI2PD xmm, m64, CVTPS2PI/CVTTPS2PI mm, m64 and
 * CVTPD2PI/CVTTPD2PI mm, m128 whose memory operand is a hole behave as
 * the CPU's own run on all-ones RAM: the same MM0/XMM1 result, MXCSR,
 * x87 status and tag words (an MMX destination makes the x87-to-MMX
 * transition, a CVTPI2PS/PD from memory does not) and exception; with
 * the invalid-operation exception unmasked, a conversion of the all-ones
 * NaNs is #XM with the destination untouched (the SDM; QEMU's TCG
 * raises none on RAM). MASKMOVQ and MASKMOVDQU straddling the last RAM
 * page write exactly the masked bytes that are in RAM.
 *
 * It touches nothing but its own x87/MMX/SSE state, MXCSR, buffers and
 * the holes.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: MMX shuffles and conversions on holes";

#define HOLE           0xfed00200ULL
#define CR4_OSFXSR     (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)

struct mmx_out
{
    uint64_t ex;
    uint8_t mm[8], xmm[16];
    uint8_t env[28];
    uint32_t csr;
};

static uint8_t pattern[16] __attribute__((aligned(16))) = {
    0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x07, 0x18, 0x29, 0x3a, 0x4b, 0x5c, 0x6d, 0x7e, 0x0f,
};

/* From FNINIT and MXCSR csr: pre, the instruction on (%rdx), then the
 * x87 environment (before MM0 is read), MM0, XMM1 and MXCSR. */
#define MMXOP(name, pre, text)                                                                  \
    static void name(uint64_t m, uint32_t csr, struct mmx_out *o)                               \
    {                                                                                           \
        uint64_t ex = 0;                                                                        \
                                                                                                \
        __asm__ volatile("fninit; ldmxcsr %[csr]; movdqu %[p], %%xmm1; " pre "; 1: " text       \
                         "; 2: stmxcsr %[ocsr]; fnstenv %[env]; movq %%mm0, %[mm]; "            \
                         "movdqu %%xmm1, %[xmm]; fninit;" _ASM_EXTABLE(1b, 2b)                  \
                         : "+a"(ex), [ocsr] "=m"(o->csr), [env] "=m"(o->env), [mm] "=m"(o->mm), \
                           [xmm] "=m"(o->xmm)                                                   \
                         : "d"(m), [csr] "m"(csr), [p] "m"(pattern)                             \
                         : "memory");                                                           \
        o->ex = ex;                                                                             \
    }

#define LOAD_MM0 "movq %[p], %%mm0"
MMXOP(pshufw_1b, LOAD_MM0, "pshufw $0x1b, (%%rdx), %%mm0")
MMXOP(pshufw_e4, LOAD_MM0, "pshufw $0xe4, (%%rdx), %%mm0")
MMXOP(palignr_3, LOAD_MM0, "palignr $3, (%%rdx), %%mm0")
MMXOP(palignr_9, LOAD_MM0, "palignr $9, (%%rdx), %%mm0")
MMXOP(palignr_17, LOAD_MM0, "palignr $17, (%%rdx), %%mm0")
MMXOP(cvtpi2ps, "", "cvtpi2ps (%%rdx), %%xmm1")
MMXOP(cvtpi2pd, "", "cvtpi2pd (%%rdx), %%xmm1")
MMXOP(cvtps2pi, LOAD_MM0, "cvtps2pi (%%rdx), %%mm0")
MMXOP(cvttps2pi, LOAD_MM0, "cvttps2pi (%%rdx), %%mm0")
MMXOP(cvtpd2pi, LOAD_MM0, "cvtpd2pi (%%rdx), %%mm0")
MMXOP(cvttpd2pi, LOAD_MM0, "cvttpd2pi (%%rdx), %%mm0")
MMXOP(cvtps2pi_x87, "fld1", "cvtps2pi (%%rdx), %%mm0") /* the transition from x87 use */

struct mmx_case
{
    const char *name;
    void (*fn)(uint64_t m, uint32_t csr, struct mmx_out *o);
    bool raises_ie; /* an all-ones source is invalid: #XM when unmasked */
};

#define CASE(n, ie) \
    {               \
#n, n, ie   \
    }
static const struct mmx_case cases[] = {
    CASE(pshufw_1b, false), CASE(pshufw_e4, false),  CASE(palignr_3, false),
    CASE(palignr_9, false), CASE(palignr_17, false), CASE(cvtpi2ps, false),
    CASE(cvtpi2pd, false),  CASE(cvtps2pi, true),    CASE(cvttps2pi, true),
    CASE(cvtpd2pi, true),   CASE(cvttpd2pi, true),   CASE(cvtps2pi_x87, true),
};

static uint8_t ram_ones[32] __attribute__((aligned(16)));

/* FCW, FSW and FTW of the 28-byte environment (FIP/FDP may differ). */
static bool same_env(const uint8_t *a, const uint8_t *b)
{
    return !memcmp(a, b, 2) && !memcmp(a + 4, b + 4, 2) && !memcmp(a + 8, b + 8, 2);
}

static void compare(const struct mmx_case *c, uint32_t csr)
{
    struct mmx_out ram, hole;

    memset(ram_ones, 0xff, sizeof(ram_ones));
    memset(&ram, 0, sizeof(ram));
    memset(&hole, 0, sizeof(hole));
    c->fn((uint64_t)(uintptr_t)ram_ones, csr, &ram);
    c->fn(HOLE, csr, &hole);
    if ( ram.ex != hole.ex )
        return xtf_failure("%s mxcsr %#x: exception %#lx, the CPU on RAM %#lx", c->name, csr,
                           (unsigned long)hole.ex, (unsigned long)ram.ex);
    if ( memcmp(ram.mm, hole.mm, 8) || memcmp(ram.xmm, hole.xmm, 16) || ram.csr != hole.csr ||
         !same_env(ram.env, hole.env) )
        xtf_failure("%s mxcsr %#x: mm0 %#lx xmm1 %#lx mxcsr %#x fsw %#x ftw %#x; the CPU on RAM: "
                    "mm0 %#lx xmm1 %#lx mxcsr %#x fsw %#x ftw %#x",
                    c->name, csr, *(unsigned long *)hole.mm, *(unsigned long *)hole.xmm, hole.csr,
                    *(uint16_t *)(hole.env + 4), *(uint16_t *)(hole.env + 8),
                    *(unsigned long *)ram.mm, *(unsigned long *)ram.xmm, ram.csr,
                    *(uint16_t *)(ram.env + 4), *(uint16_t *)(ram.env + 8));
}

/* Invalid operation unmasked: the SDM's #XM, whatever QEMU does on RAM. */
static void unmasked(const struct mmx_case *c)
{
    struct mmx_out hole;

    memset(&hole, 0, sizeof(hole));
    c->fn(HOLE, 0x1f00, &hole);
    if ( hole.ex != EXINFO(X86_EXC_XM, 0) )
        xtf_failure("%s with IE unmasked: exception %#lx, expected #XM", c->name,
                    (unsigned long)hole.ex);
    if ( memcmp(hole.mm, pattern, 8) )
        xtf_failure("%s with IE unmasked: mm0 changed to %#lx", c->name, *(unsigned long *)hole.mm);
}

/*
 * MASKMOVQ and MASKMOVDQU at rDI = the last 4 bytes of RAM: the bytes
 * whose mask bit is set are written there (and dropped in the hole);
 * the others are not touched.
 */
static void maskmov_straddle(void)
{
    uint64_t a = xtf_ram_end() - 4;
    volatile uint32_t *ram = (volatile uint32_t *)(uintptr_t)a;
    uint32_t old = *ram, s = 0;
    static const uint8_t mask[16] __attribute__((aligned(16))) = {
        0x80, 0, 0xff, 0x7f, 0x80, 0x80, 0, 0x80, 0, 0x80, 0x80, 0, 0x80, 0, 0, 0x80,
    };

    *ram = 0;
    __asm__ volatile("movq %[p], %%mm1; movq %[k], %%mm2; maskmovq %%mm2, %%mm1; "
                     "mov $0x5a5a5a5a, %[s]; emms"
                     : [s] "+r"(s)
                     : "D"(a), [p] "m"(pattern), [k] "m"(mask)
                     : "memory");
    check_sentinel(s, "maskmovq");
    if ( *ram != 0x00320010 )
        xtf_failure("straddling maskmovq: RAM %#x, expected 0x00320010", *ram);
    *ram = 0;
    s = 0;
    __asm__ volatile("movdqu %[p], %%xmm1; movdqu %[k], %%xmm2; maskmovdqu %%xmm2, %%xmm1; "
                     "mov $0x5a5a5a5a, %[s]"
                     : [s] "+r"(s)
                     : "D"(a), [p] "m"(pattern), [k] "m"(mask)
                     : "memory");
    check_sentinel(s, "maskmovdqu");
    if ( *ram != 0x00320010 )
        xtf_failure("straddling maskmovdqu: RAM %#x, expected 0x00320010", *ram);
    *ram = old;
}

void test_main(void)
{
    uint64_t cr0 = read_cr0();

    __asm__ volatile("mov %0, %%cr0" ::"r"((cr0 | 2UL) & ~4UL)); /* MP on, EM off */
    __asm__ volatile("mov %0, %%cr4" ::"r"(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT));
    for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
    {
        compare(&cases[n], 0x1f80);
        compare(&cases[n], 0x7f80); /* round toward zero */
        if ( cases[n].raises_ie && strcmp(cases[n].name, "cvtps2pi_x87") )
            unmasked(&cases[n]);
    }
    maskmov_straddle();
    if ( load64(HOLE) != ~0ULL )
        xtf_failure("the hole no longer reads all-ones");
    xtf_success(NULL);
}
