/*
 * emul-avx2 - the VEX-only AVX and AVX2 instructions whose memory
 * operand is a hole behave as the CPU's own run on all-ones RAM:
 * VBROADCASTSS/SD/F128/I128, VPBROADCASTB/W/D/Q, VPERMILPS/PD (imm8 and
 * vector), VPERM2F128/I128, VPERMD/PS/Q/PD, VINSERTF128/I128,
 * VEXTRACTF128/I128 (a store, dropped), VPBLENDD, VMASKMOVPS/PD and
 * VPMASKMOVD/Q loads and stores (masked elements touch nothing), the
 * 256-bit VPMOVSX/ZX, VPTEST/VTESTPS/PD (flags), VPSLLV/VPSRLV/VPSRAV,
 * the 256-bit shifts by a memory count, VLDMXCSR/VSTMXCSR, every gather
 * (destination and mask register after), VCMPPS with each predicate
 * 8-31 (and VCMPPD/SS/SD with some), and the 256-bit conversions that
 * change the element width, and the VEX forms of MOVLPS/HPS/LPD/HPD,
 * MOVDDUP and MOVSLDUP/SHDUP. Each case compares YMM1-YMM3, RFLAGS, MXCSR
 * and the exception; a gather and a masked store
 * straddling the last RAM page check that each element goes to or comes
 * from its own address. Skipped (with the reason) without AVX2.
 *
 * It touches nothing but its own vector state, buffers and the holes.
 */
#include <xtf.h>
#include <xtf/emul.h>
#include <xtf/p2m.h>
#include <xtf/xstate.h>

const char test_title[] = "emulation: VEX-only AVX and AVX2 forms on holes";

#define HOLE 0xfed00400ULL

struct avx_out
{
    uint8_t y[3][32];
    uint64_t ex, flags;
    uint32_t csr;
};

static uint8_t pat[4][32] __attribute__((aligned(32)));
static uint32_t didx[8] __attribute__((aligned(32))) = { 0, 3, 1, 7, 2, 6, 4, 5 };
static uint64_t qidx[4] __attribute__((aligned(32))) = { 3, 0, 2, 1 };

/* YMM1-3 from pat[0..2] (YMM3 a mask: alternate elements' top bits set),
 * YMM4/YMM5 dword/qword indices; text on (%rdx); then YMM1-3, RFLAGS. */
#define AVXOP(name, text)                                                                          \
    static void name(uint64_t m, struct avx_out *o)                                                \
    {                                                                                              \
        uint64_t ex = 0, fl;                                                                       \
                                                                                                   \
        __asm__ volatile(                                                                          \
            "vmovdqu %[p0], %%ymm1; vmovdqu %[p1], %%ymm2; vmovdqu %[p2], %%ymm3; "                \
            "vmovdqu %[di], %%ymm4; vmovdqu %[qi], %%ymm5; cmp %%rdx, %%rdx; "                     \
            "1: " text "; 2: pushf; pop %[fl]; vmovdqu %%ymm1, %[o0]; "                            \
            "vmovdqu %%ymm2, %[o1]; vmovdqu %%ymm3, %[o2]; stmxcsr %[csr];" _ASM_EXTABLE(1b, 2b)   \
            : "+a"(ex), [fl] "=r"(fl), [o0] "=m"(o->y[0]), [o1] "=m"(o->y[1]), [o2] "=m"(o->y[2]), \
              [csr] "=m"(o->csr)                                                                   \
            : "d"(m), [p0] "m"(pat[0]), [p1] "m"(pat[1]), [p2] "m"(pat[2]), [di] "m"(didx),        \
              [qi] "m"(qidx)                                                                       \
            : "memory");                                                                           \
        o->ex = ex;                                                                                \
        o->flags = fl & 0x8d5;                                                                     \
    }

