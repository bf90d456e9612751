/*
 * emul-vex - VEX-encoded moves between a YMM/XMM register and a
 * guest-physical hole behave as on Xen with no device model: a load
 * gives all-ones in the bytes it reads and zeros above them up to bit
 * 255 (a VEX.128 load clears the upper YMM half), a store is dropped;
 * each result is compared with the CPU's own load from all-ones RAM.
 * VEX arithmetic, logic, compares, conversions and shuffles with a hole
 * source (128 and 256 bit, AVX; the integer ones at 128 bits, which
 * AVX2 is not needed for) end with the same YMM1 (bits 255:128 cleared
 * by a VEX.128 form), arithmetic flags and MXCSR as on all-ones RAM.
 * Needs AVX (CPUID.1:ECX.AVX and XSAVE): skipped where not offered.
 *
 * It touches nothing but its own registers, buffers and the holes.
 */
#include <xtf.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: VEX moves and operations on holes";

#define CR4_OSFXSR  (1UL << 9)
#define CR4_OSXSAVE (1UL << 18)
#define ONES        0xffffffffffffffffULL

static uint8_t pattern[32] __attribute__((aligned(32)));
static uint8_t pattern2[32] __attribute__((aligned(32)));
static const uint32_t default_csr = 0x1f80;

/* What a case leaves: ymm1, the arithmetic flags, MXCSR. */
#define OUT_SIZE 48

/* ymm1 := pattern, the move at m, then ymm1 to out. */
#define VEX_FN(name, text)                                                                        \
    static void name(uint64_t m, uint8_t out[OUT_SIZE])                                           \
    {                                                                                             \
        __asm__ volatile("vmovdqu (%[p]), %%ymm1; " text "; "                                     \
                         "vmovdqu %%ymm1, (%[o])"                                                 \
                         :                                                                        \
                         : [p] "r"(pattern), [o] "r"(out), [m] "r"(m), "a"(0x1122334455667788ULL) \
                         : "memory");                                                             \
    }

VEX_FN(vmovdqu256, "vmovdqu (%[m]), %%ymm1")
VEX_FN(vmovdqu128, "vmovdqu (%[m]), %%xmm1")
VEX_FN(vmovdqa128, "vmovdqa (%[m]), %%xmm1")
VEX_FN(vmovups256, "vmovups (%[m]), %%ymm1")
VEX_FN(vmovaps256, "vmovaps (%[m]), %%ymm1")
VEX_FN(vmovss, "vmovss (%[m]), %%xmm1")
VEX_FN(vmovsd, "vmovsd (%[m]), %%xmm1")
VEX_FN(vmovd, "vmovd (%[m]), %%xmm1")
VEX_FN(vmovq, "vmovq (%[m]), %%xmm1")
VEX_FN(vmovdqu256_st, "vmovdqu %%ymm1, (%[m])")
VEX_FN(vmovups128_st, "vmovups %%xmm1, (%[m])")
VEX_FN(vmovq_st, "vmovq %%xmm1, (%[m])")
VEX_FN(vmovd_st, "vmovd %%xmm1, (%[m])")

/* ymm1 := pattern, ymm2 := pattern2, MXCSR all masked, the op at m;
 * then ymm1, RFLAGS and MXCSR to out. */
#define VEX_OP(name, text)                                                                   \
    static void name(uint64_t m, uint8_t out[OUT_SIZE])                                      \
    {                                                                                        \
        uint64_t fl;                                                                         \
        __asm__ volatile("vmovdqu (%[p]), %%ymm1; vmovdqu (%[q]), %%ymm2; ldmxcsr %[dcsr]; " \
                         "xor %%eax, %%eax; " text "; pushf; pop %[fl]; stmxcsr 40(%[o]); "  \
                         "vmovdqu %%ymm1, (%[o]); ldmxcsr %[dcsr]"                           \
                         : [fl] "=&r"(fl)                                                    \
                         : [p] "r"(pattern), [q] "r"(pattern2), [o] "r"(out), [m] "r"(m),    \
                           [dcsr] "m"(default_csr)                                           \
                         : "memory", "cc", "rax");                                           \
        fl &= 0x8d5;                                                                         \
        memcpy(out + 32, &fl, 8);                                                            \
    }

