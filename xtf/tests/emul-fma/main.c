/*
 * emul-fma - FMA3 and F16C with a memory operand aimed at guest-physical
 * holes behave as on Xen with no device model: the hole reads all-ones
 * (a negative quiet NaN in every element), writes are dropped, and each
 * instruction ends with the YMM1, MXCSR and exception the CPU itself
 * gives on RAM holding all-ones:
 *
 *  - VFMADD/VFMSUB/VFNMADD/VFNMSUB 132/213/231 PS/PD at 128 and 256 bits
 *    and SS/SD, VFMADDSUB/VFMSUBADD, with quiet and signalling NaNs,
 *    denormals and infinities in the register operands: which NaN wins,
 *    quieted and never negated, IE, no DE beside a NaN, the scalar
 *    forms' upper elements, VEX.128's cleared bits 255:128;
 *  - an SNaN with IE unmasked: #XM with YMM1 untouched;
 *  - VCVTPH2PS from a hole (128, 256); VCVTPS2PH to a hole (overflow,
 *    underflow, SNaN, inexact flags; an unmasked overflow's #XM).
 * QEMU's TCG raises no #XM for an unmasked SIMD exception: where the CPU
 * on RAM gave none, the SDM's #XM is expected. Needs AVX and XSAVE; the
 * FMA and F16C families each run only where CPUID offers them, and the
 * test is SKIPPED with neither.
 *
 * It touches nothing but its own registers, buffers and the holes.
 */
#include <xtf.h>
#include <xtf/p2m.h>
#include <xtf/traps.h>

const char test_title[] = "emulation: FMA3 and F16C on holes";

#define CR4_OSFXSR     (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_OSXSAVE    (1UL << 18)
#define ONES           0xffffffffffffffffULL

static const uint32_t default_csr = 0x1f80;

struct io
{
    uint8_t y1[32];
    const uint8_t *y2;
    uint32_t csr;
    uint64_t ex;
};

/* YMM1 := io->y1, YMM2 := io->y2, MXCSR := io->csr; the op at m; then
 * YMM1, MXCSR and any exception back into io. */
#define FMA_FN(name, text)                                                                         \
    static void name(uint64_t m, struct io *io)                                                    \
    {                                                                                              \
        uint64_t ex = 0;                                                                           \
        __asm__ volatile("vmovdqu (%[y1]), %%ymm1; vmovdqu (%[y2]), %%ymm2; "                      \
                         "ldmxcsr %[csr]; 1: " text "; 2: stmxcsr %[csr]; "                        \
                         "vmovdqu %%ymm1, (%[y1]); ldmxcsr %[dcsr]\n\t" _ASM_EXTABLE(1b, 2b)       \
                         : [csr] "+m"(io->csr), "+a"(ex)                                           \
                         : [y1] "r"(io->y1), [y2] "r"(io->y2), [m] "r"(m), [dcsr] "m"(default_csr) \
                         : "memory");                                                              \
        io->ex = ex;                                                                               \
    }