AVXOP(vbroadcastss_x, "vbroadcastss (%%rdx), %%xmm1")
AVXOP(vbroadcastss_y, "vbroadcastss (%%rdx), %%ymm1")
AVXOP(vbroadcastsd, "vbroadcastsd (%%rdx), %%ymm1")
AVXOP(vbroadcastf128, "vbroadcastf128 (%%rdx), %%ymm1")
AVXOP(vbroadcasti128, "vbroadcasti128 (%%rdx), %%ymm1")
AVXOP(vpbroadcastb, "vpbroadcastb (%%rdx), %%ymm1")
AVXOP(vpbroadcastw_x, "vpbroadcastw (%%rdx), %%xmm1")
AVXOP(vpbroadcastd, "vpbroadcastd (%%rdx), %%ymm1")
AVXOP(vpbroadcastq, "vpbroadcastq (%%rdx), %%ymm1")
AVXOP(vpermilps_imm, "vpermilps $0x1b, (%%rdx), %%ymm1")
AVXOP(vpermilpd_imm, "vpermilpd $0x5, (%%rdx), %%ymm1")
AVXOP(vpermilps_vec, "vpermilps (%%rdx), %%ymm2, %%ymm1")
AVXOP(vpermilpd_vec, "vpermilpd (%%rdx), %%xmm2, %%xmm1")
AVXOP(vperm2f128_21, "vperm2f128 $0x21, (%%rdx), %%ymm2, %%ymm1")
AVXOP(vperm2i128_83, "vperm2i128 $0x83, (%%rdx), %%ymm2, %%ymm1")
AVXOP(vperm2f128_30, "vperm2f128 $0x30, (%%rdx), %%ymm2, %%ymm1")
AVXOP(vpermd, "vpermd (%%rdx), %%ymm2, %%ymm1")
AVXOP(vpermps, "vpermps (%%rdx), %%ymm4, %%ymm1")
AVXOP(vpermq, "vpermq $0x1b, (%%rdx), %%ymm1")
AVXOP(vpermpd, "vpermpd $0x4e, (%%rdx), %%ymm1")
AVXOP(vinsertf128_1, "vinsertf128 $1, (%%rdx), %%ymm2, %%ymm1")
AVXOP(vinserti128_0, "vinserti128 $0, (%%rdx), %%ymm2, %%ymm1")
AVXOP(vextractf128, "vextractf128 $1, %%ymm2, (%%rdx)")
AVXOP(vextracti128, "vextracti128 $0, %%ymm2, (%%rdx)")
AVXOP(vpblendd, "vpblendd $0xa5, (%%rdx), %%ymm2, %%ymm1")
AVXOP(vmaskmovps_ld, "vmaskmovps (%%rdx), %%ymm3, %%ymm1")
AVXOP(vmaskmovpd_ld, "vmaskmovpd (%%rdx), %%xmm3, %%xmm1")
AVXOP(vpmaskmovd_ld, "vpmaskmovd (%%rdx), %%ymm3, %%ymm1")
AVXOP(vpmaskmovq_ld, "vpmaskmovq (%%rdx), %%ymm3, %%ymm1")
AVXOP(vmaskmovps_st, "vmaskmovps %%ymm2, %%ymm3, (%%rdx)")
AVXOP(vpmaskmovq_st, "vpmaskmovq %%ymm2, %%ymm3, (%%rdx)")
AVXOP(vpmovsxbw, "vpmovsxbw (%%rdx), %%ymm1")
AVXOP(vpmovsxbd, "vpmovsxbd (%%rdx), %%ymm1")
AVXOP(vpmovsxbq, "vpmovsxbq (%%rdx), %%ymm1")
AVXOP(vpmovsxwd, "vpmovsxwd (%%rdx), %%ymm1")
AVXOP(vpmovsxwq, "vpmovsxwq (%%rdx), %%ymm1")
AVXOP(vpmovsxdq, "vpmovsxdq (%%rdx), %%ymm1")
AVXOP(vpmovzxbw, "vpmovzxbw (%%rdx), %%ymm1")
AVXOP(vpmovzxbd, "vpmovzxbd (%%rdx), %%ymm1")
AVXOP(vpmovzxbq, "vpmovzxbq (%%rdx), %%ymm1")
AVXOP(vpmovzxwd, "vpmovzxwd (%%rdx), %%ymm1")
AVXOP(vpmovzxwq, "vpmovzxwq (%%rdx), %%ymm1")
AVXOP(vpmovzxdq, "vpmovzxdq (%%rdx), %%ymm1")
AVXOP(vptest, "vptest (%%rdx), %%ymm2")
AVXOP(vtestps, "vtestps (%%rdx), %%ymm2")
AVXOP(vtestpd_x, "vtestpd (%%rdx), %%xmm3")
AVXOP(vpsllvd, "vpsllvd (%%rdx), %%ymm2, %%ymm1")
AVXOP(vpsrlvq, "vpsrlvq (%%rdx), %%ymm2, %%ymm1")
AVXOP(vpsravd, "vpsravd (%%rdx), %%xmm2, %%xmm1")
AVXOP(vpsrlw_y, "vpsrlw (%%rdx), %%ymm2, %%ymm1")
AVXOP(vpsrad_y, "vpsrad (%%rdx), %%ymm2, %%ymm1")
AVXOP(vpsllq_y, "vpsllq (%%rdx), %%ymm2, %%ymm1")
AVXOP(vldmxcsr, "vldmxcsr (%%rdx)")
AVXOP(vstmxcsr, "vstmxcsr (%%rdx)")
AVXOP(vgatherdps, "vgatherdps %%ymm3, (%%rdx,%%ymm4,4), %%ymm1")
AVXOP(vgatherdps_x, "vgatherdps %%xmm3, (%%rdx,%%xmm4,4), %%xmm1")
AVXOP(vgatherdpd, "vgatherdpd %%ymm3, (%%rdx,%%xmm4,8), %%ymm1")
AVXOP(vgatherqps, "vgatherqps %%xmm3, (%%rdx,%%ymm5,8), %%xmm1")
AVXOP(vgatherqpd, "vgatherqpd %%ymm3, (%%rdx,%%ymm5,8), %%ymm1")
AVXOP(vpgatherdd, "vpgatherdd %%ymm3, 4(%%rdx,%%ymm4,4), %%ymm1")
AVXOP(vpgatherdq, "vpgatherdq %%xmm3, (%%rdx,%%xmm4,8), %%xmm1")
AVXOP(vpgatherqd, "vpgatherqd %%xmm3, (%%rdx,%%xmm5,4), %%xmm1")
AVXOP(vpgatherqq, "vpgatherqq %%ymm3, (%%rdx,%%ymm5,8), %%ymm1")
AVXOP(vmovlps_ld, "vmovlps (%%rdx), %%xmm2, %%xmm1")
AVXOP(vmovhpd_ld, "vmovhpd (%%rdx), %%xmm2, %%xmm1")
AVXOP(vmovlpd_st, "vmovlpd %%xmm2, (%%rdx)")
AVXOP(vmovhps_st, "vmovhps %%xmm2, (%%rdx)")
AVXOP(vmovddup_x, "vmovddup (%%rdx), %%xmm1")
AVXOP(vmovddup_y, "vmovddup (%%rdx), %%ymm1")
AVXOP(vmovsldup_y, "vmovsldup (%%rdx), %%ymm1")
AVXOP(vmovshdup_x, "vmovshdup (%%rdx), %%xmm1")
AVXOP(vcvtps2pd_y, "vcvtps2pd (%%rdx), %%ymm1")
AVXOP(vcvtpd2ps_y, "vcvtpd2psy (%%rdx), %%xmm1")
AVXOP(vcvtdq2pd_y, "vcvtdq2pd (%%rdx), %%ymm1")
AVXOP(vcvtpd2dq_y, "vcvtpd2dqy (%%rdx), %%xmm1")
AVXOP(vcvttpd2dq_y, "vcvttpd2dqy (%%rdx), %%xmm1")
AVXOP(vcmppd_13_x, "vcmppd $13, (%%rdx), %%xmm2, %%xmm1")
AVXOP(vcmpss_17, "vcmpss $17, (%%rdx), %%xmm2, %%xmm1")
AVXOP(vcmpsd_26, "vcmpsd $26, (%%rdx), %%xmm2, %%xmm1")