VEX_OP(vaddps256, "vaddps (%[m]), %%ymm2, %%ymm1")
VEX_OP(vaddps128, "vaddps (%[m]), %%xmm2, %%xmm1")
VEX_OP(vaddss, "vaddss (%[m]), %%xmm2, %%xmm1")
VEX_OP(vmulpd256, "vmulpd (%[m]), %%ymm2, %%ymm1")
VEX_OP(vsqrtps256, "vsqrtps (%[m]), %%ymm1")
VEX_OP(vsqrtsd, "vsqrtsd (%[m]), %%xmm2, %%xmm1")
VEX_OP(vandps128, "vandps (%[m]), %%xmm2, %%xmm1")
VEX_OP(vxorpd256, "vxorpd (%[m]), %%ymm2, %%ymm1")
VEX_OP(vcmpps256, "vcmpps $2, (%[m]), %%ymm2, %%ymm1")
VEX_OP(vcmpsd, "vcmpsd $4, (%[m]), %%xmm2, %%xmm1")
VEX_OP(vcomiss, "vcomiss (%[m]), %%xmm1")
VEX_OP(vucomisd, "vucomisd (%[m]), %%xmm1")
VEX_OP(vptest128, "vptest (%[m]), %%xmm1")
VEX_OP(vpaddd128, "vpaddd (%[m]), %%xmm2, %%xmm1")
VEX_OP(vpxor128, "vpxor (%[m]), %%xmm2, %%xmm1")
VEX_OP(vpshufb128, "vpshufb (%[m]), %%xmm2, %%xmm1")
VEX_OP(vpmovzxbw, "vpmovzxbw (%[m]), %%xmm1")
VEX_OP(vpmaxsd128, "vpmaxsd (%[m]), %%xmm2, %%xmm1")
VEX_OP(vpsrlw128, "vpsrlw (%[m]), %%xmm2, %%xmm1")
VEX_OP(vcvtdq2ps256, "vcvtdq2ps (%[m]), %%ymm1")
VEX_OP(vcvtsi2sdq, "vcvtsi2sdq (%[m]), %%xmm2, %%xmm1")
VEX_OP(vunpcklps256, "vunpcklps (%[m]), %%ymm2, %%ymm1")
VEX_OP(vhaddps256, "vhaddps (%[m]), %%ymm2, %%ymm1")
VEX_OP(vpshufd128, "vpshufd $0x1b, (%[m]), %%xmm1")
VEX_OP(vshufps256, "vshufps $0x4e, (%[m]), %%ymm2, %%ymm1")
VEX_OP(vshufpd256, "vshufpd $0x9, (%[m]), %%ymm2, %%ymm1")
VEX_OP(vpalignr128, "vpalignr $3, (%[m]), %%xmm2, %%xmm1")
VEX_OP(vroundps256, "vroundps $2, (%[m]), %%ymm1")
VEX_OP(vroundsd, "vroundsd $1, (%[m]), %%xmm2, %%xmm1")
VEX_OP(vblendps256, "vblendps $0x5a, (%[m]), %%ymm2, %%ymm1")
VEX_OP(vblendpd256, "vblendpd $0x6, (%[m]), %%ymm2, %%ymm1")
VEX_OP(vpblendw128, "vpblendw $0x3c, (%[m]), %%xmm2, %%xmm1")
VEX_OP(vcvttss2si, "vcvttss2si (%[m]), %%eax; vmovd %%eax, %%xmm1")
VEX_OP(vcvtsd2siq, "vcvtsd2si (%[m]), %%rax; vmovq %%rax, %%xmm1")
VEX_OP(vpinsrd, "vpinsrd $1, (%[m]), %%xmm2, %%xmm1")
VEX_OP(vinsertps, "vinsertps $0x61, (%[m]), %%xmm2, %%xmm1")
VEX_OP(vpextrw_st, "vpextrw $2, %%xmm1, (%[m])")

struct vex_case
{
    const char *name;
    void (*fn)(uint64_t m, uint8_t out[OUT_SIZE]);
    bool store;
};

