/*
 * emul-vex - VEX-encoded moves between a YMM/XMM register and a
 * guest-physical hole behave as on Xen with no device model: a load
 * gives all-ones in the bytes it reads and zeros above them up to bit
 * 255 (a VEX.128 load clears the upper YMM half), a store is dropped;
 * each result is compared with the CPU's own load from all-ones RAM.
 * Needs AVX (CPUID.1:ECX.AVX and XSAVE): skipped where not offered.
 *
 * It touches nothing but its own registers, buffers and the holes.
 */
#include <xtf.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: VEX moves on holes";

#define CR4_OSFXSR  (1UL << 9)
#define CR4_OSXSAVE (1UL << 18)
#define ONES        0xffffffffffffffffULL

static uint8_t pattern[32] __attribute__((aligned(32)));

/* ymm1 := pattern, the move at m, then ymm1 to out. */
#define VEX_FN(name, text)                                                                        \
    static void name(uint64_t m, uint8_t out[32])                                                 \
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

struct vex_case
{
    const char *name;
    void (*fn)(uint64_t m, uint8_t out[32]);
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
};

static uint64_t ram_ones[8] __attribute__((aligned(64)));

static void run_case(const struct vex_case *c, uint64_t h)
{
    uint8_t ram[32], hole[32];

    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn((uint64_t)(uintptr_t)ram_ones, ram);
    c->fn(h, hole);
    if ( memcmp(ram, hole, 32) )
        xtf_failure(
            "%s at %#lx: ymm1 %#lx:%#lx:%#lx:%#lx, the CPU on RAM %#lx:%#lx:%#lx:%#lx", c->name,
            (unsigned long)h, ((unsigned long *)hole)[3], ((unsigned long *)hole)[2],
            ((unsigned long *)hole)[1], ((unsigned long *)hole)[0], ((unsigned long *)ram)[3],
            ((unsigned long *)ram)[2], ((unsigned long *)ram)[1], ((unsigned long *)ram)[0]);
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
        pattern[i] = 0x10 + i;
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
        for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
            run_case(&cases[n], holes[i]);
    xtf_success(NULL);
}