/* VCMPPS ymm with each predicate only VEX has. */
/* clang-format off */
#define VCMP_PREDS(X)                                                          \
    X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19)     \
    X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)
/* clang-format on */
#define VCMP_OP(p) AVXOP(vcmpps_##p, "vcmpps $" #p ", (%%rdx), %%ymm2, %%ymm1")
VCMP_PREDS(VCMP_OP)

struct avx_case
{
    const char *name;
    void (*fn)(uint64_t m, struct avx_out *o);
};

#define C(n)  \
    {         \
#n, n \
    }
static const struct avx_case cases[] = {
    C(vbroadcastss_x),    C(vbroadcastss_y), C(vbroadcastsd),  C(vbroadcastf128), C(vbroadcasti128),
    C(vpbroadcastb),      C(vpbroadcastw_x), C(vpbroadcastd),  C(vpbroadcastq),   C(vpermilps_imm),
    C(vpermilpd_imm),     C(vpermilps_vec),  C(vpermilpd_vec), C(vperm2f128_21),  C(vperm2i128_83),
    C(vperm2f128_30),     C(vpermd),         C(vpermps),       C(vpermq),         C(vpermpd),
    C(vinsertf128_1),     C(vinserti128_0),  C(vextractf128),  C(vextracti128),   C(vpblendd),
    C(vmaskmovps_ld),     C(vmaskmovpd_ld),  C(vpmaskmovd_ld), C(vpmaskmovq_ld),  C(vmaskmovps_st),
    C(vpmaskmovq_st),     C(vpmovsxbw),      C(vpmovsxbd),     C(vpmovsxbq),      C(vpmovsxwd),
    C(vpmovsxwq),         C(vpmovsxdq),      C(vpmovzxbw),     C(vpmovzxbd),      C(vpmovzxbq),
    C(vpmovzxwd),         C(vpmovzxwq),      C(vpmovzxdq),     C(vptest),         C(vtestps),
    C(vtestpd_x),         C(vpsllvd),        C(vpsrlvq),       C(vpsravd),        C(vpsrlw_y),
    C(vpsrad_y),          C(vpsllq_y),       C(vldmxcsr),      C(vstmxcsr),       C(vgatherdps),
    C(vgatherdps_x),      C(vgatherdpd),     C(vgatherqps),    C(vgatherqpd),     C(vpgatherdd),
    C(vpgatherdq),        C(vpgatherqd),     C(vpgatherqq),    C(vcvtps2pd_y),    C(vcvtpd2ps_y),
    C(vcvtdq2pd_y),       C(vcvtpd2dq_y),    C(vcvttpd2dq_y),  C(vcmppd_13_x),    C(vcmpss_17),
    C(vcmpsd_26),         C(vmovlps_ld),     C(vmovhpd_ld),    C(vmovlpd_st),     C(vmovhps_st),
    C(vmovddup_x),        C(vmovddup_y),     C(vmovsldup_y),   C(vmovshdup_x),
#define VCMP_CASE(p) C(vcmpps_##p),
    VCMP_PREDS(VCMP_CASE)
};

