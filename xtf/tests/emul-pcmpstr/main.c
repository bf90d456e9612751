/*
 * emul-pcmpstr - the SSE4 imm8 forms and VEX blends with a memory
 * operand aimed at guest-physical holes behave as on Xen with no device
 * model: the hole reads all-ones, and each instruction completes with
 * the YMM0, YMM1, RCX, arithmetic flags and MXCSR the CPU itself gives
 * on RAM holding all-ones:
 *
 *  - PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM in each element format,
 *    aggregation and polarity, index and mask forms, explicit lengths
 *    negative, long and REX.W; the VEX forms (mask: YMM0 bits 255:128);
 *  - MPSADBW, VMPSADBW (128, and 256 where AVX2 is offered);
 *  - DPPS, DPPD (an SNaN product: IE), VDPPS 256, VDPPD;
 *  - VBLENDVPS, VBLENDVPD, VPBLENDVB (128; 256 needs AVX2 for the byte
 *    form);
 *  - PINSRW into an MMX register.
 * Needs SSE4.2, AVX and XSAVE: skipped where not offered. Every case is
 * followed by a sentinel MOV that must run whole.
 *
 * It touches nothing but its own registers, buffers and the holes.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>

const char test_title[] = "emulation: PCMPxSTRx, DPPS, MPSADBW, VBLENDV, PINSRW mm on holes";

#define CR4_OSFXSR  (1UL << 9)
#define CR4_OSXSAVE (1UL << 18)
#define ONES        0xffffffffffffffffULL

static uint8_t ymm[4][32] __attribute__((aligned(32)));
static uint32_t csr_in = 0x1f80;
static const uint32_t default_csr = 0x1f80;

struct out
{
    uint8_t y0[32], y1[32];
    uint64_t rcx, fl, csr, mm1;
    uint32_t sentinel;
};

/* YMM0-3 := ymm[], MM1 := the first 8 bytes of ymm[1], rAX/rDX the
 * lengths, RCX garbage; the op at m, the sentinel MOV; then YMM0, YMM1,
 * MM1, RCX, RFLAGS, MXCSR to o. */
#define OP(name, text)                                                                    \
    static void name(uint64_t m, int64_t la, int64_t lb, struct out *o)                   \
    {                                                                                     \
        __asm__ volatile(                                                                 \
            "vmovdqu 0(%[y]), %%ymm0; vmovdqu 32(%[y]), %%ymm1; "                         \
            "vmovdqu 64(%[y]), %%ymm2; vmovdqu 96(%[y]), %%ymm3; "                        \
            "movq 32(%[y]), %%mm1; ldmxcsr %[csr]; "                                      \
            "mov $0xdeadbeefdeadbeef, %%rcx; " text "; mov $0x5a5a5a5a, %%r9d; "          \
            "pushf; pop %%r10; mov %%r9d, %c[s](%[o]); mov %%r10, %c[fl](%[o]); "         \
            "mov %%rcx, %c[rcx](%[o]); stmxcsr %c[csr_o](%[o]); "                         \
            "vmovdqu %%ymm0, %c[y0](%[o]); vmovdqu %%ymm1, %c[y1](%[o]); "                \
            "movq %%mm1, %c[mm](%[o]); emms; ldmxcsr %[dcsr]"                             \
            :                                                                             \
            : [y] "r"(ymm), [m] "r"(m), "a"(la), "d"(lb), [o] "r"(o), [csr] "m"(csr_in),  \
              [dcsr] "m"(default_csr), [s] "i"(offsetof(struct out, sentinel)),           \
              [fl] "i"(offsetof(struct out, fl)), [rcx] "i"(offsetof(struct out, rcx)),   \
              [csr_o] "i"(offsetof(struct out, csr)), [y0] "i"(offsetof(struct out, y0)), \
              [y1] "i"(offsetof(struct out, y1)), [mm] "i"(offsetof(struct out, mm1))     \
            : "memory", "cc", "rcx", "r9", "r10");                                        \
    }