static const struct vex_case cases[] = {
    { "vmovdqu ymm load", vmovdqu256 },
    { "vmovdqu xmm load", vmovdqu128 },
    { "vmovdqa xmm load", vmovdqa128 },
    { "vmovups ymm load", vmovups256 },
    { "vmovaps ymm load", vmovaps256 },
    { "vmovss load", vmovss },
    { "vmovsd load", vmovsd },
    { "vmovd load", vmovd },
    { "vmovq load", vmovq },
    { "vmovdqu ymm store", vmovdqu256_st, true },
    { "vmovups xmm store", vmovups128_st, true },
    { "vmovq store", vmovq_st, true },
    { "vmovd store", vmovd_st, true },
    { "vaddps256", vaddps256 },
    { "vaddps128", vaddps128 },
    { "vaddss", vaddss },
    { "vmulpd256", vmulpd256 },
    { "vsqrtps256", vsqrtps256 },
    { "vsqrtsd", vsqrtsd },
    { "vandps128", vandps128 },
    { "vxorpd256", vxorpd256 },
    { "vcmpps256", vcmpps256 },
    { "vcmpsd", vcmpsd },
    { "vcomiss", vcomiss },
    { "vucomisd", vucomisd },
    { "vptest128", vptest128 },
    { "vpaddd128", vpaddd128 },
    { "vpxor128", vpxor128 },
    { "vpshufb128", vpshufb128 },
    { "vpmovzxbw", vpmovzxbw },
    { "vpmaxsd128", vpmaxsd128 },
    { "vpsrlw128", vpsrlw128 },
    { "vcvtdq2ps256", vcvtdq2ps256 },
    { "vcvtsi2sdq", vcvtsi2sdq },
    { "vunpcklps256", vunpcklps256 },
    { "vhaddps256", vhaddps256 },
    { "vpshufd128", vpshufd128 },
    { "vshufps256", vshufps256 },
    { "vshufpd256", vshufpd256 },
    { "vpalignr128", vpalignr128 },
    { "vroundps256", vroundps256 },
    { "vroundsd", vroundsd },
    { "vblendps256", vblendps256 },
    { "vblendpd256", vblendpd256 },
    { "vpblendw128", vpblendw128 },
    { "vcvttss2si", vcvttss2si },
    { "vcvtsd2siq", vcvtsd2siq },
    { "vpinsrd", vpinsrd },
    { "vinsertps", vinsertps },
    { "vpextrw_st", vpextrw_st },
};

static uint64_t ram_ones[8] __attribute__((aligned(64)));

static void run_case(const struct vex_case *c, uint64_t h)
{
    uint8_t ram[OUT_SIZE] = { 0 }, hole[OUT_SIZE] = { 0 };

    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn((uint64_t)(uintptr_t)ram_ones, ram);
    c->fn(h, hole);
    if ( memcmp(ram, hole, OUT_SIZE) )
        xtf_failure("%s at %#lx: ymm1 %#lx:%#lx:%#lx:%#lx flags %#lx mxcsr %#lx, the CPU on RAM "
                    "%#lx:%#lx:%#lx:%#lx flags %#lx mxcsr %#lx",
                    c->name, (unsigned long)h, ((unsigned long *)hole)[3],
                    ((unsigned long *)hole)[2], ((unsigned long *)hole)[1],
                    ((unsigned long *)hole)[0], ((unsigned long *)hole)[4],
                    ((unsigned long *)hole)[5], ((unsigned long *)ram)[3],
                    ((unsigned long *)ram)[2], ((unsigned long *)ram)[1], ((unsigned long *)ram)[0],
                    ((unsigned long *)ram)[4], ((unsigned long *)ram)[5]);
    for ( unsigned int i = 0; i < 4; i++ )
        if ( *(volatile uint64_t *)(uintptr_t)(h + 8 * i) != ONES )
            xtf_failure("%s at %#lx: the hole no longer reads all-ones", c->name, (unsigned long)h);
}

void test_main(void)
{
    uint64_t holes[3], ram_end = xtf_ram_end();
    uint32_t ecx = cpuid_count(1, 0).c;

    if ( !(ecx & (1u << 28)) || !(ecx & (1u << 26)) )
        return xtf_skip("AVX or XSAVE not offered");
    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    __asm__ volatile("mov %0, %%cr4" ::"r"(read_cr4() | CR4_OSFXSR | CR4_OSXSAVE));
    __asm__ volatile("xsetbv" ::"c"(0), "a"(7), "d"(0));
    for ( unsigned int i = 0; i < 32; i++ )
    {
        pattern[i] = 0x10 + i;
        pattern2[i] = 0x3f - i * 3;
    }
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
        for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
            run_case(&cases[n], holes[i]);
    xtf_success(NULL);
}