static uint8_t ram_ones[128] __attribute__((aligned(64)));

static void compare(const struct avx_case *c)
{
    struct avx_out ram, hole;
    uint32_t csr = 0x1f80;

    memset(ram_ones, 0xff, sizeof(ram_ones));
    __asm__ volatile("ldmxcsr %0" ::"m"(csr));
    c->fn((uint64_t)(uintptr_t)ram_ones, &ram);
    __asm__ volatile("ldmxcsr %0" ::"m"(csr));
    c->fn(HOLE, &hole);
    __asm__ volatile("ldmxcsr %0" ::"m"(csr));
    if ( ram.ex != hole.ex )
        return xtf_failure("%s: exception %#lx, the CPU on RAM %#lx", c->name,
                           (unsigned long)hole.ex, (unsigned long)ram.ex);
    if ( ram.flags != hole.flags || ram.csr != hole.csr )
        xtf_failure("%s: flags %#lx mxcsr %#x, the CPU on RAM %#lx %#x", c->name,
                    (unsigned long)hole.flags, hole.csr, (unsigned long)ram.flags, ram.csr);
    for ( unsigned int r = 0; r < 3; r++ )
        for ( unsigned int b = 0; b < 32; b++ )
            if ( ram.y[r][b] != hole.y[r][b] )
                return xtf_failure("%s: ymm%u byte %u is %#x, the CPU on RAM %#x", c->name, r + 1,
                                   b, hole.y[r][b], ram.y[r][b]);
    if ( load64(HOLE) != ~0ULL || load64(HOLE + 32) != ~0ULL )
        xtf_failure("%s: the hole no longer reads all-ones", c->name);
}