OP(pcmpistri_any, "pcmpistri $0x00, (%[m]), %%xmm1")
OP(pcmpistri_ranges_msb, "pcmpistri $0x44, (%[m]), %%xmm1")
OP(pcmpistrm_each, "pcmpistrm $0x08, (%[m]), %%xmm1")
OP(pcmpistrm_ordered_bytes, "pcmpistrm $0x4c, (%[m]), %%xmm1")
OP(pcmpistri_sw_ranges_neg, "pcmpistri $0x17, (%[m]), %%xmm1")
OP(pcmpestri_uw_each_neg, "pcmpestri $0x19, (%[m]), %%xmm1")
OP(pcmpestrm_sb_each_mneg, "pcmpestrm $0x3a, (%[m]), %%xmm1")
OP(pcmpestrm_ordered_words, "pcmpestrm $0x4d, (%[m]), %%xmm1")
OP(pcmpestri_any_msb, "pcmpestri $0x40, 3(%[m]), %%xmm1")
OP(pcmpestriq, "pcmpestriq $0x0c, (%[m]), %%xmm1")
OP(pcmpestri_ordered, "pcmpestri $0x0c, (%[m]), %%xmm1")
OP(vpcmpestrm, "vpcmpestrm $0x44, (%[m]), %%xmm1")
OP(vpcmpistri, "vpcmpistri $0x0c, (%[m]), %%xmm1")
OP(vpcmpistrm, "vpcmpistrm $0x40, (%[m]), %%xmm1")
OP(mpsadbw, "mpsadbw $5, (%[m]), %%xmm1")
OP(vmpsadbw128, "vmpsadbw $2, (%[m]), %%xmm2, %%xmm1")
OP(vmpsadbw256, "vmpsadbw $0x2b, (%[m]), %%ymm2, %%ymm1")
OP(dpps, "dpps $0xf5, (%[m]), %%xmm1")
OP(dpps_none, "dpps $0x0f, (%[m]), %%xmm1")
OP(dpps_snan, "dpps $0x3f, (%[m]), %%xmm2")
OP(dppd, "dppd $0x32, (%[m]), %%xmm1")
OP(vdpps256, "vdpps $0x7b, (%[m]), %%ymm2, %%ymm1")
OP(vdppd, "vdppd $0x11, (%[m]), %%xmm2, %%xmm1")
OP(vblendvps128, "vblendvps %%xmm3, (%[m]), %%xmm2, %%xmm1")
OP(vblendvps256, "vblendvps %%ymm3, (%[m]), %%ymm2, %%ymm1")
OP(vblendvpd256, "vblendvpd %%ymm3, (%[m]), %%ymm2, %%ymm1")
OP(vpblendvb128, "vpblendvb %%xmm3, (%[m]), %%xmm2, %%xmm1")
OP(vpblendvb256, "vpblendvb %%ymm3, (%[m]), %%ymm2, %%ymm1")
OP(pinsrw_mm, "pinsrw $2, (%[m]), %%mm1")

typedef void (*op_fn)(uint64_t m, int64_t la, int64_t lb, struct out *o);

#define NEED_AVX2 1

struct op_case
{
    const char *name;
    op_fn fn;
    int64_t la, lb;
    unsigned int need;
    /* The reference on RAM, if not fn itself: REX.W's 64-bit lengths
     * saturated, run by the 32-bit form (QEMU 7.2's TCG takes EAX/EDX
     * even with REX.W; the SDM and Intel's CPUs take RAX/RDX). */
    op_fn ref;
};

static const struct op_case cases[] = {
    { "pcmpistri equal any", pcmpistri_any },
    { "pcmpistri ranges msb", pcmpistri_ranges_msb },
    { "pcmpistrm equal each", pcmpistrm_each },
    { "pcmpistrm ordered byte mask", pcmpistrm_ordered_bytes },
    { "pcmpistri signed word ranges negated", pcmpistri_sw_ranges_neg },
    { "pcmpestri word each negated", pcmpestri_uw_each_neg, 5, 3 },
    { "pcmpestrm signed byte each masked-neg", pcmpestrm_sb_each_mneg, -4, 20 },
    { "pcmpestrm ordered words", pcmpestrm_ordered_words, 2, -100 },
    { "pcmpestri equal any msb", pcmpestri_any_msb, 0, 9 },
    { "pcmpestri rex.w", pcmpestriq, 0x100000002LL, -0x100000000LL, 0, pcmpestri_ordered },
    { "vpcmpestrm", vpcmpestrm, 6, 16 },
    { "vpcmpistri", vpcmpistri },
    { "vpcmpistrm", vpcmpistrm },
    { "mpsadbw", mpsadbw },
    { "vmpsadbw 128", vmpsadbw128 },
    { "vmpsadbw 256", vmpsadbw256, 0, 0, NEED_AVX2 },
    { "dpps", dpps },
    { "dpps no products", dpps_none },
    { "dpps snan", dpps_snan },
    { "dppd", dppd },
    { "vdpps 256", vdpps256 },
    { "vdppd", vdppd },
    { "vblendvps 128", vblendvps128 },
    { "vblendvps 256", vblendvps256 },
    { "vblendvpd 256", vblendvpd256 },
    { "vpblendvb 128", vpblendvb128 },
    { "vpblendvb 256", vpblendvb256, 0, 0, NEED_AVX2 },
    { "pinsrw mm", pinsrw_mm },
};