FMA_FN(vfmadd132ps256, "vfmadd132ps (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfmadd213ps128, "vfmadd213ps (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfmadd231ps256, "vfmadd231ps (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfmadd231pd256, "vfmadd231pd (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfmsub132pd128, "vfmsub132pd (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfmsub213ps256, "vfmsub213ps (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfnmadd213ps256, "vfnmadd213ps (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfnmadd132pd256, "vfnmadd132pd (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfnmsub231ps128, "vfnmsub231ps (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfnmsub213pd256, "vfnmsub213pd (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfmaddsub132ps256, "vfmaddsub132ps (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfmsubadd231pd256, "vfmsubadd231pd (%[m]), %%ymm2, %%ymm1")
FMA_FN(vfmadd132ss, "vfmadd132ss (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfmadd213sd, "vfmadd213sd (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfmsub231ss, "vfmsub231ss (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfnmadd231sd, "vfnmadd231sd (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfnmsub213ss, "vfnmsub213ss (%[m]), %%xmm2, %%xmm1")
FMA_FN(vfnmsub132sd, "vfnmsub132sd (%[m]), %%xmm2, %%xmm1")
FMA_FN(vcvtph2ps128, "vcvtph2ps (%[m]), %%xmm1")
FMA_FN(vcvtph2ps256, "vcvtph2ps (%[m]), %%ymm1")
FMA_FN(vcvtps2ph128, "vcvtps2ph $0, %%xmm1, (%[m])")
FMA_FN(vcvtps2ph256, "vcvtps2ph $4, %%ymm1, (%[m])")
FMA_FN(vcvtps2ph_up, "vcvtps2ph $2, %%xmm2, (%[m])")

/* Register operands: NaNs of both kinds with payloads, denormals,
 * infinities, zeros and plain numbers, in singles and in doubles. */
static const uint32_t ps1[8] __attribute__((aligned(32))) = {
    0x3fc00000, 0x7fa00011, 0x7fc00022, 0x00000123, 0xc0000000, 0x7f800000, 0, 0x80000000,
};
static const uint32_t ps2[8] __attribute__((aligned(32))) = {
    0x7fc00033, 0x40000000, 0x7f900044, 0x40400000, 0x80000456, 0xff800000, 0x00800000, 0x40a00000,
};
static const uint64_t pd1[4] __attribute__((aligned(32))) = {
    0x3ff8000000000000ULL,
    0x7ff4000000000011ULL,
    0x7ff8000000000022ULL,
    0x0000000000000123ULL,
};
static const uint64_t pd2[4] __attribute__((aligned(32))) = {
    0x7ff8000000000033ULL,
    0x4000000000000000ULL,
    0x7ff2000000000044ULL,
    0xc008000000000000ULL,
};
/* No NaN: element 0 of each a number, so a scalar form's only NaN is the hole's. */
static const uint32_t ps_plain[8] __attribute__((aligned(32))) = {
    0x3f800000, 0x7fa00011, 0x7fc00022, 0x00000123, 0xc0000000, 0x7f800000, 0, 0x80000000,
};
/* For VCVTPS2PH: too large, an SNaN, too small, exact, inexact, a
 * denormal, -inf, a QNaN. */
static const uint32_t to_half[8] __attribute__((aligned(32))) = {
    0x501502f9, 0x7fa00001, 0x2edbe6ff, 0x3f800000, 0x3f8ccccd, 0x00000400, 0xff800000, 0x7fc00001,
};

#define NEED_FMA  12
#define NEED_F16C 29

struct fma_case
{
    const char *name;
    void (*fn)(uint64_t m, struct io *io);
    const void *y1, *y2;
    uint32_t csr;
    unsigned int need;
    uint32_t sdm_flags; /* MXCSR flags the SDM (and Intel's CPUs) raise here */
};

static const struct fma_case cases[] = {
    { "vfmadd132ps 256", vfmadd132ps256, ps1, ps2, 0x1f80, NEED_FMA },
    { "vfmadd213ps 128", vfmadd213ps128, ps1, ps2, 0x1f80, NEED_FMA },
    { "vfmadd231ps 256 daz ftz", vfmadd231ps256, ps2, ps1, 0x9fc0, NEED_FMA },
    { "vfmadd231pd 256", vfmadd231pd256, pd1, pd2, 0x1f80, NEED_FMA },
    { "vfmsub132pd 128", vfmsub132pd128, pd2, pd1, 0x1f80, NEED_FMA },
    { "vfmsub213ps 256", vfmsub213ps256, ps2, ps1, 0x5f80, NEED_FMA },
    { "vfnmadd213ps 256", vfnmadd213ps256, ps1, ps2, 0x1f80, NEED_FMA },
    { "vfnmadd132pd 256", vfnmadd132pd256, pd1, pd2, 0x1f80, NEED_FMA },
    { "vfnmsub231ps 128", vfnmsub231ps128, ps1, ps2, 0x1f80, NEED_FMA },
    { "vfnmsub213pd 256", vfnmsub213pd256, pd2, pd1, 0x3f80, NEED_FMA },
    { "vfmaddsub132ps 256", vfmaddsub132ps256, ps1, ps2, 0x1f80, NEED_FMA },
    { "vfmsubadd231pd 256", vfmsubadd231pd256, pd1, pd2, 0x1f80, NEED_FMA },
    { "vfmadd132ss", vfmadd132ss, ps1, ps2, 0x1f80, NEED_FMA },
    { "vfmadd213sd", vfmadd213sd, pd1, pd2, 0x1f80, NEED_FMA },
    { "vfmsub231ss", vfmsub231ss, ps2, ps1, 0x1f80, NEED_FMA },
    { "vfnmadd231sd", vfnmadd231sd, pd2, pd1, 0x1f80, NEED_FMA },
    { "vfnmsub213ss", vfnmsub213ss, ps_plain, ps_plain, 0x1f80, NEED_FMA },
    { "vfnmsub132sd", vfnmsub132sd, pd1, pd1, 0x1f80, NEED_FMA },
    { "vfmadd231ps 256 snan unmasked", vfmadd231ps256, ps1, ps2, 0x1f00, NEED_FMA },
    { "vfmadd132ss no snan, IE unmasked", vfmadd132ss, ps_plain, ps_plain, 0x1f00, NEED_FMA },
    { "vcvtph2ps 128", vcvtph2ps128, ps1, ps2, 0x1f80, NEED_F16C },
    { "vcvtph2ps 256", vcvtph2ps256, ps2, ps1, 0x1f80, NEED_F16C },
    { "vcvtps2ph 128 store", vcvtps2ph128, to_half, ps1, 0x1f80, NEED_F16C },
    { "vcvtps2ph 256 store", vcvtps2ph256, to_half, ps1, 0x3f80, NEED_F16C, 0x2 },
    { "vcvtps2ph round up", vcvtps2ph_up, ps1, to_half, 0x1f80, NEED_F16C },
    { "vcvtps2ph overflow unmasked", vcvtps2ph128, to_half, ps1, 0x1b80, NEED_F16C },
};

static uint64_t ram_ones[8] __attribute__((aligned(64)));

static void print_io(const char *who, const struct io *io)
{
    const unsigned long *y = (const void *)io->y1;

    printf("  %s: ymm1 %#lx:%#lx:%#lx:%#lx mxcsr %#x exinfo %#lx\n", who, y[3], y[2], y[1], y[0],
           io->csr, (unsigned long)io->ex);
}

/*
 * QEMU's TCG raises no #XM for an exception unmasked in MXCSR: where the
 * CPU on RAM gave none though the flag it raised is unmasked, expect
 * what the SDM says (#XM, YMM1 untouched).
 */
static void sdm_exception(const struct fma_case *c, struct io *ram)
{
    static bool said;

    if ( ram->ex || !(ram->csr & 0x3f & ~(c->csr >> 7)) )
        return;
    if ( !said )
        printf("This CPU raises no #XM for unmasked SIMD exceptions: the SDM's expected\n");
    said = true;
    memcpy(ram->y1, c->y1, 32);
    ram->ex = EXINFO(X86_EXC_XM, 0);
}

/*
 * QEMU 7.2's TCG raises no DE for VCVTPS2PH of a denormal single (the
 * SDM lists it, DAZ clear; the host's Intel CPU raises it): where the CPU
 * on RAM left out a flag the SDM requires, expect it.
 */
static void sdm_flags(const struct fma_case *c, struct io *ram)
{
    static bool said;

    if ( (ram->csr & c->sdm_flags) == c->sdm_flags )
        return;
    if ( !said )
        printf("note: the CPU's %s on RAM left MXCSR %#x, without the SDM's flags %#x: "
               "expected\n",
               c->name, ram->csr, c->sdm_flags);
    said = true;
    ram->csr |= c->sdm_flags;
}

static void run_case(const struct fma_case *c, uint64_t h)
{
    struct io ram = { .y2 = c->y2, .csr = c->csr }, hole;

    memcpy(ram.y1, c->y1, 32);
    hole = ram;
    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn((uint64_t)(uintptr_t)ram_ones, &ram);
    c->fn(h, &hole);
    sdm_flags(c, &ram);
    sdm_exception(c, &ram);
    if ( memcmp(ram.y1, hole.y1, 32) || ram.csr != hole.csr || ram.ex != hole.ex )
    {
        xtf_failure("%s at %#lx differs from the CPU on all-ones RAM", c->name, (unsigned long)h);
        print_io("hole", &hole);
        print_io("RAM ", &ram);
    }
    for ( unsigned int i = 0; i < 4; i++ )
        if ( *(volatile uint64_t *)(uintptr_t)(h + 8 * i) != ONES )
            xtf_failure("%s at %#lx: the hole no longer reads all-ones", c->name, (unsigned long)h);
}

static bool have(unsigned int bit)
{
    return cpuid_count(1, 0).c & (1u << bit);
}

void test_main(void)
{
    uint64_t holes[3], ram_end = xtf_ram_end();
    unsigned int ran = 0;

    if ( !have(28) || !have(26) )
        return xtf_skip("AVX or XSAVE not offered");
    if ( !have(NEED_FMA) && !have(NEED_F16C) )
        return xtf_skip("neither FMA nor F16C offered by this CPU");
    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    __asm__ volatile("mov %0, %%cr4" ::"r"(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_OSXSAVE));
    __asm__ volatile("xsetbv" ::"c"(0), "a"(7), "d"(0));
    if ( !have(NEED_FMA) )
        printf("FMA not offered (CPUID.1:ECX bit 12): its cases are not run\n");
    if ( !have(NEED_F16C) )
        printf("F16C not offered (CPUID.1:ECX bit 29): its cases are not run\n");
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
        for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
            if ( have(cases[n].need) )
            {
                run_case(&cases[n], holes[i]);
                ran++;
            }
    xtf_success(NULL);
}