/* Gather dwords 0-7 from m with indices 0-7 (odd elements: mask set). */
static void gather_seq(uint64_t m, struct avx_out *o)
{
    static const uint32_t seq[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
    uint32_t saved[8];

    memcpy(saved, didx, sizeof(saved));
    memcpy(didx, seq, sizeof(didx));
    vgatherdps(m, o);
    memcpy(didx, saved, sizeof(saved));
}

/* Does the CPU itself gather element n from index n? */
static bool cpu_gathers(void)
{
    uint32_t buf[8] __attribute__((aligned(32)));
    struct avx_out o;

    for ( unsigned int n = 0; n < 8; n++ )
        buf[n] = 0x01010101u * n;
    gather_seq((uint64_t)(uintptr_t)buf, &o);
    for ( unsigned int n = 1; n < 8; n += 2 )
        if ( ((uint32_t *)o.y[0])[n] != buf[n] )
        {
            printf("straddling gather: skipped, the CPU's own VGATHERDPS on RAM gives "
                   "element %u = %#x, not %#x\n",
                   n, ((uint32_t *)o.y[0])[n], buf[n]);
            return false;
        }
    return true;
}

/* The last 8 bytes of RAM and the hole above: elements 0-1 from RAM. */
static void straddle(void)
{
    uint64_t a = xtf_ram_end() - 8;
    volatile uint32_t *ram = (volatile uint32_t *)(uintptr_t)a;
    uint32_t old[2] = { ram[0], ram[1] };
    struct avx_out o;

    ram[0] = 0x11111111;
    ram[1] = 0x22222222;
    for ( unsigned int n = 0; cpu_gathers() && n < 8; n++ )
    {
        uint32_t got, want = !(n & 1) ? ((uint32_t *)pat[0])[n] : n == 1 ? 0x22222222 : ~0u;

        if ( n == 0 )
            gather_seq(a, &o);
        memcpy(&got, o.y[0] + 4 * n, 4);
        if ( got != want )
            xtf_failure("straddling gather: element %u is %#x, expected %#x", n, got, want);
    }
    /* A masked store: only the odd dwords (mask set) are written. */
    ram[0] = ram[1] = 0;
    vmaskmovps_st(a, &o);
    if ( ram[0] != 0 || ram[1] != ((uint32_t *)pat[1])[1] )
        xtf_failure("straddling vmaskmovps store: RAM %#x %#x", ram[0], ram[1]);
    ram[0] = old[0];
    ram[1] = old[1];
}

void test_main(void)
{
    uint64_t ram_end = xtf_ram_end();

    if ( !ram_end || ram_end > (1ULL << 32) - (1ULL << 21) || (ram_end & 0xfff) )
        return xtf_error("RAM ends at %#lx: not a page inside the identity map",
                         (unsigned long)ram_end);
    if ( !(cpuid(1).c & (1u << 28)) || !(cpuid_count(7, 0).b & (1u << 5)) ||
         !(xcr0_offered() & XSTATE_YMM) )
        return xtf_skip("CPUID offers no AVX2 (or no AVX state): nothing to emulate");
    enable_xsave();
    if ( xsetbv_safe(0, XSTATE_X87 | XSTATE_SSE | XSTATE_YMM) )
        return xtf_error("XSETBV refused x87|SSE|YMM");
    for ( unsigned int r = 0; r < 4; r++ )
        for ( unsigned int b = 0; b < 32; b++ )
            pat[r][b] = (uint8_t)(0x11 * r + 7 * b + 1);
    for ( unsigned int b = 3; b < 32; b += 8 )  /* mask: dwords 0, 2, 4, 6 ... */
        pat[2][b] = 0x00, pat[2][b + 4] = 0x80; /* ... clear; 1, 3, 5, 7 set */
    for ( unsigned int n = 0; n < ARRAY_SIZE(cases); n++ )
        compare(&cases[n]);
    straddle();
    xtf_success(NULL);
}