static uint64_t ram_ones[8] __attribute__((aligned(64)));

static void print_out(const char *who, const struct out *o)
{
    const unsigned long *a = (const void *)o->y0, *b = (const void *)o->y1;

    printf("  %s: ymm0 %#lx:%#lx:%#lx:%#lx ymm1 %#lx:%#lx:%#lx:%#lx mm1 %#lx rcx %#lx "
           "flags %#lx mxcsr %#lx\n",
           who, a[3], a[2], a[1], a[0], b[3], b[2], b[1], b[0], (unsigned long)o->mm1,
           (unsigned long)o->rcx, (unsigned long)(o->fl & 0x8d5), (unsigned long)o->csr);
}

static void ram_reference(const struct op_case *c, struct out *ram)
{
    static bool noted;
    struct out own = *ram;

    c->ref((uint64_t)(uintptr_t)ram_ones, 16, 16, ram);
    own.fl &= 0x8d5;
    ram->fl &= 0x8d5;
    if ( memcmp(&own, ram, sizeof(own)) && !noted )
    {
        noted = true;
        printf("note: this CPU's %s on RAM differs from the SDM's (lengths 16, 16):\n", c->name);
        print_out("CPU", &own);
        print_out("SDM", ram);
    }
}

static void run_case(const struct op_case *c, uint64_t h)
{
    struct out ram, hole;

    memset(&ram, 0, sizeof(ram));
    memset(&hole, 0, sizeof(hole));
    for ( unsigned int i = 0; i < ARRAY_SIZE(ram_ones); i++ )
        ram_ones[i] = ONES;
    c->fn((uint64_t)(uintptr_t)ram_ones, c->la, c->lb, &ram);
    if ( c->ref )
        ram_reference(c, &ram);
    c->fn(h, c->la, c->lb, &hole);
    check_sentinel(hole.sentinel, c->name);
    ram.fl &= 0x8d5;
    hole.fl &= 0x8d5;
    if ( memcmp(&ram, &hole, sizeof(ram)) )
    {
        xtf_failure("%s at %#lx differs from the CPU on all-ones RAM", c->name, (unsigned long)h);
        print_out("hole", &hole);
        print_out("RAM ", &ram);
    }
}

static void set_patterns(void)
{
    static const char a[] = "\xff"
                            "ab\x80\xff\xff"
                            "z\x01\x7f\xff"
                            "cd";

    memset(ymm, 0, sizeof(ymm));
    memcpy(ymm[1], a, sizeof(a) - 1); /* a string with an end for the implicit forms */
    for ( unsigned int i = 0; i < 32; i++ )
    {
        ymm[0][i] = 0x11 * (i & 7);
        ymm[1][16 + i / 2] = 0x40 + i;
        ymm[2][i] = 0x3f - i * 3;
        /* the blends' mask: top bits in no element-aligned pattern */
        ymm[3][i] = (0xb38f1c6du >> i) & 1 ? 0x80 | i : 0x7f & (i * 7);
    }
    /* dpps snan: dword 0 of ymm2 an SNaN, a NaN product besides the hole's */
    memcpy(&ymm[2][0], "\x01\x00\xa0\x7f", 4);
}

void test_main(void)
{
    uint64_t holes[3], ram_end = xtf_ram_end();
    uint32_t ecx = cpuid_count(1, 0).c;
    bool avx2 = cpuid_count(7, 0).b & (1u << 5);

    if ( !(ecx & (1u << 20)) || !(ecx & (1u << 28)) || !(ecx & (1u << 26)) )
        return xtf_skip("SSE4.2, AVX or XSAVE not offered");
    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) )
        return xtf_error("RAM ends at %#lx: not inside the identity map", (unsigned long)ram_end);
    __asm__ volatile("mov %0, %%cr4" ::"r"(read_cr4() | CR4_OSFXSR | CR4_OSXSAVE));
    __asm__ volatile("xsetbv" ::"c"(0), "a"(7), "d"(0));
    if ( !avx2 )
        printf("AVX2 not offered: VMPSADBW and VPBLENDVB at 256 bits are not run\n");
    set_patterns();
    holes[0] = 0xa0100;
    holes[1] = 0xfed00100;
    holes[2] = ram_end + 0x10000;
    for ( unsigned int i = 0; i < ARRAY_SIZE(holes); i++ )
        for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
            if ( avx2 || cases[n].need != NEED_AVX2 )
                run_case(&cases[n], holes[i]);
    xtf_success(NULL);
}
